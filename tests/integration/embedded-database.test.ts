import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ensureEmbeddedDatabase, isProcessAlive, readServerInfo, stopEmbeddedDatabase } from "~/lib/db/embedded.server";
import { migrateDatabase } from "~/lib/db/migrate.server";

const dataDir = mkdtempSync(path.join(tmpdir(), "shopdesk-pglite-"));

describe("embedded PGlite database", () => {
  afterAll(async () => {
    await stopEmbeddedDatabase(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts one server per data folder however many callers race to start it", async () => {
    const [first, second, third] = await Promise.all([
      ensureEmbeddedDatabase(dataDir),
      ensureEmbeddedDatabase(dataDir),
      ensureEmbeddedDatabase(dataDir),
    ]);
    expect(second.pid).toBe(first.pid);
    expect(third.pid).toBe(first.pid);
    expect(isProcessAlive(first.pid)).toBe(true);
    // A later caller finds the running server rather than starting another.
    expect((await ensureEmbeddedDatabase(dataDir)).pid).toBe(first.pid);
  });

  it("refuses a second server process on the same folder", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx/esm", "scripts/db-server.ts", "--data-dir", dataDir], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain("already served by another process");
  });

  it("serves real PostgreSQL with pgvector to several clients, and runs the migrations", async () => {
    const { url } = readServerInfo(dataDir)!;
    const report = await migrateDatabase(url);
    expect(report.applied.length).toBeGreaterThan(0);
    const clients = Array.from({ length: 4 }, () => new pg.Client({ connectionString: url }));
    await Promise.all(clients.map((client) => client.connect()));
    try {
      const distances = await Promise.all(
        clients.map((client, index) =>
          client.query<{ distance: number }>(`SELECT ('[1,0,0]'::vector <=> $1::vector) AS distance`, [`[${index},1,0]`]),
        ),
      );
      expect(distances[0]!.rows[0]!.distance).toBeCloseTo(1, 5);
      expect(distances[1]!.rows[0]!.distance).toBeCloseTo(1 - Math.SQRT1_2, 5);
      const { rows } = await clients[0]!.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      expect(rows[0].n).toBe(report.applied.length);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it("keeps data across a restart", async () => {
    const before = readServerInfo(dataDir)!;
    const client = new pg.Client({ connectionString: before.url });
    await client.connect();
    await client.query(`CREATE TABLE IF NOT EXISTS kept (value text); INSERT INTO kept VALUES ('still here')`);
    await client.end();

    expect(await stopEmbeddedDatabase(dataDir)).toBe(true);
    expect(readServerInfo(dataDir)).toBeUndefined();
    const after = await ensureEmbeddedDatabase(dataDir);
    expect(after.pid).not.toBe(before.pid);
    const again = new pg.Client({ connectionString: after.url });
    await again.connect();
    const { rows } = await again.query(`SELECT value FROM kept`);
    await again.end();
    expect(rows).toEqual([{ value: "still here" }]);
  });
});
