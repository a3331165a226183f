import { createHmac, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { MAX_WEBHOOK_BODY_BYTES, recordWebhook } from "~/modules/commerce";
import { installDemoSession } from "~/modules/demo";
import { runJobsOnce } from "~/modules/jobs";
import { APP_SCOPES } from "~/shopify.server";
import { jobHandlers } from "~/worker.server";
import { type ShopifyDelivery, shopifyDelivery, startWebhookServer } from "../support/shopify-webhooks";
import { createTestShop, deleteTestShop } from "../support/shops";

/** The delivery with headers replaced, or removed where the value is undefined. */
function withHeaders(delivery: ShopifyDelivery, changes: Record<string, string | undefined>): ShopifyDelivery {
  const headers = { ...delivery.headers };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { ...delivery, headers };
}

async function drainJobs() {
  while ((await runJobsOnce(prisma, jobHandlers)) > 0) {}
}

describe("Shopify webhooks", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  let webhooks: Awaited<ReturnType<typeof startWebhookServer>>;
  beforeAll(async () => {
    shop = await createTestShop();
    await installDemoSession(prisma, shop.domain, APP_SCOPES);
    webhooks = await startWebhookServer();
  });
  afterAll(async () => {
    await webhooks.close();
    await deleteTestShop(shop.domain);
  });

  /** POSTs a signed delivery over HTTP to the app's webhook handler; answers the status. */
  const deliver = (topic: string, shopDomain: string, payload: unknown, options: { eventId?: string; secret?: string } = {}) =>
    webhooks.post(shopifyDelivery(topic, shopDomain, payload, options));

  it("records a delivery once however often Shopify retries it, and answers 200 each time", async () => {
    const eventId = randomUUID();
    const payload = { id: 820982911946154500, name: "#1001" };
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await deliver("orders/create", shop.domain, payload, { eventId })).toBe(200);
    }
    const events = await prisma.webhookEvent.findMany({ where: { deliveryId: eventId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ shopId: shop.id, topic: "orders/create", platform: "shopify", apiVersion: "2026-10" });
    expect(await prisma.job.count({ where: { name: "webhooks.process", payload: { equals: { webhookEventId: events[0]!.id } } } })).toBe(1);
  });

  it("takes deliveries arriving at once, a retry racing its original included: each event once, with one job", async () => {
    const eventIds = Array.from({ length: 10 }, () => randomUUID());
    const deliveries = eventIds.flatMap((eventId, index) => [0, 1].map(() => shopifyDelivery("orders/updated", shop.domain, { id: index }, { eventId })));
    expect(await Promise.all(deliveries.map((delivery) => webhooks.post(delivery)))).toEqual(deliveries.map(() => 200));
    const events = await prisma.webhookEvent.findMany({ where: { deliveryId: { in: eventIds } } });
    expect(events.map((event) => event.deliveryId).sort()).toEqual([...eventIds].sort());
    const jobs = await prisma.job.findMany({ where: { name: "webhooks.process", shopId: shop.id, dedupeKey: { in: events.map((event) => `webhook:${event.id}`) } } });
    expect(jobs).toHaveLength(10);
    // Not for processing here: the payloads are not orders.
    await prisma.job.deleteMany({ where: { id: { in: jobs.map((job) => job.id) } } });
    await prisma.webhookEvent.deleteMany({ where: { id: { in: events.map((event) => event.id) } } });
  });

  it("answers each of deliveries arriving together on its own: one body that is not JSON is refused, the rest are recorded", async () => {
    const valid = Array.from({ length: 12 }, (_, index) => shopifyDelivery("orders/updated", shop.domain, { id: index }));
    const body = '{"id": 1,';
    const template = shopifyDelivery("orders/updated", shop.domain, {});
    const notJson = { ...withHeaders(template, { "X-Shopify-Hmac-Sha256": createHmac("sha256", DEV_SHOPIFY_API_SECRET).update(body).digest("base64") }), body };
    const deliveries = [...valid.slice(0, 6), notJson, ...valid.slice(6)];
    expect(await Promise.all(deliveries.map((delivery) => webhooks.post(delivery)))).toEqual(deliveries.map((delivery) => (delivery === notJson ? 400 : 200)));
    const ids = valid.map((delivery) => delivery.headers["X-Shopify-Event-Id"]!);
    const events = await prisma.webhookEvent.findMany({ where: { deliveryId: { in: ids } } });
    expect(events.map((event) => event.deliveryId).sort()).toEqual([...ids].sort());
    expect(await prisma.webhookEvent.count({ where: { deliveryId: notJson.headers["X-Shopify-Event-Id"] } })).toBe(0);
    const jobs = await prisma.job.deleteMany({ where: { dedupeKey: { in: events.map((event) => `webhook:${event.id}`) } } });
    expect(jobs.count).toBe(12);
    await prisma.webhookEvent.deleteMany({ where: { id: { in: events.map((event) => event.id) } } });
  });

  it("writes deliveries that wait on earlier ones in one statement (group commit), each answered for itself", async () => {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
    const statements: number[] = [];
    const query = pool.query.bind(pool) as (config: { values?: unknown[] }) => Promise<unknown>;
    (pool as unknown as { query: typeof query }).query = (config) => {
      statements.push((config.values?.length ?? 0) / 9);
      return query(config);
    };
    try {
      const eventIds = Array.from({ length: 20 }, () => randomUUID());
      // Issued together, as concurrent requests are: the first two go at once, the others wait and go together.
      const recorded = await Promise.all(
        [...eventIds, eventIds[3]!].map((deliveryId, index) => recordWebhook({ platform: "shopify", shopDomain: shop.domain, topic: "orders/updated", deliveryId, payload: { id: index } }, pool)),
      );
      expect(statements.length).toBeLessThan(recorded.length);
      expect(statements.reduce((sum, rows) => sum + rows, 0)).toBe(recorded.length);
      expect(recorded.filter((entry) => entry.duplicate)).toHaveLength(1);
      const events = await prisma.webhookEvent.findMany({ where: { deliveryId: { in: eventIds } } });
      expect(events).toHaveLength(20);
      expect(new Set(recorded.flatMap((entry) => (entry.duplicate ? [] : [entry.id])))).toEqual(new Set(events.map((event) => event.id)));
      const jobs = await prisma.job.deleteMany({ where: { dedupeKey: { in: events.map((event) => `webhook:${event.id}`) } } });
      expect(jobs.count).toBe(20);
      await prisma.webhookEvent.deleteMany({ where: { id: { in: events.map((event) => event.id) } } });
    } finally {
      await pool.end();
    }
  });

  it("refuses a bad HMAC with 401 and records nothing", async () => {
    const eventId = randomUUID();
    expect(await deliver("customers/redact", shop.domain, { shop_domain: shop.domain }, { eventId, secret: "forged" })).toBe(401);
    expect(await prisma.webhookEvent.count({ where: { deliveryId: eventId } })).toBe(0);
  });

  it("refuses a topic sent to another topic's route", async () => {
    const eventId = randomUUID();
    const delivery = shopifyDelivery("orders/create", shop.domain, { id: 1 }, { eventId });
    expect(await webhooks.post({ ...delivery, path: "/webhooks/customers/redact" })).toBe(400);
    expect(await prisma.webhookEvent.count({ where: { deliveryId: eventId } })).toBe(0);
  });

  it("answers 404 to a topic the app does not subscribe, and records nothing", async () => {
    const eventId = randomUUID();
    expect(await deliver("orders/paid", shop.domain, { id: 1 }, { eventId })).toBe(404);
    expect(await prisma.webhookEvent.count({ where: { deliveryId: eventId } })).toBe(0);
  });

  it("refuses a delivery without a signature, or whose body was changed after signing, with 401 (compliance topics too)", async () => {
    const unsigned = shopifyDelivery("shop/redact", shop.domain, { shop_id: 1, shop_domain: shop.domain });
    expect(await webhooks.post(withHeaders(unsigned, { "X-Shopify-Hmac-Sha256": undefined }))).toBe(401);
    const altered = shopifyDelivery("customers/data_request", shop.domain, { shop_domain: shop.domain, customer: { id: 1 } });
    expect(await webhooks.post({ ...altered, body: altered.body.replace('"id":1', '"id":2') })).toBe(401);
    for (const delivery of [unsigned, altered]) {
      expect(await prisma.webhookEvent.count({ where: { deliveryId: delivery.headers["X-Shopify-Event-Id"] } })).toBe(0);
    }
  });

  it("requires a shop domain on myshopify.com and an event id (the webhook id when there is none)", async () => {
    const delivery = () => shopifyDelivery("orders/create", shop.domain, { id: 7 });
    expect(await webhooks.post(withHeaders(delivery(), { "X-Shopify-Shop-Domain": undefined }))).toBe(400);
    expect(await webhooks.post(withHeaders(delivery(), { "X-Shopify-Shop-Domain": "attacker.example.com" }))).toBe(400);
    expect(await webhooks.post(withHeaders(delivery(), { "X-Shopify-Event-Id": undefined, "X-Shopify-Webhook-Id": undefined }))).toBe(400);

    const byWebhookId = withHeaders(delivery(), { "X-Shopify-Event-Id": undefined });
    expect(await webhooks.post(byWebhookId)).toBe(200);
    const event = await prisma.webhookEvent.findUniqueOrThrow({
      where: { platform_deliveryId: { platform: "shopify", deliveryId: byWebhookId.headers["X-Shopify-Webhook-Id"]! } },
    });
    expect(event).toMatchObject({ shopId: shop.id, shopDomain: shop.domain, topic: "orders/create", payload: { id: 7 } });
    expect(event.triggeredAt?.toISOString()).toBe(byWebhookId.headers["X-Shopify-Triggered-At"]);
  });

  it("refuses a signed body that is not JSON with 400", async () => {
    const body = '{"id": 1,';
    const delivery = shopifyDelivery("orders/create", shop.domain, {});
    const notJson = { ...withHeaders(delivery, { "X-Shopify-Hmac-Sha256": createHmac("sha256", DEV_SHOPIFY_API_SECRET).update(body).digest("base64") }), body };
    expect(await webhooks.post(notJson)).toBe(400);
    expect(await prisma.webhookEvent.count({ where: { deliveryId: delivery.headers["X-Shopify-Event-Id"] } })).toBe(0);
  });

  it("refuses a body over the size cap with 413", async () => {
    const delivery = shopifyDelivery("orders/create", shop.domain, { note: "x".repeat(MAX_WEBHOOK_BODY_BYTES) });
    expect(await webhooks.post(delivery)).toBe(413);
    expect(await prisma.webhookEvent.count({ where: { deliveryId: delivery.headers["X-Shopify-Event-Id"] } })).toBe(0);
  });

  it("records a delivery for a shop it does not know without a shop, and queues it", async () => {
    const delivery = shopifyDelivery("app/uninstalled", "never-installed-shop.myshopify.com", { id: 3 });
    expect(await webhooks.post(delivery)).toBe(200);
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { deliveryId: delivery.headers["X-Shopify-Event-Id"] } });
    expect(event).toMatchObject({ shopId: null, shopDomain: "never-installed-shop.myshopify.com" });
    const job = await prisma.job.findFirstOrThrow({ where: { name: "webhooks.process", payload: { equals: { webhookEventId: event.id } } } });
    expect(job).toMatchObject({ shopId: null, status: "queued", dedupeKey: `webhook:${event.id}` });
    await prisma.job.delete({ where: { id: job.id } });
    await prisma.webhookEvent.delete({ where: { id: event.id } });
  });

  it("answers 500 when the database fails, so Shopify retries, and logs the failure without the payload", async () => {
    const closed = new pg.Pool({ connectionString: process.env.DATABASE_URL });
    await closed.end();
    const failing = await startWebhookServer({ pool: closed });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const delivery = shopifyDelivery("customers/redact", shop.domain, { shop_domain: shop.domain, customer: { email: "private.person@example.com" } });
      expect(await failing.post(delivery)).toBe(500);
      const lines = logged.mock.calls.map((call) => call.join(" "));
      expect(lines.some((line) => line.includes(delivery.headers["X-Shopify-Event-Id"]!))).toBe(true);
      expect(lines.join("\n")).not.toContain("private.person");
      expect(await prisma.webhookEvent.count({ where: { deliveryId: delivery.headers["X-Shopify-Event-Id"] } })).toBe(0);
    } finally {
      logged.mockRestore();
      await failing.close();
    }
  });

  it("customers/redact erases the customer's personal data but keeps the order history", async () => {
    const customer = await prisma.customer.create({
      data: { shopId: shop.id, platform: "shopify", externalId: "gid://shopify/Customer/207119551", email: "ada@example.com", firstName: "Ada", lastName: "L" },
    });
    const order = await prisma.order.create({
      data: {
        shopId: shop.id, customerId: customer.id, platform: "shopify", externalId: "gid://shopify/Order/1", name: "#1001", number: 1001,
        email: "ada@example.com", currency: "USD", subtotal: 10, total: 10, placedAt: new Date(), sourceUpdatedAt: new Date(),
        shippingAddress: { address1: "1 Main St", city: "Springfield" },
      },
    });
    const conversation = await prisma.conversation.create({
      data: { shopId: shop.id, customerId: customer.id, tokenHash: randomUUID(), shopperEmail: "ada@example.com", messages: { create: [
        { shopId: shop.id, author: "shopper", body: "My address is 1 Main St" },
        { shopId: shop.id, author: "assistant", body: "Thanks, I found your order." },
      ] } },
    });
    const payload = { shop_id: 1, shop_domain: shop.domain, customer: { id: 207119551, email: "ada@example.com" }, orders_to_redact: [1] };
    expect(await deliver("customers/redact", shop.domain, payload)).toBe(200);
    await drainJobs();

    const after = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(after).toMatchObject({ email: null, firstName: null, lastName: null });
    expect(after.redactedAt).toBeInstanceOf(Date);
    const orderAfter = await prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(orderAfter).toMatchObject({ email: null, shippingAddress: null, total: expect.anything() });
    const messages = await prisma.message.findMany({ where: { conversationId: conversation.id }, orderBy: { createdAt: "asc" } });
    expect(messages.find((message) => message.author === "shopper")!.body).toBe("[redacted]");
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).shopperEmail).toBeNull();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { shopId: shop.id, topic: "customers/redact" } });
    expect(event.status).toBe("processed");
  });

  it("customers/data_request exports what we hold about the customer", async () => {
    await prisma.customer.create({
      data: { shopId: shop.id, platform: "shopify", externalId: "gid://shopify/Customer/55", email: "grace@example.com", firstName: "Grace" },
    });
    const payload = { shop_domain: shop.domain, customer: { id: 55, email: "grace@example.com" }, orders_requested: [], data_request: { id: 9999 } };
    expect(await deliver("customers/data_request", shop.domain, payload)).toBe(200);
    await drainJobs();
    const exported = await prisma.dataRequestExport.findFirstOrThrow({ where: { shopId: shop.id, dataRequestId: "9999" } });
    expect(JSON.stringify(exported.content)).toContain("grace@example.com");
    // The audit trail names the export, not the customer.
    const log = await prisma.actionLog.findFirstOrThrow({ where: { shopId: shop.id, action: "compliance.data_request" } });
    expect(log).toMatchObject({ targetId: exported.id, result: { customers: 1, orders: 0, conversations: 0 } });
    expect(JSON.stringify(log)).not.toContain("grace@example.com");
  });

  it("a payload that is not in Shopify's format fails visibly and is kept for replay, not lost", async () => {
    const eventId = randomUUID();
    expect(await deliver("refunds/create", shop.domain, { id: 5 }, { eventId })).toBe(200);
    await drainJobs();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { deliveryId: eventId } });
    expect(event.status).toBe("failed");
    expect(event.lastError).toContain("order_id");
    expect(event.payload).toEqual({ id: 5 });
    const job = await prisma.job.findFirstOrThrow({ where: { payload: { equals: { webhookEventId: event.id } } } });
    expect(job.status).toBe("queued");
    expect(job.lastError).toContain("order_id");
  });

  it("app/uninstalled removes sessions; shop/redact deletes the shop's data", async () => {
    const other = await createTestShop("Leaving shop");
    await installDemoSession(prisma, other.domain, APP_SCOPES);
    expect(await deliver("app/uninstalled", other.domain, { id: 1 })).toBe(200);
    await drainJobs();
    expect(await prisma.session.count({ where: { shop: other.domain } })).toBe(0);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: other.id } })).uninstalledAt).toBeInstanceOf(Date);

    expect(await deliver("shop/redact", other.domain, { shop_id: 2, shop_domain: other.domain })).toBe(200);
    await drainJobs();
    expect(await prisma.shop.count({ where: { id: other.id } })).toBe(0);
    // The shop we are testing with is untouched.
    expect(await prisma.shop.count({ where: { id: shop.id } })).toBe(1);
  });
});
