import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { handleShopifyWebhook } from "~/webhooks.server";
import { installDemoSession } from "~/modules/demo";
import { runJobsOnce } from "~/modules/jobs";
import { APP_SCOPES } from "~/shopify.server";
import { jobHandlers } from "~/worker.server";
import { createTestShop, deleteTestShop } from "../support/shops";

function shopifyWebhook(topic: string, shopDomain: string, payload: unknown, options: { eventId?: string; secret?: string } = {}) {
  const body = JSON.stringify(payload);
  return new Request(`http://localhost/webhooks/${topic}`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shopDomain,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-Hmac-Sha256": createHmac("sha256", options.secret ?? DEV_SHOPIFY_API_SECRET).update(body).digest("base64"),
    },
  });
}

async function drainJobs() {
  while ((await runJobsOnce(prisma, jobHandlers)) > 0) {}
}

async function status(response: Response | Promise<Response>) {
  try {
    return (await response).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

describe("Shopify webhooks", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  beforeAll(async () => {
    shop = await createTestShop();
    await installDemoSession(prisma, shop.domain, APP_SCOPES);
  });
  afterAll(() => deleteTestShop(shop.domain));

  it("records a delivery once however often Shopify retries it, and answers 200 each time", async () => {
    const eventId = randomUUID();
    const payload = { id: 820982911946154500, name: "#1001" };
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await status(handleShopifyWebhook(shopifyWebhook("orders/create", shop.domain, payload, { eventId }), "orders/create"))).toBe(200);
    }
    const events = await prisma.webhookEvent.findMany({ where: { deliveryId: eventId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ shopId: shop.id, topic: "orders/create", platform: "shopify", apiVersion: "2026-10" });
    expect(await prisma.job.count({ where: { name: "webhooks.process", payload: { equals: { webhookEventId: events[0]!.id } } } })).toBe(1);
  });

  it("refuses a bad HMAC with 401 and records nothing", async () => {
    const eventId = randomUUID();
    const request = shopifyWebhook("customers/redact", shop.domain, { shop_domain: shop.domain }, { eventId, secret: "forged" });
    expect(await status(handleShopifyWebhook(request, "customers/redact"))).toBe(401);
    expect(await prisma.webhookEvent.count({ where: { deliveryId: eventId } })).toBe(0);
  });

  it("refuses a topic sent to another topic's route", async () => {
    const request = shopifyWebhook("orders/create", shop.domain, { id: 1 });
    expect(await status(handleShopifyWebhook(request, "customers/redact"))).toBe(400);
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
    expect(await status(handleShopifyWebhook(shopifyWebhook("customers/redact", shop.domain, payload), "customers/redact"))).toBe(200);
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
    expect(await status(handleShopifyWebhook(shopifyWebhook("customers/data_request", shop.domain, payload), "customers/data_request"))).toBe(200);
    await drainJobs();
    const log = await prisma.actionLog.findFirstOrThrow({ where: { shopId: shop.id, action: "compliance.data_request" } });
    expect(JSON.stringify(log.result)).toContain("grace@example.com");
  });

  it("a payload that is not in Shopify's format fails visibly and is kept for replay, not lost", async () => {
    const eventId = randomUUID();
    await handleShopifyWebhook(shopifyWebhook("refunds/create", shop.domain, { id: 5 }, { eventId }), "refunds/create");
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
    await handleShopifyWebhook(shopifyWebhook("app/uninstalled", other.domain, { id: 1 }), "app/uninstalled");
    await drainJobs();
    expect(await prisma.session.count({ where: { shop: other.domain } })).toBe(0);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: other.id } })).uninstalledAt).toBeInstanceOf(Date);

    await handleShopifyWebhook(shopifyWebhook("shop/redact", other.domain, { shop_id: 2, shop_domain: other.domain }), "shop/redact");
    await drainJobs();
    expect(await prisma.shop.count({ where: { id: other.id } })).toBe(0);
    // The shop we are testing with is untouched.
    expect(await prisma.shop.count({ where: { id: shop.id } })).toBe(1);
  });
});
