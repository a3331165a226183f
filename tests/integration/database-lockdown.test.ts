import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createClient } from "@supabase/supabase-js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { MIGRATIONS_DIR } from "~/lib/db/migrate.server";
import { type PostgrestServer, startPostgrestServer } from "../support/postgrest-server";
import { createTestShop, deleteTestShop } from "../support/shops";

/**
 * The Supabase lock-down (migration *_database_lockdown): Supabase's API roles `anon` and `authenticated` reach
 * no table and cannot call match_knowledge; only the service role searches knowledge; the app, connected as the
 * tables' owner, is unaffected. Checked as each role with SET LOCAL ROLE inside a transaction (on the embedded
 * database every connection shares one session, and a transaction keeps it to itself).
 */

const API_ROLES = ["anon", "authenticated"] as const;
const lockdownSql = readFileSync(
  path.join(MIGRATIONS_DIR, readdirSync(MIGRATIONS_DIR).find((name) => name.endsWith("_database_lockdown"))!, "migration.sql"),
  "utf8",
);

interface DatabaseError extends Error {
  code?: string;
}

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
let tables: string[] = [];
let shop: Awaited<ReturnType<typeof createTestShop>>;
const embedding = `[${Array.from({ length: 1536 }, (_, index) => (index === 7 ? 1 : 0)).join(",")}]`;

/** Runs `work` in a transaction that is always rolled back, so nothing it grants or changes survives. */
async function inRolledBackTransaction<T>(work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    return await work();
  } finally {
    await client.query("ROLLBACK");
  }
}

/** The error `sql` fails with (inside a savepoint, so the transaction goes on), or null when it succeeds. */
async function failureOf(sql: string, values: unknown[] = []): Promise<DatabaseError | null> {
  await client.query("SAVEPOINT probe");
  try {
    await client.query(sql, values);
    await client.query("RELEASE SAVEPOINT probe");
    return null;
  } catch (error) {
    await client.query("ROLLBACK TO SAVEPOINT probe");
    return error as DatabaseError;
  }
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const MATCH_CALL = `SELECT chunk_id FROM match_knowledge($1, $2::vector, 'returns', NULL, 5, NULL)`;

describe("database lock-down for Supabase's API roles", () => {
  beforeAll(async () => {
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
    );
    tables = rows.map((row) => row.name);
    shop = await createTestShop("Lockdown shop");
    const source = await prisma.knowledgeSource.create({
      data: { shopId: shop.id, kind: "policy", externalId: "returns", title: "Returns", body: "Returns within 30 days.", status: "published", contentHash: randomUUID(), publishedAt: new Date() },
    });
    const chunk = await prisma.knowledgeChunk.create({
      data: { shopId: shop.id, sourceId: source.id, kind: "policy", published: true, ordinal: 0, heading: "Returns", content: "Returns within 30 days.", tokenCount: 4, contentHash: randomUUID(), language: "en" },
    });
    await prisma.$executeRaw`UPDATE "KnowledgeChunk" SET embedding = ${embedding}::vector WHERE id = ${chunk.id}`;
  });

  afterAll(async () => {
    await deleteTestShop(shop.domain);
    await client.end();
  });

  it("has row-level security on every table in public, and FORCE on none (the app owns them)", async () => {
    expect(tables).toEqual(expect.arrayContaining(["Shop", "Session", "Message", "KnowledgeChunk", "_prisma_migrations"]));
    const { rows } = await client.query<{ name: string; enabled: boolean; forced: boolean }>(
      `SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
    );
    // A table listed here was added by a migration without `ALTER TABLE … ENABLE ROW LEVEL SECURITY`.
    expect(rows.filter((row) => !row.enabled).map((row) => row.name)).toEqual([]);
    expect(rows.filter((row) => row.forced).map((row) => row.name)).toEqual([]);
  });

  for (const role of API_ROLES) {
    it(`refuses ${role} every table in public: permission denied`, async () => {
      await inRolledBackTransaction(async () => {
        await client.query(`SET LOCAL ROLE ${role}`);
        const allowed: string[] = [];
        for (const table of tables) {
          const error = await failureOf(`SELECT 1 FROM public.${quote(table)} LIMIT 1`);
          if (error?.code !== "42501") allowed.push(`${table}: ${error?.message ?? "readable"}`);
          else expect(error.message).toBe(`permission denied for table ${table}`);
          const write = await failureOf(`DELETE FROM public.${quote(table)}`);
          if (write?.code !== "42501") allowed.push(`${table} (delete): ${write?.message ?? "allowed"}`);
        }
        expect(allowed).toEqual([]);
      });
    });
  }

  it("shows the API roles no rows and refuses their writes even when a table is granted to them (RLS)", async () => {
    await inRolledBackTransaction(async () => {
      // What Supabase's default privileges would do for a table created outside the migrations.
      await client.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO anon, authenticated`);
      const owned = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Shop"`);
      expect(owned.rows[0]!.n).toBeGreaterThan(0);
      await client.query(`SET LOCAL ROLE anon`);
      for (const table of tables) {
        const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.${quote(table)}`);
        expect({ table, rows: rows[0]!.n }).toEqual({ table, rows: 0 });
      }
      const insert = await failureOf(`INSERT INTO "Shop" (id, domain, name, "updatedAt") VALUES ($1, $2, 'Mallory', now())`, [randomUUID(), `mallory-${randomUUID().slice(0, 8)}.myshopify.com`]);
      expect(insert?.message).toMatch(/new row violates row-level security policy for table "Shop"/);
      const update = await client.query(`UPDATE "Shop" SET name = 'Mallory'`);
      expect(update.rowCount).toBe(0);
    });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).name).toBe("Lockdown shop");
  });

  it("revokes what Supabase grants by default, for existing tables and for tables created later", async () => {
    await inRolledBackTransaction(async () => {
      // Supabase's setup: everything in public granted to the API roles, now and by default later on.
      await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated`);
      await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated`);
      await client.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO anon, authenticated`);
      await client.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO anon, authenticated`);
      await client.query(`SET LOCAL ROLE anon`);
      expect(await failureOf(`SELECT 1 FROM "Shop" LIMIT 1`)).toBeNull();
      await client.query(`RESET ROLE`);

      await client.query(lockdownSql); // the migration again, as on a Supabase project
      await client.query(`CREATE TABLE public.lockdown_probe (id int)`);
      for (const role of API_ROLES) {
        await client.query(`SET LOCAL ROLE ${role}`);
        expect((await failureOf(`SELECT 1 FROM "Shop" LIMIT 1`))?.message).toBe("permission denied for table Shop");
        expect((await failureOf(`SELECT 1 FROM public.lockdown_probe`))?.message).toBe("permission denied for table lockdown_probe");
        expect((await failureOf(MATCH_CALL, [shop.id, embedding]))?.message).toBe("permission denied for function match_knowledge");
        await client.query(`RESET ROLE`);
      }
    });
  });

  it("lets only the service role (and the owner) execute match_knowledge", async () => {
    const { rows } = await client.query<{ signature: string; anon: boolean; authenticated: boolean; public_role: boolean; service: boolean }>(
      `SELECT p.oid::regprocedure::text AS signature,
              has_function_privilege('anon', p.oid, 'EXECUTE') AS anon,
              has_function_privilege('authenticated', p.oid, 'EXECUTE') AS authenticated,
              EXISTS (SELECT FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) acl
                      WHERE acl.grantee = 0 AND acl.privilege_type = 'EXECUTE') AS public_role,
              has_function_privilege('service_role', p.oid, 'EXECUTE') AS service
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.proname = 'match_knowledge'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toEqual({ signature: row.signature, anon: false, authenticated: false, public_role: false, service: true });

    await inRolledBackTransaction(async () => {
      for (const role of API_ROLES) {
        await client.query(`SET LOCAL ROLE ${role}`);
        expect((await failureOf(MATCH_CALL, [shop.id, embedding]))?.message).toBe("permission denied for function match_knowledge");
        await client.query(`RESET ROLE`);
      }
      await client.query(`SET LOCAL ROLE service_role`);
      const { rows: matches } = await client.query<{ chunk_id: string }>(MATCH_CALL, [shop.id, embedding]);
      expect(matches).toHaveLength(1);
      // The service role reads what the search needs, nothing else.
      expect((await failureOf(`SELECT 1 FROM "Session" LIMIT 1`))?.message).toBe("permission denied for table Session");
    });
  });

  it("serves knowledge search over PostgREST to the service key and refuses the anon key", async () => {
    const serviceRoleKey = `service-${randomUUID()}`;
    const anonKey = `anon-${randomUUID()}`;
    const server: PostgrestServer = await startPostgrestServer({ databaseUrl: process.env.DATABASE_URL!, serviceRoleKey, anonKey });
    try {
      const args = { p_shop_id: shop.id, p_query_embedding: embedding, p_query_text: "returns" };
      const asService = await createClient(server.url, serviceRoleKey, { auth: { persistSession: false } }).rpc("match_knowledge", args);
      expect(asService.error).toBeNull();
      expect((asService.data as { title: string }[]).map((row) => row.title)).toEqual(["Returns"]);
      const asAnon = await createClient(server.url, anonKey, { auth: { persistSession: false } }).rpc("match_knowledge", args);
      expect(asAnon.data).toBeNull();
      expect(asAnon.error).toMatchObject({ code: "42501", message: "permission denied for function match_knowledge" });
      expect(asAnon.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it("leaves the app's own connection (the owner, through Prisma) reading and writing every table it uses", async () => {
    const { rows } = await client.query<{ owner: string; me: string }>(
      `SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner, current_user AS me FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
    );
    expect(rows).toEqual([{ owner: rows[0]!.me, me: rows[0]!.me }]);
    const conversation = await prisma.conversation.create({ data: { shopId: shop.id, tokenHash: randomUUID(), language: "en" } });
    await prisma.message.create({ data: { shopId: shop.id, conversationId: conversation.id, author: "shopper", body: "Where is my order?" } });
    expect(await prisma.message.count({ where: { shopId: shop.id } })).toBe(1);
    const { rows: found } = await client.query<{ chunk_id: string }>(MATCH_CALL, [shop.id, embedding]);
    expect(found).toHaveLength(1);
  });
});
