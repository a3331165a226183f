import { Prisma } from "@prisma/client";
import { PUSH_ORDER_CANCEL_JOB } from "~/modules/commerce";
import { enqueueJob } from "~/modules/jobs";
import { exceedsOrderValueThreshold } from "~/modules/routing";
import { maskPii } from "../pii";
import type { ToolContext, ToolOutcome } from "./context";
import { accessOrder, actOnce, deliveredAt, findAction, hashKey, type LoadedOrder, type OrderReference, toOrderView } from "./orders.server";

/**
 * The assistant's order actions. Each checks the merchant's rules itself — whatever the model or the shopper
 * says — records who/what/why in the action log, and is idempotent: repeating a request returns the first
 * outcome instead of acting twice.
 */

const DAY_MS = 86_400_000;

export type ItemCondition = "unused" | "used" | "damaged" | "wrong_item";

export interface ReturnItemRequest {
  /** Line item title (or part of it) or line item id. */
  item: string;
  quantity?: number;
}

export interface ReturnOutcome {
  returnRequestId: string;
  orderName: string;
  status: "approved" | "requested";
  autoApproved: boolean;
  amount: string;
  currency: string;
  items: { title: string; quantity: number }[];
  /** Why a person has to approve it, when they do. */
  reviewReason?: string;
  windowEndsAt: string;
}

interface ProductFacts {
  returnable: boolean;
}

async function productFacts(ctx: ToolContext, order: LoadedOrder): Promise<Map<string, ProductFacts>> {
  const ids = [...new Set(order.lineItems.map((item) => item.productExternalId).filter((id): id is string => Boolean(id)))];
  const products = await ctx.db.product.findMany({
    where: { shopId: ctx.profile.shop.id, externalId: { in: ids } },
    select: { externalId: true, productType: true, tags: true },
  });
  return new Map(
    products.map((product) => {
      const tags = product.tags.map((tag) => tag.toLowerCase());
      const returnable = product.productType !== "Gift Card" && !tags.some((tag) => tag === "final sale" || tag === "final-sale" || tag === "non-returnable");
      return [product.externalId, { returnable }];
    }),
  );
}

function pendingReturnQuantities(order: LoadedOrder): Map<string, number> {
  const pending = new Map<string, number>();
  for (const request of order.returnRequests) {
    if (request.status === "rejected" || request.status === "cancelled") continue;
    for (const entry of (Array.isArray(request.items) ? request.items : []) as { lineItemId?: string; quantity?: number }[]) {
      if (entry.lineItemId) pending.set(entry.lineItemId, (pending.get(entry.lineItemId) ?? 0) + (entry.quantity ?? 0));
    }
  }
  return pending;
}

export async function requestReturn(
  ctx: ToolContext,
  input: OrderReference & { reason: string; condition: ItemCondition; items?: ReturnItemRequest[] },
): Promise<ToolOutcome<ReturnOutcome>> {
  const access = await accessOrder(ctx, input);
  if (!access.ok) return access;
  const order = access.data;
  const { settings } = ctx.profile;

  if (order.status === "cancelled") return { ok: false, code: "not_eligible", message: `Order ${order.name} was cancelled, so there is nothing to return.` };
  const delivered = deliveredAt(order);
  if (!delivered) {
    return { ok: false, code: "not_eligible", message: `Order ${order.name} hasn't been delivered yet; returns open once it arrives.`, data: { reason: "not_delivered" } };
  }
  const windowEnds = new Date(delivered.getTime() + settings.returnWindowDays * DAY_MS);
  if (ctx.now > windowEnds) {
    return {
      ok: false,
      code: "not_eligible",
      message: `Order ${order.name} was delivered on ${delivered.toISOString().slice(0, 10)}; the ${settings.returnWindowDays}-day return window ended on ${windowEnds.toISOString().slice(0, 10)}.`,
      data: { reason: "window_closed", returnWindowDays: settings.returnWindowDays, windowEndsAt: windowEnds.toISOString() },
    };
  }
  if (input.condition === "used") {
    return { ok: false, code: "not_eligible", message: `Used items can't be returned. The policy: ${settings.returnConditions}`, data: { reason: "condition" } };
  }

  // Which items and how many: each line's remaining quantity is what was bought minus refunded minus open requests.
  const facts = await productFacts(ctx, order);
  const pending = pendingReturnQuantities(order);
  const remaining = (item: LoadedOrder["lineItems"][number]) => item.quantity - item.refundedQuantity - (pending.get(item.id) ?? 0);
  const returnable = (item: LoadedOrder["lineItems"][number]) => facts.get(item.productExternalId ?? "")?.returnable !== false;

  const chosen: { line: LoadedOrder["lineItems"][number]; quantity: number }[] = [];
  if (input.items && input.items.length > 0) {
    for (const wanted of input.items) {
      const needle = wanted.item.trim().toLowerCase();
      const line = order.lineItems.find((item) => item.id === wanted.item) ?? order.lineItems.find((item) => item.title.toLowerCase().includes(needle) || needle.includes(item.title.toLowerCase()));
      if (!line) return { ok: false, code: "not_found", message: `Order ${order.name} has no item matching "${wanted.item}".` };
      chosen.push({ line, quantity: Math.max(1, Math.min(wanted.quantity ?? remaining(line), remaining(line))) });
    }
  } else {
    const open = order.lineItems.filter((line) => remaining(line) > 0);
    if (open.length > 0 && open.every((line) => !returnable(line))) {
      return { ok: false, code: "not_eligible", message: `${open.map((line) => line.title).join(", ")} can't be returned (gift cards and Final Sale items are excluded).`, data: { reason: "non_returnable" } };
    }
    for (const line of open) if (returnable(line)) chosen.push({ line, quantity: remaining(line) });
  }

  const excluded = chosen.filter(({ line }) => !returnable(line));
  if (excluded.length > 0) {
    return { ok: false, code: "not_eligible", message: `${excluded.map(({ line }) => line.title).join(", ")} can't be returned (gift cards and Final Sale items are excluded).`, data: { reason: "non_returnable" } };
  }
  const open = chosen.filter(({ line }) => remaining(line) > 0);
  if (open.length === 0) {
    const existing = order.returnRequests.find((request) => request.status === "requested" || request.status === "approved");
    return {
      ok: false,
      code: "already_done",
      message: existing ? `A return for order ${order.name} is already ${existing.status === "approved" ? "approved" : "waiting for approval"}.` : `Everything on order ${order.name} has already been returned or refunded.`,
      data: existing ? { returnRequestId: existing.id, status: existing.status } : {},
    };
  }

  const amount = open.reduce((sum, { line, quantity }) => sum + Number(line.unitPrice) * quantity, 0);
  const reviewReason =
    input.condition === "damaged" || input.condition === "wrong_item"
      ? "Damaged or wrong items are checked by the team (they may ask for photos)."
      : amount > settings.autoApproveRefundLimit
        ? `The refund (${amount.toFixed(2)} ${order.currency}) is above the ${settings.autoApproveRefundLimit.toFixed(2)} ${order.currency} the assistant may approve.`
        : exceedsOrderValueThreshold(settings.escalation, Number(order.total))
          ? "Orders of this value are reviewed by the team."
          : undefined;
  const autoApproved = reviewReason === undefined;
  const items = open.map(({ line, quantity }) => ({ lineItemId: line.id, quantity, condition: input.condition }));
  const key = `return:${order.id}:${hashKey(items.map((item) => [item.lineItemId, item.quantity]))}`;

  const outcome = await actOnce<ReturnOutcome>(ctx, key, async (tx) => {
    const request = await tx.returnRequest.create({
      data: {
        shopId: ctx.profile.shop.id,
        orderId: order.id,
        conversationId: ctx.conversation.id,
        status: autoApproved ? "approved" : "requested",
        reason: maskPii(input.reason).slice(0, 500),
        items,
        amount: new Prisma.Decimal(amount.toFixed(2)),
        autoApproved,
        decidedBy: autoApproved ? ctx.actor : null,
        decidedAt: autoApproved ? ctx.now : null,
      },
    });
    return {
      result: {
        returnRequestId: request.id,
        orderName: order.name,
        status: autoApproved ? "approved" : "requested",
        autoApproved,
        amount: amount.toFixed(2),
        currency: order.currency,
        items: open.map(({ line, quantity }) => ({ title: line.title, quantity })),
        reviewReason,
        windowEndsAt: windowEnds.toISOString(),
      },
      entry: {
        action: autoApproved ? "return.approved" : "return.requested",
        targetType: "order",
        targetId: order.id,
        reason: reviewReason ?? `Within policy: ${settings.returnWindowDays}-day window, condition ${input.condition}, under the auto-approve limit.`,
        input: { orderName: order.name, condition: input.condition, items: items.map((item) => ({ lineItemId: item.lineItemId, quantity: item.quantity })) },
      },
    };
  });
  return { ok: true, data: outcome! };
}

export interface CancelOutcome {
  orderName: string;
  cancelledAt: string;
  refundAmount: string;
  currency: string;
}

export async function cancelOrder(ctx: ToolContext, input: OrderReference & { reason: string }): Promise<ToolOutcome<CancelOutcome>> {
  const access = await accessOrder(ctx, input);
  if (!access.ok) return access;
  const order = access.data;
  const { settings } = ctx.profile;
  const key = `cancel:${order.id}`;

  if (order.status === "cancelled") {
    const previous = await findAction(ctx, key);
    if (previous) return { ok: true, data: previous.result as unknown as CancelOutcome };
    return { ok: false, code: "already_done", message: `Order ${order.name} is already cancelled.` };
  }
  if (!settings.allowCancelUnfulfilled) {
    return { ok: false, code: "needs_staff", message: "This shop's team handles cancellations; offer to pass the request on." };
  }
  if (order.fulfillmentStatus !== "unfulfilled" || order.shipments.length > 0) {
    return {
      ok: false,
      code: "not_eligible",
      message: `Order ${order.name} has already ${order.fulfillmentStatus === "partial" ? "partly " : ""}shipped, so it can't be cancelled; it can be returned once it arrives.`,
      data: { reason: "fulfilled", fulfillmentStatus: order.fulfillmentStatus },
    };
  }
  if (exceedsOrderValueThreshold(settings.escalation, Number(order.total))) {
    return { ok: false, code: "needs_staff", message: `Cancelling an order of ${Number(order.total).toFixed(2)} ${order.currency} needs the team's approval.` };
  }

  const outcome = await actOnce<CancelOutcome>(ctx, key, async (tx) => {
    // Conditional update: a fulfillment that lands meanwhile wins, and nothing is cancelled.
    const updated = await tx.order.updateMany({
      where: { id: order.id, shopId: ctx.profile.shop.id, status: { not: "cancelled" }, fulfillmentStatus: "unfulfilled" },
      data: { status: "cancelled", cancelledAt: ctx.now, cancelReason: `customer: ${maskPii(input.reason).slice(0, 200)}` },
    });
    if (updated.count === 0) return null;
    const refundAmount = Number(order.total) - order.refunds.filter((refund) => refund.status === "succeeded").reduce((sum, refund) => sum + Number(refund.amount), 0);
    if (refundAmount > 0) {
      await tx.refund.create({
        data: {
          shopId: ctx.profile.shop.id,
          orderId: order.id,
          platform: order.platform,
          externalId: `shopdesk-cancel-${order.id}`,
          amount: new Prisma.Decimal(refundAmount.toFixed(2)),
          currency: order.currency,
          status: "pending",
          reason: "Order cancelled by the customer",
        },
      });
    }
    // The platform owns the order: the cancellation is pushed to it, and undone here if it refuses.
    await enqueueJob(tx, { name: PUSH_ORDER_CANCEL_JOB, shopId: ctx.profile.shop.id, payload: { orderId: order.id }, dedupeKey: `cancel:${order.id}` });
    return {
      result: { orderName: order.name, cancelledAt: ctx.now.toISOString(), refundAmount: refundAmount.toFixed(2), currency: order.currency },
      entry: {
        action: "order.cancelled",
        targetType: "order",
        targetId: order.id,
        reason: `Unfulfilled order cancelled at the shopper's request: ${maskPii(input.reason).slice(0, 200)}`,
        input: { orderName: order.name },
      },
    };
  });
  if (!outcome) return { ok: false, code: "not_eligible", message: `Order ${order.name} started shipping just now, so it can't be cancelled.`, data: { reason: "fulfilled" } };
  return { ok: true, data: outcome };
}

export interface AddressChangeOutcome {
  orderName: string;
  status: "pending_approval" | "applied";
  requestedAddress: string;
}

export async function changeShippingAddress(ctx: ToolContext, input: OrderReference & { newAddress: string }): Promise<ToolOutcome<AddressChangeOutcome>> {
  const access = await accessOrder(ctx, input);
  if (!access.ok) return access;
  const order = access.data;
  if (order.status === "cancelled") return { ok: false, code: "not_eligible", message: `Order ${order.name} is cancelled.` };
  if (order.fulfillmentStatus !== "unfulfilled" || order.shipments.length > 0) {
    return { ok: false, code: "not_eligible", message: `Order ${order.name} has already shipped, so its address can't be changed.`, data: { reason: "fulfilled" } };
  }
  const requestedAddress = input.newAddress.trim().slice(0, 500);
  const key = `address:${order.id}:${hashKey(requestedAddress.toLowerCase())}`;
  // The assistant cannot check a free-text address against the carrier, so unless the merchant opted out,
  // a person applies it.
  const needsApproval = ctx.profile.settings.addressChangeNeedsApproval;
  const outcome = await actOnce<AddressChangeOutcome>(ctx, key, async (tx) => {
    if (!needsApproval) {
      const current = (order.shippingAddress ?? {}) as Record<string, unknown>;
      await tx.order.update({ where: { id: order.id }, data: { shippingAddress: { ...current, requestedChange: requestedAddress, changedAt: ctx.now.toISOString() } } });
    }
    return {
      result: { orderName: order.name, status: needsApproval ? "pending_approval" : "applied", requestedAddress },
      entry: {
        action: needsApproval ? "order.address_change_requested" : "order.address_changed",
        targetType: "order",
        targetId: order.id,
        reason: needsApproval ? "Address changes need staff approval (shop setting)." : "Unfulfilled order; the shop lets the assistant apply address changes.",
        input: { orderName: order.name, newAddress: requestedAddress },
      },
    };
  });
  return { ok: true, data: outcome! };
}

export async function orderStatus(ctx: ToolContext, input: OrderReference): Promise<ToolOutcome<ReturnType<typeof toOrderView>>> {
  const access = await accessOrder(ctx, input);
  return access.ok ? { ok: true, data: toOrderView(access.data) } : access;
}
