import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { createArticle, reindexSource } from "~/modules/knowledge";

/**
 * A small, fully known shop for assistant tests: two customers, orders in every state the tools care about,
 * a handful of published articles (indexed with the offline embedder), and settings like a real merchant's.
 */

export const NOW = new Date("2026-11-20T18:00:00Z"); // a Friday, 10:00 in Los Angeles: the team is in.
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

export interface AssistantFixture {
  shopId: string;
  domain: string;
  staffId: string;
  alice: { id: string; email: string };
  bob: { id: string; email: string };
  orders: {
    /** Alice, delivered 5 days ago, 1 × $38 tee: returnable and under the auto-approve limit. */
    smallDelivered: string;
    /** Alice, delivered 10 days ago, $180 jacket: returnable but above the limit. */
    largeDelivered: string;
    /** Alice, in transit with UPS. */
    inTransit: string;
    /** Alice, unfulfilled: can be cancelled. */
    unfulfilled: string;
    /** Bob, delivered 60 days ago: outside the window. */
    oldDelivered: string;
    /** Bob, in transit; never shown to Alice. */
    bobsOrder: string;
    /** Alice, delivered 3 days ago, gift card only. */
    giftCard: string;
    /** Alice, unfulfilled, placed yesterday: for address changes. */
    awaitingShipment: string;
    /**
     * Alice, delivered 4 days ago, 2 × $38 tee with TEE10 ($7.60 off the line) and her share of WELCOME10
     * ($6.84), 8% tax on top ($4.92): $66.48 paid. One tee back is $33.24.
     */
    discounted: string;
  };
}

/** Adds one of a customer's orders (with its shipment) to a fixture shop; returns the order's id. */
export async function addOrder(
  shopId: string,
  customer: { id: string; email: string },
  number: number,
  spec: {
    placedDaysAgo: number;
    items: {
      title: string;
      price: number;
      productExternalId?: string;
      quantity?: number;
      /** Whole-line amounts, as Shopify allocates them. */
      discounts?: { title: string; amount: number }[];
      tax?: { title: string; rate: number; amount: number };
    }[];
    fulfillment: "unfulfilled" | "fulfilled";
    shipment?: { status: "in_transit" | "delivered"; deliveredDaysAgo?: number; carrier: string; tracking: string };
  },
) {
  const subtotal = spec.items.reduce((sum, item) => sum + item.price * (item.quantity ?? 1), 0);
  const discount = spec.items.reduce((sum, item) => sum + (item.discounts ?? []).reduce((all, allocation) => all + allocation.amount, 0), 0);
  const tax = spec.items.reduce((sum, item) => sum + (item.tax?.amount ?? 0), 0);
  const money = (value: number) => new Prisma.Decimal(value.toFixed(2));
  const order = await prisma.order.create({
    data: {
      shopId,
      customerId: customer.id,
      platform: "shopify",
      externalId: `gid://shopify/Order/${number}`,
      name: `#${number}`,
      number,
      email: customer.email,
      currency: "USD",
      subtotal: money(subtotal - discount),
      discountTotal: money(discount),
      taxTotal: money(tax),
      total: money(subtotal - discount + tax),
      fulfillmentStatus: spec.fulfillment,
      placedAt: daysAgo(spec.placedDaysAgo),
      sourceUpdatedAt: daysAgo(spec.placedDaysAgo),
      // As Shopify's order payloads carry it (REST field names).
      shippingAddress: { first_name: customer.email.split("@")[0], address1: "12 Alder Street", city: "Portland", province_code: "OR", province: "Oregon", zip: "97209", country_code: "US", country: "United States" },
      lineItems: {
        create: spec.items.map((item, index) => ({
          shopId,
          externalId: `gid://shopify/LineItem/${number}${index}`,
          productExternalId: item.productExternalId ?? null,
          title: item.title,
          quantity: item.quantity ?? 1,
          unitPrice: new Prisma.Decimal(item.price),
          discountTotal: money((item.discounts ?? []).reduce((sum, allocation) => sum + allocation.amount, 0)),
          taxTotal: money(item.tax?.amount ?? 0),
          discountAllocations: (item.discounts ?? []).map((allocation) => ({ amount: allocation.amount.toFixed(2), title: allocation.title })),
          taxLines: item.tax ? [{ title: item.tax.title, rate: item.tax.rate, amount: item.tax.amount.toFixed(2) }] : [],
          fulfilledQuantity: spec.fulfillment === "fulfilled" ? (item.quantity ?? 1) : 0,
        })),
      },
    },
  });
  if (spec.shipment) {
    const delivered = spec.shipment.status === "delivered" ? daysAgo(spec.shipment.deliveredDaysAgo ?? 1) : null;
    await prisma.shipment.create({
      data: {
        shopId,
        orderId: order.id,
        platform: "shopify",
        externalId: `ship-${number}`,
        status: spec.shipment.status,
        carrier: spec.shipment.carrier,
        trackingNumber: spec.shipment.tracking,
        trackingUrl: `https://www.ups.com/track?tracknum=${spec.shipment.tracking}`,
        shippedAt: daysAgo(spec.placedDaysAgo - 1),
        estimatedDeliveryAt: spec.shipment.status === "in_transit" ? new Date(NOW.getTime() + 2 * DAY) : null,
        deliveredAt: delivered,
        events: [
          delivered
            ? { at: delivered.toISOString(), status: "delivered", location: "Portland, OR", message: "Delivered, front door" }
            : { at: daysAgo(1).toISOString(), status: "in_transit", location: "Reno, NV", message: "Departed facility" },
        ],
      },
    });
  }
  return order.id;
}

const ARTICLES = [
  {
    title: "Returns and refunds",
    body: "## Return window\nYou can return unused items within 30 days of delivery for a full refund. Items must have their original tags attached.\n\n## Refund timing\nRefunds go back to your original payment method within 5 business days of the return reaching our warehouse.",
  },
  {
    title: "Shipping rates and delivery times",
    body: "## Rates\nStandard shipping costs $6.95 and is free on orders over $75. Expedited shipping costs $14.95.\n\n## Delivery times\nStandard delivery takes 3 to 5 business days within the US. Expedited delivery takes 2 business days.",
  },
  {
    title: "Discount codes",
    body: "## Welcome offer\nNew subscribers get WELCOME10, which takes 10% off a first order. Codes can't be combined and don't apply to gift cards.",
  },
  {
    title: "Caring for your rain jacket",
    body: "Wash the Cascade rain jacket cold on a gentle cycle and tumble dry low to restore the water repellency. Don't use fabric softener.",
  },
];

export async function createAssistantFixture(): Promise<AssistantFixture> {
  const domain = `assistant-${randomUUID().slice(0, 8)}.myshopify.com`;
  const shop = await prisma.shop.create({
    data: {
      domain,
      name: "Alder & Pine",
      email: "help@alderpine.example",
      timezone: "America/Los_Angeles",
      locales: ["en", "fr", "de", "es"],
      settings: {
        create: {
          assistantName: "Maple",
          greeting: "Hi, I'm Maple from Alder & Pine! Ask me about orders, returns or shipping.",
          neverSay: ["guaranteed delivery"],
          returnWindowDays: 30,
          autoApproveRefundLimit: new Prisma.Decimal(50),
          escalationRules: { orderValueThreshold: 500, keywords: ["chargeback", "lawyer"], frustrationThreshold: 0.7, maxFailedTurns: 2 },
          businessHours: {
            timezone: "America/Los_Angeles",
            days: { monday: { open: "08:00", close: "18:00" }, tuesday: { open: "08:00", close: "18:00" }, wednesday: { open: "08:00", close: "18:00" }, thursday: { open: "08:00", close: "18:00" }, friday: { open: "08:00", close: "18:00" }, saturday: null, sunday: null },
            expectedResponse: "within 2 hours",
          },
        },
      },
    },
  });
  const shopId = shop.id;
  const staff = await prisma.staffMember.create({ data: { shopId, email: "sam@alderpine.example", name: "Sam Rivera", role: "agent" } });
  const mkCustomer = async (externalId: string, email: string, firstName: string) => {
    const row = await prisma.customer.create({ data: { shopId, platform: "shopify", externalId, email, firstName } });
    return { id: row.id, email };
  };
  const alice = await mkCustomer("c-alice", "alice@example.com", "Alice");
  const bob = await mkCustomer("c-bob", "bob@example.net", "Bob");
  await prisma.product.createMany({
    data: [
      { shopId, platform: "shopify", externalId: "p-tee", handle: "trail-tee", title: "Trail Tee", priceMin: 38, priceMax: 38 },
      { shopId, platform: "shopify", externalId: "p-jacket", handle: "cascade-rain-jacket", title: "Cascade Rain Jacket", priceMin: 180, priceMax: 180 },
      { shopId, platform: "shopify", externalId: "p-gift", handle: "gift-card", title: "Digital Gift Card", productType: "Gift Card", priceMin: 25, priceMax: 200 },
    ],
  });

  const orders = {
    smallDelivered: await addOrder(shopId, alice, 1001, {
      placedDaysAgo: 9,
      items: [{ title: "Trail Tee", price: 38, productExternalId: "p-tee" }],
      fulfillment: "fulfilled",
      shipment: { status: "delivered", deliveredDaysAgo: 5, carrier: "UPS", tracking: "1Z999AA10123456784" },
    }),
    largeDelivered: await addOrder(shopId, alice, 1002, {
      placedDaysAgo: 14,
      items: [{ title: "Cascade Rain Jacket", price: 180, productExternalId: "p-jacket" }],
      fulfillment: "fulfilled",
      shipment: { status: "delivered", deliveredDaysAgo: 10, carrier: "UPS", tracking: "1Z999AA10123456785" },
    }),
    inTransit: await addOrder(shopId, alice, 1003, {
      placedDaysAgo: 3,
      items: [{ title: "Trail Tee", price: 38, productExternalId: "p-tee", quantity: 2 }],
      fulfillment: "fulfilled",
      shipment: { status: "in_transit", carrier: "UPS", tracking: "1Z999AA10123456786" },
    }),
    unfulfilled: await addOrder(shopId, alice, 1004, { placedDaysAgo: 0, items: [{ title: "Trail Tee", price: 38, productExternalId: "p-tee" }], fulfillment: "unfulfilled" }),
    oldDelivered: await addOrder(shopId, bob, 1005, {
      placedDaysAgo: 70,
      items: [{ title: "Trail Tee", price: 38, productExternalId: "p-tee" }],
      fulfillment: "fulfilled",
      shipment: { status: "delivered", deliveredDaysAgo: 60, carrier: "UPS", tracking: "1Z999AA10123456787" },
    }),
    bobsOrder: await addOrder(shopId, bob, 1006, {
      placedDaysAgo: 2,
      items: [{ title: "Cascade Rain Jacket", price: 180, productExternalId: "p-jacket" }],
      fulfillment: "fulfilled",
      shipment: { status: "in_transit", carrier: "UPS", tracking: "1Z999AA10123456788" },
    }),
    giftCard: await addOrder(shopId, alice, 1007, {
      placedDaysAgo: 6,
      items: [{ title: "Digital Gift Card", price: 50, productExternalId: "p-gift" }],
      fulfillment: "fulfilled",
      shipment: { status: "delivered", deliveredDaysAgo: 3, carrier: "UPS", tracking: "1Z999AA10123456789" },
    }),
    awaitingShipment: await addOrder(shopId, alice, 1008, { placedDaysAgo: 1, items: [{ title: "Trail Tee", price: 38, productExternalId: "p-tee" }], fulfillment: "unfulfilled" }),
    discounted: await addOrder(shopId, alice, 1009, {
      placedDaysAgo: 8,
      items: [
        {
          title: "Trail Tee",
          price: 38,
          productExternalId: "p-tee",
          quantity: 2,
          discounts: [
            { title: "TEE10", amount: 7.6 },
            { title: "WELCOME10", amount: 6.84 },
          ],
          tax: { title: "Sales tax", rate: 0.08, amount: 4.92 },
        },
      ],
      fulfillment: "fulfilled",
      shipment: { status: "delivered", deliveredDaysAgo: 4, carrier: "UPS", tracking: "1Z999AA10123456790" },
    }),
  };

  for (const article of ARTICLES) {
    const source = await createArticle(shopId, { ...article, status: "published" });
    await reindexSource(source.id);
  }
  return { shopId, domain, staffId: staff.id, alice, bob, orders };
}

export async function deleteAssistantFixture(fixture: AssistantFixture | undefined) {
  if (fixture) await prisma.shop.deleteMany({ where: { id: fixture.shopId } });
}
