import { createHash } from "node:crypto";
import { Prisma } from "@prisma/client";
import { reviveRow, reviveRows } from "~/lib/db/model-rows.server";
import { getPool, prepared } from "~/lib/db/pool.server";
import { maskEmail } from "../pii";
import type { ToolContext, ToolOutcome } from "./context";

/**
 * Order access for the assistant. An order is shown only to someone who proved it is theirs: the logged-in
 * customer it belongs to (verified app-proxy request), or whoever gave its number together with the email
 * on the order. Answers for "no such order" and "wrong email" are identical, so the assistant cannot be
 * used to discover which order numbers exist.
 */

export const MAX_VERIFICATION_FAILURES = 5;

export const orderInclude = {
  lineItems: { orderBy: { externalId: "asc" } },
  shipments: { orderBy: { createdAt: "asc" } },
  refunds: { orderBy: { createdAt: "asc" } },
  returnRequests: { orderBy: { createdAt: "asc" } },
  actions: { where: { status: "requested" }, orderBy: { requestedAt: "asc" }, select: { kind: true, requestedAt: true } },
  payments: { select: { _count: { select: { disputes: true } } } },
} satisfies Prisma.OrderInclude;

export type LoadedOrder = Prisma.OrderGetPayload<{ include: typeof orderInclude }>;

export interface TrackingEvent {
  at: string;
  status: string;
  location?: string;
  message?: string;
}

/** What the assistant (and the shopper's order card) may see of an order: no addresses, no payment data. */
export interface OrderView {
  id: string;
  name: string;
  placedAt: string;
  status: string;
  financialStatus: string;
  fulfillmentStatus: string;
  currency: string;
  total: string;
  items: { id: string; title: string; variantTitle: string | null; quantity: number; unitPrice: string; fulfilledQuantity: number; refundedQuantity: number }[];
  shipments: {
    carrier: string | null;
    trackingNumber: string | null;
    trackingUrl: string | null;
    status: string;
    shippedAt: string | null;
    estimatedDeliveryAt: string | null;
    deliveredAt: string | null;
    lastEvent: TrackingEvent | null;
  }[];
  refunds: { amount: string; currency: string; status: string; processedAt: string | null }[];
  returnRequests: { id: string; status: string; amount: string; createdAt: string; autoApproved: boolean }[];
  /** Actions sent to the store that it has not confirmed yet: they are requested, not done. */
  pendingActions: { kind: string; requestedAt: string }[];
  cancelledAt: string | null;
  /** The payment was disputed with the card issuer (a chargeback or an inquiry): staff handle the order. */
  paymentDispute: boolean;
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
const money = (value: Prisma.Decimal | number) => Number(value).toFixed(2);

export function toOrderView(order: LoadedOrder): OrderView {
  return {
    id: order.id,
    name: order.name,
    placedAt: order.placedAt.toISOString(),
    status: order.status,
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    currency: order.currency,
    total: money(order.total),
    items: order.lineItems.map((item) => ({
      id: item.id,
      title: item.title,
      variantTitle: item.variantTitle,
      quantity: item.quantity,
      unitPrice: money(item.unitPrice),
      fulfilledQuantity: item.fulfilledQuantity,
      refundedQuantity: item.refundedQuantity,
    })),
    shipments: order.shipments.map((shipment) => {
      const events = Array.isArray(shipment.events) ? (shipment.events as unknown as TrackingEvent[]) : [];
      return {
        carrier: shipment.carrier,
        trackingNumber: shipment.trackingNumber,
        trackingUrl: shipment.trackingUrl,
        status: shipment.status,
        shippedAt: iso(shipment.shippedAt),
        estimatedDeliveryAt: iso(shipment.estimatedDeliveryAt),
        deliveredAt: iso(shipment.deliveredAt),
        lastEvent: events[0] ?? null,
      };
    }),
    refunds: order.refunds.map((refund) => ({ amount: money(refund.amount), currency: refund.currency, status: refund.status, processedAt: iso(refund.processedAt) })),
    returnRequests: order.returnRequests.map((request) => ({
      id: request.id,
      status: request.status,
      amount: money(request.amount),
      createdAt: request.createdAt.toISOString(),
      autoApproved: request.autoApproved,
    })),
    pendingActions: order.actions.map((action) => ({ kind: action.kind, requestedAt: action.requestedAt.toISOString() })),
    cancelledAt: iso(order.cancelledAt),
    paymentDispute: hasPaymentDispute(order),
  };
}

export function hasPaymentDispute(order: Pick<LoadedOrder, "payments">): boolean {
  return order.payments.some((payment) => payment._count.disputes > 0);
}

/**
 * An order whose payment is disputed goes to a person, whatever was asked: what the shopper and the card issuer
 * dispute is the store's to handle, so the assistant neither discusses it nor acts on the order. Its details
 * (amount, reason, status) never reach the assistant.
 */
export function paymentDisputeRefusal(order: Pick<LoadedOrder, "name">): ToolOutcome<never> & { ok: false } {
  return {
    ok: false,
    code: "needs_staff",
    message: `The payment for order ${order.name} is disputed with the card issuer, so a person on the team handles this order. Do not discuss the payment or the dispute; hand the conversation to a person.`,
    data: { reason: "payment_dispute", orderName: order.name },
  };
}

/** "1042", "#1042", "order 1042" → the shop's order name ("#1042"); undefined when no number is present. */
export function normaliseOrderName(input: string, prefix: string): string | undefined {
  const digits = input.match(/\d{1,12}/)?.[0];
  return digits ? `${prefix}${digits}` : undefined;
}

export function hashKey(...parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32);
}

interface ActionEntry {
  action: string;
  key: string;
  targetType?: string;
  targetId?: string;
  reason?: string;
  input?: Prisma.InputJsonValue;
  result: Prisma.InputJsonValue;
}

/** Writes one action-log entry; its idempotency key is unique per shop, so a second write with it fails. */
export async function recordAction(
  ctx: ToolContext,
  entry: ActionEntry,
  db: Prisma.TransactionClient | ToolContext["db"] = ctx.db,
) {
  await db.actionLog.create({
    data: {
      shopId: ctx.profile.shop.id,
      conversationId: ctx.conversation.id,
      actor: ctx.actor,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      reason: entry.reason,
      idempotencyKey: entry.key,
      input: entry.input ?? {},
      result: entry.result,
      createdAt: ctx.now,
    },
  });
}

async function findAction(ctx: ToolContext, key: string) {
  return ctx.db.actionLog.findUnique({ where: { shopId_idempotencyKey: { shopId: ctx.profile.shop.id, idempotencyKey: key } } });
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * Performs an action at most once per idempotency key. `act` runs in a transaction with the action-log entry
 * and returns the outcome (or null to do and log nothing); a repeat, or a concurrent twin that lost the race
 * on the key, gets the first outcome back instead of acting again.
 */
export async function actOnce<T>(
  ctx: ToolContext,
  key: string,
  act: (tx: Prisma.TransactionClient) => Promise<{ result: T; entry: Omit<ActionEntry, "key" | "result"> } | null>,
): Promise<T | null> {
  const previous = await findAction(ctx, key);
  if (previous) return previous.result as T;
  try {
    return await ctx.db.$transaction(async (tx) => {
      const done = await act(tx);
      if (!done) return null;
      await recordAction(ctx, { ...done.entry, key, result: done.result as Prisma.InputJsonValue }, tx);
      return done.result;
    });
  } catch (error) {
    const winner = isUniqueViolation(error) ? await findAction(ctx, key) : null;
    if (!winner) throw error;
    return winner.result as T;
  }
}

/**
 * Orders with what the assistant reads of them (orderInclude), newest first, in one prepared statement on the
 * pg pool: Prisma's compiler spends about 5 ms of CPU on this include, in the middle of the shopper's wait
 * (between the model's tool call and its answer). `match` selects the orders by plain parameters, not an array:
 * PostgreSQL's generic plan for "= ANY(array)" expects ten rows, so it re-planned the statement on every call
 * (0.4–1.3 ms); with one or two parameters it keeps the generic plan after five calls (planning 0.02 ms).
 * tests/integration/assistant-order-reader.test.ts holds it equal to Prisma's findMany with orderInclude.
 */
function readOrdersSql(match: string, limit: number) {
  const children = (table: string, order: string) =>
    `COALESCE((SELECT json_agg(c ORDER BY c."${order}") FROM "${table}" c WHERE c."orderId" = o."id"), '[]'::json)`;
  return `
    SELECT o.*,
      ${children("OrderLineItem", "externalId")} AS "lineItems",
      ${children("Shipment", "createdAt")} AS "shipments",
      ${children("Refund", "createdAt")} AS "refunds",
      ${children("ReturnRequest", "createdAt")} AS "returnRequests",
      COALESCE((SELECT json_agg(json_build_object('kind', a."kind", 'requestedAt', a."requestedAt") ORDER BY a."requestedAt")
                FROM "OrderAction" a WHERE a."orderId" = o."id" AND a."status" = 'requested'), '[]'::json) AS "actions",
      COALESCE((SELECT json_agg(json_build_object('_count', json_build_object('disputes', (SELECT count(*)::int FROM "Dispute" d WHERE d."paymentId" = p."id"))))
                FROM "Payment" p WHERE p."orderId" = o."id"), '[]'::json) AS "payments"
    FROM "Order" o
    WHERE o."shopId" = $1 AND ${match}
    ORDER BY o."placedAt" DESC
    LIMIT ${limit}`;
}
const READ_ORDERS_BY_CUSTOMER = readOrdersSql(`o."customerId" = $2`, 1);
const READ_ORDERS_BY_NAME = readOrdersSql(`o."name" IN ($2, $3)`, 5);
/** The statements' text, for the test that they keep their generic plan. */
export const READ_ORDERS_SQL = { byCustomer: READ_ORDERS_BY_CUSTOMER, byName: READ_ORDERS_BY_NAME };

/** The rows of readOrdersSql typed as Prisma's findMany with orderInclude types them. */
function reviveLoadedOrder(row: Record<string, unknown>): LoadedOrder {
  const order = reviveRow<LoadedOrder>("Order", row);
  reviveRows("OrderLineItem", order.lineItems as never);
  reviveRows("Shipment", order.shipments as never);
  reviveRows("Refund", order.refunds as never);
  reviveRows("ReturnRequest", order.returnRequests as never);
  for (const action of order.actions) action.requestedAt = new Date(action.requestedAt);
  return order;
}

/** A customer's latest order, or the orders named one of (at most) two ways: "#1042" and its WooCommerce form. */
export async function readOrders(shopId: string, by: { customerId: string } | { names: readonly [string] | readonly [string, string] }): Promise<LoadedOrder[]> {
  const statement = "customerId" in by ? prepared(READ_ORDERS_BY_CUSTOMER, [shopId, by.customerId]) : prepared(READ_ORDERS_BY_NAME, [shopId, by.names[0], by.names[1] ?? by.names[0]]);
  const { rows } = await getPool().query<Record<string, unknown>>(statement);
  return rows.map(reviveLoadedOrder);
}

async function loadOrder(ctx: ToolContext, where: { customerId: string }): Promise<LoadedOrder | null> {
  return (await readOrders(ctx.profile.shop.id, where))[0] ?? null;
}

/** Failed attempts on any one order across all conversations within this window lock that order's verification. */
export const MAX_ORDER_FAILURES_PER_HOUR = 10;

async function verificationFailures(ctx: ToolContext): Promise<number> {
  return ctx.db.actionLog.count({ where: { shopId: ctx.profile.shop.id, conversationId: ctx.conversation.id, action: "order.verify_failed" } });
}

/** Guessing emails from many fresh conversations is throttled per order, not only per conversation. */
async function recentOrderFailures(ctx: ToolContext, orderName: string): Promise<number> {
  return ctx.db.actionLog.count({
    where: { shopId: ctx.profile.shop.id, action: "order.verify_failed", targetId: orderName, createdAt: { gte: new Date(ctx.now.getTime() - 3_600_000) } },
  });
}

function isOwnedByShopper(ctx: ToolContext, order: { id: string; customerId: string | null }): boolean {
  return ctx.conversation.verifiedOrderIds.includes(order.id) || (ctx.conversation.customerId !== null && order.customerId === ctx.conversation.customerId);
}

/**
 * The order a shopper means by a number: its name under the shop's prefix ("#1042"), or a WooCommerce order's
 * (WooCommerce names orders "#<number>" whatever the Shopify prefix). When two platforms' orders share the
 * number, the shopper's own order wins, then the one with the email given.
 */
async function loadOrderByNumber(ctx: ToolContext, name: string, email: string | undefined): Promise<LoadedOrder | null> {
  const digits = name.match(/\d+$/)?.[0];
  const orders = await readOrders(ctx.profile.shop.id, { names: digits ? [name, `#${digits}`] : [name] });
  if (orders.length <= 1) return orders[0] ?? null;
  const given = email?.trim().toLowerCase();
  return orders.find((order) => isOwnedByShopper(ctx, order)) ?? orders.find((order) => given && order.email?.toLowerCase() === given) ?? orders[0]!;
}

export interface OrderReference {
  orderNumber?: string;
  email?: string;
}

/**
 * The order the shopper means, if they may see it. With an email, a matching order becomes verified for the
 * rest of the conversation (persisted by the caller from ctx.conversation.verifiedOrderIds).
 */
export async function accessOrder(ctx: ToolContext, ref: OrderReference): Promise<ToolOutcome<LoadedOrder>> {
  const prefix = ctx.profile.shop.orderNamePrefix;
  const name = ref.orderNumber ? normaliseOrderName(ref.orderNumber, prefix) : undefined;

  if (!name) {
    // No number: a logged-in customer means their latest order.
    if (ctx.conversation.customerId) {
      const latest = await loadOrder(ctx, { customerId: ctx.conversation.customerId });
      if (latest) return { ok: true, data: latest };
      return { ok: false, code: "not_found", message: "This customer account has no orders." };
    }
    return { ok: false, code: "needs_verification", message: "Ask for the order number and the email address used at checkout." };
  }

  const order = await loadOrderByNumber(ctx, name, ref.email);
  if (order && isOwnedByShopper(ctx, order)) return { ok: true, data: order };
  if (!ref.email) {
    return { ok: false, code: "needs_verification", message: "Ask for the email address used at checkout to confirm the order belongs to the shopper." };
  }

  const failures = await verificationFailures(ctx);
  if (failures >= MAX_VERIFICATION_FAILURES || (await recentOrderFailures(ctx, name)) >= MAX_ORDER_FAILURES_PER_HOUR) {
    return { ok: false, code: "verification_locked", message: "Too many failed verification attempts in this conversation; offer a person instead." };
  }
  const email = ref.email.trim().toLowerCase();
  if (!order?.email || order.email.toLowerCase() !== email) {
    await recordAction(ctx, {
      action: "order.verify_failed",
      key: `verify-failed:${ctx.conversation.id}:${failures + 1}`,
      targetType: "order_name",
      targetId: name,
      input: { orderName: name, email: maskEmail(email) },
      result: { matched: false },
    }).catch((error) => {
      if (!isUniqueViolation(error)) throw error;
    });
    return { ok: false, code: "verification_failed", message: "No order matches that order number and email address." };
  }
  if (!ctx.conversation.verifiedOrderIds.includes(order.id)) {
    ctx.conversation.verifiedOrderIds = [...ctx.conversation.verifiedOrderIds, order.id];
    await ctx.db.conversation.update({
      where: { id: ctx.conversation.id },
      data: { verifiedOrderIds: { push: order.id }, shopperEmail: email },
    });
    await recordAction(ctx, {
      action: "order.verified",
      key: `verified:${ctx.conversation.id}:${order.id}`,
      targetType: "order",
      targetId: order.id,
      input: { orderName: name, email: maskEmail(email) },
      result: { matched: true },
    }).catch((error) => {
      if (!isUniqueViolation(error)) throw error;
    });
  }
  return { ok: true, data: order };
}

/** Latest delivery time over the order's shipments, or null while anything is undelivered. */
export function deliveredAt(order: LoadedOrder): Date | null {
  if (order.shipments.length === 0) return null;
  let latest: Date | null = null;
  for (const shipment of order.shipments) {
    if (!shipment.deliveredAt) return null;
    if (!latest || shipment.deliveredAt > latest) latest = shipment.deliveredAt;
  }
  return latest;
}
