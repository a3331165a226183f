import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffSchema } from "../support/schema-diff";

const schema = readFileSync("prisma/schema.prisma", "utf8");

describe("schema.prisma and the migrated database", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it("agree on every table, column, enum and index", async () => {
    expect(await diffSchema(schema, client)).toEqual([]);
  });

  it("would report a column added to schema.prisma without a migration", async () => {
    const edited = schema.replace(/(model Order \{\n)/, "$1  giftMessage String?\n");
    expect(edited).not.toBe(schema);
    expect(await diffSchema(edited, client)).toEqual([
      'column "Order"."giftMessage" is in schema.prisma but not in the database',
    ]);
  });

  it("would report a changed type, nullability, enum value and a missing index", async () => {
    const edited = schema
      .replace("  number            Int\n", "  number            BigInt\n")
      .replace("  reason      String?\n  processedAt", "  reason      String\n  processedAt")
      .replace("enum Priority {\n  low\n", "enum Priority {\n  lowest\n  low\n")
      .replace("  @@index([shopId, placedAt])\n", "  @@index([shopId, placedAt])\n  @@index([shopId, total])\n");
    const differences = await diffSchema(edited, client);
    expect(differences).toContain('column "Order"."number": schema says int8, database has int4');
    expect(differences).toContain('column "Refund"."reason": schema says NOT NULL, database disagrees');
    expect(differences.some((line) => line.startsWith('enum "Priority"'))).toBe(true);
    expect(differences).toContain("index Order(shopId,total) is in schema.prisma but not in the database");
  });
});
