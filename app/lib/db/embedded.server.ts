import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The embedded database: PGlite (PostgreSQL in WASM) with pgvector, served on a loopback port by one
 * process per data folder. PGlite is single-process, so the app, the CLI and tests all connect to that
 * process; whoever needs it first starts it (detached), everyone else finds it through `server.json`.
 * The server process itself holds an exclusive lock on the folder, so two starts never open it twice.
 */

export interface EmbeddedServerInfo {
  pid: number;
  port: number;
  url: string;
  dataDir: string;
  startedAt: string;
}

const STARTUP_TIMEOUT_MS = 90_000;

export function embeddedPaths(dataDir: string) {
  const root = path.resolve(dataDir);
  return {
    root,
    pgdata: path.join(root, "pgdata"),
    info: path.join(root, "server.json"),
    lock: path.join(root, "server.lock"),
    log: path.join(root, "server.log"),
  };
}

export function connectionUrl(port: number) {
  return `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

export function isProcessAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function portAnswers(port: number, timeoutMs = 1000) {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export function readServerInfo(dataDir: string): EmbeddedServerInfo | undefined {
  try {
    return JSON.parse(readFileSync(embeddedPaths(dataDir).info, "utf8")) as EmbeddedServerInfo;
  } catch {
    return undefined;
  }
}

/** The running server for this folder, if its process is alive and its port answers. */
export async function findRunningServer(dataDir: string): Promise<EmbeddedServerInfo | undefined> {
  const info = readServerInfo(dataDir);
  if (!info || !isProcessAlive(info.pid)) return undefined;
  return (await portAnswers(info.port)) ? info : undefined;
}

const serverEntry = fileURLToPath(new URL("../../../scripts/db-server.ts", import.meta.url));

function resolveServerEntry() {
  // The compiled app lives in build/; the entry script is found from the project root either way.
  if (existsSync(serverEntry)) return serverEntry;
  return path.resolve(process.cwd(), "scripts/db-server.ts");
}

/**
 * Returns the URL of the embedded server for `dataDir`, starting it when it is not running.
 * Concurrent callers race safely: the loser's server process exits on the lock, and every caller
 * then waits for the winner's `server.json`.
 */
export async function ensureEmbeddedDatabase(dataDir: string): Promise<EmbeddedServerInfo> {
  const running = await findRunningServer(dataDir);
  if (running) return running;

  const paths = embeddedPaths(dataDir);
  mkdirSync(paths.root, { recursive: true });
  const log = openSync(paths.log, "a");
  const child = spawn(process.execPath, ["--import", "tsx/esm", resolveServerEntry(), "--data-dir", paths.root], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  child.unref();
  let exitCode: number | null = null;
  child.once("exit", (code) => {
    exitCode = code ?? 1;
  });

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const info = await findRunningServer(dataDir);
    if (info) return info;
    // Exit code 3: another process holds the folder (it is starting); keep waiting for its server.json.
    if (exitCode !== null && exitCode !== 3) {
      throw new Error(`The embedded database failed to start (exit ${exitCode}); see ${paths.log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`The embedded database did not start within ${STARTUP_TIMEOUT_MS / 1000}s; see ${paths.log}`);
}

/** Stops the embedded server for `dataDir` (used by tests, the CLI and CI clean-up). */
export async function stopEmbeddedDatabase(dataDir: string, timeoutMs = 20_000) {
  const info = readServerInfo(dataDir);
  if (!info || !isProcessAlive(info.pid)) return false;
  process.kill(info.pid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && isProcessAlive(info.pid)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isProcessAlive(info.pid);
}
