/**
 * Job queue reliability, measured with real `npm run worker` processes (scripts/worker.ts) on a PostgreSQL
 * database, for `npm run bench -- reliability`. Jobs are the reliability probe (bench/support/queue-probe.ts):
 * each run applies its key (unique) and finishes its job in one transaction, and leaves one row per committed
 * run, so a key without an effect was lost and a key with two committed runs was doubled.
 *
 * - measureWorkerCrash: N jobs; the worker is SIGKILLed once about a third of them are applied, then a new
 *   worker is started. Returns { lost, doubled } and how the killed run was accounted for.
 * - measurePoisonJob: a poison job among N others. "crash" kills its worker process each time it runs (a
 *   supervisor restarts the worker, as systemd or Kubernetes would); "throw" fails. It must be dead-lettered
 *   after its attempts while the others all go through.
 *
 * Workers run with JOB_STALE_AFTER_SECONDS=2 so a dead worker's job is noticed in seconds; the killed run then
 * waits out its backoff (10 s after the first attempt, 20 s after the second).
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import prisma from "~/db.server";
import { getPool } from "~/lib/db/pool.server";
import { enqueueJob } from "~/modules/jobs";
import { countQueueProbe, createQueueProbeTables, dropQueueProbeTables, QUEUE_PROBE_JOB, type QueueProbePayload } from "./support/queue-probe";
import { startWorkerProcess, type WorkerProcess } from "./support/worker-process";

const STALE_AFTER_SECONDS = "2";

interface Run {
  shopId: string;
  keys: string[];
  ids: string[];
}

/** Enqueues the probes in one transaction, in this run order (runAt a millisecond apart, oldest first). */
async function enqueueProbes(payloads: QueueProbePayload[], options: { maxAttempts?: (index: number) => number } = {}): Promise<Run> {
  const shopId = `bench-reliability-${randomUUID()}`;
  const start = Date.now() - payloads.length;
  const ids = await prisma.$transaction(
    async (tx) => {
      const ids: string[] = [];
      for (const [index, payload] of payloads.entries()) {
        const id = await enqueueJob(tx, { name: QUEUE_PROBE_JOB, shopId, payload: { ...payload }, runAt: new Date(start + index), maxAttempts: options.maxAttempts?.(index) });
        ids.push(id!);
      }
      return ids;
    },
    { timeout: 120_000 },
  );
  return { shopId, keys: payloads.map((payload) => payload.key), ids };
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`reliability bench: timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function applied(keys: string[]) {
  const { rows } = await getPool().query<{ count: string }>("SELECT count(*) FROM queue_probe.effect WHERE key = ANY($1::text[])", [keys]);
  return Number(rows[0]!.count);
}

async function settled(run: Run) {
  return (await prisma.job.count({ where: { shopId: run.shopId, status: { in: ["queued", "running"] } } })) === 0;
}

async function stopWorker(worker: WorkerProcess) {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill("SIGTERM");
  await worker.exited;
}

export interface WorkerCrashResult {
  jobs: number;
  /** Applied before the SIGKILL. */
  appliedBeforeKill: number;
  lost: number;
  doubled: number;
  /** Jobs that ran more than once (the one in hand when the worker died). */
  retried: number;
  deadLettered: number;
  /** From starting the second worker until every job was done. */
  recoveryMs: number;
}

/** (a) SIGKILL a worker mid-batch, restart it, count what was lost or applied twice. */
export async function measureWorkerCrash(options: { databaseUrl: string; jobs?: number; sleepMs?: number }): Promise<WorkerCrashResult> {
  const jobs = options.jobs ?? 500;
  const env = { DATABASE_URL: options.databaseUrl, JOB_STALE_AFTER_SECONDS: STALE_AFTER_SECONDS };
  await createQueueProbeTables(getPool());
  const run = await enqueueProbes(Array.from({ length: jobs }, (_, index) => ({ key: `crash-${index}-${randomUUID()}`, sleepMs: options.sleepMs ?? 5 })));
  const workers: WorkerProcess[] = [];
  try {
    const first = await startWorkerProcess(env);
    workers.push(first);
    await until(async () => (await applied(run.keys)) >= jobs / 3, "a third of the jobs", 120_000);
    first.child.kill("SIGKILL");
    await first.exited;
    const appliedBeforeKill = await applied(run.keys);

    const restartedAt = Date.now();
    workers.push(await startWorkerProcess(env));
    await until(() => settled(run), "every job to finish after the restart", 180_000);
    const recoveryMs = Date.now() - restartedAt;
    const count = await countQueueProbe(getPool(), run.keys);
    return {
      jobs,
      appliedBeforeKill,
      lost: count.lost,
      doubled: count.doubled,
      retried: await prisma.job.count({ where: { shopId: run.shopId, attempts: { gt: 1 } } }),
      deadLettered: await prisma.job.count({ where: { shopId: run.shopId, status: "failed" } }),
      recoveryMs,
    };
  } finally {
    await Promise.all(workers.map(stopWorker));
    await prisma.job.deleteMany({ where: { shopId: run.shopId } });
    await dropQueueProbeTables(getPool());
  }
}

export interface PoisonJobResult {
  jobs: number;
  poison: "crash" | "throw";
  poisonStatus: string;
  poisonAttempts: number;
  poisonLastError: string | null;
  /** Worker processes the poison killed (each restarted by the bench's supervisor). */
  workerRestarts: number;
  /** The other jobs. */
  othersSucceeded: number;
  lost: number;
  doubled: number;
  /** When the other jobs were all done, and when the poison was dead-lettered, from the start. */
  othersDoneMs: number;
  poisonDeadMs: number;
}

/** (b) A poison job among `jobs` others: dead-lettered after maxAttempts while the others flow. */
export async function measurePoisonJob(options: { databaseUrl: string; jobs?: number; poison?: "crash" | "throw"; maxAttempts?: number }): Promise<PoisonJobResult> {
  const jobs = options.jobs ?? 200;
  const poison = options.poison ?? "crash";
  const maxAttempts = options.maxAttempts ?? 3;
  const env = { DATABASE_URL: options.databaseUrl, JOB_STALE_AFTER_SECONDS: STALE_AFTER_SECONDS };
  await createQueueProbeTables(getPool());
  // The poison sits in the middle of the first batch: the jobs before it run, the ones after it are returned.
  const poisonIndex = 4;
  const payloads: QueueProbePayload[] = Array.from({ length: jobs + 1 }, (_, index) =>
    index === poisonIndex ? { key: `poison-${randomUUID()}`, poison } : { key: `flow-${index}-${randomUUID()}`, sleepMs: 5 },
  );
  const run = await enqueueProbes(payloads, { maxAttempts: (index) => (index === poisonIndex ? maxAttempts : 5) });
  const poisonId = run.ids[poisonIndex]!;
  const others = run.ids.filter((id) => id !== poisonId);
  const otherKeys = run.keys.filter((_, index) => index !== poisonIndex);
  const started = Date.now();
  let worker = await startWorkerProcess(env);
  const workers = [worker];
  let workerRestarts = 0;
  let othersDoneMs: number | null = null;
  try {
    const deadline = Date.now() + 240_000;
    for (;;) {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
        // The supervisor: a worker that died is started again.
        workerRestarts++;
        worker = await startWorkerProcess(env);
        workers.push(worker);
      }
      if (othersDoneMs === null && (await prisma.job.count({ where: { id: { in: others }, status: "succeeded" } })) === others.length) othersDoneMs = Date.now() - started;
      const poisoned = await prisma.job.findUniqueOrThrow({ where: { id: poisonId }, select: { status: true } });
      if (othersDoneMs !== null && poisoned.status === "failed") break;
      if (Date.now() > deadline) throw new Error("reliability bench: the poison job was not dead-lettered in time");
      await sleep(100);
    }
    const poisonDeadMs = Date.now() - started;
    const poisoned = await prisma.job.findUniqueOrThrow({ where: { id: poisonId }, select: { status: true, attempts: true, lastError: true } });
    const count = await countQueueProbe(getPool(), otherKeys);
    return {
      jobs,
      poison,
      poisonStatus: poisoned.status,
      poisonAttempts: poisoned.attempts,
      poisonLastError: poisoned.lastError,
      workerRestarts,
      othersSucceeded: await prisma.job.count({ where: { id: { in: others }, status: "succeeded" } }),
      lost: count.lost,
      doubled: count.doubled,
      othersDoneMs: othersDoneMs!,
      poisonDeadMs,
    };
  } finally {
    await Promise.all(workers.map(stopWorker));
    await prisma.job.deleteMany({ where: { shopId: run.shopId } });
    await dropQueueProbeTables(getPool());
  }
}
