import { type OrderAction, type OrderActionKind, Prisma, type PrismaClient } from "@prisma/client";
import { enqueueJob } from "~/modules/jobs";
import { type PaidLine, quoteRefund, type RefundQuote, toCents } from "../refund-amounts";
import { type MailingAddress, type OrderActionInput, OrderActionInputSchemas, type ParsedOrderActionInput } from "./contract";

/**
 * The one way an action on an order is written back to the platform that owns it, for the assistant now and
 * the inbox later. A request is recorded as an OrderAction in status `requested` (once per idempotency key),
 * logged (who, what, why) and handed to the push job; the local order changes only when the platform accepts
 * (./push.server.ts). A return also opens its ReturnRequest at once, as `requested`.
 */

export const PUSH_ORDER_ACTION_JOB = "commerce.push-order-action";

/** Action-log names per kind and stage. */
export const ACTION_LOG_NAMES: Record<OrderActionKind, { requested: string; accepted: string; rejected: string }> = {
  cancel: { requested: "order.cancel_requested", accepted: "order.cancelled", rejected: "order.cancel_rejected" },
  update_address: { requested: "order.address_update_requested", accepted: "order.address_updated", rejected: "order.address_update_rejected" },
  return: { requested: "return.requested", accepted: "return.approved", rejected: "return.request_rejected" },
  refund: { requested: "refund.requested", accepted: "refund.created", rejected: "refund.rejected" },
  resend_tracking: { requested: "order.tracking_resend_requested", accepted: "order.tracking_resent", rejected: "order.tracking_resend_rejected" },
};

type RequestBase = {
  shopId: string;
  orderId: string;
  /** "assistant", "staff:<id>" or "system". */
  actor: string;
  conversationId?: string | null;
  /** Unique per shop: the same key twice is one action. A refused action frees its key. */
  idempotencyKey: string;
  /** Why, for the action log; no personal data. */
  reason: string;
  now?: Date;
};

export type OrderActionRequest = { [K in OrderActionKind]: RequestBase & { kind: K; input: OrderActionInput[K] } }[OrderActionKind];

export type RequestOrderActionResult =
  | { ok: true; action: OrderAction; created: boolean }
  | { ok: false; code: "not_found" | "not_eligible" | "over_limit"; message: string };

const orderInclude = {
  lineItems: { orderBy: { externalId: "asc" } },
  refunds: true,
  returnRequests: true,
  shipments: { select: { id: true, trackingNumber: true, trackingNumbers: true } },
  shop: { select: { settings: { select: { returnFee: true, refundTax: true, autoApproveRefundLimit: true } } } },
} satisfies Prisma.OrderInclude;

type ActionOrder = Prisma.OrderGetPayload<{ include: typeof orderInclude }>;

interface RefundRulesOfShop {
  returnFee: string;
  refundTax: boolean;
  autoApproveRefundLimit: string;
}

function rulesOf(order: ActionOrder): RefundRulesOfShop {
  const settings = order.shop.settings;
  return {
    returnFee: String(settings?.returnFee ?? "0"),
    refundTax: settings?.refundTax ?? true,
    autoApproveRefundLimit: String(settings?.autoApproveRefundLimit ?? "50"),
  };
}

/** Refunds made or under way. */
export function refundedSoFar(refunds: { amount: Prisma.Decimal; status: string }[]): string {
  return (refunds.filter((refund) => refund.status === "succeeded" || refund.status === "pending").reduce((sum, refund) => sum + toCents(refund.amount), 0) / 100).toFixed(2);
}

function paidLines(order: ActionOrder): PaidLine[] {
  return order.lineItems.map((line) => ({
    id: line.id,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    discountTotal: line.discountTotal,
    taxTotal: line.taxTotal,
    refundedQuantity: line.refundedQuantity,
  }));
}

function quoteFor(order: ActionOrder, items: { lineItemId: string; quantity: number }[], purpose: "return" | "refund"): RefundQuote {
  const rules = rulesOf(order);
  return quoteRefund({
    lines: paidLines(order),
    requested: items.map((item) => ({ id: item.lineItemId, quantity: item.quantity })),
    rules: { taxesIncluded: order.taxesIncluded, refundTax: rules.refundTax, fee: purpose === "return" ? rules.returnFee : 0 },
    paid: order.total,
    alreadyRefunded: refundedSoFar(order.refunds),
  });
}

async function loadOrder(db: PrismaClient | Prisma.TransactionClient, shopId: string, orderId: string) {
  return db.order.findFirst({ where: { id: orderId, shopId }, include: orderInclude });
}

/**
 * What returning (with the merchant's return fee) or refunding these units would give back, from what was
 * paid. Null when the order is not in the shop.
 */
export async function quoteOrderRefund(db: PrismaClient, input: { shopId: string; orderId: string; items: { lineItemId: string; quantity: number }[]; purpose: "return" | "refund" }) {
  const order = await loadOrder(db, input.shopId, input.orderId);
  if (!order) return null;
  return { quote: quoteFor(order, input.items, input.purpose), rules: rulesOf(order) };
}

/** Units of each line still open to a new return: bought, minus refunded, minus open return requests. */
function returnableQuantities(order: ActionOrder): Map<string, number> {
  const open = new Map<string, number>();
  for (const request of order.returnRequests) {
    if (request.status !== "requested" && request.status !== "approved") continue;
    for (const item of (Array.isArray(request.items) ? request.items : []) as { lineItemId?: string; quantity?: number }[]) {
      if (item.lineItemId) open.set(item.lineItemId, (open.get(item.lineItemId) ?? 0) + (item.quantity ?? 0));
    }
  }
  return new Map(order.lineItems.map((line) => [line.id, line.quantity - line.refundedQuantity - (open.get(line.id) ?? 0)]));
}

/** The platform replaces the whole shipping address: names, company and phone carry over from the current one. */
function completeAddress(current: unknown, address: MailingAddress): MailingAddress | null {
  const stored = (current && typeof current === "object" ? current : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof stored[key] === "string" && stored[key] ? (stored[key] as string) : undefined);
  const countryCode = address.countryCode ?? text("country_code")?.toUpperCase();
  if (!countryCode) return null;
  return {
    firstName: address.firstName ?? text("first_name"),
    lastName: address.lastName ?? text("last_name"),
    company: address.company ?? text("company"),
    address1: address.address1,
    ...(address.address2 ? { address2: address.address2 } : {}),
    city: address.city,
    ...(address.provinceCode ? { provinceCode: address.provinceCode } : {}),
    ...(address.zip ? { zip: address.zip } : {}),
    countryCode,
    phone: address.phone ?? text("phone"),
  };
}

interface ReturnRequestDraft {
  reason: string;
  items: { lineItemId: string; quantity: number; condition?: string }[];
  amount: string;
  autoApproved: boolean;
}

type Prepared =
  | { ok: true; input: Prisma.InputJsonObject; summary: Prisma.InputJsonObject; returnRequest?: ReturnRequestDraft }
  | { ok: false; code: "not_eligible" | "over_limit"; message: string };

function prepare(order: ActionOrder, request: OrderActionRequest): Prepared {
  const shipped = order.fulfillmentStatus !== "unfulfilled";
  switch (request.kind) {
    case "cancel": {
      const input: ParsedOrderActionInput["cancel"] = OrderActionInputSchemas.cancel.parse(request.input);
      if (order.status === "cancelled") return { ok: false, code: "not_eligible", message: `Order ${order.name} is already cancelled.` };
      if (shipped) return { ok: false, code: "not_eligible", message: `Order ${order.name} has already shipped.` };
      const expectedRefund = ((toCents(order.total) - toCents(refundedSoFar(order.refunds))) / 100).toFixed(2);
      return { ok: true, input: { ...input, expectedRefund }, summary: { expectedRefund } };
    }
    case "update_address": {
      const input: ParsedOrderActionInput["update_address"] = OrderActionInputSchemas.update_address.parse(request.input);
      if (order.status === "cancelled") return { ok: false, code: "not_eligible", message: `Order ${order.name} is cancelled.` };
      if (shipped) return { ok: false, code: "not_eligible", message: `Order ${order.name} has already shipped.` };
      const address = completeAddress(order.shippingAddress, input.address);
      if (!address) return { ok: false, code: "not_eligible", message: "The new address needs a country." };
      return { ok: true, input: { address: JSON.parse(JSON.stringify(address)) as Prisma.InputJsonObject }, summary: {} };
    }
    case "return":
    case "refund": {
      const input = request.kind === "return" ? OrderActionInputSchemas.return.parse(request.input) : OrderActionInputSchemas.refund.parse(request.input);
      const available = request.kind === "return" ? returnableQuantities(order) : new Map(order.lineItems.map((line) => [line.id, line.quantity - line.refundedQuantity]));
      for (const item of input.items) {
        const left = available.get(item.lineItemId);
        if (left === undefined) return { ok: false, code: "not_eligible", message: `Order ${order.name} has no line ${item.lineItemId}.` };
        if (item.quantity > left) return { ok: false, code: "not_eligible", message: `Only ${Math.max(0, left)} of that item on order ${order.name} can still be ${request.kind === "return" ? "returned" : "refunded"}.` };
      }
      const quote = quoteFor(order, input.items, request.kind);
      if (request.kind === "refund") {
        if (toCents(quote.total) <= 0) return { ok: false, code: "not_eligible", message: `Nothing is left to refund on order ${order.name}.` };
        // The assistant refunds only within the merchant's auto-approve limit; staff up to what was paid.
        const limit = rulesOf(order).autoApproveRefundLimit;
        if (request.actor === "assistant" && toCents(quote.total) > toCents(limit)) {
          return { ok: false, code: "over_limit", message: `A refund of ${quote.total} ${order.currency} is above the ${Number(limit).toFixed(2)} ${order.currency} the assistant may refund.` };
        }
      }
      const amounts = { amount: quote.total, fee: quote.fee, lines: quote.lines.map((line) => ({ ...line })), capped: quote.capped };
      return {
        ok: true,
        input: { ...input, ...amounts } as unknown as Prisma.InputJsonObject,
        summary: { amount: quote.total, fee: quote.fee, items: input.items.map((item) => ({ lineItemId: item.lineItemId, quantity: item.quantity })) },
        ...("review" in input ? { returnRequest: { reason: input.reason, items: input.items, amount: quote.total, autoApproved: !input.review } } : {}),
      };
    }
    case "resend_tracking": {
      const input: ParsedOrderActionInput["resend_tracking"] = OrderActionInputSchemas.resend_tracking.parse(request.input);
      const shipment = order.shipments.find((candidate) => candidate.id === input.shipmentId);
      if (!shipment) return { ok: false, code: "not_eligible", message: `Order ${order.name} has no such shipment.` };
      const trackingNumber = shipment.trackingNumber ?? shipment.trackingNumbers[0];
      if (!trackingNumber) return { ok: false, code: "not_eligible", message: `The shipment of order ${order.name} has no tracking number to send.` };
      return { ok: true, input: { shipmentId: shipment.id, trackingNumber }, summary: { shipmentId: shipment.id, trackingNumber } };
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

async function findByKey(db: PrismaClient, shopId: string, idempotencyKey: string) {
  return db.orderAction.findUnique({ where: { shopId_idempotencyKey: { shopId, idempotencyKey } } });
}

/**
 * Records an action as requested and queues its push. The same idempotency key returns the first action
 * (`created: false`) instead of acting twice, also when two requests race.
 */
export async function requestOrderAction(db: PrismaClient, request: OrderActionRequest): Promise<RequestOrderActionResult> {
  const previous = await findByKey(db, request.shopId, request.idempotencyKey);
  if (previous) return { ok: true, action: previous, created: false };
  const order = await loadOrder(db, request.shopId, request.orderId);
  if (!order) return { ok: false, code: "not_found", message: "No such order in this shop." };
  const prepared = prepare(order, request);
  if (!prepared.ok) return prepared;
  const now = request.now ?? new Date();

  try {
    const action = await db.$transaction(async (tx) => {
      let input = prepared.input;
      if (prepared.returnRequest) {
        const draft = prepared.returnRequest;
        const returnRequest = await tx.returnRequest.create({
          data: {
            shopId: request.shopId,
            orderId: order.id,
            conversationId: request.conversationId ?? null,
            status: "requested",
            reason: draft.reason,
            items: draft.items,
            amount: new Prisma.Decimal(draft.amount),
            autoApproved: draft.autoApproved,
            createdAt: now,
          },
        });
        input = { ...input, returnRequestId: returnRequest.id };
      }
      const created = await tx.orderAction.create({
        data: {
          shopId: request.shopId,
          orderId: order.id,
          conversationId: request.conversationId ?? null,
          kind: request.kind,
          actor: request.actor,
          idempotencyKey: request.idempotencyKey,
          input,
          requestedAt: now,
        },
      });
      await tx.actionLog.create({
        data: {
          shopId: request.shopId,
          conversationId: request.conversationId ?? null,
          actor: request.actor,
          action: ACTION_LOG_NAMES[request.kind].requested,
          targetType: "order",
          targetId: order.id,
          reason: request.reason.slice(0, 500),
          idempotencyKey: `order-action:${created.id}:requested`,
          input: { orderName: order.name, kind: request.kind, ...prepared.summary },
          result: { orderActionId: created.id, status: "requested" },
          createdAt: now,
        },
      });
      await enqueueJob(tx, { name: PUSH_ORDER_ACTION_JOB, shopId: request.shopId, payload: { orderActionId: created.id }, dedupeKey: `order-action:${created.id}` });
      return created;
    });
    return { ok: true, action, created: true };
  } catch (error) {
    const winner = isUniqueViolation(error) ? await findByKey(db, request.shopId, request.idempotencyKey) : null;
    if (!winner) throw error;
    return { ok: true, action: winner, created: false };
  }
}
