import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import prisma from "~/db.server";
import { applyOrder, type OrderSnapshot } from "~/modules/commerce";
import { WooOrder, WooRefund, wooOrderSnapshot } from "~/modules/commerce/connectors/woocommerce/payloads";
import { handleShopperMessage, startConversation, verifyOrder } from "~/modules/conversations";
import { createTestShop, deleteTestShop } from "../support/shops";
import { FakeWooStore } from "../support/woocommerce-store";

/**
 * The shopper's side of a WooCommerce order: the storefront's verification form and the assistant find it by
 * its number and checkout email and show its status, tracking and refunds, the same as a Shopify order's,
 * also when the shop's Shopify prefix differs from WooCommerce's "#" and when both platforms have that number.
 */

function shopifyOrder(name: string, email: string): OrderSnapshot {
  const number = Number(name.replace(/\D/g, ""));
  const at = new Date("2026-11-20T10:00:00Z");
  return {
    platform: "shopify",
    externalId: `gid://shopify/Order/${number}77`,
    name,
    number,
    email,
    currency: "USD",
    subtotal: "40.00",
    shippingTotal: "0.00",
    taxTotal: "0.00",
    discountTotal: "0.00",
    total: "40.00",
    taxesIncluded: false,
    status: "open",
    financialStatus: "paid",
    fulfillmentStatus: "unfulfilled",
    cancelledAt: null,
    cancelReason: null,
    placedAt: at,
    updatedAt: at,
    shippingAddress: null,
    shippingLines: [],
    customer: null,
    lineItems: [],
    refunds: [],
    shipments: [],
  };
}

describe("WooCommerce orders for shoppers", () => {
  const shops: { domain: string }[] = [];
  let store: FakeWooStore;

  /** A WooCommerce order as the store serves it (with tracking and a refund), applied like the connector does. */
  async function wooOrder(shopId: string, number: number, email: string) {
    const order = store.addOrder({ id: number, email, tracking: { provider: "USPS", number: `9400${number}`, link: `https://usps.example/track/9400${number}` } });
    store.updateOrder(number, { status: "completed" });
    store.addRefund(number, { amount: 12, reason: "One sock was missing", quantity: 1 });
    await applyOrder(prisma, shopId, wooOrderSnapshot(WooOrder.parse(order), z.array(WooRefund).parse(store.refunds.get(number))));
    return order;
  }

  async function shopWith(prefix: string) {
    const shop = await createTestShop("Two-platform shop");
    shops.push(shop);
    await prisma.shop.update({ where: { id: shop.id }, data: { orderNamePrefix: prefix } });
    return shop;
  }

  beforeAll(async () => {
    store = await new FakeWooStore().start();
  });
  afterAll(async () => {
    await store.close();
    for (const shop of shops) await deleteTestShop(shop.domain);
  });

  it("verifies a WooCommerce order by number and email and shows its status, tracking and refund, beside a Shopify order with the same number", async () => {
    const shop = await shopWith("#");
    await applyOrder(prisma, shop.id, shopifyOrder("#4101", "shopify.buyer@example.com"));
    await wooOrder(shop.id, 4101, "woo.buyer@example.com");
    const { conversation } = await startConversation(prisma, { shopId: shop.id });

    const woo = await verifyOrder(prisma, { shopId: shop.id, conversationId: conversation.id, orderNumber: "4101", email: "Woo.Buyer@example.com" });
    expect(woo.verified).toBe(true);
    const card = woo.verified ? woo.message.orderCard : undefined;
    expect(card).toMatchObject({ name: "#4101", status: "closed", fulfillmentStatus: "fulfilled", financialStatus: "partially_refunded", total: "29.00" });
    expect(card!.shipments).toEqual([expect.objectContaining({ carrier: "USPS", trackingNumber: "94004101", trackingUrl: "https://usps.example/track/94004101", status: "in_transit" })]);
    const verified = await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    const wooRow = await prisma.order.findFirstOrThrow({ where: { shopId: shop.id, platform: "woocommerce" } });
    expect(verified.verifiedOrderIds).toEqual([wooRow.id]);

    // The same number with the Shopify order's email is the Shopify order.
    const other = await startConversation(prisma, { shopId: shop.id });
    const shopify = await verifyOrder(prisma, { shopId: shop.id, conversationId: other.conversation.id, orderNumber: "#4101", email: "shopify.buyer@example.com" });
    expect(shopify.verified && shopify.message.orderCard).toMatchObject({ name: "#4101", financialStatus: "paid", fulfillmentStatus: "unfulfilled" });

    // A wrong email gets the same refusal as an order that does not exist.
    const third = await startConversation(prisma, { shopId: shop.id });
    const wrong = await verifyOrder(prisma, { shopId: shop.id, conversationId: third.conversation.id, orderNumber: "4101", email: "someone@example.com" });
    const missing = await verifyOrder(prisma, { shopId: shop.id, conversationId: third.conversation.id, orderNumber: "4999", email: "someone@example.com" });
    expect(wrong).toMatchObject({ verified: false, locked: false });
    expect(missing).toEqual(wrong);
  });

  it("finds a WooCommerce order when the shop's Shopify orders use another prefix, and the assistant answers about its refund", async () => {
    const shop = await shopWith("NW-");
    await applyOrder(prisma, shop.id, shopifyOrder("NW-4201", "shopify.buyer@example.com"));
    await wooOrder(shop.id, 4202, "woo.buyer@example.com");
    const { conversation } = await startConversation(prisma, { shopId: shop.id });

    const result = await verifyOrder(prisma, { shopId: shop.id, conversationId: conversation.id, orderNumber: "4202", email: "woo.buyer@example.com" });
    expect(result.verified && result.message.orderCard?.name).toBe("#4202");

    // In the chat: the order under discussion is the WooCommerce one; its refund is reported as it is stored.
    const turn = await handleShopperMessage(prisma, { shopId: shop.id, conversationId: conversation.id, text: "What is the status of my refund for order #4202?" });
    const reply = await prisma.message.findFirstOrThrow({ where: { conversationId: conversation.id, author: "assistant" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(turn.status).toBeDefined();
    expect(reply.body).toMatch(/#4202/);
    expect(reply.body).toMatch(/12\.00/);
  });
});
