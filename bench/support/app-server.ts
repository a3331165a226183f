import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The production app server (`npm start`: scripts/start.ts serving the Remix build, with its in-process job
 * worker) as a child process on a free loopback port, for benchmarks that must go through real HTTP.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface AppServer {
  baseUrl: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  /** Resident memory of the server process now, in MiB (Linux /proc). */
  rssMiB(): number;
  stop(): Promise<void>;
}

/** Builds the Remix app when there is no build yet (the bench runs from a fresh clone too). */
export function ensureRemixBuild() {
  if (existsSync(path.join(root, "build", "index.js"))) return;
  const result = spawnSync("npx", ["remix", "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("remix build failed");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startAppServer(env: Record<string, string | undefined>, options: { readyTimeoutMs?: number } = {}): Promise<AppServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx/esm", "scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "development", HOST: "127.0.0.1", PORT: String(port), OPENAI_API_KEY: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    // Keep the tail only: a long run logs a lot.
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  while (!output.includes("Shopdesk listening on")) {
    if (gone) throw new Error(`the app server exited before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the app server was not ready in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    child,
    output: () => output,
    rssMiB: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return Math.round((kb / 1024) * 10) / 10;
    },
    async stop() {
      if (gone) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
