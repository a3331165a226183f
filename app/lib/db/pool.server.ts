import { createHash } from "node:crypto";
import pg from "pg";

/**
 * A plain node-postgres pool beside the Prisma client, for the hot paths that run thousands of times a
 * second (webhook intake, the sync writers): Prisma 6's client engine spends milliseconds of CPU compiling each
 * query, a prepared pg query a fraction of one. Same DATABASE_URL, so the same database and transactions rules.
 */

declare global {
  var __shopdeskPool: pg.Pool | undefined;
}

let pool: pg.Pool | undefined = globalThis.__shopdeskPool;

export function getPool(): pg.Pool {
  if (!pool) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set: call prepareDatabase() (app/lib/db/prepare.server.ts) before using the database");
    // Pipelined on PostgreSQL: statements a caller issues without awaiting the one before go out together, one
    // round trip instead of one each (the sync writers send a whole order's transaction so). A connection still
    // runs them in order, each with its own Sync, so code that awaits each statement sees no difference. The
    // embedded server's sessions are not separate connections (see namedStatementsAllowed): there it is off.
    pool = new pg.Pool({ connectionString, max: Number(process.env.DATABASE_POOL_SIZE ?? 10), pipeline: namedStatementsAllowed() });
    // An idle client that loses its connection (database restart) must not crash the process.
    pool.on("error", (error) => console.error("[db] idle connection error:", error.message));
    if (process.env.NODE_ENV !== "production") globalThis.__shopdeskPool = pool;
  }
  return pool;
}

/**
 * Whether statements may be prepared by name. The embedded database (PGlite) shares one session between all
 * connections, so a name prepared by one connection is taken for every other ("already exists").
 */
export function namedStatementsAllowed(): boolean {
  return process.env.SHOPDESK_EMBEDDED_DATABASE !== "1";
}

const statementNames = new Map<string, string>();

/**
 * A statement sent thousands of times (webhook processing, the sync writers, an assistant turn's reads), as a
 * query prepared by name once per connection: PostgreSQL parses it once and, after a few runs, keeps a generic
 * plan, which saves most of its cost. The embedded server shares one session between connections, so there
 * statements stay unnamed.
 */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  if (!namedStatementsAllowed()) return { text, values };
  let name = statementNames.get(text);
  if (!name) {
    name = `q-${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

export async function closePool() {
  const closing = pool;
  pool = undefined;
  globalThis.__shopdeskPool = undefined;
  if (closing) await closing.end();
}

/**
 * Runs `work` in one transaction on one connection; rolls back on any error. `settings` are SET LOCAL for
 * the transaction (e.g. "jit = off"), sent with the BEGIN in one round trip.
 */
export async function withTransaction<T>(work: (client: pg.PoolClient) => Promise<T>, on: pg.Pool = getPool(), settings: string[] = []): Promise<T> {
  const client = await on.connect();
  try {
    await client.query(["BEGIN", ...settings.map((setting) => `SET LOCAL ${setting}`)].join("; "));
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
