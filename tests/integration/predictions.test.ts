import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getPool } from "~/lib/db/pool.server";
import { runJobsOnce } from "~/modules/jobs";
import {
  getConversationPredictions,
  getPredictionsOverview,
  PREDICTIONS_REFRESH_JOB,
  PREDICTIONS_TICK_JOB,
  predictionJobs,
  queuePredictionRefresh,
  refreshPredictions,
  schedulePredictionsTick,
} from "~/modules/predictions";
import { jobHandlers } from "~/worker.server";
import { churnFeatureRows, csatFeatureRows } from "~/modules/predictions/features.server";
import { type FixtureConversation, writeConversations, writeCustomer, writeOrder } from "../support/analytics-fixture";
import { createTestShop, deleteTestShop } from "../support/shops";

/**
 * Predictions on fixture shops whose facts are known by construction:
 * - "waits": 60 rated conversations handed to the team; those answered after 5 hours were rated 1–2, those
 *   answered within 5 minutes 5 (a few exceptions each way), so the wait factor must lower predicted CSAT;
 *   60 customers, of whom those refunded before the cut-off never ordered again.
 * - "small": 20 rated conversations: too little history, said so, no scores.
 * - "noise": 60 rated conversations identical but for their ratings: no better than chance, said so, no scores.
 * No shop's rows ever reach another's model, scores or reads.
 */

const NOW = new Date("2026-11-30T12:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

/** A conversation handed to the team, answered `waitMs` after the handoff, finished and rated (or still open). */
function handedOff(key: string, startMsAgo: number, waitMs: number, rating: number | null, sentiment = 0): FixtureConversation {
  const start = NOW.getTime() - startMsAgo;
  const iso = (offset: number) => new Date(start + offset).toISOString();
  const open = rating === null;
  return {
    key,
    createdAt: iso(0),
    status: open ? "waiting_on_staff" : "resolved",
    resolvedAt: open ? undefined : iso(waitMs + 20 * 60_000),
    escalatedAt: iso(60_000),
    handledByHuman: true,
    intent: "track_order",
    sentiment,
    csat: rating ?? undefined,
    messages: [
      { author: "shopper", at: iso(0), body: "Where is my order?" },
      { author: "assistant", at: iso(60_000), body: "I've passed this to our team." },
      ...(open ? [] : [{ author: "staff" as const, at: iso(60_000 + waitMs), body: "Sorted, sorry for the wait." }]),
    ],
  };
}

let waits: Awaited<ReturnType<typeof createTestShop>>;
let small: Awaited<ReturnType<typeof createTestShop>>;
let noise: Awaited<ReturnType<typeof createTestShop>>;
let waitsIds: Record<string, string>;
let smallIds: Record<string, string>;
const happy: string[] = [];
const refunded: string[] = [];

beforeAll(async () => {
  waits = await createTestShop("Predictions: waits");
  small = await createTestShop("Predictions: small");
  noise = await createTestShop("Predictions: noise");

  const rated: FixtureConversation[] = [];
  for (let i = 0; i < 30; i++) {
    // Long waits rated low, except every tenth; quick answers rated 5, except every tenth.
    rated.push(handedOff(`slow-${i}`, (40 - i) * DAY, 5 * HOUR, i % 10 === 0 ? 4 : 1 + (i % 2)));
    rated.push(handedOff(`quick-${i}`, (40 - i) * DAY + HOUR, 5 * 60_000, i % 10 === 0 ? 2 : 5));
  }
  // Still open: one waiting 6 hours for the team, one that started 10 minutes ago.
  rated.push(handedOff("open-slow", 6 * HOUR + 60_000, 0, null));
  rated.push(handedOff("open-fresh", 10 * 60_000, 0, null));
  waitsIds = await writeConversations(waits.id, rated);

  smallIds = await writeConversations(
    small.id,
    Array.from({ length: 20 }, (_, i) => handedOff(`small-${i}`, (30 - i) * DAY, i % 2 ? 5 * HOUR : 5 * 60_000, i % 2 ? 2 : 5)),
  );
  await writeConversations(small.id, [handedOff("small-open", 2 * HOUR, 0, null)]);

  await writeConversations(
    noise.id,
    Array.from({ length: 60 }, (_, i) => handedOff(`noise-${i}`, (50 - (i % 40)) * DAY, HOUR, i % 2 ? 2 : 5)),
  );

  // Churn: every customer ordered 100 days ago; the happy ones again 30 days ago (after the 60-day cut-off), the
  // refunded ones got a refund 90 days ago and never came back.
  for (let i = 0; i < 30; i++) {
    const customer = await writeCustomer(waits.id, `happy${i}@example.com`);
    happy.push(customer.id);
    await writeOrder(waits.id, { customerId: customer.id, placedAt: at(100 * DAY + i * HOUR), total: "80.00" });
    await writeOrder(waits.id, { customerId: customer.id, placedAt: at(30 * DAY + i * HOUR), total: "60.00" });
  }
  for (let i = 0; i < 30; i++) {
    const customer = await writeCustomer(waits.id, `refunded${i}@example.com`);
    refunded.push(customer.id);
    const order = await writeOrder(waits.id, { customerId: customer.id, placedAt: at(100 * DAY + i * HOUR), total: "80.00" });
    // Every fifth refunded customer did order again: the law is strong, not perfect.
    if (i % 5 === 0) await writeOrder(waits.id, { customerId: customer.id, placedAt: at(20 * DAY), total: "40.00" });
    else {
      await prisma.refund.create({
        data: { shopId: waits.id, orderId: order.id, platform: "shopify", externalId: `fixture-refund-${customer.id}`, amount: "80.00", currency: "USD", processedAt: new Date(at(90 * DAY)) },
      });
    }
  }
});

afterAll(async () => {
  for (const shop of [waits, small, noise]) if (shop) await deleteTestShop(shop.domain);
});

describe("features", () => {
  it("reads a conversation's wait for the team and hand-off as of its end, and an open one's as of now", async () => {
    const rows = await csatFeatureRows(getPool(), { shopId: waits.id, selection: { kind: "one", conversationId: waitsIds["slow-3"]! }, now: NOW });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.raw.teamWaitSeconds).toBe(5 * 3600);
    expect(rows[0]!.raw.handedOff).toBe(1);
    expect(rows[0]!.raw.shopperMessages).toBe(1);
    const [open] = await csatFeatureRows(getPool(), { shopId: waits.id, selection: { kind: "one", conversationId: waitsIds["open-slow"]! }, now: NOW });
    // Handed off a minute after it started, 6 h 1 min ago, and nobody has answered: waiting 6 hours so far.
    expect(open!.raw.teamWaitSeconds).toBe(6 * 3600);
  });

  it("describes a customer only with what happened before the cut-off, and labels what came after", async () => {
    const cutoff = new Date(NOW.getTime() - 60 * DAY);
    const rows = await churnFeatureRows(getPool(), { shopId: waits.id, cutoff, horizonDays: 60 });
    const first = rows.find((row) => row.customerId === happy[0])!;
    // The order 30 days ago is after the cut-off: not counted, but it is why this customer did not churn.
    expect(first.raw.orders).toBe(1);
    expect(first.raw.daysSinceLastOrder).toBeCloseTo(40, 5);
    expect(first.churned).toBe(false);
    const lost = rows.find((row) => row.customerId === refunded[1])!;
    expect(lost.raw.refunds).toBe(1);
    expect(lost.churned).toBe(true);
    // As of now, the happy customer has both orders.
    const [now] = await churnFeatureRows(getPool(), { shopId: waits.id, cutoff: NOW, customerId: happy[0]! });
    expect(now!.raw.orders).toBe(2);
    expect(now!.churned).toBeNull();
  });

  it("never reads another shop's rows", async () => {
    expect(await csatFeatureRows(getPool(), { shopId: small.id, selection: { kind: "one", conversationId: waitsIds["slow-1"]! }, now: NOW })).toEqual([]);
    expect(await churnFeatureRows(getPool(), { shopId: small.id, cutoff: NOW })).toEqual([]);
  });
});

describe("training and scoring", () => {
  it("learns that a long wait for the team lowers predicted CSAT, and that a refund raises churn risk", async () => {
    const outcomes = await refreshPredictions(prisma, { shopId: waits.id, now: NOW, retrain: true });
    expect(outcomes).toEqual([
      { kind: "csat", trained: true, status: "ready", scored: 2 },
      { kind: "churn", trained: true, status: "ready", scored: 60 },
    ]);
    const csat = await prisma.predictionModel.findUniqueOrThrow({ where: { shopId_kind: { shopId: waits.id, kind: "csat" } } });
    expect(csat.examples).toBe(60);
    // 27 quick answers rated 5 and 3 slow ones rated 4.
    expect(csat.positives).toBe(30);
    expect(csat.weights[csat.features.indexOf("teamWaitSeconds")]).toBeLessThan(0);
    expect((csat.metrics as { auc: number }).auc).toBeGreaterThan(0.8);
    const churn = await prisma.predictionModel.findUniqueOrThrow({ where: { shopId_kind: { shopId: waits.id, kind: "churn" } } });
    expect(churn.examples).toBe(60);
    expect(churn.positives).toBe(24);
    expect(churn.weights[churn.features.indexOf("refunds")]).toBeGreaterThan(0);

    const overview = await getPredictionsOverview(prisma, { shopId: waits.id, currency: "USD" });
    expect(overview.csat.usable).toBe(true);
    expect(overview.csat.summary).toMatch(/^Model quality: held-out AUC 0\.\d\d \(5-fold cross-validation repeated 5 times on 60 rated conversations/);
    // The conversation waiting six hours is the most at risk, and says why.
    expect(overview.conversations.map((row) => row.conversationId)).toEqual([waitsIds["open-slow"], waitsIds["open-fresh"]]);
    expect(overview.conversations[0]!.satisfied).toBeLessThan(overview.conversations[1]!.satisfied);
    expect(overview.conversations[0]!.factors.map((factor) => factor.text)).toContain("shopper waited 6 h for a first reply from the team — lowers predicted CSAT");
    // Refunded customers who never came back lead the churn list.
    expect(refunded).toContain(overview.customers[0]!.customerId);
    expect(overview.customers[0]!.factors.map((factor) => factor.text)).toContain("1 refund — raises churn risk");
  });

  it("scores a conversation and its customer live in the inbox", async () => {
    const customer = happy[2]!;
    await prisma.conversation.update({ where: { id: waitsIds["open-slow"]! }, data: { customerId: customer } });
    const live = await getConversationPredictions(prisma, { shopId: waits.id, conversationId: waitsIds["open-slow"]!, currency: "USD", now: NOW });
    expect(live.csat.satisfied).toBeLessThan(0.5);
    expect(live.csat.factors.map((factor) => factor.text)).toContain("shopper waited 6 h for a first reply from the team — lowers predicted CSAT");
    expect(live.churn.churn).not.toBeNull();
    const finished = await getConversationPredictions(prisma, { shopId: waits.id, conversationId: waitsIds["slow-4"]!, currency: "USD", now: NOW });
    expect(finished.csat.satisfied).toBeNull();
    expect(finished.csat.note).toBe("Finished and rated 1 of 5: predictions are for open conversations.");
    expect(finished.churn.note).toBe("No churn risk: the shopper has no customer account.");
  });

  it("says exactly why a shop with too little history gets no prediction, and stores no score", async () => {
    const outcomes = await refreshPredictions(prisma, { shopId: small.id, now: NOW });
    expect(outcomes.map((outcome) => [outcome.kind, outcome.status, outcome.scored])).toEqual([
      ["csat", "too_little_history", 0],
      ["churn", "too_little_history", 0],
    ]);
    const overview = await getPredictionsOverview(prisma, { shopId: small.id, currency: "USD" });
    expect(overview.csat.summary).toBe(
      "Too little history for predictions: 20 rated conversations so far (10 rated 1–3, 10 rated 4–5); CSAT predictions start at 50 rated conversations, with at least 10 rated 1–3 and 10 rated 4–5.",
    );
    expect(overview.churn.summary).toMatch(/^Too little history for predictions: 0 customers who had ordered by 60 days ago so far/);
    expect(overview.conversations).toEqual([]);
    expect(overview.customers).toEqual([]);
    expect(await prisma.predictionScore.count({ where: { shopId: small.id } })).toBe(0);
    const live = await getConversationPredictions(prisma, { shopId: small.id, conversationId: smallIds["small-1"]!, currency: "USD", now: NOW });
    expect(live.csat.satisfied).toBeNull();
  });

  it("refuses a model no better than chance, and says so", async () => {
    const [csat] = await refreshPredictions(prisma, { shopId: noise.id, now: NOW });
    expect(csat!.status).toBe("no_better_than_chance");
    expect(csat!.scored).toBe(0);
    const overview = await getPredictionsOverview(prisma, { shopId: noise.id, currency: "USD" });
    expect(overview.csat.usable).toBe(false);
    expect(overview.csat.summary).toMatch(/^No predictions: on rated conversations it had not seen, the model did no better than chance with confidence \(held-out AUC 0\.\d\d/);
  });

  it("keeps every shop's models and scores to itself", async () => {
    // The small shop's model saw its 20 conversations, not the 60 of the other shop; its reads list none of them.
    const model = await prisma.predictionModel.findUniqueOrThrow({ where: { shopId_kind: { shopId: small.id, kind: "csat" } } });
    expect(model.examples).toBe(20);
    const scored = await prisma.predictionScore.findMany({ where: { shopId: waits.id }, select: { subjectId: true } });
    const otherShops = await prisma.conversation.count({ where: { id: { in: scored.map((row) => row.subjectId) }, shopId: { not: waits.id } } });
    expect(otherShops).toBe(0);
    const across = await getConversationPredictions(prisma, { shopId: small.id, conversationId: waitsIds["open-slow"]!, currency: "USD", now: NOW });
    expect(across.csat.satisfied).toBeNull();
    expect(across.churn.churn).toBeNull();
  });

  it("retrains only when asked or when the model is a day old; a retrain request is queued once", async () => {
    const [later] = await refreshPredictions(prisma, { shopId: waits.id, now: new Date(NOW.getTime() + HOUR) });
    expect(later!.trained).toBe(false);
    const [nextDay] = await refreshPredictions(prisma, { shopId: waits.id, now: new Date(NOW.getTime() + DAY) });
    expect(nextDay!.trained).toBe(true);
    expect(await queuePredictionRefresh(prisma, { shopId: small.id, retrain: true })).not.toBeNull();
    expect(await queuePredictionRefresh(prisma, { shopId: small.id, retrain: true })).toBeNull();
    expect((await getPredictionsOverview(prisma, { shopId: small.id, currency: "USD" })).refreshing).toBe(true);
    await prisma.job.deleteMany({ where: { shopId: small.id, name: PREDICTIONS_REFRESH_JOB } });
  });
});

describe("the refresh job", () => {
  it("runs in the worker: the hourly tick queues a refresh per shop, the refresh retrains a day-old model and rescores", async () => {
    await prisma.job.deleteMany({ where: { name: { in: [PREDICTIONS_TICK_JOB, PREDICTIONS_REFRESH_JOB] } } });
    try {
      await schedulePredictionsTick(prisma);
      const tick = await prisma.job.findFirstOrThrow({ where: { name: PREDICTIONS_TICK_JOB, status: "queued" } });
      await predictionJobs(prisma)[PREDICTIONS_TICK_JOB]();
      // Its successor an hour on, and one refresh per shop with conversations or orders, this one's included.
      expect(await prisma.job.count({ where: { name: PREDICTIONS_TICK_JOB, status: "queued", runAt: { gt: new Date(Date.now() + 50 * 60_000) } } })).toBe(1);
      expect(await prisma.job.count({ where: { name: PREDICTIONS_REFRESH_JOB, shopId: waits.id, status: "queued" } })).toBe(1);
      await prisma.job.delete({ where: { id: tick.id } });
      // A model trained two days ago is retrained; the open conversations are scored.
      await prisma.predictionModel.updateMany({ where: { shopId: waits.id }, data: { trainedAt: new Date(Date.now() - 2 * DAY) } });
      expect(await runJobsOnce(prisma, jobHandlers, { shopId: waits.id, workerId: "predictions-test" })).toBe(1);
      const job = await prisma.job.findFirstOrThrow({ where: { name: PREDICTIONS_REFRESH_JOB, shopId: waits.id } });
      expect(job.status).toBe("succeeded");
      const model = await prisma.predictionModel.findUniqueOrThrow({ where: { shopId_kind: { shopId: waits.id, kind: "csat" } } });
      expect(model.trainedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(await prisma.predictionScore.count({ where: { shopId: waits.id, kind: "csat" } })).toBe(2);
    } finally {
      await prisma.job.deleteMany({ where: { name: { in: [PREDICTIONS_TICK_JOB, PREDICTIONS_REFRESH_JOB] } } });
    }
  });
});

describe("the demo shop", () => {
  it("has enough history for both models to be used, and shows predictions from the start", async () => {
    const { seedDemoShop } = await import("~/modules/demo");
    const domain = `pred-demo-${Date.now()}.myshopify.com`;
    try {
      const { shopId } = await seedDemoShop(prisma, { domain });
      const overview = await getPredictionsOverview(prisma, { shopId, currency: "USD" });
      expect(overview.csat.status).toBe("ready");
      expect(overview.churn.status).toBe("ready");
      expect(overview.conversations.length).toBeGreaterThan(0);
      expect(overview.customers).toHaveLength(5);
      for (const row of [...overview.conversations, ...overview.customers]) expect(row.factors.length).toBeGreaterThan(0);
    } finally {
      await deleteTestShop(domain);
    }
  });
});
