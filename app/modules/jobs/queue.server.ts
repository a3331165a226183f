import { randomUUID } from "node:crypto";
import { type Job, Prisma, type PrismaClient } from "@prisma/client";
import { getEnv } from "~/env.server";
import { getPool } from "~/lib/db/pool.server";

/**
 * A durable job queue in PostgreSQL: webhook processing, embeddings, backfills, write-backs. At least once:
 * a job may run again after a crash or a timeout, so handlers are idempotent (or finish in their own
 * transaction, JOB_FINISHED).
 *
 * - Claiming: FOR UPDATE SKIP LOCKED, so any number of workers share the queue and never get the same job;
 *   a claim counts an attempt and stamps the job with its worker and a heartbeat.
 * - Liveness: while a batch is in hand its worker refreshes the batch's `heartbeatAt` every staleAfter/4.
 *   A running job whose heartbeat is older than staleAfter (JOB_STALE_AFTER_SECONDS) belongs to a worker that
 *   died or froze: the sweep (releaseStaleJobs) re-queues it with backoff, or dead-letters it once it has had
 *   its attempts, so a job that crashes its process cannot loop forever. Jobs claimed in the same batch that
 *   had not started get their attempt back.
 * - Timeouts: each job name has a time limit without progress (JobDefinition.timeoutMs, default 5 minutes);
 *   a long job shows progress with context.heartbeat(), which restarts the limit. A run over its limit is
 *   aborted (context.signal) and counts as a failed attempt.
 * - Dead letter: a job out of attempts stays `failed` with `lastError` and `lastErrorAt` until it is retried
 *   (dead-letter.server.ts, `npm run cli -- jobs failed|retry|retry-all`).
 */

export interface JobContext {
  /**
   * Shows progress: restarts the job's time limit and refreshes its heartbeat. Throws JobLostError when the job
   * is no longer this worker's (it timed out, or a sweep gave it to another worker): the handler should stop.
   */
  heartbeat(): Promise<void>;
  /** Aborted when the run times out. */
  signal: AbortSignal;
}

export type JobHandler = (job: Job, context: JobContext) => Promise<unknown>;

/** A handler with its time limit: how long a run may go without calling context.heartbeat(). */
export interface JobDefinition {
  run: JobHandler;
  timeoutMs?: number;
}

export type JobHandlers = Record<string, JobHandler | JobDefinition>;

export const DEFAULT_JOB_TIMEOUT_MS = 5 * 60_000;

/**
 * A handler returns this when it marked its job succeeded itself, in the same transaction as its work (see
 * FINISH_JOB_SQL): the worker then skips its own update.
 */
export const JOB_FINISHED = Symbol("job finished by its handler");

/**
 * The statement that marks a job succeeded ($1 = job id), for handlers that finish inside their transaction.
 * Only a running job: one that timed out or was swept meanwhile stays as the queue left it (it runs again).
 */
export const FINISH_JOB_SQL = `UPDATE "Job" SET "status" = 'succeeded', "finishedAt" = now(), "lockedAt" = NULL WHERE "id" = $1 AND "status" = 'running'`;

export class JobTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out: no progress for ${timeoutMs / 1000} s`);
    this.name = "JobTimeoutError";
  }
}

/** The job is no longer held by this worker (timed out, or swept as stale and handed to another). */
export class JobLostError extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} is no longer held by this worker`);
    this.name = "JobLostError";
  }
}

const RETRY_BASE_SECONDS = 5;
const RETRY_MAX_SECONDS = 3600;
const ERROR_MAX_CHARS = 2_000;

/** Exponential backoff after a failed attempt: 10 s, 20 s, 40 s … capped at an hour. */
export function retryDelayMs(attempts: number) {
  return Math.min(2 ** attempts * RETRY_BASE_SECONDS, RETRY_MAX_SECONDS) * 1_000;
}

/** How long a running job may go without a heartbeat before it counts as abandoned (JOB_STALE_AFTER_SECONDS). */
export function staleAfterMs() {
  return getEnv().JOB_STALE_AFTER_SECONDS * 1_000;
}

function definitionOf(handler: JobHandler | JobDefinition): JobDefinition {
  return typeof handler === "function" ? { run: handler } : handler;
}

function errorText(error: unknown) {
  return (error instanceof Error ? error.message : String(error)).slice(0, ERROR_MAX_CHARS);
}

export async function enqueueJob(
  db: PrismaClient | Prisma.TransactionClient,
  job: {
    name: string;
    payload?: Prisma.InputJsonValue;
    shopId?: string | null;
    dedupeKey?: string;
    queue?: string;
    runAt?: Date;
    maxAttempts?: number;
  },
): Promise<string | null> {
  // ON CONFLICT DO NOTHING: a job with the same dedupe key already waiting or running wins.
  const rows = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "Job" ("id", "shopId", "queue", "name", "payload", "dedupeKey", "runAt", "maxAttempts")
    VALUES (${randomUUID()}, ${job.shopId ?? null}, ${job.queue ?? "default"}, ${job.name},
            ${JSON.stringify(job.payload ?? {})}::jsonb, ${job.dedupeKey ?? null}, ${job.runAt ?? new Date()}, ${job.maxAttempts ?? 5})
    ON CONFLICT DO NOTHING
    RETURNING "id"`;
  return rows[0]?.id ?? null;
}

/** Orders a batch the way its worker runs it (and the way releaseStaleJobs ranks it): runAt, then id. */
function byRunOrder(a: Job, b: Job) {
  return a.runAt.getTime() - b.runAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export async function claimJobs(
  db: PrismaClient,
  options: { names: string[]; workerId: string; limit?: number; queue?: string; shopId?: string },
) {
  if (options.names.length === 0) return [];
  const jobs = await db.$queryRaw<Job[]>`
    UPDATE "Job" SET "status" = 'running', "lockedAt" = now(), "heartbeatAt" = now(), "lockedBy" = ${options.workerId}, "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "Job"
      WHERE "queue" = ${options.queue ?? "default"} AND "status" = 'queued' AND "runAt" <= now()
        AND "name" = ANY(${options.names}::text[])
        ${options.shopId ? Prisma.sql`AND "shopId" = ${options.shopId}` : Prisma.empty}
      ORDER BY "runAt", "id" COLLATE "C" LIMIT ${options.limit ?? 10}
      FOR UPDATE SKIP LOCKED)
    RETURNING *`;
  return jobs.sort(byRunOrder);
}

// The guards every worker-side write carries: the job is still running under this worker's claim.
const HELD = `"id" = $1 AND "status" = 'running' AND "lockedBy" = $2 AND "attempts" = $3`;
const SUCCEEDED = `UPDATE "Job" SET "status" = 'succeeded', "finishedAt" = now(), "lockedAt" = NULL WHERE ${HELD}`;
const FAILED = `
  UPDATE "Job" SET
    "status" = (CASE WHEN "attempts" >= "maxAttempts" THEN 'failed' ELSE 'queued' END)::"JobStatus",
    "lastError" = $4, "lastErrorAt" = now(),
    "finishedAt" = CASE WHEN "attempts" >= "maxAttempts" THEN now() END,
    "runAt" = CASE WHEN "attempts" >= "maxAttempts" THEN "runAt" ELSE now() + $5::float8 * interval '1 millisecond' END,
    "lockedAt" = NULL, "lockedBy" = NULL, "heartbeatAt" = NULL
  WHERE ${HELD}
  RETURNING "status"`;
const TOUCH_ONE = `UPDATE "Job" SET "heartbeatAt" = now() WHERE ${HELD}`;
const TOUCH_BATCH = `UPDATE "Job" SET "heartbeatAt" = now() WHERE "id" = ANY($1::text[]) AND "status" = 'running' AND "lockedBy" = $2`;
// Given back without having started: the claim's attempt is returned.
const RELEASE_UNSTARTED = `
  UPDATE "Job" SET "status" = 'queued', "attempts" = "attempts" - 1, "lockedAt" = NULL, "lockedBy" = NULL, "heartbeatAt" = NULL
  WHERE "id" = ANY($1::text[]) AND "status" = 'running' AND "lockedBy" = $2`;

/**
 * Jobs whose worker stopped sending heartbeats (it died, or its event loop froze). A worker runs its batch in
 * order (runAt, id), so among one worker's stale jobs the first was the one running: it keeps its attempt and
 * is re-queued with backoff, or dead-lettered when that was its last; the others never started and go back
 * as they were. Locks in id order, so two sweeps wait for each other instead of splitting a batch.
 */
const SWEEP_STALE = `
  WITH stale AS (
    SELECT "id", "runAt", "lockedBy", "attempts", "maxAttempts", "heartbeatAt" FROM "Job"
    WHERE "status" = 'running' AND COALESCE("heartbeatAt", "lockedAt") < now() - $1::float8 * interval '1 millisecond'
    ORDER BY "id" FOR UPDATE
  ), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY "lockedBy" ORDER BY "runAt", "id" COLLATE "C") = 1 AS "started" FROM stale
  )
  UPDATE "Job" AS j SET
    "status" = (CASE WHEN r."started" AND r."attempts" >= r."maxAttempts" THEN 'failed' ELSE 'queued' END)::"JobStatus",
    "attempts" = CASE WHEN r."started" THEN r."attempts" ELSE r."attempts" - 1 END,
    "lastError" = CASE WHEN r."started"
      THEN 'worker ' || COALESCE(r."lockedBy", '?') || ' stopped responding: no heartbeat since '
           || to_char(COALESCE(r."heartbeatAt", j."lockedAt") AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
      ELSE j."lastError" END,
    "lastErrorAt" = CASE WHEN r."started" THEN now() ELSE j."lastErrorAt" END,
    "finishedAt" = CASE WHEN r."started" AND r."attempts" >= r."maxAttempts" THEN now() END,
    "runAt" = CASE WHEN r."started" AND r."attempts" < r."maxAttempts"
      THEN now() + LEAST(power(2, r."attempts") * ${RETRY_BASE_SECONDS}, ${RETRY_MAX_SECONDS}) * interval '1 second'
      ELSE j."runAt" END,
    "lockedAt" = NULL, "lockedBy" = NULL, "heartbeatAt" = NULL
  FROM ranked r WHERE j."id" = r."id"
  RETURNING j."id", j."name", j."status"::text AS "status", r."started"`;

export interface StaleSweep {
  /** Re-queued after their worker died mid-run (the attempt counts). */
  requeued: number;
  /** Out of attempts: dead-lettered. */
  deadLettered: number;
  /** Claimed by the dead worker but never started: back in the queue as they were. */
  returned: number;
}

/** Puts back (or dead-letters) jobs whose worker died while holding them. */
export async function releaseStaleJobs(db: PrismaClient, options: { staleAfterMs?: number } = {}): Promise<StaleSweep> {
  const rows = await db.$queryRawUnsafe<{ id: string; name: string; status: string; started: boolean }[]>(SWEEP_STALE, options.staleAfterMs ?? staleAfterMs());
  const sweep: StaleSweep = { requeued: 0, deadLettered: 0, returned: 0 };
  for (const row of rows) {
    if (!row.started) sweep.returned++;
    else if (row.status === "failed") {
      sweep.deadLettered++;
      console.error(`[jobs] ${row.name} ${row.id} dead-lettered: its worker stopped responding on its last attempt`);
    } else sweep.requeued++;
  }
  return sweep;
}

/** Runs one claimed job under its time limit and records the outcome, unless the job was taken away meanwhile. */
async function runJob(job: Job, definition: JobDefinition, workerId: string) {
  const pool = getPool();
  const held = [job.id, workerId, job.attempts];
  const timeoutMs = definition.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const controller = new AbortController();
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  let expire: (error: JobTimeoutError) => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    expire = reject;
  });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => expire(new JobTimeoutError(timeoutMs)), timeoutMs);
  };
  const context: JobContext = {
    signal: controller.signal,
    heartbeat: async () => {
      if (settled || controller.signal.aborted) throw new JobLostError(job.id);
      const { rowCount } = await pool.query(TOUCH_ONE, held);
      if (!rowCount) throw new JobLostError(job.id);
      if (!settled) arm();
    },
  };
  arm();
  try {
    // Promise.race listens to both, so a handler that fails after its timeout rejects into nothing.
    const result = await Promise.race([Promise.resolve().then(() => definition.run(job, context)), expired]);
    if (result !== JOB_FINISHED) await pool.query(SUCCEEDED, held);
  } catch (error) {
    if (error instanceof JobTimeoutError) controller.abort(error);
    const message = errorText(error);
    const { rows } = await pool.query<{ status: string }>(FAILED, [...held, message, retryDelayMs(job.attempts)]);
    const outcome = rows[0] ? (rows[0].status === "failed" ? "dead-lettered" : "will retry") : "no longer held here";
    console.error(`[jobs] ${job.name} ${job.id} failed (attempt ${job.attempts} of ${job.maxAttempts}, ${outcome}): ${message}`);
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}

/**
 * Claims and runs one batch, one job at a time; returns how many jobs ran. `shouldStop` is asked before each
 * job: when it says yes, the rest of the batch goes back to the queue unstarted (their attempts returned).
 */
export async function runJobsOnce(
  db: PrismaClient,
  handlers: JobHandlers,
  options: { workerId?: string; queue?: string; shopId?: string; limit?: number; heartbeatMs?: number; shouldStop?: () => boolean } = {},
) {
  const workerId = options.workerId ?? `worker-${process.pid}`;
  const jobs = await claimJobs(db, { names: Object.keys(handlers), workerId, queue: options.queue, shopId: options.shopId, limit: options.limit });
  if (jobs.length === 0) return 0;
  const pool = getPool();
  const inHand = new Set(jobs.map((job) => job.id));
  const beat = setInterval(
    () => void pool.query(TOUCH_BATCH, [[...inHand], workerId]).catch((error) => console.error("[jobs] heartbeat failed:", errorText(error))),
    options.heartbeatMs ?? staleAfterMs() / 4,
  );
  let ran = 0;
  try {
    for (const job of jobs) {
      if (options.shouldStop?.()) {
        await pool.query(RELEASE_UNSTARTED, [[...inHand], workerId]);
        break;
      }
      await runJob(job, definitionOf(handlers[job.name]!), workerId);
      inHand.delete(job.id);
      ran++;
    }
  } finally {
    clearInterval(beat);
  }
  return ran;
}

/**
 * Polls the queue until stopped, sweeping stale jobs every staleAfter/4. The returned stop function resolves
 * once the job in hand is finished (the rest of its batch goes back unstarted), so a worker shut down with
 * SIGTERM leaves no job half-done; a killed one's job is swept as stale and counted as an attempt.
 */
export function startJobWorker(db: PrismaClient, handlers: JobHandlers, options: { intervalMs?: number; workerId?: string; staleAfterMs?: number } = {}) {
  const workerId = options.workerId ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  const stale = options.staleAfterMs ?? staleAfterMs();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let lastSweep = 0;
  const tick = async () => {
    try {
      if (Date.now() - lastSweep >= stale / 4) {
        lastSweep = Date.now();
        await releaseStaleJobs(db, { staleAfterMs: stale });
      }
      const runOptions = { workerId, heartbeatMs: stale / 4, shouldStop: () => stopped };
      while (!stopped && (await runJobsOnce(db, handlers, runOptions)) > 0) {}
    } catch (error) {
      console.error("[jobs] worker error:", errorText(error));
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), options.intervalMs ?? 1_000);
  };
  timer = setTimeout(() => (running = tick()), 0);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
