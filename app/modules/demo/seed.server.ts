import type { PrismaClient } from "@prisma/client";
import { ARTICLES, STAFF } from "./seed-data";
import { startOfUtcDay } from "./seed/calendar";
import { seedConversationHistory } from "./seed/conversation-history.server";
import { buildConversations } from "./seed/conversations";
import { seedConversations } from "./seed/conversations.server";
import { seedLiveConversations, seedMacros } from "./seed/live-conversations.server";
import { generateHistory } from "./seed/history";
import { refreshPredictions } from "~/modules/predictions";
import { articleId, seedKnowledge } from "./seed/knowledge.server";
import type { GenOrder } from "./seed/model";
import { seedSettings, seedShop, seedStaff } from "./seed/shop.server";
import { customerGid, hasAccount, orderGid } from "./seed/shopify-payloads";
import { storedIds, syncCatalogue, syncCustomers, syncOrders } from "./seed/sync.server";

/**
 * The demo shop seed: a realistic, deterministic "Northwind Outfitters" store with its catalogue, customers,
 * six months of orders (every lifecycle state, with consistent totals, shipments, carrier events and refunds),
 * help-centre articles, the four shop policies, a handful of support conversations, and 90 days of past
 * conversations behind the dashboard's analytics.
 *
 * Commerce data goes through the real sync path: the generated history becomes Shopify REST webhook payloads,
 * which the Shopify connector maps and the commerce writers apply (./seed/sync.server.ts), exactly as a real
 * store's webhooks are. What no platform holds (settings, staff, knowledge, conversations) is written directly.
 *
 * Idempotent: a rerun delivers only what the shop lacks (so a demo restart is quick and an interrupted run is
 * completed), and ids of directly written rows are derived from the shop id, so nothing is added twice.
 * Deterministic: all randomness comes from seeded PRNGs and all dates are relative to `now`, which defaults to
 * the start of the current UTC day.
 */

export interface SeedSummary {
  shopId: string;
  products: number;
  customers: number;
  orders: number;
  shipments: number;
  refunds: number;
  articles: number;
  policies: number;
  conversations: number;
  /** Past conversations of the last 90 days (seed/conversation-history.ts), included in `conversations`. */
  historyConversations: number;
  /** Product, customer and order payloads the sync writers applied as a change in this run (0 on a rerun). */
  changed: number;
}

export interface SeedDemoShopOptions {
  domain: string;
  /** Multiplies the customer and order counts (1 = 240 customers, 600 orders). */
  scale?: number;
  /** Reference time of the generated history; defaults to the start of the current UTC day. */
  now?: Date;
}

export async function seedDemoShop(prisma: PrismaClient, options: SeedDemoShopOptions): Promise<SeedSummary> {
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`seedDemoShop: scale must be a positive number, got ${scale}`);
  const now = options.now ? options.now.getTime() : startOfUtcDay(Date.now());
  const domain = options.domain.trim().toLowerCase();

  const shopId = await seedShop(prisma, domain);
  await seedSettings(prisma, shopId);
  const staffIds = await seedStaff(prisma, shopId);

  const { catalogue, customers, orders, addressChange } = generateHistory(now, scale);

  // Through the Shopify connector and the sync writers. A customer who ordered arrives with their orders (an order
  // payload carries its customer, which the order writer applies); the others arrive on their own.
  const changed =
    (await syncCatalogue(prisma, shopId, catalogue)) +
    (await syncCustomers(
      prisma,
      shopId,
      customers.filter(hasAccount).filter((customer) => customer.orderCount === 0),
    )) +
    (await syncOrders(prisma, shopId, orders));

  await seedKnowledge(prisma, shopId, now);

  // Conversations refer to orders and customers by the ids the writers gave them.
  const ids = await storedIds(prisma, shopId);
  const orderId = (order: GenOrder) => {
    const id = ids.orders.get(orderGid(order));
    if (!id) throw new Error(`seedDemoShop: order ${order.name} is not stored`);
    return id;
  };
  const articleRefs = new Map(ARTICLES.map((article) => [article.slug, { id: articleId(shopId, article.slug), title: article.title }]));
  const conversations = buildConversations({ now, orders, customers, articles: articleRefs, orderId, addressChange });
  await seedConversations(prisma, shopId, conversations, {
    orderId,
    customerId: (customer) => (hasAccount(customer) ? (ids.customers.get(customerGid(customer)) ?? null) : null),
    staffIds,
  });

  // Ninety days of past conversations (and the analytics rollups over them).
  const historyConversations = await seedConversationHistory(
    shopId,
    { now, customers, orders, hasAccount },
    { customerId: (customer) => (hasAccount(customer) ? (ids.customers.get(customerGid(customer)) ?? null) : null), staffIds },
  );

  // Shoppers waiting for the team right now, through the real shopper path (assistant, handoff, routing).
  await seedLiveConversations(prisma, shopId);
  await seedMacros(prisma, shopId, STAFF[0].email);
  // The CSAT and churn models trained on that history, so the dashboard and the inbox show predictions at once.
  await refreshPredictions(prisma, { shopId, retrain: true });

  // Summary of what the shop now holds.
  const [products, customerCount, orderCount, shipments, refunds, articles, policies, conversationCount] = await Promise.all([
    prisma.product.count({ where: { shopId } }),
    prisma.customer.count({ where: { shopId } }),
    prisma.order.count({ where: { shopId } }),
    prisma.shipment.count({ where: { shopId } }),
    prisma.refund.count({ where: { shopId } }),
    prisma.knowledgeSource.count({ where: { shopId, kind: "article" } }),
    prisma.knowledgeSource.count({ where: { shopId, kind: "policy" } }),
    prisma.conversation.count({ where: { shopId } }),
  ]);
  return {
    shopId,
    products,
    customers: customerCount,
    orders: orderCount,
    shipments,
    refunds,
    articles,
    policies,
    conversations: conversationCount,
    historyConversations,
    changed,
  };
}
