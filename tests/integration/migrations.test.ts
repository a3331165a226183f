import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMigrations, migrateDatabase } from "~/lib/db/migrate.server";

const url = process.env.DATABASE_URL!;

describe("migration runner", () => {
  const client = new pg.Client({ connectionString: url });
  beforeAll(() => client.connect());
  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS "runner_probe"`);
    await client.query(`DELETE FROM "_prisma_migrations" WHERE migration_name LIKE '2099%'`);
    await client.end();
  });

  it("keeps Prisma's ledger with sha256 checksums of each migration file", async () => {
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE migration_name NOT LIKE '2099%' ORDER BY migration_name`,
    );
    const files = listMigrations();
    expect(rows.map((row) => row.migration_name)).toEqual(files.map((file) => file.name));
    for (const file of files) {
      const row = rows.find((candidate) => candidate.migration_name === file.name)!;
      expect(row.checksum).toBe(createHash("sha256").update(file.sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
    }
  });

  it("applies new migrations once, and rolls back a failing one without recording it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "migrations-"));
    for (const file of listMigrations()) {
      mkdirSync(path.join(dir, file.name));
      writeFileSync(path.join(dir, file.name, "migration.sql"), file.sql);
    }
    mkdirSync(path.join(dir, "20990101000000_probe"));
    writeFileSync(path.join(dir, "20990101000000_probe", "migration.sql"), `CREATE TABLE "runner_probe" (id int);`);

    const first = await migrateDatabase(url, { dir });
    expect(first.applied).toEqual(["20990101000000_probe"]);
    const second = await migrateDatabase(url, { dir });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toContain("20990101000000_probe");

    mkdirSync(path.join(dir, "20990102000000_broken"));
    writeFileSync(
      path.join(dir, "20990102000000_broken", "migration.sql"),
      `CREATE TABLE "runner_probe_two" (id int); SELECT * FROM "no_such_table";`,
    );
    await expect(migrateDatabase(url, { dir })).rejects.toThrow(/20990102000000_broken failed/);
    const { rows } = await client.query(`SELECT to_regclass('"runner_probe_two"') AS table_name`);
    expect(rows[0].table_name).toBeNull();
    const ledger = await client.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '20990102000000_broken'`);
    expect(ledger.rowCount).toBe(0);
  });

  it("reports a migration edited after it was applied", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "migrations-"));
    for (const file of listMigrations()) {
      mkdirSync(path.join(dir, file.name));
      writeFileSync(path.join(dir, file.name, "migration.sql"), `${file.sql}\n-- edited`);
    }
    const report = await migrateDatabase(url, { dir });
    expect(report.modified).toEqual(listMigrations().map((file) => file.name));
  });
});
