import { type Platform, Prisma, type RefundStatus } from "@prisma/client";

/**
 * Which order a Stripe payment paid for, and its refunds on that order. The store's own order id in the payment's
 * metadata decides first (WooCommerce's Stripe gateway writes `order_id`; a Shopify checkout or app can write
 * `shopify_order_id`); otherwise the checkout e-mail, the exact amount and currency and an order placed within a
 * day of the payment, when exactly one order fits. A payment that fits none, or several, stays unlinked: it is
 * kept and listed on the Integrations screen, and linking is tried again with each of its events.
 */

type Tx = Prisma.TransactionClient;

/** Payments are taken around the time the order is placed; a day covers delayed captures and time zones. */
export const MATCH_WINDOW_MS = 24 * 3_600_000;

/** The orders a payment's metadata names, most specific first. */
function namedOrders(metadata: Record<string, unknown>): { platform: Platform; externalIds: string[] }[] {
  const value = (key: string) => {
    const found = Object.entries(metadata).find(([name]) => name.toLowerCase() === key)?.[1];
    return typeof found === "string" && found.trim() ? found.trim() : null;
  };
  const shopify = (id: string) => ({ platform: "shopify" as const, externalIds: id.startsWith("gid://") ? [id] : [`gid://shopify/Order/${id}`, id] });
  const woo = (id: string) => ({ platform: "woocommerce" as const, externalIds: [id] });
  const candidates: { platform: Platform; externalIds: string[] }[] = [];
  const shopifyId = value("shopify_order_id");
  if (shopifyId) candidates.push(shopify(shopifyId));
  const wooId = value("woocommerce_order_id") ?? value("wc_order_id");
  if (wooId) candidates.push(woo(wooId));
  const orderId = value("order_id");
  if (orderId) candidates.push(woo(orderId), shopify(orderId));
  return candidates;
}

/** Links an unlinked payment to its order when one fits; returns the order's id. */
export async function linkPayment(tx: Tx, shopId: string, paymentId: string): Promise<string | null> {
  const payment = await tx.payment.findFirst({
    where: { id: paymentId, shopId, orderId: null },
    select: { metadata: true, email: true, amount: true, currency: true, occurredAt: true },
  });
  if (!payment) return null;

  let match: { orderId: string; matchedBy: "metadata" | "email_amount"; redacted: boolean } | null = null;
  const metadata = payment.metadata && typeof payment.metadata === "object" ? (payment.metadata as Record<string, unknown>) : {};
  for (const candidate of namedOrders(metadata)) {
    const order = await tx.order.findFirst({ where: { shopId, platform: candidate.platform, externalId: { in: candidate.externalIds } }, select: { id: true, redactedAt: true } });
    if (order) {
      match = { orderId: order.id, matchedBy: "metadata", redacted: order.redactedAt !== null };
      break;
    }
  }
  if (!match && payment.email) {
    const window = payment.occurredAt.getTime();
    const orders = await tx.order.findMany({
      where: {
        shopId,
        email: payment.email,
        currency: payment.currency,
        total: payment.amount,
        placedAt: { gte: new Date(window - MATCH_WINDOW_MS), lte: new Date(window + MATCH_WINDOW_MS) },
      },
      select: { id: true, redactedAt: true },
      take: 2,
    });
    // Two orders of the same amount by the same shopper on the same day: a guess could refund the wrong one.
    if (orders.length === 1) match = { orderId: orders[0]!.id, matchedBy: "email_amount", redacted: orders[0]!.redactedAt !== null };
  }
  if (!match) return null;
  await tx.payment.update({
    where: { id: paymentId },
    // An order erased by customers/redact: the payment keeps no more of the shopper than the order does.
    data: { orderId: match.orderId, matchedBy: match.matchedBy, ...(match.redacted ? { email: null, metadata: {}, failureMessage: null } : {}) },
  });
  return match.orderId;
}

const REFUND_STATUS: Record<string, RefundStatus> = { succeeded: "succeeded", failed: "failed", canceled: "cancelled" };

/**
 * The payment's refunds on its order, as Refund rows (platform stripe): what the assistant's refund status and
 * the inbox read. Status and amount come from Stripe's events; the items refunded are kept from the write-back
 * that asked for the refund (recordStripeRefund), whichever of the two was written first.
 */
const MIRROR_REFUNDS = `
  INSERT INTO "Refund" ("id", "shopId", "orderId", "platform", "externalId", "amount", "currency", "status", "reason", "processedAt", "lineItems",
    "transactions", "createdAt", "updatedAt")
  SELECT gen_random_uuid()::text, $1, $2, 'stripe', r."externalId", r."amount", r."currency", r."status"::"RefundStatus", r."reason", r."processedAt",
    '[]'::jsonb, r."transactions", r."createdAt", now()
  FROM jsonb_to_recordset($3::jsonb) AS r("externalId" text, "amount" decimal, "currency" text, "status" text, "reason" text, "processedAt" timestamptz,
    "transactions" jsonb, "createdAt" timestamptz)
  ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET
    "orderId" = EXCLUDED."orderId", "amount" = EXCLUDED."amount", "currency" = EXCLUDED."currency", "status" = EXCLUDED."status",
    "reason" = EXCLUDED."reason", "processedAt" = EXCLUDED."processedAt", "transactions" = EXCLUDED."transactions", "updatedAt" = now()`;

/** A refund Shopdesk asked Stripe for: pending until Stripe's events say more; fills in the items if the events came first. */
const RECORD_REQUESTED_REFUND = `
  INSERT INTO "Refund" ("id", "shopId", "orderId", "platform", "externalId", "amount", "currency", "status", "reason", "processedAt", "lineItems",
    "transactions", "createdAt", "updatedAt")
  VALUES (gen_random_uuid()::text, $1, $2, 'stripe', $3, $4::decimal, $5, 'pending', $6, NULL, $7::jsonb, $8::jsonb, $9::timestamptz, now())
  ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET "lineItems" = EXCLUDED."lineItems", "updatedAt" = now()
  WHERE "Refund"."lineItems" = '[]'::jsonb`;

/** The same rule as the sync writers' (sync/apply.server.ts): refunded units are those of succeeded or pending refunds. */
const RECOMPUTE_REFUNDED_QUANTITIES = `
  UPDATE "OrderLineItem" AS line SET "refundedQuantity" = COALESCE((
    SELECT sum((item->>'quantity')::int) FROM "Refund" AS refund, jsonb_array_elements(refund."lineItems") AS item
    WHERE refund."orderId" = line."orderId" AND refund."status" IN ('succeeded', 'pending') AND item->>'lineItemExternalId' = line."externalId"), 0)
  WHERE line."orderId" = $1`;

export async function mirrorRefunds(tx: Tx, shopId: string, paymentId: string, orderId: string): Promise<void> {
  const refunds = await tx.paymentRefund.findMany({ where: { shopId, paymentId }, orderBy: { occurredAt: "asc" } });
  if (refunds.length === 0) return;
  const rows = refunds.map((refund) => {
    const status = REFUND_STATUS[refund.status] ?? "pending";
    return {
      externalId: refund.externalId,
      amount: refund.amount.toFixed(2),
      currency: refund.currency,
      status,
      reason: refund.reason,
      // Stripe tells no separate completion time: a card refund succeeds when created.
      processedAt: status === "succeeded" ? refund.occurredAt.toISOString() : null,
      transactions: [{ externalId: refund.externalId, kind: "refund", status: refund.status, amount: refund.amount.toFixed(2), gateway: "stripe" }],
      createdAt: refund.occurredAt.toISOString(),
    };
  });
  await tx.$executeRawUnsafe(MIRROR_REFUNDS, shopId, orderId, JSON.stringify(rows));
  await tx.$executeRawUnsafe(RECOMPUTE_REFUNDED_QUANTITIES, orderId);
}

export interface RequestedRefund {
  externalId: string;
  amount: string;
  currency: string;
  reason: string | null;
  lineItems: unknown[];
  transactions: unknown[];
  createdAt: Date | null;
}

/** Records a refund Stripe accepted for a write-back, in the acceptance's transaction. */
export async function recordStripeRefund(tx: Tx, order: { id: string; shopId: string }, refund: RequestedRefund): Promise<void> {
  await tx.$executeRawUnsafe(
    RECORD_REQUESTED_REFUND,
    order.shopId,
    order.id,
    refund.externalId,
    new Prisma.Decimal(refund.amount).toFixed(2),
    refund.currency,
    refund.reason,
    JSON.stringify(refund.lineItems),
    JSON.stringify(refund.transactions),
    refund.createdAt ?? new Date(),
  );
  await tx.$executeRawUnsafe(RECOMPUTE_REFUNDED_QUANTITIES, order.id);
}
