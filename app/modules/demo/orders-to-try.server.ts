import type { Prisma, PrismaClient } from "@prisma/client";

export interface DemoOrderToTry {
  order: string;
  email: string;
  customer: string;
  /** What state the order is in and what a shopper might ask about it. */
  suggestion: string;
}

const KINDS: { where: Prisma.OrderWhereInput; suggestion: string }[] = [
  { where: { status: "open", fulfillmentStatus: "fulfilled", financialStatus: "paid" }, suggestion: 'shipped: "Where is my order?" or "I want to return it"' },
  { where: { status: "open", fulfillmentStatus: "unfulfilled", financialStatus: "paid" }, suggestion: 'not shipped yet: "Can I change the address?" or "Please cancel it"' },
  { where: { status: "closed", financialStatus: { in: ["refunded", "partially_refunded"] } }, suggestion: 'refunded: "When will I get my money back?"' },
];

/**
 * A few of the seeded orders a visitor can ask the assistant about (order number and the email it was placed with),
 * one per state worth trying, newest first. Read from the database, so they are always orders that exist.
 */
export async function demoOrdersToTry(db: PrismaClient, shopId: string): Promise<DemoOrderToTry[]> {
  const found: DemoOrderToTry[] = [];
  for (const kind of KINDS) {
    const order = await db.order.findFirst({
      where: { shopId, redactedAt: null, email: { not: null }, customer: { redactedAt: null }, ...kind.where },
      orderBy: { placedAt: "desc" },
      select: { name: true, email: true, customer: { select: { firstName: true, lastName: true } } },
    });
    if (!order?.email) continue;
    const customer = [order.customer?.firstName, order.customer?.lastName].filter(Boolean).join(" ") || order.email;
    found.push({ order: order.name, email: order.email, customer, suggestion: kind.suggestion });
  }
  return found;
}
