import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./app-server";

/**
 * A PostgreSQL 15 cluster of the bench's own (initdb in a temp folder, its own port), so a fault test can stop
 * and restart the database without touching the server everything else on the machine uses. The system's
 * pgvector extension serves it too. As root, the cluster runs as the `postgres` user (initdb refuses root).
 */
export interface PrivatePostgres {
  url: string;
  port: number;
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): void;
}

function binDir(): string {
  const base = "/usr/lib/postgresql";
  const version = existsSync(base) ? readdirSync(base).sort().at(-1) : undefined;
  if (!version) throw new Error("no PostgreSQL binaries under /usr/lib/postgresql");
  return path.join(base, version, "bin");
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), "shopdesk-pg-"));
  const data = path.join(dir, "data");
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, command), ...args]] : [path.join(bin, command), args];
    const result = spawnSync(file, argv, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  if (asRoot) execFileSync("chown", ["postgres", dir]);
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () => run("pg_ctl", ["-D", data, "-o", options, "-w", "-l", path.join(dir, "log"), "start"]);
  const stopCluster = (mode: "fast" | "immediate") => run("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]);
  start();
  const admin = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  execFileSync("psql", [admin, "-qc", "CREATE DATABASE shopdesk"]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/shopdesk`,
    port,
    async restart({ downMs = 3_000 } = {}) {
      // Immediate: connections die mid-query, as when the database host fails.
      stopCluster("immediate");
      await new Promise((resolve) => setTimeout(resolve, downMs));
      start();
    },
    stop() {
      try {
        stopCluster("fast");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
