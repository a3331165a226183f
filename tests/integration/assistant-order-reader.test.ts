import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getPool, namedStatementsAllowed, prepared } from "~/lib/db/pool.server";
import { orderInclude, READ_ORDERS_SQL, readOrders } from "~/modules/assistant/tools/orders.server";
import { createTestShop, deleteTestShop } from "../support/shops";

/**
 * The assistant reads orders with one SQL statement on the pg pool (readOrders) instead of Prisma's include:
 * the rows it gives must be what Prisma gives, field for field and type for type, or the tools would read
 * money, dates and counts differently.
 */

const HOUR = 3_600_000;

describe("the assistant's order reader", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  let other: Awaited<ReturnType<typeof createTestShop>>;
  let customerId: string;

  beforeAll(async () => {
    shop = await createTestShop();
    other = await createTestShop();
    const customer = await prisma.customer.create({ data: { shopId: shop.id, platform: "shopify", externalId: "c-1", email: "ada@example.com" } });
    customerId = customer.id;
    const placed = new Date("2026-11-01T10:00:00.123Z");
    const full = await prisma.order.create({
      data: {
        shopId: shop.id,
        customerId,
        platform: "shopify",
        externalId: "o-1",
        name: "#1001",
        number: 1001,
        email: "ada@example.com",
        currency: "EUR",
        subtotal: new Prisma.Decimal("119.90"),
        shippingTotal: new Prisma.Decimal("4.95"),
        taxTotal: new Prisma.Decimal("19.14"),
        discountTotal: new Prisma.Decimal("12.00"),
        total: new Prisma.Decimal("112.85"),
        status: "open",
        financialStatus: "partially_refunded",
        fulfillmentStatus: "partial",
        shippingAddress: { city: "Berlin", country: "DE" },
        shippingLines: [{ title: "DHL", price: "4.95" }],
        taxesIncluded: true,
        placedAt: placed,
        sourceUpdatedAt: new Date(placed.getTime() + HOUR),
        lineItems: {
          create: [
            { shopId: shop.id, externalId: "li-2", title: "Rain jacket", variantTitle: "M", sku: "RJ-M", quantity: 1, unitPrice: new Prisma.Decimal("89.95"), discountTotal: new Prisma.Decimal("9.00"), taxTotal: new Prisma.Decimal("12.92"), discountAllocations: [{ amount: "9.00" }], taxLines: [{ rate: 0.19, price: "12.92" }], fulfilledQuantity: 1 },
            { shopId: shop.id, externalId: "li-1", productExternalId: "p-9", title: "Wool socks", quantity: 2, unitPrice: new Prisma.Decimal("14.975"), discountTotal: new Prisma.Decimal("3.00"), taxTotal: new Prisma.Decimal("4.30"), discountAllocations: [], taxLines: [], refundedQuantity: 1 },
          ],
        },
        shipments: {
          create: [
            { shopId: shop.id, platform: "shopify", externalId: "f-2", status: "in_transit", carrier: "DHL", trackingNumber: "00340434", trackingUrl: "https://dhl.example/00340434", trackingNumbers: ["00340434", "00340435"], trackingUrls: ["https://dhl.example/00340434"], lineItems: [{ id: "li-2", quantity: 1 }], events: [{ at: "2026-11-02T08:00:00Z", status: "in_transit" }], shippedAt: new Date(placed.getTime() + 20 * HOUR), estimatedDeliveryAt: new Date(placed.getTime() + 70 * HOUR), createdAt: new Date(placed.getTime() + 20 * HOUR) },
            { shopId: shop.id, platform: "shopify", externalId: "f-1", status: "delivered", deliveredAt: new Date(placed.getTime() + 40 * HOUR), lineItems: [], events: [], createdAt: new Date(placed.getTime() + 2 * HOUR) },
          ],
        },
        refunds: { create: [{ shopId: shop.id, platform: "shopify", externalId: "r-1", amount: new Prisma.Decimal("11.98"), currency: "EUR", status: "succeeded", reason: "damaged", processedAt: new Date(placed.getTime() + 50 * HOUR), lineItems: [{ id: "li-1", quantity: 1 }], transactions: [{ gateway: "shopify_payments" }] }] },
        returnRequests: { create: [{ shopId: shop.id, status: "requested", reason: "too small", items: [{ lineItemId: "li-2", quantity: 1 }], amount: new Prisma.Decimal("80.95"), autoApproved: false }] },
        actions: {
          create: [
            { shopId: shop.id, kind: "update_address", status: "requested", actor: "assistant", idempotencyKey: "a-2", requestedAt: new Date(placed.getTime() + 3 * HOUR) },
            { shopId: shop.id, kind: "cancel", status: "rejected", actor: "assistant", idempotencyKey: "a-1", requestedAt: new Date(placed.getTime() + HOUR) },
            { shopId: shop.id, kind: "return", status: "requested", actor: "assistant", idempotencyKey: "a-3", requestedAt: new Date(placed.getTime() + 2 * HOUR) },
          ],
        },
      },
    });
    const disputed = await prisma.payment.create({
      data: { shopId: shop.id, platform: "stripe", externalId: "pi_1", orderId: full.id, status: "succeeded", amount: new Prisma.Decimal("112.85"), currency: "EUR", occurredAt: placed, sourceUpdatedAt: placed },
    });
    await prisma.payment.create({ data: { shopId: shop.id, platform: "stripe", externalId: "pi_2", orderId: full.id, status: "failed", amount: new Prisma.Decimal("1.00"), currency: "EUR", occurredAt: placed, sourceUpdatedAt: placed } });
    await prisma.dispute.create({ data: { shopId: shop.id, paymentId: disputed.id, platform: "stripe", externalId: "dp_1", amount: new Prisma.Decimal("112.85"), currency: "EUR", status: "needs_response", reason: "fraudulent", occurredAt: placed, sourceUpdatedAt: placed } });
    // A bare order (no relations), an older order of the same customer, and a WooCommerce order sharing the number.
    const bare = { currency: "USD", subtotal: 10, shippingTotal: 0, taxTotal: 0, discountTotal: 0, total: 10, status: "open", financialStatus: "paid", fulfillmentStatus: "unfulfilled", shippingLines: [], sourceUpdatedAt: placed } as const;
    await prisma.order.create({ data: { ...bare, shopId: shop.id, customerId, platform: "shopify", externalId: "o-0", name: "#1000", number: 1000, placedAt: new Date(placed.getTime() - 24 * HOUR) } });
    await prisma.order.create({ data: { ...bare, shopId: shop.id, platform: "woocommerce", externalId: "w-1001", name: "#1001", number: 1001, placedAt: new Date(placed.getTime() - 48 * HOUR) } });
    // Another shop's order with the same name and customer id must never come back.
    await prisma.order.create({ data: { ...bare, shopId: other.id, platform: "shopify", externalId: "o-1", name: "#1001", number: 1001, placedAt: new Date(placed.getTime() + HOUR) } });
  });

  afterAll(async () => {
    await deleteTestShop(shop.domain);
    await deleteTestShop(other.domain);
  });

  const prismaRead = (where: Prisma.OrderWhereInput, take: number) => prisma.order.findMany({ where: { ...where, shopId: shop.id }, include: orderInclude, orderBy: { placedAt: "desc" }, take });

  it("reads orders by name exactly as Prisma's include does: every field, every type, every relation in order", async () => {
    const read = await readOrders(shop.id, { names: ["#1001", "#1000"] });
    const expected = await prismaRead({ name: { in: ["#1001", "#1000"] } }, 5);
    expect(read.map((order) => order.externalId)).toEqual(["o-1", "o-0", "w-1001"]);
    expect(read).toEqual(expected);
    const [full] = read;
    // toEqual compares Decimal and Date by value; the types must be the same too.
    expect(full!.total).toBeInstanceOf(Prisma.Decimal);
    expect(full!.total.toFixed(2)).toBe("112.85");
    expect(full!.lineItems.map((item) => item.externalId)).toEqual(["li-1", "li-2"]);
    expect(full!.lineItems[0]!.unitPrice).toBeInstanceOf(Prisma.Decimal);
    expect(full!.lineItems[0]!.unitPrice.toString()).toBe("14.98");
    expect(full!.shipments.map((shipment) => shipment.externalId)).toEqual(["f-1", "f-2"]);
    expect(full!.shipments[1]!.shippedAt).toBeInstanceOf(Date);
    expect(full!.shipments[1]!.trackingNumbers).toEqual(["00340434", "00340435"]);
    expect(full!.refunds[0]!.amount).toBeInstanceOf(Prisma.Decimal);
    expect(full!.returnRequests[0]!.amount.toString()).toBe("80.95");
    expect(full!.actions).toEqual([
      { kind: "return", requestedAt: new Date("2026-11-01T12:00:00.123Z") },
      { kind: "update_address", requestedAt: new Date("2026-11-01T13:00:00.123Z") },
    ]);
    expect(full!.payments.map((payment) => payment._count.disputes).sort()).toEqual([0, 1]);
    expect(full!.placedAt).toBeInstanceOf(Date);
    expect(full!.cancelledAt).toBeNull();
  });

  it("reads a customer's latest order, and nothing of another shop's", async () => {
    expect(await readOrders(shop.id, { customerId })).toEqual(await prismaRead({ customerId }, 1));
    expect((await readOrders(shop.id, { customerId }))[0]?.externalId).toBe("o-1");
    expect(await readOrders(other.id, { customerId })).toEqual([]);
    expect((await readOrders(other.id, { names: ["#1001"] })).map((order) => order.shopId)).toEqual([other.id]);
    expect(await readOrders(shop.id, { names: ["#9999"] })).toEqual([]);
  });

  // The embedded database (PGlite) has no named statements, so no plans are kept there to check.
  it.runIf(namedStatementsAllowed())("lets PostgreSQL keep a generic plan for each statement after a few calls, so a lookup is not planned again", async () => {
    const client = await getPool().connect();
    try {
      for (const [text, values] of [
        [READ_ORDERS_SQL.byName, [shop.id, "#1001", "#1000"]],
        [READ_ORDERS_SQL.byCustomer, [shop.id, customerId]],
      ] as const) {
        const statement = prepared(text, [...values]);
        for (let call = 0; call < 8; call++) await client.query(statement);
        const { rows } = await client.query<{ generic_plans: string; custom_plans: string }>("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1", [statement.name]);
        expect(Number(rows[0]?.generic_plans)).toBeGreaterThan(0);
      }
    } finally {
      client.release();
    }
  });
});
