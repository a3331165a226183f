import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { appProxyQuery, installDemoSession } from "~/modules/demo";
import { runJobsOnce } from "~/modules/jobs";
import { CONVERSATION_HEADER, type ConversationSnapshot, type StreamEvent } from "~/modules/storefront";
import { action as startConversation } from "~/routes/proxy.conversations";
import { action as sendMessage } from "~/routes/proxy.messages";
import { APP_SCOPES } from "~/shopify.server";
import { jobHandlers } from "~/worker.server";
import { createTestShop, deleteTestShop } from "../support/shops";
import {
  CUSTOMER_ID,
  customerPayload,
  type DeliveryOptions,
  fulfillmentPayload,
  ORDER_ID,
  orderPayload,
  productPayload,
  refundPayload,
  shopifyDelivery,
  startWebhookServer,
} from "../support/shopify-webhooks";

/**
 * Shopify's commerce topics POSTed over HTTP to the app's webhook handler (HMAC of the raw body verified,
 * recorded and queued), then the durable queue and the processors, into the unified model on the real database.
 */

const orderGid = (id: number) => `gid://shopify/Order/${id}`;

describe("Shopify commerce webhooks → unified model", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  let webhooks: Awaited<ReturnType<typeof startWebhookServer>>;

  beforeAll(async () => {
    shop = await createTestShop("Sync shop");
    await installDemoSession(prisma, shop.domain, APP_SCOPES);
    webhooks = await startWebhookServer();
  });
  afterAll(async () => {
    await webhooks.close();
    await deleteTestShop(shop.domain);
  });

  /** POSTs the signed delivery to the app's webhook handler over HTTP; answers the status. */
  const deliver = (topic: string, payload: unknown, options: DeliveryOptions = {}) => webhooks.post(shopifyDelivery(topic, shop.domain, payload, options));

  /** Runs this shop's queued jobs until none is due (failed ones wait for their retry time). */
  async function drain() {
    while ((await runJobsOnce(prisma, jobHandlers, { workerId: "sync-test", shopId: shop.id })) > 0) {}
  }

  const loadOrder = (id = ORDER_ID) =>
    prisma.order.findUniqueOrThrow({
      where: { shopId_platform_externalId: { shopId: shop.id, platform: "shopify", externalId: orderGid(id) } },
      include: { lineItems: { orderBy: { externalId: "asc" } }, refunds: true, shipments: true, customer: true },
    });

  it("orders/create maps totals, statuses, line items with discounts and taxes, shipping and the customer", async () => {
    expect(await deliver("orders/create", orderPayload())).toBe(200);
    await drain();
    const order = await loadOrder();
    expect(order).toMatchObject({ name: "#2041", number: 2041, email: "maya.lopez@example.com", currency: "USD", status: "open", financialStatus: "paid", fulfillmentStatus: "unfulfilled", taxesIncluded: false });
    expect(order.subtotal.toFixed(2)).toBe("152.00");
    expect(order.discountTotal.toFixed(2)).toBe("19.00");
    expect(order.taxTotal.toFixed(2)).toBe("12.16");
    expect(order.shippingTotal.toFixed(2)).toBe("5.00");
    expect(order.total.toFixed(2)).toBe("169.16");
    expect(order.placedAt.toISOString()).toBe("2026-11-02T16:15:00.000Z");
    expect(order.sourceUpdatedAt.toISOString()).toBe("2026-11-02T16:15:05.000Z");
    expect(order.shippingLines).toEqual([{ title: "Standard", code: "STANDARD", price: "8.00", discountedPrice: "5.00" }]);
    expect(order.shippingAddress).toMatchObject({ address1: "12 Alder Street", city: "Portland" });

    const [jacket, socks] = order.lineItems;
    expect(jacket).toMatchObject({ externalId: "gid://shopify/LineItem/14000001", productExternalId: "gid://shopify/Product/8100001", variantExternalId: "gid://shopify/ProductVariant/44000001", title: "Ridgeline Rain Jacket", variantTitle: "M / Moss", sku: "RRJ-M-MOSS", quantity: 1 });
    expect(jacket!.unitPrice.toFixed(2)).toBe("120.00");
    expect(jacket!.discountTotal.toFixed(2)).toBe("14.00");
    expect(jacket!.taxTotal.toFixed(2)).toBe("8.48");
    expect(jacket!.discountAllocations).toEqual([{ amount: "12.00", title: "FALL10" }, { amount: "2.00", title: "Loyalty" }]);
    expect(jacket!.taxLines).toEqual([{ title: "OR State Tax", rate: 0.08, amount: "8.48" }]);
    expect(socks).toMatchObject({ variantTitle: null, quantity: 3, fulfilledQuantity: 0, refundedQuantity: 0 });
    // Line discounts and taxes add up to the order's.
    expect(order.lineItems.reduce((sum, line) => sum + Number(line.discountTotal), 0).toFixed(2)).toBe("19.00");
    expect(order.lineItems.reduce((sum, line) => sum + Number(line.taxTotal), 0).toFixed(2)).toBe("12.16");

    // The customer came with the order: a logged-in shopper (logged_in_customer_id) is recognised by this id.
    expect(order.customer).toMatchObject({ externalId: `gid://shopify/Customer/${CUSTOMER_ID}`, email: "maya.lopez@example.com", firstName: "Maya", tags: ["VIP", "newsletter"] });
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { shopId: shop.id, topic: "orders/create" } });
    expect(event).toMatchObject({ status: "processed", lastError: null, attempts: 1 });
    // The job was finished in the delivery's own commit.
    const job = await prisma.job.findFirstOrThrow({ where: { payload: { equals: { webhookEventId: event.id } } } });
    expect(job).toMatchObject({ status: "succeeded", lockedAt: null });
    expect(job.finishedAt).toBeInstanceOf(Date);
  });

  it("fulfillments/create and /update become a shipment with every tracking number; an older update is not applied", async () => {
    expect(await deliver("fulfillments/create", fulfillmentPayload())).toBe(200);
    await drain();
    let order = await loadOrder();
    expect(order.shipments).toHaveLength(1);
    expect(order.shipments[0]).toMatchObject({
      externalId: "gid://shopify/Fulfillment/6300001",
      status: "in_transit",
      carrier: "UPS",
      trackingNumber: "1Z999AA10123456784",
      trackingNumbers: ["1Z999AA10123456784", "1Z999AA10123456795"],
      trackingUrl: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
    });
    expect(order.shipments[0]!.trackingUrls).toHaveLength(2);
    expect(order.lineItems.map((line) => line.fulfilledQuantity)).toEqual([1, 3]);

    expect(await deliver("fulfillments/update", fulfillmentPayload({ shipment_status: "delivered", updated_at: "2026-11-05T14:30:00-07:00" }))).toBe(200);
    expect(await deliver("fulfillments/update", fulfillmentPayload({ shipment_status: "out_for_delivery", updated_at: "2026-11-05T08:00:00-07:00" }))).toBe(200);
    await drain();
    order = await loadOrder();
    expect(order.shipments[0]).toMatchObject({ status: "delivered" });
    expect(order.shipments[0]!.deliveredAt?.toISOString()).toBe("2026-11-05T21:30:00.000Z");
    expect(order.shipments[0]!.sourceUpdatedAt?.toISOString()).toBe("2026-11-05T21:30:00.000Z");
  });

  it("refunds/create records the refund with its line items and transactions and the refunded quantity", async () => {
    expect(await deliver("refunds/create", refundPayload())).toBe(200);
    await drain();
    const order = await loadOrder();
    expect(order.refunds).toHaveLength(1);
    const refund = order.refunds[0]!;
    expect(refund).toMatchObject({ externalId: "gid://shopify/Refund/9100001", status: "succeeded", currency: "USD", reason: "Socks too small" });
    expect(refund.amount.toFixed(2)).toBe("33.12");
    expect(refund.lineItems).toEqual([{ lineItemExternalId: "gid://shopify/LineItem/14000002", quantity: 2, subtotal: "30.67", tax: "2.45", restockType: "return" }]);
    expect(refund.transactions).toEqual([{ externalId: "gid://shopify/OrderTransaction/880001", kind: "refund", status: "success", amount: "33.12", gateway: "shopify_payments" }]);
    expect(order.lineItems.map((line) => line.refundedQuantity)).toEqual([0, 2]);
  });

  it("orders/updated applies a newer version and keeps children delivered on their own topics", async () => {
    const newer = orderPayload({
      financial_status: "partially_refunded",
      fulfillment_status: "fulfilled",
      updated_at: "2026-11-10T12:00:05-07:00",
      refunds: [refundPayload()],
      fulfillments: [fulfillmentPayload({ shipment_status: "delivered", updated_at: "2026-11-05T14:30:00-07:00" })],
    });
    expect(await deliver("orders/updated", newer)).toBe(200);
    await drain();
    const order = await loadOrder();
    expect(order).toMatchObject({ financialStatus: "partially_refunded", fulfillmentStatus: "fulfilled" });
    expect(order.refunds).toHaveLength(1);
    expect(order.shipments).toHaveLength(1);
    expect(order.lineItems.map((line) => [line.fulfilledQuantity, line.refundedQuantity])).toEqual([[1, 0], [3, 2]]);
  });

  it("records a duplicate delivery once and applies it once", async () => {
    const eventId = randomUUID();
    const payload = orderPayload({ id: ORDER_ID + 1, admin_graphql_api_id: orderGid(ORDER_ID + 1), name: "#2042", order_number: 2042 });
    for (let attempt = 0; attempt < 3; attempt++) expect(await deliver("orders/create", payload, { eventId })).toBe(200);
    await drain();
    expect(await prisma.webhookEvent.count({ where: { deliveryId: eventId } })).toBe(1);
    expect(await prisma.order.count({ where: { shopId: shop.id, name: "#2042" } })).toBe(1);
    expect(await prisma.orderLineItem.count({ where: { order: { shopId: shop.id, name: "#2042" } } })).toBe(2);
  });

  it("20 updates of one order delivered in shuffled order end in the newest state", async () => {
    const id = ORDER_ID + 2;
    const base = Date.parse("2026-11-20T10:00:00Z");
    const versions = Array.from({ length: 20 }, (_, index) =>
      orderPayload({
        id,
        admin_graphql_api_id: orderGid(id),
        name: "#2043",
        order_number: 2043,
        updated_at: new Date(base + index * 60_000).toISOString(),
        note: `version ${index}`,
        total_price: (100 + index).toFixed(2),
        financial_status: index < 19 ? "pending" : "paid",
        fulfillment_status: index >= 10 ? "partial" : null,
        line_items: orderPayload().line_items.map((line) => ({ ...line, id: line.id + 100, admin_graphql_api_id: `gid://shopify/LineItem/${line.id + 100}`, quantity: index + 1 })),
      }),
    );
    // A fixed shuffle (Fisher-Yates on a seeded sequence) that puts the newest version in the middle.
    const order = versions.map((_, index) => index);
    let seed = 7;
    for (let i = order.length - 1; i > 0; i--) {
      seed = (seed * 48_271) % 2_147_483_647;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    expect(order.indexOf(19)).not.toBe(19);
    for (const index of order) expect(await deliver(index === 0 ? "orders/create" : "orders/updated", versions[index])).toBe(200);
    // Four workers at once, as several worker processes would: versions of one order race each other.
    await Promise.all(
      [1, 2, 3, 4].map(async (worker) => {
        while ((await runJobsOnce(prisma, jobHandlers, { workerId: `sync-test-${worker}`, shopId: shop.id, limit: 3 })) > 0) {}
      }),
    );
    const stored = await loadOrder(id);
    expect(stored.total.toFixed(2)).toBe("119.00");
    expect(stored).toMatchObject({ financialStatus: "paid", fulfillmentStatus: "partial" });
    expect(stored.sourceUpdatedAt.toISOString()).toBe(new Date(base + 19 * 60_000).toISOString());
    expect(stored.lineItems.map((line) => line.quantity)).toEqual([20, 20]);
    const events = await prisma.webhookEvent.findMany({ where: { shopId: shop.id, payload: { path: ["name"], equals: "#2043" } } });
    expect(events).toHaveLength(20);
    expect(events.every((event) => event.status === "processed")).toBe(true);
    // Deliveries processed after a newer one say so instead of overwriting it; the newest one never does.
    const stale = events.filter((event) => event.lastError?.startsWith("older than the stored version"));
    expect(stale.length).toBeGreaterThan(0);
    expect(stale.some((event) => (event.payload as { note?: string }).note === "version 19")).toBe(false);
  });

  it("two versions of one order written at the same time through the app's client: the newer always wins", async () => {
    // The app's default client is a proxy; each write must still be one transaction holding the order's lock.
    const { applyOrder, shopifyRest } = await import("~/modules/commerce");
    for (let round = 0; round < 15; round++) {
      const id = ORDER_ID + 100 + round;
      const version = (minute: number) =>
        shopifyRest.orderSnapshot(
          shopifyRest.OrderPayload.parse(orderPayload({ id, admin_graphql_api_id: orderGid(id), name: `#3${round}`, total_price: `${100 + minute}.00`, updated_at: `2026-11-21T10:0${minute}:00Z` })),
        );
      await Promise.all([applyOrder(prisma, shop.id, version(4)), applyOrder(prisma, shop.id, version(3)), applyOrder(prisma, shop.id, version(2))]);
      expect((await loadOrder(id)).total.toFixed(2)).toBe("104.00");
    }
  });

  it("orders/cancelled marks the order cancelled with Shopify's reason", async () => {
    const cancelled = orderPayload({
      id: ORDER_ID + 1,
      admin_graphql_api_id: orderGid(ORDER_ID + 1),
      name: "#2042",
      order_number: 2042,
      cancelled_at: "2026-11-03T10:00:00-07:00",
      cancel_reason: "customer",
      financial_status: "refunded",
      updated_at: "2026-11-03T10:00:01-07:00",
    });
    expect(await deliver("orders/cancelled", cancelled)).toBe(200);
    await drain();
    const order = await loadOrder(ORDER_ID + 1);
    expect(order).toMatchObject({ status: "cancelled", cancelReason: "customer", financialStatus: "refunded" });
    expect(order.cancelledAt?.toISOString()).toBe("2026-11-03T17:00:00.000Z");
  });

  it("a refund that arrives before its order is retried and applied once the order is there", async () => {
    const id = ORDER_ID + 3;
    const early = refundPayload({ id: 9_100_003, admin_graphql_api_id: "gid://shopify/Refund/9100003", order_id: id, refund_line_items: [{ id: 700_003, line_item_id: 14_000_301, quantity: 1, subtotal: "10.00", total_tax: "0.00" }] });
    expect(await deliver("refunds/create", early)).toBe(200);
    await drain();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { shopId: shop.id, topic: "refunds/create", payload: { path: ["id"], equals: 9_100_003 } } });
    expect(event.status).toBe("failed");
    expect(event.lastError).toContain("not synced yet");
    const job = await prisma.job.findFirstOrThrow({ where: { shopId: shop.id, payload: { equals: { webhookEventId: event.id } } } });
    expect(job).toMatchObject({ status: "queued", attempts: 1 });

    const line = { ...orderPayload().line_items[1]!, id: 14_000_301, admin_graphql_api_id: "gid://shopify/LineItem/14000301" };
    expect(await deliver("orders/create", orderPayload({ id, admin_graphql_api_id: orderGid(id), name: "#2044", order_number: 2044, line_items: [line] }))).toBe(200);
    await drain();
    // The retry's time comes: it applies now.
    await prisma.job.update({ where: { id: job.id }, data: { runAt: new Date() } });
    await drain();
    const order = await loadOrder(id);
    expect(order.refunds.map((refund) => refund.externalId)).toEqual(["gid://shopify/Refund/9100003"]);
    expect(order.lineItems[0]!.refundedQuantity).toBe(1);
    expect((await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).status).toBe("processed");
  });

  it("customers/create and /update keep the newest version", async () => {
    const id = CUSTOMER_ID + 5;
    const gid = `gid://shopify/Customer/${id}`;
    expect(await deliver("customers/create", customerPayload({ id, admin_graphql_api_id: gid, email: "sam@example.com", first_name: "Sam", updated_at: "2026-11-01T00:00:00Z" }))).toBe(200);
    expect(await deliver("customers/update", customerPayload({ id, admin_graphql_api_id: gid, email: "sam.new@example.com", first_name: "Samuel", tags: "", updated_at: "2026-11-03T00:00:00Z" }))).toBe(200);
    expect(await deliver("customers/update", customerPayload({ id, admin_graphql_api_id: gid, email: "sam.old@example.com", first_name: "Sammy", updated_at: "2026-11-02T00:00:00Z" }))).toBe(200);
    await drain();
    const customer = await prisma.customer.findUniqueOrThrow({ where: { shopId_platform_externalId: { shopId: shop.id, platform: "shopify", externalId: gid } } });
    expect(customer).toMatchObject({ email: "sam.new@example.com", firstName: "Samuel", lastName: "Lopez", phone: "+15035550142", tags: [] });
  });

  it("products/create, /update and /delete keep the catalogue and the product knowledge in step", async () => {
    const gid = "gid://shopify/Product/8100001";
    expect(await deliver("products/create", productPayload())).toBe(200);
    await drain();
    let product = await prisma.product.findUniqueOrThrow({ where: { shopId_platform_externalId: { shopId: shop.id, platform: "shopify", externalId: gid } }, include: { variants: { orderBy: { externalId: "asc" } } } });
    expect(product).toMatchObject({ title: "Ridgeline Rain Jacket", handle: "ridgeline-rain-jacket", vendor: "Northwind", productType: "Jackets", tags: ["rain", "outerwear"], status: "active", available: true, imageUrl: "https://cdn.shopify.com/s/files/ridgeline.jpg" });
    expect(product.description).toBe("A waterproof 2.5-layer shell.\n- Fully taped seams\n- Pit zips");
    expect([product.priceMin.toFixed(2), product.priceMax.toFixed(2)]).toEqual(["120.00", "125.00"]);
    expect(product.variants.map((variant) => [variant.title, variant.available, variant.inventoryQuantity])).toEqual([["M / Moss", true, 4], ["L / Moss", false, 0]]);
    const article = await prisma.knowledgeSource.findFirstOrThrow({ where: { shopId: shop.id, kind: "product", externalId: gid } });
    expect(article.body).toContain("waterproof");
    expect(article.status).toBe("published");

    // An update drops a variant and changes the price.
    const updated = productPayload({ updated_at: "2026-11-04T10:00:00-07:00", variants: [{ id: 44_000_001, title: "M / Moss", sku: "RRJ-M-MOSS", price: "99.00", inventory_quantity: 2, inventory_management: "shopify", inventory_policy: "deny" }] });
    expect(await deliver("products/update", updated)).toBe(200);
    await drain();
    product = await prisma.product.findUniqueOrThrow({ where: { id: product.id }, include: { variants: true } });
    expect(product.variants.map((variant) => variant.title)).toEqual(["M / Moss"]);
    expect(product.priceMax.toFixed(2)).toBe("99.00");

    // Deleted, then an older update arrives late: the product stays deleted and leaves the knowledge base.
    expect(await deliver("products/delete", { id: 8_100_001 }, { triggeredAt: new Date("2026-11-05T00:00:00Z") })).toBe(200);
    expect(await deliver("products/update", productPayload({ updated_at: "2026-11-04T12:00:00-07:00" }))).toBe(200);
    await drain();
    product = await prisma.product.findUniqueOrThrow({ where: { id: product.id }, include: { variants: true } });
    expect(product).toMatchObject({ status: "deleted", available: false });
    expect(product.variants).toHaveLength(0);
    expect(await prisma.knowledgeSource.count({ where: { shopId: shop.id, kind: "product", externalId: gid } })).toBe(0);
  });

  it("a shopper logged in as the synced customer sees the synced order in the storefront chat", async () => {
    const proxied = (path: string, body: unknown, token?: string) => {
      const query = appProxyQuery({ search: new URLSearchParams(), shopDomain: shop.domain, apiSecret: DEV_SHOPIFY_API_SECRET, loggedInCustomerId: String(CUSTOMER_ID) });
      const headers = new Headers({ "content-type": "application/json", "x-forwarded-for": "203.0.113.77" });
      if (token) headers.set(CONVERSATION_HEADER, token);
      return new Request(`http://localhost:3000/proxy/${path}?${query}`, { method: "POST", headers, body: JSON.stringify(body) });
    };
    const started = await startConversation({ request: proxied("conversations", { locale: "en" }), params: {}, context: {} });
    expect(started.status).toBe(200);
    const { token } = (await started.json()) as ConversationSnapshot;
    const reply = await sendMessage({ request: proxied("messages", { text: "Where is my order #2041?" }, token), params: {}, context: {} });
    const frames = (await reply.text()).split("\n\n").filter((frame) => frame.startsWith("event:"));
    const done = JSON.parse(frames.at(-1)!.split("\n").find((line) => line.startsWith("data: "))!.slice(6)) as Extract<StreamEvent, { type: "done" }>;
    expect(done.message!.orderCard).toMatchObject({ name: "#2041", shipments: [{ carrier: "UPS", trackingNumber: "1Z999AA10123456784" }] });
  });

  it("refuses a forged signature with 401 and stores nothing", async () => {
    const eventId = randomUUID();
    const forged = orderPayload({ id: ORDER_ID + 9, admin_graphql_api_id: orderGid(ORDER_ID + 9), name: "#2049" });
    expect(await deliver("orders/create", forged, { eventId, secret: "not-the-app-secret" })).toBe(401);
    await drain();
    expect(await prisma.webhookEvent.count({ where: { deliveryId: eventId } })).toBe(0);
    expect(await prisma.order.count({ where: { shopId: shop.id, name: "#2049" } })).toBe(0);
  });

  it("customers/redact erases synced customers and orders, and a later sync cannot bring the data back", async () => {
    // An address change the shopper asked for earlier holds her new address and her words.
    const requested = await prisma.orderAction.create({
      data: {
        shopId: shop.id,
        orderId: (await loadOrder()).id,
        kind: "update_address",
        actor: "assistant",
        idempotencyKey: `address-before-redact-${randomUUID()}`,
        input: { address: { address1: "9 Birch Lane", city: "Salem", countryCode: "US" }, reason: "Maya is moving to Salem" },
      },
    });
    const payload = { shop_id: 1, shop_domain: shop.domain, customer: { id: CUSTOMER_ID, email: "maya.lopez@example.com" }, orders_to_redact: [ORDER_ID] };
    expect(await deliver("customers/redact", payload)).toBe(200);
    await drain();
    // Its shape stays (readers parse it strictly); nothing of hers is left, and an address change without the address cannot be sent.
    expect(await prisma.orderAction.findUniqueOrThrow({ where: { id: requested.id } })).toMatchObject({
      status: "rejected",
      input: { address: { address1: "[redacted]", city: "[redacted]", countryCode: "US" }, reason: "[redacted]" },
    });
    let order = await loadOrder();
    expect(order).toMatchObject({ email: null, shippingAddress: null });
    expect(order.customer).toMatchObject({ email: null, firstName: null, lastName: null, phone: null });

    // Shopify keeps retrying an older orders/updated for 4 hours, and the customer may order again later.
    expect(await deliver("orders/updated", orderPayload({ updated_at: "2026-11-30T00:00:00Z", note: "late" }))).toBe(200);
    expect(await deliver("customers/update", customerPayload({ updated_at: "2026-11-30T00:00:00Z" }))).toBe(200);
    await drain();
    order = await loadOrder();
    expect(order.sourceUpdatedAt.toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(order).toMatchObject({ email: null, shippingAddress: null });
    expect(order.customer).toMatchObject({ email: null, firstName: null, phone: null });
    const text = JSON.stringify(await prisma.order.findMany({ where: { customerId: order.customerId }, include: { customer: true } }));
    expect(text).not.toMatch(/maya|lopez|Alder|5035550142/i);
    expect(JSON.stringify(await prisma.orderAction.findMany({ where: { shopId: shop.id } }))).not.toMatch(/maya|Birch|Salem/i);
  });
});
