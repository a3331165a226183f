import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { connectionUrl, type EmbeddedServerInfo, embeddedPaths, isProcessAlive } from "./embedded.server";
import { servePGlite } from "./pglite-session.server";

export const EXIT_ALREADY_RUNNING = 3;

/** Takes the folder's lock file; a lock left by a dead process is taken over. */
function acquireLock(lockPath: string): boolean {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lockPath, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder)) return false;
      rmSync(lockPath, { force: true });
    }
  }
  return false;
}

/**
 * Serves a PGlite database (with pgvector) on 127.0.0.1. Returns an exit code when it could not start,
 * otherwise runs until SIGTERM/SIGINT or until no client has been connected for `idleMinutes`.
 */
export async function runEmbeddedServer(options: { dataDir: string; port: number; idleMinutes: number }) {
  const paths = embeddedPaths(options.dataDir);
  mkdirSync(paths.root, { recursive: true });
  if (!acquireLock(paths.lock)) {
    console.error(`[pglite] ${paths.root} is already served by another process`);
    return EXIT_ALREADY_RUNNING;
  }

  const db = await PGlite.create({ dataDir: paths.pgdata, extensions: { vector } });
  await db.exec("CREATE EXTENSION IF NOT EXISTS vector;");
  const server = await servePGlite(db, { port: options.port });
  const port = server.port;

  const info: EmbeddedServerInfo = {
    pid: process.pid,
    port,
    url: connectionUrl(port),
    dataDir: paths.root,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(`${paths.info}.tmp`, JSON.stringify(info, null, 2));
  renameSync(`${paths.info}.tmp`, paths.info);
  console.log(`[pglite] serving ${paths.pgdata} on ${info.url} (pid ${process.pid})`);

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[pglite] stopping: ${reason}`);
    rmSync(paths.info, { force: true });
    try {
      await server.close();
      await db.close();
    } finally {
      rmSync(paths.lock, { force: true });
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  if (options.idleMinutes > 0) {
    let idleSince = Date.now();
    setInterval(() => {
      if (server.activeConnections() > 0) idleSince = Date.now();
      else if (Date.now() - idleSince > options.idleMinutes * 60_000) void shutdown("idle");
    }, 5_000);
  }
  return undefined;
}
