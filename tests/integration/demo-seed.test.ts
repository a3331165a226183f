import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { applyShopifyDelivery } from "~/modules/commerce";
import { previewOf } from "~/lib/text";
import { getPeriodMetrics, localDay, presetPeriod } from "~/modules/analytics";
import { DEMO_SHOP_NAME, demoShopifyPayloads, type SeedSummary, seedDemoShop } from "~/modules/demo";
import { PRODUCTS, STAFF } from "~/modules/demo/seed-data";

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

type Amounts = { amount: string }[];
const totalOf = (json: unknown) => sum((json as Amounts).map((item) => cents(item.amount)));
const quantities = (json: unknown) => json as { lineItemExternalId: string; quantity: number }[];

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
    // The fee its US returns were refunded net of.
    expect(shop.settings?.returnFee.toFixed(2)).toBe("6.95");
    expect(shop.staff.map((member) => member.email).sort()).toEqual(STAFF.map((member) => member.email).sort());

    expect(summary.products).toBeGreaterThanOrEqual(50);
    expect(summary.customers).toBeGreaterThanOrEqual(200);
    expect(summary.orders).toBeGreaterThanOrEqual(500);
    expect(summary.articles).toBeGreaterThanOrEqual(30);
    expect(summary.policies).toBe(4);
    expect(summary.conversations).toBeGreaterThanOrEqual(5);
    expect(summary.shipments).toBeGreaterThan(0);
    expect(summary.refunds).toBeGreaterThan(0);
    // Every product, order and customer without orders was created by its payload (the others by their orders').
    const withoutOrders = await prisma.customer.count({ where: { shopId, orders: { none: {} } } });
    expect(withoutOrders).toBeGreaterThan(0);
    expect(summary.changed).toBe(summary.products + withoutOrders + summary.orders);

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

  it("makes every order's totals add up (Shopify's subtotal is after discounts)", async () => {
    const orders = await prisma.order.findMany({ where: { shopId }, include: { lineItems: true }, orderBy: { number: "asc" } });
    expect(orders.length).toBe(summary.orders);
    const wrong: string[] = [];
    for (const order of orders) {
      const lineItems = sum(order.lineItems.map((line) => line.quantity * cents(line.unitPrice)));
      const subtotal = lineItems - cents(order.discountTotal);
      const total = cents(order.subtotal) + cents(order.shippingTotal) + cents(order.taxTotal);
      if (order.lineItems.length === 0 || cents(order.subtotal) !== subtotal || cents(order.total) !== total) wrong.push(order.name);
    }
    expect(wrong).toEqual([]);
    expect(orders.some((order) => cents(order.discountTotal) > 0)).toBe(true);

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

  it("writes orders through the Shopify mapping: discount allocations, tax lines and shipping lines add up to the order's totals", async () => {
    const orders = await prisma.order.findMany({ where: { shopId }, include: { lineItems: true } });
    const variants = new Set((await prisma.productVariant.findMany({ where: { shopId }, select: { externalId: true } })).map((v) => v.externalId));
    const wrong: string[] = [];
    for (const order of orders) {
      const lines = order.lineItems;
      if (sum(lines.map((line) => cents(line.discountTotal))) !== cents(order.discountTotal)) wrong.push(`${order.name}: line discounts`);
      if (sum(lines.map((line) => cents(line.taxTotal))) !== cents(order.taxTotal)) wrong.push(`${order.name}: line taxes`);
      for (const line of lines) {
        if (totalOf(line.discountAllocations) !== cents(line.discountTotal)) wrong.push(`${order.name}: allocations of ${line.externalId}`);
        if (totalOf(line.taxLines) !== cents(line.taxTotal)) wrong.push(`${order.name}: tax lines of ${line.externalId}`);
        if (!line.externalId.startsWith("gid://shopify/LineItem/") || !variants.has(line.variantExternalId ?? "")) wrong.push(`${order.name}: ids of ${line.externalId}`);
      }
      const shippingLines = order.shippingLines as { discountedPrice: string }[];
      if (shippingLines.length !== 1 || cents(shippingLines[0]?.discountedPrice) !== cents(order.shippingTotal)) wrong.push(`${order.name}: shipping lines`);
      const address = order.shippingAddress as Record<string, unknown> | null;
      if (!address?.address1 || !address.country_code) wrong.push(`${order.name}: shipping address`);
      if (order.externalId !== `gid://shopify/Order/${order.externalId.split("/").pop()}` || !order.sourceUpdatedAt) wrong.push(`${order.name}: id/version`);
    }
    expect(wrong).toEqual([]);

    // The discount code's name reaches the allocations; taxed lines name their tax.
    const allocations = orders.flatMap((order) => order.lineItems.flatMap((line) => line.discountAllocations as { title: string | null }[]));
    expect(new Set(allocations.map((allocation) => allocation.title))).toEqual(new Set(["WELCOME10", "TRAIL15", "SAVE10"]));
    const taxLines = orders.flatMap((order) => order.lineItems.flatMap((line) => line.taxLines as { title: string; rate: number }[]));
    expect(taxLines.length).toBeGreaterThan(0);
    for (const tax of taxLines) expect(tax.title).toMatch(/^[A-Z]{2} State Tax$/);
  });

  it("derives refunded and fulfilled quantities from refund line items and fulfilments", async () => {
    const orders = await prisma.order.findMany({ where: { shopId }, include: { lineItems: true, refunds: true, shipments: true } });
    const wrong: string[] = [];
    let refundedLines = 0;
    for (const order of orders) {
      for (const line of order.lineItems) {
        const refunded = sum(order.refunds.flatMap((refund) => quantities(refund.lineItems).filter((item) => item.lineItemExternalId === line.externalId).map((item) => item.quantity)));
        // A parcel the carrier lost (failure) delivered nothing.
        const shipped = order.shipments.filter((shipment) => shipment.status !== "failure");
        const fulfilled = sum(shipped.flatMap((shipment) => quantities(shipment.lineItems).filter((item) => item.lineItemExternalId === line.externalId).map((item) => item.quantity)));
        if (line.refundedQuantity !== refunded || line.fulfilledQuantity !== fulfilled) wrong.push(`${order.name} ${line.externalId}`);
        if (line.refundedQuantity > line.quantity || line.fulfilledQuantity > line.quantity) wrong.push(`${order.name} ${line.externalId}: over quantity`);
        if (refunded > 0) refundedLines++;
      }
      const everyLine = (quantity: (line: (typeof order.lineItems)[number]) => number) => order.lineItems.every((line) => quantity(line) === line.quantity);
      const lost = order.shipments.some((shipment) => shipment.status === "failure");
      if (order.fulfillmentStatus === "fulfilled" && !lost && !everyLine((line) => line.fulfilledQuantity)) wrong.push(`${order.name}: fulfilled but not every unit shipped`);
      if (order.fulfillmentStatus === "partial" && everyLine((line) => line.fulfilledQuantity)) wrong.push(`${order.name}: partial but every unit shipped`);
      if (order.status === "cancelled" && order.financialStatus === "refunded" && !everyLine((line) => line.refundedQuantity)) wrong.push(`${order.name}: cancelled, not every unit refunded`);
      for (const refund of order.refunds) {
        // The money that went back is the refund's transactions.
        if (cents(refund.amount) !== totalOf(refund.transactions)) wrong.push(`${order.name}: refund amount vs transactions`);
      }
    }
    expect(wrong).toEqual([]);
    expect(refundedLines).toBeGreaterThan(0);
    // Partial refunds are returns of some units, or goodwill credits that return none.
    const partial = orders.filter((order) => order.financialStatus === "partially_refunded");
    expect(partial.some((order) => order.lineItems.some((line) => line.refundedQuantity > 0))).toBe(true);
    expect(partial.some((order) => order.lineItems.every((line) => line.refundedQuantity === 0))).toBe(true);
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
        if (!format || shipment.trackingNumbers.length === 0 || !shipment.trackingNumbers.every((number) => format.test(number))) {
          problems.push(`${order.name}: bad tracking ${shipment.carrier} ${shipment.trackingNumbers}`);
        }
        if (shipment.trackingNumber !== shipment.trackingNumbers[0] || shipment.trackingUrl !== shipment.trackingUrls[0]) problems.push(`${order.name}: first tracking number`);
        if (shipment.trackingNumbers.some((number, i) => !shipment.trackingUrls[i]?.includes(number))) problems.push(`${order.name}: tracking URL`);
        if (quantities(shipment.lineItems).length === 0) problems.push(`${order.name}: shipment without line items`);
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
        // The fulfilment's updated_at is its latest carrier event.
        if (shipment.sourceUpdatedAt?.toISOString() !== events[0]?.at) problems.push(`${order.name}: sourceUpdatedAt`);
      }
    }
    expect(problems).toEqual([]);
    expect(orders.some((order) => order.shipments.some((shipment) => shipment.trackingNumbers.length > 1))).toBe(true);
  });

  it("maps products, variants and customers from their Shopify payloads", async () => {
    const products = await prisma.product.findMany({ where: { shopId }, include: { variants: true } });
    const byHandle = new Map(PRODUCTS.map((product) => [product.handle, product]));
    for (const product of products) {
      const def = byHandle.get(product.handle);
      // body_html arrives as HTML; the stored description is its text.
      expect(product.description).toBe(def?.description);
      expect(product.tags).toEqual(def?.tags);
      expect(product.sourceUpdatedAt).not.toBeNull();
      for (const variant of product.variants) expect(variant.externalId).toMatch(/^gid:\/\/shopify\/ProductVariant\/\d+$/);
    }
    // The gift card's inventory is not tracked: available without stock.
    const giftCard = products.find((product) => product.productType === "Gift Card");
    expect(giftCard?.available).toBe(true);
    expect(giftCard?.variants.every((variant) => variant.inventoryQuantity === 0 && variant.available)).toBe(true);

    const customers = await prisma.customer.findMany({ where: { shopId }, include: { orders: { select: { placedAt: true } } } });
    for (const customer of customers) {
      expect(customer.externalId).toMatch(/^gid:\/\/shopify\/Customer\/\d+$/);
      if (customer.phone) expect(customer.phone).toMatch(/^\+\d{11,12}$/);
      // Each order bumps the customer's updated_at; sign-up precedes the first order.
      const placed = customer.orders.map((order) => order.placedAt.getTime());
      expect(customer.sourceUpdatedAt?.getTime()).toBeGreaterThanOrEqual(Math.max(customer.createdAt.getTime(), ...placed));
      if (placed.length > 0) expect(customer.createdAt.getTime()).toBeLessThan(Math.min(...placed));
    }
    expect(customers.filter((customer) => customer.orders.length > 0).length).toBeGreaterThan(100);
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
    // The showcase and live conversations, beside the 90 days of history (next test).
    expect(conversations.length - summary.historyConversations).toBeGreaterThanOrEqual(8);
    expect(conversations.length - summary.historyConversations).toBeLessThanOrEqual(12);
    const escalated = conversations.find((c) => c.status === "waiting_on_staff" && c.handledByHuman);
    expect(escalated?.priority).toBe("high");
    expect(escalated?.escalatedAt).not.toBeNull();
    // Its SLA clock started at the handoff, as routing starts it.
    expect(escalated?.waitingSince?.getTime()).toBe(escalated?.escalatedAt?.getTime());
    expect(escalated?.slaDueAt?.getTime()).toBeGreaterThan(escalated?.escalatedAt?.getTime() ?? Number.POSITIVE_INFINITY);
    // Shoppers waiting right now, played through the real turn and handoff: escalated, previewed in the list.
    const waiting = conversations.filter((c) => c.status === "waiting_on_staff" && !c.handledByHuman);
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    for (const conversation of waiting) {
      expect(conversation.escalatedAt).not.toBeNull();
      expect(conversation.summary).toMatch(/Handoff/);
      const lastPublic = conversation.messages.filter((m) => m.visibility === "public").sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1);
      expect(conversation.lastMessagePreview).toBe(previewOf(lastPublic?.body ?? ""));
    }
    // Routed on handoff: an SLA clock runs for each.
    for (const conversation of waiting) expect(conversation.slaDueAt).not.toBeNull();
    expect((await prisma.macro.findMany({ where: { shopId }, select: { name: true } })).map((macro) => macro.name).sort()).toEqual(["Photos of the damage", "Refund confirmed", "Tracking link"]);
    const vip = waiting.find((c) => c.customerId !== null);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: vip?.customerId ?? "" } })).tags).toContain("VIP");
    const rated = conversations.find((c) => c.status === "resolved" && c.csatScore !== null);
    expect(rated?.csatScore).toBeGreaterThanOrEqual(1);
    expect(rated?.csatScore).toBeLessThanOrEqual(5);
    const authors = new Set(conversations.flatMap((c) => c.messages.map((m) => m.author)));
    for (const author of ["shopper", "assistant", "staff"] as const) expect(authors).toContain(author);
    const orderIds = new Set((await prisma.order.findMany({ where: { shopId }, select: { id: true } })).map((order) => order.id));
    expect(conversations.filter((c) => c.verifiedOrderIds.length > 0).length).toBeGreaterThanOrEqual(4);
    for (const conversation of conversations) {
      for (const orderId of conversation.verifiedOrderIds) expect(orderIds.has(orderId)).toBe(true);
      expect(conversation.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(conversation.messages.length).toBeGreaterThan(0);
      const last = Math.max(...conversation.messages.map((m) => m.createdAt.getTime()));
      expect(conversation.lastMessageAt.getTime()).toBe(last);
      // The inbox lists a conversation by its last public message.
      expect(conversation.lastMessageAuthor).not.toBeNull();
    }
  });

  it("seeds 90 days of finished conversations in four languages, with handoffs, staff replies, ratings and unanswered questions", async () => {
    const day = 86_400_000;
    const history = await prisma.conversation.findMany({
      where: { shopId, createdAt: { lt: new Date(now.getTime() - day) } },
      select: { language: true, createdAt: true, status: true, escalatedAt: true, csatScore: true, lastIntent: true },
    });
    expect(summary.historyConversations).toBeGreaterThanOrEqual(1_000);
    expect(history.length).toBeGreaterThanOrEqual(1_000);
    expect(new Set(history.map((c) => c.language))).toEqual(new Set(["en", "fr", "de", "es"]));
    expect(new Set(history.map((c) => Math.floor(c.createdAt.getTime() / day))).size).toBeGreaterThanOrEqual(85);
    expect(Math.min(...history.map((c) => c.createdAt.getTime()))).toBeGreaterThan(now.getTime() - 92 * day);
    expect(new Set(history.map((c) => c.lastIntent)).size).toBeGreaterThanOrEqual(8);
    // History is over: the inbox's open views hold only the showcase and live conversations.
    const active = await prisma.conversation.count({ where: { shopId, status: { in: ["open", "waiting_on_staff", "waiting_on_shopper"] } } });
    expect(active).toBeLessThanOrEqual(12);

    // The dashboard's figures over the last 90 days, as the CLI and the dashboard compute them.
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { timezone: true } });
    const metrics = await getPeriodMetrics({ shopId, period: presetPeriod("90d", localDay(new Date(), shop.timezone)) });
    const figures = metrics!.summary;
    expect(figures.conversations).toBeGreaterThanOrEqual(1_000);
    expect(figures.automatedRate).toBeGreaterThan(0.3);
    expect(figures.automatedRate).toBeLessThan(0.85);
    expect(figures.handoffRate).toBeGreaterThan(0.1);
    expect(figures.firstResponseSeconds.count).toBeGreaterThan(100);
    expect(figures.firstResponseSeconds.median).toBeGreaterThan(60);
    expect(figures.csat.responses).toBeGreaterThan(100);
    expect(figures.unanswered).toBeGreaterThan(20);
    expect(figures.influenced.orders).toBeGreaterThan(10);
    expect(Object.keys(figures.byLanguage).sort()).toEqual(["de", "en", "es", "fr"]);
    // Closed days come from the rollups the seed computed.
    expect(await prisma.analyticsDailyRollup.count({ where: { shopId } })).toBeGreaterThanOrEqual(89);
  });

  it("changes nothing when run a second time, the same day or a later one", async () => {
    const before = await countRows(shopId);
    const versions = async () =>
      (await prisma.order.findMany({ where: { shopId }, select: { externalId: true, sourceUpdatedAt: true }, orderBy: { externalId: "asc" } })).map(
        (order) => `${order.externalId}@${order.sourceUpdatedAt.toISOString()}`,
      );
    const storedVersions = await versions();
    const again = await seedDemoShop(prisma, { domain, now });
    expect(again).toEqual({ ...summary, changed: 0 });
    expect(await countRows(shopId)).toEqual(before);

    // A later day generates a different history under the same Shopify ids; none of it may be merged into stored orders.
    const nextDay = await seedDemoShop(prisma, { domain, now: new Date(now.getTime() + 26 * 3_600_000) });
    expect(nextDay).toEqual({ ...summary, changed: 0 });
    expect(await countRows(shopId)).toEqual(before);
    expect(await versions()).toEqual(storedVersions);
  });

  it("applies the same payloads again through the webhook processors without changing anything", async () => {
    const payloads = demoShopifyPayloads({ now });
    const snapshotOf = async () =>
      prisma.order.findMany({
        where: { shopId },
        orderBy: { externalId: "asc" },
        omit: { updatedAt: true },
        include: {
          lineItems: { orderBy: { externalId: "asc" } },
          refunds: { orderBy: { externalId: "asc" }, omit: { updatedAt: true } },
          shipments: { orderBy: { externalId: "asc" }, omit: { updatedAt: true } },
          customer: { omit: { updatedAt: true } },
        },
      });
    const before = await snapshotOf();
    // Every tenth order, and every one with refunds or two parcels (their children are upserted again too).
    const sample = payloads.orders.filter((order, i) => i % 10 === 0 || order.refunds.length > 1 || order.fulfillments.length > 1);
    expect(sample.some((order) => order.refunds.length > 0)).toBe(true);
    expect(sample.some((order) => order.fulfillments.length > 1)).toBe(true);
    for (const payload of sample) {
      const applied = await applyShopifyDelivery(prisma, "orders/updated", { shopId, payload, triggeredAt: null });
      expect(applied?.outcome, payload.name).toBe("unchanged");
    }
    for (const payload of payloads.customers.slice(0, 20)) {
      const applied = await applyShopifyDelivery(prisma, "customers/update", { shopId, payload, triggeredAt: null });
      expect(applied?.outcome).toBe("unchanged");
    }
    expect(await snapshotOf()).toEqual(before);
  });

  it("completes what an interrupted run left out, and rebuilds incomplete conversations", async () => {
    const before = await countRows(shopId);
    // A batch that never committed leaves its orders out entirely (none a conversation refers to).
    const referenced = (await prisma.conversation.findMany({ where: { shopId }, select: { verifiedOrderIds: true } })).flatMap((c) => c.verifiedOrderIds);
    const victims = await prisma.order.findMany({ where: { shopId, shipments: { some: {} }, refunds: { some: {} }, id: { notIn: referenced } }, take: 3, select: { id: true } });
    await prisma.order.deleteMany({ where: { id: { in: victims.map((order) => order.id) } } });
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { shopId } });
    await prisma.message.deleteMany({ where: { conversationId: conversation.id } });
    expect((await countRows(shopId)).orders).toBe(before.orders - 3);

    const rerun = await seedDemoShop(prisma, { domain, now });
    expect(rerun.changed).toBe(3);
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
            select: {
              name: true,
              total: true,
              email: true,
              placedAt: true,
              financialStatus: true,
              lineItems: { select: { sku: true, quantity: true, refundedQuantity: true, discountAllocations: true, taxLines: true }, orderBy: { externalId: "asc" } },
              shipments: { select: { trackingNumbers: true, status: true, events: true }, orderBy: { externalId: "asc" } },
            },
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
