import { createHash } from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { getPool, namedStatementsAllowed, withTransaction } from "~/lib/db/pool.server";

/**
 * The inbox reads with hand-written SQL (keyset pages, FILTER counts, full-text search). Every statement is
 * parameterised ($1…) and assembled from fixed fragments only; input never becomes SQL text. Results are cast
 * in SQL to types every driver returns alike (int, float8, text for money).
 *
 * `db` may be the Prisma client, a Prisma transaction, the pg pool or a pg client:
 * - the Prisma client or the pool: the reads run on the plain pool (same DATABASE_URL) in a short transaction
 *   with parallel query and JIT off (worker start-up and compilation cost more than these millisecond
 *   statements; under load, parallel plans took 200 ms where the serial one took 8), as statements prepared
 *   by name (not on the embedded database: see namedStatementsAllowed), so each connection plans a statement
 *   once and the Prisma client's per-query overhead is avoided;
 * - a transaction or a client the caller holds: the reads run there as they are (they see its writes).
 */
export type InboxDb = PrismaClient | Prisma.TransactionClient | pg.Pool | pg.PoolClient | pg.Client;

export type RunSql = <T>(text: string, params: unknown[]) => Promise<T[]>;

const READ_SETTINGS = ["max_parallel_workers_per_gather = 0", "jit = off", "plan_cache_mode = force_custom_plan"];

const statementNames = new Map<string, string>();
function statementName(text: string) {
  let name = statementNames.get(text);
  if (!name) {
    name = `inbox_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

function onClient(client: pg.PoolClient | pg.Client, named: boolean): RunSql {
  return async <T>(text: string, params: unknown[]) =>
    (await client.query(named ? { name: statementName(text), text, values: params } : { text, values: params })).rows as T[];
}

/** Runs `work` with a function that executes statements on the right connection for `db` (see above). */
export async function inboxRead<T>(db: InboxDb, work: (run: RunSql) => Promise<T>): Promise<T> {
  const named = namedStatementsAllowed();
  if (db instanceof pg.Pool) return withTransaction((client) => work(onClient(client, named)), db, READ_SETTINGS);
  if ("$transaction" in db) return withTransaction((client) => work(onClient(client, named)), getPool(), READ_SETTINGS);
  if ("$queryRawUnsafe" in db) {
    const tx = db;
    return work(<R>(text: string, params: unknown[]) => tx.$queryRawUnsafe<R[]>(text, ...params));
  }
  return work(onClient(db, false));
}

/** Collects parameters while a statement is assembled from fixed fragments: `sql.param(value)` → "$n". */
export class SqlParams {
  readonly values: unknown[] = [];

  param(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

export const iso = (value: Date | string | null | undefined): string | null => (value == null ? null : new Date(value).toISOString());
