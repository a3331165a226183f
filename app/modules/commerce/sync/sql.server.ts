import type { Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { prepared } from "~/lib/db/pool.server";

/**
 * The sync writers are plain SQL run through either driver: the plain pg pool (webhook processing, the demo
 * seed: Prisma 6 spends milliseconds of CPU compiling each query, pg a fraction of one) or Prisma (callers
 * already inside a Prisma transaction, such as a write-back that records a refund). One SQL text, two drivers.
 */

/** Where the writers may run: a pool or Prisma client (each write opens its own transaction), or a transaction. */
export type SyncDb = pg.Pool | pg.PoolClient | PrismaClient | Prisma.TransactionClient;

/**
 * Statements run in the order they are issued, also when a writer issues several before awaiting any answer.
 * On a pipelined pg connection (the app's pool on PostgreSQL, app/lib/db/pool.server.ts) those go out together
 * and cost one round trip; elsewhere each waits for the one before.
 */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Statement {
  text: string;
  params: unknown[];
}

/**
 * What a writer does in its transaction. An `allAtOnce` write issues every statement before awaiting any answer
 * (each decides what to write in SQL, from what the ones before it wrote), and it fails only through a statement:
 * its transaction's closing statements and COMMIT are then sent behind it in the same flight, and PostgreSQL
 * turns that COMMIT into a rollback when a statement before it failed.
 */
export interface SyncWrite<T> {
  allAtOnce: boolean;
  issue(sql: Sql): Promise<T>;
}

/** A write that awaits answers as it goes (it reads before deciding what to write). */
export const stepwise = <T>(issue: (sql: Sql) => Promise<T>): SyncWrite<T> => ({ allAtOnce: false, issue });

/**
 * Awaits statements issued together and answers their rows in issue order; throws the first failure (the
 * statements behind a failed one fail only because its transaction is aborted).
 */
export async function answersInOrder<T extends unknown[][]>(pending: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(pending);
  const failed = settled.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown[]>).value) as T;
}

const isPrismaClient = (db: SyncDb): db is PrismaClient => typeof (db as Partial<PrismaClient>).$transaction === "function";
const isPrismaTransaction = (db: SyncDb): db is Prisma.TransactionClient => typeof (db as Partial<Prisma.TransactionClient>).$queryRawUnsafe === "function";

/** Issue order kept by waiting for the statement before (for drivers that must not be sent a second query while one runs). */
function oneAtATime(send: (text: string, params: unknown[]) => Promise<unknown[]>): Sql {
  let previous: Promise<unknown> = Promise.resolve();
  return {
    query: <T>(text: string, params: unknown[] = []) => {
      const answer = previous.then(() => send(text, params)) as Promise<T[]>;
      previous = answer.catch(() => {});
      return answer;
    },
  };
}

/** Whether statements issued on `client` before the one before is answered go out at once (else they must wait). */
export const isPipelined = (client: pg.PoolClient) => (client as unknown as pg.Client).pipeline;

function pgSql(client: pg.PoolClient): Sql {
  const send = async (text: string, params: unknown[]) => (await client.query(params.length ? prepared(text, params) : text)).rows;
  return isPipelined(client) ? { query: <T>(text: string, params: unknown[] = []) => send(text, params) as Promise<T[]> } : oneAtATime(send);
}

const prismaSql = (tx: Prisma.TransactionClient): Sql => oneAtATime((text, params) => tx.$queryRawUnsafe<unknown[]>(text, ...params));

const TX_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;

export interface RunOptions {
  /** SET LOCAL for a transaction the write opens itself; default `jit = off`. */
  settings?: string[];
  /** Statements run after the write's own, in its transaction (a caller's bookkeeping, committed with the write). */
  closing?: Statement[];
}

/**
 * Runs `write` in a transaction: the caller's, when it passed one, else a new one. JIT is off inside: the
 * writers' statements are short, and on freshly filled tables (no statistics yet) the planner would spend
 * seconds compiling them.
 */
export async function runWrite<T>(db: SyncDb, write: SyncWrite<T>, options: RunOptions = {}): Promise<T> {
  const settings = options.settings ?? ["jit = off"];
  const closing = options.closing ?? [];
  const withClosing = async (sql: Sql) => {
    const result = write.issue(sql);
    if (!write.allAtOnce) await result;
    const closed = closing.map((statement) => sql.query(statement.text, statement.params));
    return (await answersInOrder([result.then((value) => [value]), ...closed]))[0]![0] as T;
  };
  if (db instanceof pg.Pool) {
    const client = await db.connect();
    try {
      return await inOneWrite(client, () => transactionOn(client, write, options));
    } finally {
      client.release();
    }
  }
  if (isPrismaClient(db)) {
    return db.$transaction(async (tx) => {
      for (const setting of settings) await tx.$executeRawUnsafe(`SET LOCAL ${setting}`);
      return withClosing(prismaSql(tx));
    }, TX_OPTIONS);
  }
  if (isPrismaTransaction(db)) return withClosing(prismaSql(db));
  return withClosing(pgSql(db));
}

/**
 * Sends what `issue` sends before its first await in one write to the socket (pg writes each statement apart):
 * on a pipelined connection, one system call and one wake-up of the server for a whole transaction, or several.
 */
export function inOneWrite<R>(client: pg.PoolClient, issue: () => R): R {
  const socket = (client as unknown as pg.Client).connection.stream;
  socket.cork();
  try {
    return issue();
  } finally {
    socket.uncork();
  }
}

/**
 * `write` in a transaction of its own on `client` (a pool connection the caller holds). BEGIN (with the
 * settings) goes out with the write's first statements; for an all-at-once write the closing statements and
 * COMMIT too, before any answer is awaited: on a pipelined connection the whole transaction is one round trip,
 * and several such transactions issued one after the other go out back to back (on a connection that is not
 * pipelined, wait for one before issuing the next). Each settles on its own: a failed statement makes PostgreSQL
 * roll its transaction back at that COMMIT, and the next one starts clean.
 */
export function transactionOn<T>(client: pg.PoolClient, write: SyncWrite<T>, options: RunOptions = {}): Promise<T> {
  const sql = pgSql(client);
  const closing = options.closing ?? [];
  const begun = sql.query(["BEGIN", ...(options.settings ?? ["jit = off"]).map((setting) => `SET LOCAL ${setting}`)].join("; "));
  const result = write.issue(sql).then((value) => [value]);
  const end = () => [...closing.map((statement) => sql.query(statement.text, statement.params)), sql.query("COMMIT")];
  if (write.allAtOnce) return answersInOrder([begun, result, ...end()]).then(([, [value]]) => value as T);
  return (async () => {
    try {
      await answersInOrder([begun, result]);
      const [[value]] = await answersInOrder([result, ...inOneWrite(client, end)]);
      return value as T;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  })();
}
