import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getPool, namedStatementsAllowed } from "~/lib/db/pool.server";
import { type ApplyOutcome, applyOrder, recordWebhook, shopifyRest } from "~/modules/commerce";
import { runJobsOnce } from "~/modules/jobs";
import { jobHandlers } from "~/worker.server";
import { createTestShop, deleteTestShop } from "../support/shops";
import { customerPayload, fulfillmentPayload, orderPayload, refundPayload } from "../support/shopify-webhooks";

/**
 * An order's write sends all its statements at once (one round trip on the app's pipelined pool) and decides in
 * SQL what the ones before it left: these tests hold it to the same rules as a write that waits for each answer.
 */

const ORDER = 5_300_000_001;
const gid = (id: number) => `gid://shopify/Order/${id}`;
const LATER_CUSTOMER = "2026-12-01T00:00:00Z";

/** One order in three versions: placed; paid and fulfilled with a refund; and the same again (a replay). */
function version(index: 1 | 2 | 3, id = ORDER, overrides: Record<string, unknown> = {}) {
  const updatedAt = ["2026-11-02T09:15:05-07:00", "2026-11-03T10:00:00-07:00", "2026-11-10T12:00:05-07:00"][index - 1]!;
  const children =
    index === 3
      ? {
          refunds: [refundPayload({ order_id: id })],
          fulfillments: [fulfillmentPayload({ order_id: id, shipment_status: "delivered", updated_at: "2026-11-05T14:30:00-07:00" })],
          financial_status: "partially_refunded",
          fulfillment_status: "fulfilled",
        }
      : { financial_status: index === 1 ? "pending" : "paid" };
  return orderPayload({ id, admin_graphql_api_id: gid(id), name: `#${id % 10_000}`, updated_at: updatedAt, total_price: `${160 + index}.16`, ...children, ...overrides });
}

const snapshot = (payload: unknown) => shopifyRest.orderSnapshot(shopifyRest.OrderPayload.parse(payload));

/** What a reader sees of an order: everything the writers set, without generated ids and timestamps. */
async function storedOrder(shopId: string, id = ORDER) {
  const order = await prisma.order.findUniqueOrThrow({
    where: { shopId_platform_externalId: { shopId, platform: "shopify", externalId: gid(id) } },
    include: { lineItems: { orderBy: { externalId: "asc" } }, refunds: true, shipments: true, customer: true },
  });
  return {
    order: [order.name, order.email, order.total.toFixed(2), order.financialStatus, order.fulfillmentStatus, order.sourceUpdatedAt.toISOString(), order.shippingAddress],
    customer: order.customer && [order.customer.email, order.customer.firstName, order.customer.sourceUpdatedAt?.toISOString()],
    lines: order.lineItems.map((line) => [line.externalId, line.quantity, line.unitPrice.toFixed(2), line.refundedQuantity, line.fulfilledQuantity]),
    refunds: order.refunds.map((refund) => [refund.externalId, refund.amount.toFixed(2), refund.currency, refund.status]),
    shipments: order.shipments.map((shipment) => [shipment.externalId, shipment.status, shipment.trackingNumbers]),
  };
}

describe("an order's write, all statements at once", () => {
  const shops: { id: string; domain: string }[] = [];
  const shop = async (name: string) => {
    const created = await createTestShop(name);
    shops.push(created);
    return created;
  };
  afterAll(async () => {
    // Jobs have no foreign key to their shop: a retry left queued here goes with it.
    await prisma.job.deleteMany({ where: { shopId: { in: shops.map((created) => created.id) } } });
    for (const { domain } of shops) await deleteTestShop(domain);
  });

  async function record(shopDomain: string, topic: string, payload: Record<string, unknown>) {
    const recorded = await recordWebhook({ platform: "shopify", shopDomain, topic, deliveryId: randomUUID(), triggeredAt: new Date().toISOString(), payload: payload as never });
    if (recorded.duplicate) throw new Error("recorded as a duplicate");
    return recorded.id;
  }

  it("runs pipelined on the app's pool on PostgreSQL (and one statement at a time on the embedded database)", async () => {
    const client = await getPool().connect();
    try {
      expect((client as unknown as pg.Client).pipeline).toBe(namedStatementsAllowed());
    } finally {
      client.release();
    }
  });

  describe("writes the same rows and outcomes whichever way its statements travel", () => {
    let oneAtATime: pg.Pool;
    beforeAll(() => {
      oneAtATime = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
    });
    afterAll(() => oneAtATime.end());

    it("pipelined pool, a pool that waits for each answer, and a Prisma transaction agree", async () => {
      const drivers: [string, Parameters<typeof applyOrder>[0]][] = [
        ["pipelined", getPool()],
        ["one at a time", oneAtATime],
        ["prisma", prisma],
      ];
      const results = [];
      for (const [name, db] of drivers) {
        const { id } = await shop(`Pipeline ${name}`);
        const outcomes: ApplyOutcome[] = [];
        // Placed; refunded and fulfilled; an older version late; the newest again.
        for (const payload of [version(1), version(3), version(2), version(3)]) outcomes.push((await applyOrder(db, id, snapshot(payload))).outcome);
        expect(outcomes, name).toEqual(["created", "updated", "stale", "unchanged"]);
        results.push(await storedOrder(id));
      }
      expect(results[0]!.lines).toEqual([
        ["gid://shopify/LineItem/14000001", 1, "120.00", 0, 1],
        ["gid://shopify/LineItem/14000002", 3, "17.00", 2, 3],
      ]);
      expect(results[0]!.refunds).toEqual([["gid://shopify/Refund/9100001", "33.12", "USD", "succeeded"]]);
      expect(results[0]!.order.slice(2, 6)).toEqual(["163.16", "partially_refunded", "fulfilled", "2026-11-10T19:00:05.000Z"]);
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
    });
  });

  it("an order payload older than the stored one leaves its customer alone, even when it carries a newer customer", async () => {
    const { id } = await shop("Pipeline stale customer");
    await applyOrder(getPool(), id, snapshot(version(2)));
    const older = version(1, ORDER, { customer: customerPayload({ first_name: "Stale", updated_at: LATER_CUSTOMER }) });
    expect((await applyOrder(getPool(), id, snapshot(older))).outcome).toBe("stale");
    expect((await storedOrder(id)).customer).toEqual(["maya.lopez@example.com", "Maya", "2026-11-02T16:00:00.000Z"]);
    // A newer order payload with the newer customer does write it.
    await applyOrder(getPool(), id, snapshot(version(3, ORDER, { customer: customerPayload({ first_name: "Fresh", updated_at: LATER_CUSTOMER }) })));
    expect((await storedOrder(id)).customer).toEqual(["maya.lopez@example.com", "Fresh", "2026-12-01T00:00:00.000Z"]);
  });

  it("is one transaction: a refund that cannot be stored leaves nothing of its order, and the event is retried", async () => {
    const { id, domain } = await shop("Pipeline rollback");
    const broken = version(3, ORDER, {
      // numeric(12,2) holds less: the refund's statement fails after the customer's and the order's ran.
      refunds: [refundPayload({ transactions: [{ id: 880_009, kind: "refund", status: "success", amount: "100000000000.00", gateway: "manual", currency: "USD" }] })],
    });
    const eventId = await record(domain, "orders/create", broken);
    expect(await runJobsOnce(prisma, jobHandlers, { workerId: "pipeline-test", shopId: id })).toBe(1);
    const event = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(event).toMatchObject({ status: "failed", attempts: 1 });
    expect(event.lastError).toMatch(/numeric field overflow/);
    const job = await prisma.job.findFirstOrThrow({ where: { shopId: id, payload: { equals: { webhookEventId: eventId } } } });
    expect(job).toMatchObject({ status: "queued", attempts: 1 });
    expect(await prisma.order.count({ where: { shopId: id } })).toBe(0);
    expect(await prisma.orderLineItem.count({ where: { shopId: id } })).toBe(0);
    expect(await prisma.customer.count({ where: { shopId: id } })).toBe(0);
    // The connection is usable again: the next delivery on the pool applies.
    await record(domain, "orders/updated", version(3));
    await runJobsOnce(prisma, jobHandlers, { workerId: "pipeline-test", shopId: id });
    expect((await storedOrder(id)).refunds).toEqual([["gid://shopify/Refund/9100001", "33.12", "USD", "succeeded"]]);
  });

  it("a newer and an older update of one order in one claimed batch, in either order, end in the newer", async () => {
    const { id, domain } = await shop("Pipeline batch");
    const newerFirst = ORDER + 1;
    const olderFirst = ORDER + 2;
    const events: Record<string, string> = {};
    // Recorded one after the other, so the batch runs them in this order (jobs run by runAt).
    for (const [key, topic, payload] of [
      ["newer-first:new", "orders/updated", version(2, newerFirst)],
      ["older-first:old", "orders/create", version(1, olderFirst)],
      ["newer-first:old", "orders/create", version(1, newerFirst)],
      ["older-first:new", "orders/updated", version(2, olderFirst)],
    ] as const) {
      events[key] = await record(domain, topic, payload);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await runJobsOnce(prisma, jobHandlers, { workerId: "pipeline-batch", shopId: id, limit: 10 })).toBe(4);
    for (const order of [newerFirst, olderFirst]) {
      expect((await storedOrder(id, order)).order.slice(2, 6)).toEqual(["162.16", "paid", "unfulfilled", "2026-11-03T17:00:00.000Z"]);
    }
    const stored = await prisma.webhookEvent.findMany({ where: { id: { in: Object.values(events) } } });
    const byKey = Object.fromEntries(Object.entries(events).map(([key, eventId]) => [key, stored.find((event) => event.id === eventId)!]));
    expect(Object.values(byKey).every((event) => event.status === "processed")).toBe(true);
    expect(byKey["newer-first:old"]!.lastError).toBe("older than the stored version; not applied");
    for (const key of ["newer-first:new", "older-first:old", "older-first:new"]) expect(byKey[key]!.lastError, key).toBeNull();
  });

  it("a batch's deliveries are applied together, each on its own: one that fails rolls back alone and is retried", async () => {
    const { id, domain } = await shop("Pipeline batch failure");
    const [good, broken, later] = [ORDER + 11, ORDER + 12, ORDER + 13];
    await applyOrder(getPool(), id, snapshot(version(2, later)));
    const overflow = [{ id: 880_019, kind: "refund", status: "success", amount: "100000000000.00", gateway: "manual", currency: "USD" }];
    const events: Record<string, string> = {};
    for (const [key, topic, payload] of [
      // A refund recorded before its order: the batch's orders go first, so it finds the order.
      ["refund", "refunds/create", refundPayload({ id: 9_100_011, admin_graphql_api_id: "gid://shopify/Refund/9100011", order_id: good })],
      ["good", "orders/create", version(1, good)],
      ["broken", "orders/create", version(3, broken, { refunds: [refundPayload({ order_id: broken, transactions: overflow })] })],
      ["stale", "orders/updated", version(1, later)],
      ["later", "orders/updated", version(3, later)],
    ] as const) {
      events[key] = await record(domain, topic, payload);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await runJobsOnce(prisma, jobHandlers, { workerId: "pipeline-batch-failure", shopId: id, limit: 10 })).toBe(5);
    const stored = Object.fromEntries(
      await Promise.all(Object.entries(events).map(async ([key, eventId]) => [key, await prisma.webhookEvent.findUniqueOrThrow({ where: { id: eventId } })] as const)),
    );
    expect(Object.fromEntries(Object.entries(stored).map(([key, event]) => [key, event.status]))).toEqual({
      refund: "processed",
      good: "processed",
      broken: "failed",
      stale: "processed",
      later: "processed",
    });
    expect(stored.broken!.lastError).toMatch(/numeric field overflow/);
    expect(stored.stale!.lastError).toBe("older than the stored version; not applied");
    const jobs = await prisma.job.findMany({ where: { shopId: id }, select: { payload: true, status: true, attempts: true } });
    const jobOf = (key: string) => jobs.find((job) => (job.payload as { webhookEventId: string }).webhookEventId === events[key]);
    expect(jobOf("broken")).toMatchObject({ status: "queued", attempts: 1 });
    for (const key of ["refund", "good", "stale", "later"]) expect(jobOf(key), key).toMatchObject({ status: "succeeded" });
    expect(await prisma.order.count({ where: { shopId: id, externalId: gid(broken) } })).toBe(0);
    expect((await storedOrder(id, good)).refunds).toEqual([["gid://shopify/Refund/9100011", "33.12", "USD", "succeeded"]]);
    expect((await storedOrder(id, good)).lines.map((line) => line[3])).toEqual([0, 2]);
    expect((await storedOrder(id, later)).order.slice(2, 6)).toEqual(["163.16", "partially_refunded", "fulfilled", "2026-11-10T19:00:05.000Z"]);
  });

  it("an order delivery older than the stored order is closed unread; one whose updated_at is not a time is read and checked", async () => {
    const { id, domain } = await shop("Pipeline stale unread");
    await applyOrder(getPool(), id, snapshot(version(2)));
    // Older than the stored order and not a valid order payload (no line items, no totals): never parsed, so closed as stale.
    const olderBroken = { id: ORDER, admin_graphql_api_id: gid(ORDER), updated_at: "2026-11-02T09:15:05-07:00" };
    const unreadable = { ...olderBroken, updated_at: "yesterday" };
    const stale = await record(domain, "orders/updated", olderBroken);
    const checked = await record(domain, "orders/updated", unreadable);
    expect(await runJobsOnce(prisma, jobHandlers, { workerId: "pipeline-stale", shopId: id, limit: 10 })).toBe(2);
    expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { id: stale } })).toMatchObject({ status: "processed", lastError: "older than the stored version; not applied" });
    const failed = await prisma.webhookEvent.findUniqueOrThrow({ where: { id: checked } });
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toMatch(/line_items|total_price|updated_at/);
    expect((await storedOrder(id)).order.slice(2, 6)).toEqual(["162.16", "paid", "unfulfilled", "2026-11-03T17:00:00.000Z"]);
  });

  it.skipIf(process.env.SHOPDESK_EMBEDDED_DATABASE === "1")(
    "an older update whose order was written while it waited for the order's lock changes nothing and says so",
    async () => {
      // The embedded database shares one session between connections, so one cannot wait on another's lock there.
      const { id, domain } = await shop("Pipeline lock race");
      const older = version(1, ORDER, { customer: customerPayload({ first_name: "Older", updated_at: LATER_CUSTOMER }) });
      const eventId = await record(domain, "orders/create", older);
      const holder = await getPool().connect();
      let running: Promise<number> | undefined;
      try {
        await holder.query("BEGIN");
        // The newer version is written and holds the order's lock until its commit.
        await applyOrder(holder, id, snapshot(version(2)));
        // The older delivery finds no stored order yet (not committed), so it goes on to its write and waits.
        running = runJobsOnce(prisma, jobHandlers, { workerId: "pipeline-race", shopId: id });
        const deadline = Date.now() + 15_000;
        for (;;) {
          const { rows } = await getPool().query(`SELECT count(*)::int AS "waiting" FROM pg_locks WHERE "locktype" = 'advisory' AND NOT "granted"`);
          if (rows[0].waiting > 0) break;
          if (Date.now() > deadline) throw new Error("the older delivery never waited for the order's lock");
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await holder.query("COMMIT");
      } finally {
        holder.release();
      }
      expect(await running).toBe(1);
      const stored = await storedOrder(id);
      expect(stored.order.slice(2, 6)).toEqual(["162.16", "paid", "unfulfilled", "2026-11-03T17:00:00.000Z"]);
      expect(stored.customer).toEqual(["maya.lopez@example.com", "Maya", "2026-11-02T16:00:00.000Z"]);
      expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { id: eventId } })).toMatchObject({
        status: "processed",
        lastError: "older than the stored version; not applied",
      });
      expect(await prisma.job.findFirstOrThrow({ where: { shopId: id, payload: { equals: { webhookEventId: eventId } } } })).toMatchObject({ status: "succeeded" });
    },
  );
});
