import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Job } from "@prisma/client";
import { afterEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getPool } from "~/lib/db/pool.server";
import {
  claimJobs,
  enqueueJob,
  FINISH_JOB_SQL,
  JOB_FINISHED,
  type JobHandlers,
  JobLostError,
  releaseStaleJobs,
  retryDelayMs,
  runJobsOnce,
  startJobWorker,
} from "~/modules/jobs";

const queue = `test-${randomUUID().slice(0, 8)}`;
const STALE_MS = 60_000;

const job = (id: string) => prisma.job.findUniqueOrThrow({ where: { id } });
/** A worker that died: its jobs' last heartbeat is older than the stale limit. */
const silence = (ids: string[]) => prisma.job.updateMany({ where: { id: { in: ids } }, data: { heartbeatAt: new Date(Date.now() - 2 * STALE_MS) } });
/** Lets a job that waits out its backoff run now. */
const due = (id: string) => prisma.job.update({ where: { id }, data: { runAt: new Date() } });

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(50);
  }
}

describe("job queue", () => {
  afterEach(() => prisma.job.deleteMany({ where: { queue } }));

  it("enqueues a dedupe key once while the job waits, and again after it finished", async () => {
    const first = await enqueueJob(prisma, { name: "probe", queue, dedupeKey: `same-${queue}` });
    const second = await enqueueJob(prisma, { name: "probe", queue, dedupeKey: `same-${queue}` });
    expect(first).toBeTypeOf("string");
    expect(second).toBeNull();
    await prisma.job.update({ where: { id: first! }, data: { status: "succeeded" } });
    expect(await enqueueJob(prisma, { name: "probe", queue, dedupeKey: `same-${queue}` })).toBeTypeOf("string");
  });

  it("never hands the same job to two workers", async () => {
    for (let index = 0; index < 6; index++) await enqueueJob(prisma, { name: "probe", queue });
    const [a, b] = await Promise.all([
      claimJobs(prisma, { names: ["probe"], queue, workerId: "a", limit: 4 }),
      claimJobs(prisma, { names: ["probe"], queue, workerId: "b", limit: 4 }),
    ]);
    const ids = [...a, ...b].map((claimed) => claimed.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it("claims only one shop's jobs when asked", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const shops = await Promise.all([a, b].map((id) => prisma.shop.create({ data: { id, domain: `${id.slice(0, 8)}.myshopify.com`, name: "Queue" } })));
    try {
      await enqueueJob(prisma, { name: "probe", queue, shopId: a });
      await enqueueJob(prisma, { name: "probe", queue, shopId: b });
      const claimed = await claimJobs(prisma, { names: ["probe"], queue, workerId: "w", shopId: b });
      expect(claimed.map((one) => one.shopId)).toEqual([b]);
    } finally {
      await prisma.shop.deleteMany({ where: { id: { in: shops.map((shop) => shop.id) } } });
    }
  });

  it("retries a failing job with backoff, then dead-letters it with its last error and when", async () => {
    const id = (await enqueueJob(prisma, { name: "explode", queue, maxAttempts: 2 }))!;
    const handlers = {
      explode: async () => {
        throw new Error("boom");
      },
    };
    expect(await runJobsOnce(prisma, handlers, { queue })).toBe(1);
    let row = await job(id);
    expect(row).toMatchObject({ status: "queued", attempts: 1, lastError: "boom", lockedBy: null, finishedAt: null });
    expect(row.runAt.getTime()).toBeGreaterThan(Date.now() + retryDelayMs(1) - 2_000);

    await due(id);
    const before = Date.now();
    expect(await runJobsOnce(prisma, handlers, { queue })).toBe(1);
    row = await job(id);
    expect(row).toMatchObject({ status: "failed", attempts: 2, lastError: "boom" });
    expect(row.lastErrorAt!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(row.finishedAt).not.toBeNull();
    // Dead: nothing claims it any more.
    await due(id);
    expect(await runJobsOnce(prisma, handlers, { queue })).toBe(0);
  });

  it("counts a run whose worker died as an attempt, and dead-letters the job at maxAttempts instead of re-queuing it", async () => {
    const id = (await enqueueJob(prisma, { name: "probe", queue, maxAttempts: 2, dedupeKey: `crashy-${queue}` }))!;
    expect(await claimJobs(prisma, { names: ["probe"], queue, workerId: "dead-1" })).toHaveLength(1);
    // A worker that is alive is left alone.
    expect(await releaseStaleJobs(prisma, { staleAfterMs: STALE_MS })).toMatchObject({ requeued: 0, deadLettered: 0 });
    await silence([id]);
    expect(await releaseStaleJobs(prisma, { staleAfterMs: STALE_MS })).toEqual({ requeued: 1, deadLettered: 0, returned: 0 });
    let row = await job(id);
    expect(row).toMatchObject({ status: "queued", attempts: 1, lockedBy: null, heartbeatAt: null });
    expect(row.lastError).toMatch(/^worker dead-1 stopped responding: no heartbeat since \d{4}-/);
    expect(row.runAt.getTime()).toBeGreaterThan(Date.now() + retryDelayMs(1) - 2_000);

    await due(id);
    expect(await claimJobs(prisma, { names: ["probe"], queue, workerId: "dead-2" })).toHaveLength(1);
    await silence([id]);
    expect(await releaseStaleJobs(prisma, { staleAfterMs: STALE_MS })).toEqual({ requeued: 0, deadLettered: 1, returned: 0 });
    row = await job(id);
    expect(row).toMatchObject({ status: "failed", attempts: 2, lockedBy: null });
    expect(row.lastError).toContain("worker dead-2 stopped responding");
    expect(row.finishedAt).not.toBeNull();
    await due(id);
    expect(await claimJobs(prisma, { names: ["probe"], queue, workerId: "w" })).toHaveLength(0);
    // The dead letter frees its dedupe key: new work under it is accepted.
    expect(await enqueueJob(prisma, { name: "probe", queue, dedupeKey: `crashy-${queue}` })).toBeTypeOf("string");
  });

  it("gives their attempt back to jobs a dead worker had claimed but never started", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) ids.push((await enqueueJob(prisma, { name: "probe", queue, runAt: new Date(Date.now() - (3 - index) * 1_000) }))!);
    const claimed = await claimJobs(prisma, { names: ["probe"], queue, workerId: "dead-batch" });
    // The batch is run in this order, the order the sweep assumes.
    expect(claimed.map((one) => one.id)).toEqual(ids);
    await silence(ids);
    expect(await releaseStaleJobs(prisma, { staleAfterMs: STALE_MS })).toEqual({ requeued: 1, deadLettered: 0, returned: 2 });
    const [first, ...rest] = await Promise.all(ids.map(job));
    expect(first).toMatchObject({ status: "queued", attempts: 1 });
    expect(first!.lastError).toContain("stopped responding");
    for (const row of rest) {
      expect(row).toMatchObject({ status: "queued", attempts: 0, lastError: null, lockedBy: null });
      expect(row.runAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
  });

  it("keeps sweeping away from a long job whose worker's heartbeat is fresh", async () => {
    const id = (await enqueueJob(prisma, { name: "long", queue }))!;
    await prisma.job.update({ where: { id }, data: { status: "running", lockedBy: "alive", attempts: 1, lockedAt: new Date(Date.now() - 60 * 60_000), heartbeatAt: new Date() } });
    expect(await releaseStaleJobs(prisma, { staleAfterMs: STALE_MS })).toEqual({ requeued: 0, deadLettered: 0, returned: 0 });
    expect((await job(id)).status).toBe("running");
  });

  it("heartbeats the batch in hand, so a sweep with a short stale limit leaves a running job alone", async () => {
    const id = (await enqueueJob(prisma, { name: "long", queue }))!;
    let runs = 0;
    const handlers: JobHandlers = {
      long: async () => {
        runs++;
        await sleep(1_500);
      },
    };
    let sweeping = true;
    const swept: number[] = [];
    const sweeper = (async () => {
      while (sweeping) {
        const sweep = await releaseStaleJobs(prisma, { staleAfterMs: 600 });
        swept.push(sweep.requeued + sweep.returned + sweep.deadLettered);
        await sleep(100);
      }
    })();
    expect(await runJobsOnce(prisma, handlers, { queue, workerId: "beating", heartbeatMs: 150 })).toBe(1);
    sweeping = false;
    await sweeper;
    expect(swept.length).toBeGreaterThan(5);
    expect(swept.every((count) => count === 0)).toBe(true);
    expect(runs).toBe(1);
    expect(await job(id)).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("times out a job that makes no progress: aborted, retried, then dead-lettered", async () => {
    const id = (await enqueueJob(prisma, { name: "hang", queue, maxAttempts: 2 }))!;
    const aborted: unknown[] = [];
    const handlers: JobHandlers = {
      hang: {
        timeoutMs: 300,
        run: (_job, { signal }) =>
          new Promise((_, reject) =>
            signal.addEventListener("abort", () => {
              aborted.push(signal.reason);
              reject(signal.reason);
            }),
          ),
      },
    };
    expect(await runJobsOnce(prisma, handlers, { queue })).toBe(1);
    expect(aborted).toHaveLength(1);
    expect(await job(id)).toMatchObject({ status: "queued", attempts: 1, lastError: "timed out: no progress for 0.3 s" });
    await due(id);
    expect(await runJobsOnce(prisma, handlers, { queue })).toBe(1);
    const row = await job(id);
    expect(row).toMatchObject({ status: "failed", attempts: 2, lastError: "timed out: no progress for 0.3 s" });
    expect(row.lastErrorAt).not.toBeNull();
  });

  it("lets a long job that shows progress with heartbeat() outlive its time limit", async () => {
    const id = (await enqueueJob(prisma, { name: "pages", queue }))!;
    const handlers: JobHandlers = {
      pages: {
        timeoutMs: 300,
        run: async (_job, { heartbeat }) => {
          for (let page = 0; page < 8; page++) {
            await sleep(100);
            await heartbeat();
          }
        },
      },
    };
    expect(await runJobsOnce(prisma, handlers, { queue })).toBe(1);
    expect(await job(id)).toMatchObject({ status: "succeeded", attempts: 1, lastError: null });
  });

  it("ignores what a timed-out run does when it finishes late, even when it finishes in its own transaction", async () => {
    const id = (await enqueueJob(prisma, { name: "late", queue }))!;
    let finished: Promise<unknown> = Promise.resolve();
    const handlers: JobHandlers = {
      late: {
        timeoutMs: 200,
        run: (job: Job) => {
          finished = (async () => {
            await sleep(500);
            const { rowCount } = await getPool().query(FINISH_JOB_SQL, [job.id]);
            return rowCount;
          })();
          return finished.then(() => JOB_FINISHED);
        },
      },
    };
    expect(await runJobsOnce(prisma, handlers, { queue })).toBe(1);
    expect(await job(id)).toMatchObject({ status: "queued", attempts: 1 });
    expect(await finished).toBe(0);
    expect(await job(id)).toMatchObject({ status: "queued", attempts: 1, lastError: "timed out: no progress for 0.2 s" });
  });

  it("tells a handler whose job was taken away that it lost it, and records nothing for it", async () => {
    const id = (await enqueueJob(prisma, { name: "robbed", queue }))!;
    const seen: unknown[] = [];
    const handlers: JobHandlers = {
      robbed: async (job, { heartbeat }) => {
        // A sweep decided this worker was dead and another worker claimed the job.
        await prisma.job.update({ where: { id: job.id }, data: { lockedBy: "other-worker", attempts: 2 } });
        try {
          await heartbeat();
        } catch (error) {
          seen.push(error);
          throw error;
        }
      },
    };
    expect(await runJobsOnce(prisma, handlers, { queue, workerId: "first-worker" })).toBe(1);
    expect(seen[0]).toBeInstanceOf(JobLostError);
    expect(await job(id)).toMatchObject({ status: "running", lockedBy: "other-worker", attempts: 2, lastError: null });
  });

  it("dead-letters a poison job after its attempts while the other jobs keep flowing through a running worker", async () => {
    const poison = (await enqueueJob(prisma, { name: "poison", queue, maxAttempts: 3 }))!;
    const ok: string[] = [];
    for (let index = 0; index < 30; index++) ok.push((await enqueueJob(prisma, { name: "ok", queue, payload: { index } }))!);
    const ran = new Map<string, number>();
    const handlers: JobHandlers = {
      poison: async () => {
        throw new Error("cannot be processed");
      },
      ok: async (job) => {
        ran.set(job.id, (ran.get(job.id) ?? 0) + 1);
      },
    };
    // The worker runs the default queue; this one is the test's own.
    const stop = startJobWorkerOn(queue, handlers);
    try {
      for (let attempt = 1; attempt <= 3; attempt++) {
        await until(async () => (await job(poison)).attempts === attempt && (await job(poison)).status !== "running");
        // Skip the backoff wait: the next attempt is due now.
        if (attempt < 3) await due(poison);
      }
      await until(async () => (await prisma.job.count({ where: { id: { in: ok }, status: "succeeded" } })) === ok.length);
    } finally {
      await stop();
    }
    expect(await job(poison)).toMatchObject({ status: "failed", attempts: 3, lastError: "cannot be processed" });
    expect([...ran.keys()].sort()).toEqual([...ok].sort());
    expect([...ran.values()].every((count) => count === 1)).toBe(true);
  });
});

/** startJobWorker polls the default queue; this polls the test's queue the same way, with runJobsOnce. */
function startJobWorkerOn(name: string, handlers: JobHandlers) {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const ran = await runJobsOnce(prisma, handlers, { queue: name, workerId: "test-worker", limit: 5, shouldStop: () => stopped });
      if (ran === 0) await sleep(30);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

describe("startJobWorker", () => {
  it("stops after the job in hand and puts the rest of its batch back unstarted", async () => {
    const shopId = randomUUID();
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) ids.push((await enqueueJob(prisma, { name: `stop-probe-${shopId}`, shopId, runAt: new Date(Date.now() - (4 - index) * 1_000) }))!);
    let started = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stop = startJobWorker(prisma, {
      [`stop-probe-${shopId}`]: async () => {
        started++;
        await gate;
      },
    }, { intervalMs: 50 });
    try {
      await until(async () => started === 1);
      const stopping = stop();
      release();
      await stopping;
      expect(started).toBe(1);
      const rows = await Promise.all(ids.map(job));
      expect(rows.map((row) => [row.status, row.attempts])).toEqual([
        ["succeeded", 1],
        ["queued", 0],
        ["queued", 0],
        ["queued", 0],
      ]);
    } finally {
      release();
      await prisma.job.deleteMany({ where: { shopId } });
    }
  });
});
