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

describe("embedded PGlite under concurrent clients", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "shopdesk-pglite-concurrency-"));
  afterAll(async () => {
    await stopEmbeddedDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps each connection's extended-protocol exchanges and transactions apart", async () => {
    const { url } = await ensureEmbeddedDatabase(dir);
    const pools = [new pg.Pool({ connectionString: url, max: 6 }), new pg.Pool({ connectionString: url, max: 6 })];
    try {
      await pools[0]!.query("CREATE TABLE IF NOT EXISTS counters (id int PRIMARY KEY, value int NOT NULL)");
      await pools[0]!.query("INSERT INTO counters VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET value = 0");
      // Parameterised statements of different shapes and large payloads (split across TCP reads), from 12
      // connections at once: a mixed-up unnamed statement would return the wrong row or fail to bind.
      const results = await Promise.all(
        Array.from({ length: 120 }, async (_, index) => {
          const pool = pools[index % 2]!;
          if (index % 3 === 0) {
            const payload = "x".repeat(20_000 + index);
            const { rows } = await pool.query("SELECT length($1::text) AS n, $2::int AS i", [payload, index]);
            return rows[0].n === payload.length && rows[0].i === index;
          }
          if (index % 3 === 1) {
            const { rows } = await pool.query("SELECT $1::int + $2::int + $3::int AS sum", [index, 1, 2]);
            return rows[0].sum === index + 3;
          }
          // A transaction holds the session until it ends; others wait rather than run inside it.
          const client = await pool.connect();
          try {
            await client.query("BEGIN");
            const { rows } = await client.query("SELECT value FROM counters WHERE id = 1");
            await client.query("UPDATE counters SET value = $1 WHERE id = 1", [rows[0].value + 1]);
            await client.query("COMMIT");
            return true;
          } finally {
            client.release();
          }
        }),
      );
      expect(results.every(Boolean)).toBe(true);
      const { rows } = await pools[1]!.query("SELECT value FROM counters WHERE id = 1");
      expect(rows[0].value).toBe(40); // no lost update: each read-modify-write ran alone
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});
