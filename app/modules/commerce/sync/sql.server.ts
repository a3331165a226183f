import type { Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { withTransaction } from "~/lib/db/pool.server";

/**
 * The sync writers are plain SQL run through either driver: the plain pg pool (webhook processing, the demo
 * seed: Prisma 6 spends milliseconds of CPU compiling each query, pg a fraction of one) or Prisma (callers
 * already inside a Prisma transaction, such as a write-back that records a refund). One SQL text, two drivers.
 */

/** Where the writers may run: a pool or Prisma client (each write opens its own transaction), or a transaction. */
export type SyncDb = pg.Pool | pg.PoolClient | PrismaClient | Prisma.TransactionClient;

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

const isPrismaClient = (db: SyncDb): db is PrismaClient => typeof (db as Partial<PrismaClient>).$transaction === "function";
const isPrismaTransaction = (db: SyncDb): db is Prisma.TransactionClient => typeof (db as Partial<Prisma.TransactionClient>).$queryRawUnsafe === "function";

function pgSql(client: pg.PoolClient | pg.Pool): Sql {
  return { query: async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[] };
}

function prismaSql(tx: Prisma.TransactionClient): Sql {
  return { query: <T>(text: string, params: unknown[] = []) => tx.$queryRawUnsafe<T[]>(text, ...params) };
}

const TX_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;

/**
 * Runs `work` in a transaction: the caller's, when it passed one, else a new one. JIT is off inside: the
 * writers' statements are short, and on freshly filled tables (no statistics yet) the planner would spend
 * seconds compiling them.
 */
export async function inTransaction<T>(db: SyncDb, work: (sql: Sql) => Promise<T>): Promise<T> {
  if (db instanceof pg.Pool) return withTransaction((client) => work(pgSql(client)), db, ["jit = off"]);
  if (isPrismaClient(db)) {
    return db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL jit = off");
      return work(prismaSql(tx));
    }, TX_OPTIONS);
  }
  if (isPrismaTransaction(db)) return work(prismaSql(db));
  return work(pgSql(db));
}
