import { randomUUID } from "node:crypto";
import { type Job, Prisma, type PrismaClient } from "@prisma/client";
import { getPool } from "~/lib/db/pool.server";

/**
 * A durable job queue in PostgreSQL: webhook processing, embeddings, backfills. Workers claim jobs with
 * FOR UPDATE SKIP LOCKED, so several processes can share a queue; failures retry with exponential backoff.
 */

export type JobHandler = (job: Job) => Promise<unknown>;

/**
 * A handler returns this when it marked its job succeeded itself, in the same transaction as its work (see
 * FINISH_JOB_SQL): the worker then skips its own update.
 */
export const JOB_FINISHED = Symbol("job finished by its handler");

/** The statement that marks a job succeeded ($1 = job id), for handlers that finish inside their transaction. */
export const FINISH_JOB_SQL = `UPDATE "Job" SET "status" = 'succeeded', "finishedAt" = now(), "lockedAt" = NULL WHERE "id" = $1`;
export type JobHandlers = Record<string, JobHandler>;

const STALE_LOCK_MINUTES = 10;

export async function enqueueJob(
  db: PrismaClient | Prisma.TransactionClient,
  job: { name: string; payload?: Prisma.InputJsonValue; shopId?: string | null; dedupeKey?: string; queue?: string; runAt?: Date },
): Promise<string | null> {
  // ON CONFLICT DO NOTHING: a job with the same dedupe key already waiting or running wins.
  const rows = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "Job" ("id", "shopId", "queue", "name", "payload", "dedupeKey", "runAt")
    VALUES (${randomUUID()}, ${job.shopId ?? null}, ${job.queue ?? "default"}, ${job.name},
            ${JSON.stringify(job.payload ?? {})}::jsonb, ${job.dedupeKey ?? null}, ${job.runAt ?? new Date()})
    ON CONFLICT DO NOTHING
    RETURNING "id"`;
  return rows[0]?.id ?? null;
}

export async function claimJobs(
  db: PrismaClient,
  options: { names: string[]; workerId: string; limit?: number; queue?: string; shopId?: string },
) {
  if (options.names.length === 0) return [];
  return db.$queryRaw<Job[]>`
    UPDATE "Job" SET "status" = 'running', "lockedAt" = now(), "lockedBy" = ${options.workerId}, "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "Job"
      WHERE "queue" = ${options.queue ?? "default"} AND "status" = 'queued' AND "runAt" <= now()
        AND "name" = ANY(${options.names}::text[])
        ${options.shopId ? Prisma.sql`AND "shopId" = ${options.shopId}` : Prisma.empty}
      ORDER BY "runAt" LIMIT ${options.limit ?? 10}
      FOR UPDATE SKIP LOCKED)
    RETURNING *`;
}

export function retryDelayMs(attempts: number) {
  return Math.min(2 ** attempts * 5_000, 60 * 60_000);
}

async function finishJob(db: PrismaClient, job: Job, error?: unknown) {
  if (!error) {
    // Every job ends here: the plain pg pool, not a Prisma query compiled each time.
    await getPool().query(FINISH_JOB_SQL, [job.id]);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  const exhausted = job.attempts >= job.maxAttempts;
  await db.job.update({
    where: { id: job.id },
    data: exhausted
      ? { status: "failed", lastError: message, finishedAt: new Date(), lockedAt: null }
      : { status: "queued", lastError: message, lockedAt: null, runAt: new Date(Date.now() + retryDelayMs(job.attempts)) },
  });
}

/** Puts back jobs whose worker died while running them. */
export async function releaseStaleJobs(db: PrismaClient) {
  const before = new Date(Date.now() - STALE_LOCK_MINUTES * 60_000);
  const { count } = await db.job.updateMany({
    where: { status: "running", lockedAt: { lt: before } },
    data: { status: "queued", lockedAt: null, lockedBy: null },
  });
  return count;
}

/** Claims and runs one batch; returns how many jobs ran. */
export async function runJobsOnce(
  db: PrismaClient,
  handlers: JobHandlers,
  options: { workerId?: string; queue?: string; shopId?: string; limit?: number } = {},
) {
  const workerId = options.workerId ?? `worker-${process.pid}`;
  const jobs = await claimJobs(db, { names: Object.keys(handlers), workerId, queue: options.queue, shopId: options.shopId, limit: options.limit });
  for (const job of jobs) {
    try {
      if ((await handlers[job.name]!(job)) !== JOB_FINISHED) await finishJob(db, job);
    } catch (error) {
      console.error(`[jobs] ${job.name} ${job.id} failed (attempt ${job.attempts}):`, error instanceof Error ? error.message : error);
      await finishJob(db, job, error);
    }
  }
  return jobs.length;
}

/**
 * Polls the queue until stopped. The returned stop function resolves once the batch in hand is finished, so a
 * worker shut down with SIGTERM leaves no job half-done (a killed one is released as stale and run again).
 */
export function startJobWorker(db: PrismaClient, handlers: JobHandlers, options: { intervalMs?: number; workerId?: string } = {}) {
  const workerId = options.workerId ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      await releaseStaleJobs(db);
      while (!stopped && (await runJobsOnce(db, handlers, { workerId })) > 0) {}
    } catch (error) {
      console.error("[jobs] worker error:", error instanceof Error ? error.message : error);
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
