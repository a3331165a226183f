import { Prisma, type PrismaClient } from "@prisma/client";

/**
 * The dead letter: jobs that used up their attempts (errors, timeouts, workers that died under them) stay
 * `failed` with their last error and when it happened, until someone looks and retries them. Everything here
 * is scoped by shop: a job id from another shop is "not found".
 */

export interface FailedJob {
  id: string;
  name: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  failedAt: Date | null;
  createdAt: Date;
  payload: Prisma.JsonValue;
}

export type RetryOutcome =
  | { status: "retried"; id: string; name: string }
  | { status: "not_found" }
  | { status: "not_failed"; current: string }
  /** Its dedupe key belongs to a job already waiting or running, which will do the same work. */
  | { status: "duplicate"; waitingJobId: string | null };

export async function listFailedJobs(db: PrismaClient, shopId: string, options: { limit?: number } = {}): Promise<FailedJob[]> {
  const jobs = await db.job.findMany({
    where: { shopId, status: "failed" },
    orderBy: [{ finishedAt: "desc" }, { id: "asc" }],
    take: options.limit ?? 100,
    select: { id: true, name: true, attempts: true, maxAttempts: true, lastError: true, lastErrorAt: true, finishedAt: true, createdAt: true, payload: true },
  });
  return jobs.map(({ finishedAt, ...job }) => ({ ...job, failedAt: finishedAt }));
}

async function waitingWithKey(db: PrismaClient, dedupeKey: string) {
  const waiting = await db.job.findFirst({ where: { dedupeKey, status: { in: ["queued", "running"] } }, select: { id: true } });
  return waiting?.id ?? null;
}

/** Puts one dead-lettered job back in the queue, due now, with a fresh set of attempts (its last error is kept). */
export async function retryFailedJob(db: PrismaClient, shopId: string, jobId: string): Promise<RetryOutcome> {
  const job = await db.job.findFirst({ where: { id: jobId, shopId }, select: { id: true, name: true, status: true, dedupeKey: true } });
  if (!job) return { status: "not_found" };
  if (job.status !== "failed") return { status: "not_failed", current: job.status };
  if (job.dedupeKey) {
    const waiting = await waitingWithKey(db, job.dedupeKey);
    if (waiting) return { status: "duplicate", waitingJobId: waiting };
  }
  try {
    const { count } = await db.job.updateMany({
      where: { id: job.id, shopId, status: "failed" },
      data: { status: "queued", attempts: 0, runAt: new Date(), finishedAt: null, lockedAt: null, lockedBy: null, heartbeatAt: null },
    });
    if (count === 0) {
      // Retried by someone else in the meantime.
      const current = await db.job.findUnique({ where: { id: job.id }, select: { status: true } });
      return { status: "not_failed", current: current?.status ?? "deleted" };
    }
  } catch (error) {
    // The dedupe key was taken between the check and the update (the unique index on waiting keys).
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { status: "duplicate", waitingJobId: job.dedupeKey ? await waitingWithKey(db, job.dedupeKey) : null };
    }
    throw error;
  }
  return { status: "retried", id: job.id, name: job.name };
}

/** Retries every dead-lettered job of the shop; jobs whose work is already queued under their key are skipped. */
export async function retryFailedJobs(db: PrismaClient, shopId: string) {
  const failed = await db.job.findMany({ where: { shopId, status: "failed" }, orderBy: { createdAt: "asc" }, select: { id: true } });
  const retried: string[] = [];
  const skipped: { id: string; reason: string; waitingJobId?: string | null }[] = [];
  for (const { id } of failed) {
    const outcome = await retryFailedJob(db, shopId, id);
    if (outcome.status === "retried") retried.push(id);
    else if (outcome.status === "duplicate") skipped.push({ id, reason: "a job with the same dedupe key is already waiting or running", waitingJobId: outcome.waitingJobId });
    else if (outcome.status === "not_failed") skipped.push({ id, reason: `no longer failed (${outcome.current})` });
  }
  return { retried, skipped };
}
