import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEMO_SHOP_NAME, type SeedSummary, seedDemoShop } from "~/modules/demo";

const cents = (value: { toString(): string } | null | undefined) => Math.round(Number(value?.toString() ?? "0") * 100);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

const TRACKING_FORMATS: Record<string, RegExp> = {
  UPS: /^1Z[0-9A-Z]{16}$/,
  USPS: /^94\d{20}$/,
  FedEx: /^\d{12}$/,
  DHL: /^\d{10}$/,
};

interface TrackingEvent {
  at: string;
  status: string;
  location: string;
  message: string;
}

async function countRows(shopId: string) {
  const [products, variants, customers, orders, lineItems, shipments, refunds, sources, versions, conversations, messages, staff] = await Promise.all([
    prisma.product.count({ where: { shopId } }),
    prisma.productVariant.count({ where: { shopId } }),
    prisma.customer.count({ where: { shopId } }),
    prisma.order.count({ where: { shopId } }),
    prisma.orderLineItem.count({ where: { shopId } }),
    prisma.shipment.count({ where: { shopId } }),
    prisma.refund.count({ where: { shopId } }),
    prisma.knowledgeSource.count({ where: { shopId } }),
    prisma.knowledgeSourceVersion.count({ where: { source: { shopId } } }),
    prisma.conversation.count({ where: { shopId } }),
    prisma.message.count({ where: { shopId } }),
    prisma.staffMember.count({ where: { shopId } }),
  ]);
  return { products, variants, customers, orders, lineItems, shipments, refunds, sources, versions, conversations, messages, staff };
}

describe("demo shop seed", () => {
  const domain = `seed-test-${randomUUID().slice(0, 8)}.myshopify.com`;
  const now = new Date();
  let summary: SeedSummary;
  let shopId = "";
  let deleted = false;

  beforeAll(async () => {
    summary = await seedDemoShop(prisma, { domain, now });
    shopId = summary.shopId;
  });

  afterAll(async () => {
    if (!deleted) await prisma.shop.deleteMany({ where: { domain } });
  });

  it("creates the shop, its settings and staff, and the minimum counts", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain }, include: { settings: true, staff: true } });
    expect(shop.id).toBe(shopId);
    expect(shop.name).toBe(DEMO_SHOP_NAME);
    expect(shop.currency).toBe("USD");
    expect(shop.locales).toEqual(["en", "fr", "de", "es"]);
    expect(shop.settings?.returnWindowDays).toBe(30);
    expect(shop.staff).toHaveLength(4);

    expect(summary.products).toBeGreaterThanOrEqual(50);
    expect(summary.customers).toBeGreaterThanOrEqual(200);
    expect(summary.orders).toBeGreaterThanOrEqual(500);
    expect(summary.articles).toBeGreaterThanOrEqual(30);
    expect(summary.policies).toBe(4);
    expect(summary.conversations).toBeGreaterThanOrEqual(5);
    expect(summary.shipments).toBeGreaterThan(0);
    expect(summary.refunds).toBeGreaterThan(0);

    const counts = await countRows(shopId);
    expect(counts).toMatchObject({ products: summary.products, customers: summary.customers, orders: summary.orders, shipments: summary.shipments });
  });

  it("builds a Shopify-like catalogue with 1–4 variants per product and a few unavailable products", async () => {
    const products = await prisma.product.findMany({ where: { shopId }, include: { variants: true } });
    for (const product of products) {
      expect(product.platform).toBe("shopify");
      expect(product.externalId).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
      expect(product.variants.length).toBeGreaterThanOrEqual(1);
      expect(product.variants.length).toBeLessThanOrEqual(4);
      for (const variant of product.variants) expect(variant.sku).toMatch(/^NW-/);
      const prices = product.variants.map((variant) => cents(variant.price));
      expect(cents(product.priceMin)).toBe(Math.min(...prices));
      expect(cents(product.priceMax)).toBe(Math.max(...prices));
    }
    expect(new Set(products.map((product) => product.handle)).size).toBe(products.length);
    expect(products.filter((product) => !product.available).length).toBeGreaterThan(0);

    const customers = await prisma.customer.findMany({ where: { shopId }, select: { email: true } });
    for (const customer of customers) expect(customer.email).toMatch(/@example\.(com|org|net)$/);
    expect(new Set(customers.map((customer) => customer.email)).size).toBe(customers.length);
  });

  it("makes every order's totals add up", async () => {
    const orders = await prisma.order.findMany({ where: { shopId }, include: { lineItems: true }, orderBy: { number: "asc" } });
    expect(orders.length).toBe(summary.orders);
    const wrong: string[] = [];
    for (const order of orders) {
      const subtotal = sum(order.lineItems.map((line) => line.quantity * cents(line.unitPrice)));
      const total = cents(order.subtotal) + cents(order.shippingTotal) + cents(order.taxTotal) - cents(order.discountTotal);
      if (order.lineItems.length === 0 || cents(order.subtotal) !== subtotal || cents(order.total) !== total) wrong.push(order.name);
    }
    expect(wrong).toEqual([]);

    expect(orders[0]?.name).toBe("#1001");
    orders.forEach((order, index) => {
      expect(order.number).toBe(1001 + index);
      expect(order.name).toBe(`#${order.number}`);
    });
    const oldest = now.getTime() - 181 * 24 * 3_600_000;
    for (const order of orders) {
      expect(order.placedAt.getTime()).toBeGreaterThan(oldest);
      expect(order.placedAt.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(order.sourceUpdatedAt.getTime()).toBeGreaterThanOrEqual(order.placedAt.getTime());
    }
  });

  it("covers every order state", async () => {
    const orders = await prisma.order.findMany({ where: { shopId }, include: { shipments: true } });
    const has = (predicate: (order: (typeof orders)[number]) => boolean) => orders.some(predicate);
    expect(has((o) => o.status === "open" && o.financialStatus === "paid" && o.fulfillmentStatus === "unfulfilled")).toBe(true);
    expect(has((o) => o.fulfillmentStatus === "partial")).toBe(true);
    expect(has((o) => o.fulfillmentStatus === "fulfilled" && o.shipments.some((s) => s.status === "in_transit"))).toBe(true);
    expect(has((o) => o.fulfillmentStatus === "fulfilled" && o.shipments.every((s) => s.status === "delivered"))).toBe(true);
    expect(has((o) => o.financialStatus === "refunded" && o.status !== "cancelled")).toBe(true);
    expect(has((o) => o.financialStatus === "partially_refunded")).toBe(true);
    expect(has((o) => o.financialStatus === "pending")).toBe(true);

    const cancelled = orders.filter((o) => o.status === "cancelled");
    expect(cancelled.length).toBeGreaterThan(0);
    for (const order of cancelled) {
      expect(order.cancelReason).toBeTruthy();
      expect(order.cancelledAt).not.toBeNull();
      expect(order.fulfillmentStatus).toBe("unfulfilled");
    }

    const shipmentStatuses = new Set(orders.flatMap((o) => o.shipments.map((s) => s.status)));
    for (const status of ["in_transit", "out_for_delivery", "delivered", "attempted_delivery", "failure"] as const) {
      expect(shipmentStatuses).toContain(status);
    }
  });

  it("keeps refunds consistent with each order's financial status", async () => {
    const orders = await prisma.order.findMany({ where: { shopId }, include: { refunds: true } });
    const wrong: string[] = [];
    for (const order of orders) {
      const refunded = sum(order.refunds.filter((refund) => refund.status === "succeeded").map((refund) => cents(refund.amount)));
      const total = cents(order.total);
      const ok =
        order.financialStatus === "refunded"
          ? refunded === total
          : order.financialStatus === "partially_refunded"
            ? refunded > 0 && refunded < total
            : order.refunds.length === 0;
      if (!ok) wrong.push(`${order.name} ${order.financialStatus} total=${total} refunded=${refunded}`);
    }
    expect(wrong).toEqual([]);
    expect(orders.filter((o) => o.financialStatus === "refunded").length).toBeGreaterThan(0);
  });

  it("gives every fulfilled order a tracked shipment with consistent dates and events", async () => {
    const orders = await prisma.order.findMany({ where: { shopId }, include: { shipments: true } });
    const problems: string[] = [];
    for (const order of orders) {
      if (order.fulfillmentStatus === "unfulfilled") {
        if (order.shipments.length > 0) problems.push(`${order.name}: unfulfilled with shipments`);
        continue;
      }
      if (order.shipments.length === 0) problems.push(`${order.name}: ${order.fulfillmentStatus} without shipment`);
      for (const shipment of order.shipments) {
        const format = TRACKING_FORMATS[shipment.carrier ?? ""];
        if (!format || !shipment.trackingNumber || !format.test(shipment.trackingNumber)) {
          problems.push(`${order.name}: bad tracking ${shipment.carrier} ${shipment.trackingNumber}`);
        }
        if (!shipment.trackingUrl?.includes(shipment.trackingNumber ?? "<none>")) problems.push(`${order.name}: tracking URL`);
        const shipped = shipment.shippedAt?.getTime() ?? 0;
        if (shipped < order.placedAt.getTime() || shipped > now.getTime()) problems.push(`${order.name}: shippedAt`);
        if ((shipment.estimatedDeliveryAt?.getTime() ?? 0) <= shipped) problems.push(`${order.name}: estimatedDeliveryAt`);
        const delivered = shipment.deliveredAt?.getTime();
        if ((shipment.status === "delivered") !== (delivered !== undefined)) problems.push(`${order.name}: deliveredAt vs status`);
        if (delivered !== undefined && (delivered < shipped || delivered > now.getTime())) problems.push(`${order.name}: deliveredAt range`);

        const events = shipment.events as unknown as TrackingEvent[];
        const times = events.map((event) => Date.parse(event.at));
        if (events.length === 0 || events[0]?.status !== shipment.status) problems.push(`${order.name}: latest event status`);
        if (times.some((time, i) => i > 0 && time > (times[i - 1] ?? 0))) problems.push(`${order.name}: events not newest first`);
        if (times.some((time) => time > now.getTime() || time < shipped)) problems.push(`${order.name}: event outside shipped..now`);
        if (events.some((event) => !event.location || !event.message)) problems.push(`${order.name}: event without location/message`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("publishes articles and the four policies, each with a content hash and one version", async () => {
    const sources = await prisma.knowledgeSource.findMany({ where: { shopId }, include: { versions: true } });
    const articles = sources.filter((source) => source.kind === "article");
    const policies = sources.filter((source) => source.kind === "policy");
    expect(articles.length).toBeGreaterThanOrEqual(30);
    expect(policies.map((policy) => policy.externalId).sort()).toEqual(["privacy", "refund", "shipping", "terms"]);
    for (const source of sources) {
      expect(source.status).toBe("published");
      expect(source.language).toBe("en");
      expect(source.version).toBe(1);
      expect(source.contentHash).toBe(createHash("sha256").update(`${source.title}\n${source.body}`).digest("hex"));
      expect(source.body).toContain("## ");
      expect(source.versions).toHaveLength(1);
      expect(source.versions[0]).toMatchObject({ version: 1, title: source.title, body: source.body });
    }
    for (const article of articles) {
      const words = article.body.split(/\s+/).filter(Boolean).length;
      expect(words).toBeGreaterThanOrEqual(150);
      expect(words).toBeLessThanOrEqual(600);
    }
    expect(await prisma.knowledgeChunk.count({ where: { shopId } })).toBe(0);
  });

  it("creates conversations including an escalated and a rated one", async () => {
    const conversations = await prisma.conversation.findMany({ where: { shopId }, include: { messages: true } });
    expect(conversations.length).toBeGreaterThanOrEqual(5);
    expect(conversations.length).toBeLessThanOrEqual(8);
    const escalated = conversations.find((c) => c.status === "waiting_on_staff");
    expect(escalated?.priority).toBe("high");
    expect(escalated?.escalatedAt).not.toBeNull();
    const rated = conversations.find((c) => c.status === "resolved" && c.csatScore !== null);
    expect(rated?.csatScore).toBeGreaterThanOrEqual(1);
    expect(rated?.csatScore).toBeLessThanOrEqual(5);
    const authors = new Set(conversations.flatMap((c) => c.messages.map((m) => m.author)));
    for (const author of ["shopper", "assistant", "staff"] as const) expect(authors).toContain(author);
    for (const conversation of conversations) {
      expect(conversation.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(conversation.messages.length).toBeGreaterThan(0);
      const last = Math.max(...conversation.messages.map((m) => m.createdAt.getTime()));
      expect(conversation.lastMessageAt.getTime()).toBe(last);
    }
  });

  it("changes no counts when run a second time, the same day or a later one", async () => {
    const before = await countRows(shopId);
    const again = await seedDemoShop(prisma, { domain, now });
    expect(again).toEqual(summary);
    expect(await countRows(shopId)).toEqual(before);

    // A later day generates a slightly different history; nothing of it may be grafted onto stored orders.
    const nextDay = await seedDemoShop(prisma, { domain, now: new Date(now.getTime() + 26 * 3_600_000) });
    expect(nextDay).toEqual(summary);
    expect(await countRows(shopId)).toEqual(before);
  });

  it("rebuilds orders and conversations an interrupted run left incomplete", async () => {
    const before = await countRows(shopId);
    const victims = await prisma.order.findMany({ where: { shopId, shipments: { some: {} } }, take: 3, select: { id: true } });
    await prisma.orderLineItem.deleteMany({ where: { orderId: { in: victims.map((order) => order.id) } } });
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { shopId } });
    await prisma.message.deleteMany({ where: { conversationId: conversation.id } });
    expect((await countRows(shopId)).lineItems).toBeLessThan(before.lineItems);

    await seedDemoShop(prisma, { domain, now });
    expect(await countRows(shopId)).toEqual(before);
  });

  it("is deterministic: another shop seeded at the same time gets the same history", async () => {
    const otherDomain = `seed-test-${randomUUID().slice(0, 8)}.myshopify.com`;
    try {
      const other = await seedDemoShop(prisma, { domain: otherDomain, now });
      const snapshot = async (id: string) =>
        (
          await prisma.order.findMany({
            where: { shopId: id },
            orderBy: { number: "asc" },
            select: { name: true, total: true, email: true, placedAt: true, financialStatus: true, shipments: { select: { trackingNumber: true, status: true }, orderBy: { trackingNumber: "asc" } } },
          })
        ).map((order) => ({ ...order, total: order.total.toString() }));
      expect(await snapshot(other.shopId)).toEqual(await snapshot(shopId));
    } finally {
      await prisma.shop.deleteMany({ where: { domain: otherDomain } });
    }
  });

  it("deletes everything with the shop (cascade)", async () => {
    await prisma.shop.delete({ where: { id: shopId } });
    deleted = true;
    const counts = await countRows(shopId);
    expect(Object.values(counts).every((count) => count === 0)).toBe(true);
  });
});
