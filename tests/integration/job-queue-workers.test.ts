import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getPool } from "~/lib/db/pool.server";
import { enqueueJob } from "~/modules/jobs";
import { countQueueProbe, createQueueProbeTables, dropQueueProbeTables, QUEUE_PROBE_JOB, type QueueProbePayload } from "../../bench/support/queue-probe";
import { startWorkerProcess, type WorkerProcess } from "../../bench/support/worker-process";

/**
 * `npm run worker` as real processes on the test database, running the reliability probe job (each run applies
 * its key and finishes its job in one transaction, and leaves one row per committed run).
 */

const shopId = `workers-test-${randomUUID()}`;
const started: WorkerProcess[] = [];

async function worker(env: Record<string, string> = {}) {
  const process = await startWorkerProcess(env);
  started.push(process);
  return process;
}

async function enqueueProbes(payloads: QueueProbePayload[]) {
  // One transaction, so a polling worker sees the whole batch at once.
  return prisma.$transaction(async (tx) => {
    const ids: string[] = [];
    for (const [index, payload] of payloads.entries()) {
      ids.push((await enqueueJob(tx, { name: QUEUE_PROBE_JOB, shopId, payload: { ...payload }, runAt: new Date(Date.now() - (payloads.length - index) * 1_000) }))!);
    }
    return ids;
  });
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const statuses = (ids: string[]) => prisma.job.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, attempts: true, lastError: true } });
const allSucceeded = (ids: string[]) => async () => (await prisma.job.count({ where: { id: { in: ids }, status: "succeeded" } })) === ids.length;

describe("worker processes", () => {
  beforeAll(() => createQueueProbeTables(getPool()));
  afterAll(async () => {
    for (const process of started) if (process.child.exitCode === null && process.child.signalCode === null) process.child.kill("SIGKILL");
    await prisma.job.deleteMany({ where: { shopId } });
    await dropQueueProbeTables(getPool());
  });

  it("two workers never run the same job, and both take part", async () => {
    const workers = await Promise.all([worker(), worker()]);
    const keys = Array.from({ length: 60 }, (_, index) => `pair-${index}-${randomUUID()}`);
    const ids = await enqueueProbes(keys.map((key) => ({ key, sleepMs: 40 })));
    await until(allSucceeded(ids), "60 jobs to succeed");
    const count = await countQueueProbe(getPool(), keys);
    expect(count).toMatchObject({ jobs: 60, lost: 0, doubled: 0 });
    expect(Object.keys(count.runsByWorker).sort()).toEqual(workers.map((one) => String(one.pid)).sort());
    expect(Object.values(count.runsByWorker).reduce((sum, runs) => sum + runs, 0)).toBe(60);
    for (const one of workers) one.child.kill("SIGTERM");
    expect(await Promise.all(workers.map((one) => one.exited))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });

  it("shuts down on SIGTERM after the job in hand, putting the rest of its batch back unstarted", async () => {
    const one = await worker();
    const keys = Array.from({ length: 4 }, (_, index) => `term-${index}-${randomUUID()}`);
    const ids = await enqueueProbes(keys.map((key) => ({ key, sleepMs: 1_500 })));
    await until(async () => (await prisma.job.count({ where: { id: { in: ids }, status: "running" } })) === 4, "the batch to be claimed");
    one.child.kill("SIGTERM");
    expect(await one.exited).toEqual({ code: 0, signal: null });
    expect(one.output()).toContain(`Shopdesk worker ${one.pid}: SIGTERM, finishing the job in hand`);
    expect(one.output()).toContain(`Shopdesk worker ${one.pid} stopped`);
    const rows = await statuses(ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(ids.map((id) => [byId.get(id)!.status, byId.get(id)!.attempts])).toEqual([
      ["succeeded", 1],
      ["queued", 0],
      ["queued", 0],
      ["queued", 0],
    ]);
    expect(await countQueueProbe(getPool(), keys)).toMatchObject({ lost: 3, doubled: 0 });
    await prisma.job.deleteMany({ where: { id: { in: ids } } });
  });

  it("recovers the job of a worker killed mid-run: counted as an attempt, finished by the next worker, nothing lost or doubled", async () => {
    const env = { JOB_STALE_AFTER_SECONDS: "2" };
    const first = await worker(env);
    const keys = Array.from({ length: 5 }, (_, index) => `kill-${index}-${randomUUID()}`);
    const ids = await enqueueProbes(keys.map((key) => ({ key, sleepMs: 800 })));
    await until(async () => (await prisma.job.count({ where: { id: { in: ids }, status: "running" } })) === 5, "the batch to be claimed");
    first.child.kill("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });

    const second = await worker(env);
    // The killed run waits out its backoff (10 s) before it runs again.
    await until(allSucceeded(ids), "every job to succeed after the restart", 90_000);
    const rows = new Map((await statuses(ids)).map((row) => [row.id, row]));
    expect(rows.get(ids[0]!)).toMatchObject({ attempts: 2 });
    expect(rows.get(ids[0]!)!.lastError).toMatch(/^worker worker-\d+-[0-9a-f]{8} stopped responding/);
    for (const id of ids.slice(1)) expect(rows.get(id)).toMatchObject({ attempts: 1, lastError: null });
    const count = await countQueueProbe(getPool(), keys);
    expect(count).toMatchObject({ jobs: 5, lost: 0, doubled: 0 });
    expect(Object.keys(count.runsByWorker)).toEqual([String(second.pid)]);
    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });
});
