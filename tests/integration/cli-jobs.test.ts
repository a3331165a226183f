import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { enqueueJob, type JobHandlers, runJobsOnce } from "~/modules/jobs";
import { cli } from "../support/cli";
import { createTestShop, deleteTestShop } from "../support/shops";

/** `npm run cli -- jobs failed|retry|retry-all`: the dead letter, replayed from the terminal. */

const JOB = `cli-jobs-probe-${randomUUID().slice(0, 8)}`;
let platformUp = false;
const handled: string[] = [];
const handlers: JobHandlers = {
  [JOB]: async (job) => {
    if (!platformUp) throw new Error("the platform refused: 503 Service Unavailable");
    handled.push(job.id);
  },
};

/** Runs the shop's jobs until none is due (failures are retried later, so this ends). */
async function drain(shopId: string) {
  while ((await runJobsOnce(prisma, handlers, { shopId, workerId: "cli-jobs-test" })) > 0) {}
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe("npm run cli -- jobs", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  let other: Awaited<ReturnType<typeof createTestShop>>;
  const ids: string[] = [];
  let otherId: string;
  const dedupeKey = `cli-jobs:${randomUUID()}`;

  beforeAll(async () => {
    [shop, other] = await Promise.all([createTestShop("CLI jobs shop"), createTestShop("CLI jobs other shop")]);
    // Dead-lettered the real way: one attempt each, the handler throws.
    for (let index = 0; index < 3; index++) {
      ids.push((await enqueueJob(prisma, { name: JOB, shopId: shop.id, payload: { index }, maxAttempts: 1, dedupeKey: index === 2 ? dedupeKey : undefined }))!);
    }
    otherId = (await enqueueJob(prisma, { name: JOB, shopId: other.id, maxAttempts: 1 }))!;
    await drain(shop.id);
    await drain(other.id);
    expect(await prisma.job.count({ where: { id: { in: [...ids, otherId] }, status: "failed" } })).toBe(4);
  });
  afterAll(async () => {
    await prisma.job.deleteMany({ where: { name: JOB } });
    await Promise.all([deleteTestShop(shop.domain), deleteTestShop(other.domain)]);
  });

  it("lists the shop's dead-lettered jobs with their last error and when, and no other shop's", async () => {
    const listed = await cli("jobs", "failed", "--shop", shop.domain);
    expect(listed.code).toBe(0);
    const jobs = lines(listed.stdout);
    expect(jobs.map((job) => job.id).sort()).toEqual([...ids].sort());
    for (const job of jobs) {
      expect(job).toMatchObject({ name: JOB, attempts: 1, maxAttempts: 1, lastError: "the platform refused: 503 Service Unavailable" });
      expect(Date.parse(job.lastErrorAt)).toBeGreaterThan(Date.now() - 5 * 60_000);
      expect(Date.parse(job.failedAt)).toBeGreaterThan(Date.now() - 5 * 60_000);
    }
    expect(jobs.map((job) => job.id)).not.toContain(otherId);

    const limited = await cli("jobs", "failed", "--shop", shop.domain, "--limit", "2");
    expect(lines(limited.stdout)).toHaveLength(2);
    const badLimit = await cli("jobs", "failed", "--shop", shop.domain, "--limit", "zero");
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain("--limit must be a positive whole number");

    const unknownShop = await cli("jobs", "failed", "--shop", "no-such-shop.myshopify.com");
    expect(unknownShop.code).toBe(1);
    expect(unknownShop.stderr).toContain("jobs failed: no shop no-such-shop.myshopify.com");
  });

  it("refuses unknown ids and other shops' jobs with a clear error, changing nothing", async () => {
    const unknown = randomUUID();
    const missing = await cli("jobs", "retry", unknown, "--shop", shop.domain);
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toContain(`jobs retry: no job ${unknown} in ${shop.domain}`);

    const foreign = await cli("jobs", "retry", otherId, "--shop", shop.domain);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain(`no job ${otherId} in ${shop.domain}`);
    expect((await prisma.job.findUniqueOrThrow({ where: { id: otherId } })).status).toBe("failed");

    const usage = await cli("jobs", "retry", "--shop", shop.domain);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("jobs retry needs one job id");
  });

  it("retries one job, which then runs; retrying it again is refused", async () => {
    const retried = await cli("jobs", "retry", ids[0]!, "--shop", shop.domain);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toEqual({ id: ids[0], name: JOB, status: "queued" });
    expect(await prisma.job.findUniqueOrThrow({ where: { id: ids[0]! } })).toMatchObject({ status: "queued", attempts: 0, finishedAt: null, lockedBy: null });

    const again = await cli("jobs", "retry", ids[0]!, "--shop", shop.domain);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`job ${ids[0]} is queued, not failed`);

    platformUp = true;
    await drain(shop.id);
    expect(handled).toEqual([ids[0]]);
    expect((await prisma.job.findUniqueOrThrow({ where: { id: ids[0]! } })).status).toBe("succeeded");
  });

  it("retries all of a shop's dead letter, skipping a job whose dedupe key is already queued again", async () => {
    const waiting = (await enqueueJob(prisma, { name: JOB, shopId: shop.id, dedupeKey, runAt: new Date(Date.now() + 60 * 60_000) }))!;
    const single = await cli("jobs", "retry", ids[2]!, "--shop", shop.domain);
    expect(single.code).toBe(1);
    expect(single.stderr).toContain(`job ${waiting} with the same dedupe key is already waiting or running`);

    const all = await cli("jobs", "retry-all", "--shop", shop.domain);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ shop: shop.domain, retried: 1, skipped: 1, ids: [ids[1]] });
    expect(all.stderr).toContain(`skipped ${ids[2]}`);
    // The other shop's dead letter is untouched.
    expect((await prisma.job.findUniqueOrThrow({ where: { id: otherId } })).status).toBe("failed");

    await drain(shop.id);
    expect(handled).toEqual([ids[0], ids[1]]);
    const listed = await cli("jobs", "failed", "--shop", shop.domain);
    expect(lines(listed.stdout).map((job) => job.id)).toEqual([ids[2]]);
  });
});
