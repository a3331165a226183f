import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { claimJobs, enqueueJob, releaseStaleJobs, retryDelayMs, runJobsOnce } from "~/modules/jobs";

const queue = `test-${randomUUID().slice(0, 8)}`;

describe("job queue", () => {
  afterEach(() => prisma.job.deleteMany({ where: { queue } }));

  it("enqueues a dedupe key once while the job waits, and again after it finished", async () => {
    const first = await enqueueJob(prisma, { name: "probe", queue, dedupeKey: "same" });
    const second = await enqueueJob(prisma, { name: "probe", queue, dedupeKey: "same" });
    expect(first).toBeTypeOf("string");
    expect(second).toBeNull();
    await prisma.job.update({ where: { id: first! }, data: { status: "succeeded" } });
    expect(await enqueueJob(prisma, { name: "probe", queue, dedupeKey: "same" })).toBeTypeOf("string");
  });

  it("never hands the same job to two workers", async () => {
    for (let index = 0; index < 6; index++) await enqueueJob(prisma, { name: "probe", queue });
    const [a, b] = await Promise.all([
      claimJobs(prisma, { names: ["probe"], queue, workerId: "a", limit: 4 }),
      claimJobs(prisma, { names: ["probe"], queue, workerId: "b", limit: 4 }),
    ]);
    const ids = [...a, ...b].map((job) => job.id);
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
      expect(claimed.map((job) => job.shopId)).toEqual([b]);
    } finally {
      await prisma.shop.deleteMany({ where: { id: { in: shops.map((shop) => shop.id) } } });
    }
  });

  it("retries a failing job with backoff, then marks it failed after maxAttempts", async () => {
    const id = (await enqueueJob(prisma, { name: "explode", queue }))!;
    await prisma.job.update({ where: { id }, data: { maxAttempts: 2 } });
    const handlers = {
      explode: async () => {
        throw new Error("boom");
      },
    };
    expect(await runJobsOnce(prisma, handlers, { queue })).toBe(1);
    let job = await prisma.job.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ status: "queued", attempts: 1, lastError: "boom" });
    expect(job.runAt.getTime()).toBeGreaterThan(Date.now() + retryDelayMs(1) - 2_000);

    await prisma.job.update({ where: { id }, data: { runAt: new Date() } });
    expect(await runJobsOnce(prisma, handlers, { queue })).toBe(1);
    job = await prisma.job.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ status: "failed", attempts: 2 });
    await prisma.job.delete({ where: { id } });
  });

  it("puts back jobs whose worker died mid-run", async () => {
    const id = (await enqueueJob(prisma, { name: "probe", queue }))!;
    await prisma.job.update({ where: { id }, data: { status: "running", lockedAt: new Date(Date.now() - 11 * 60_000), lockedBy: "dead" } });
    expect(await releaseStaleJobs(prisma)).toBeGreaterThanOrEqual(1);
    expect((await prisma.job.findUniqueOrThrow({ where: { id } })).status).toBe("queued");
  });
});
