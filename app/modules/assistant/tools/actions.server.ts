import type { OrderAction } from "@prisma/client";
import { formatAddress, type MailingAddress, quoteOrderRefund, type RequestOrderActionResult, requestOrderAction } from "~/modules/commerce";
import { exceedsOrderValueThreshold } from "~/modules/routing";
import { maskPii } from "../pii";
import type { ToolContext, ToolOutcome } from "./context";
import { parseTypedAddress } from "./mailing-address";
import { accessOrder, actOnce, deliveredAt, hashKey, type LoadedOrder, type OrderReference, toOrderView } from "./orders.server";

/**
 * The assistant's order actions. Each checks the merchant's rules itself — whatever the model or the shopper
 * says — and goes to the store's platform through commerce's requestOrderAction: recorded once per
 * idempotency key, logged (who/what/why), pushed by a job. Until the platform accepts, an action is only
 * requested and the outcome says so (status "awaiting_store_confirmation"); the confirmation reaches the
 * shopper in the conversation once the store has it.
 */

/** Sent to the store, not confirmed by it yet: the reply says "requested", never "done". */
export const AWAITING_STORE = "awaiting_store_confirmation";

const AWAITING_NOTE = "The store has not confirmed this yet: tell the shopper it is requested and that the confirmation will appear in this chat.";

function refusedRequest(result: Extract<RequestOrderActionResult, { ok: false }>): ToolOutcome<never> {
  return { ok: false, code: result.code === "not_found" ? "not_found" : "not_eligible", message: result.message };
}

const DAY_MS = 86_400_000;

export type ItemCondition = "unused" | "used" | "damaged" | "wrong_item";

/**
 * Why a return waits for a person: the item's condition is checked, the amount or order is above the merchant's
 * limit, or the merchant has every return (or refund) approved by staff.
 */
export type ReturnReview = "condition_check" | "above_limit" | "staff_approval";

export interface ReturnItemRequest {
  /** Line item title (or part of it) or line item id. */
  item: string;
  quantity?: number;
}

export interface ReturnOutcome {
  returnRequestId: string;
  orderName: string;
  /**
   * "preview": nothing is requested yet (what would happen, for the shopper to confirm). "requested": a person
   * at the store approves it; otherwise the store's rules do once it confirms.
   */
  status: "preview" | "requested" | typeof AWAITING_STORE;
  withinPolicy: boolean;
  /** The refund once the items are back, from what was paid (discounts, tax rule, return fee). */
  amount: string;
  /** The merchant's return fee already taken off `amount` ("0.00" when none). */
  fee: string;
  currency: string;
  items: { title: string; quantity: number }[];
  /** Why a person has to approve it, when they do: a code the reply phrases for the shopper. */
  review?: ReturnReview;
  /** The same for staff and the action log (English, with the rule's figures). */
  reviewReason?: string;
  windowEndsAt: string;
  note: string;
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
  const excludedTags = new Set(ctx.profile.settings.nonReturnableTags);
  return new Map(
    products.map((product) => {
      const returnable = product.productType !== "Gift Card" && !product.tags.some((tag) => excludedTags.has(tag.trim().toLowerCase()));
      return [product.externalId, { returnable }];
    }),
  );
}

function nonReturnableNote(tags: string[]): string {
  return tags.length > 0 ? `gift cards and products tagged ${tags.map((tag) => `"${tag}"`).join(", ")} are excluded` : "gift cards are excluded";
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
  input: OrderReference & { reason: string; condition: ItemCondition; items?: ReturnItemRequest[]; preview?: boolean },
): Promise<ToolOutcome<ReturnOutcome>> {
  const access = await accessOrder(ctx, input);
  if (!access.ok) return access;
  const order = access.data;
  const { settings } = ctx.profile;

  if (order.status === "cancelled") return { ok: false, code: "not_eligible", message: `Order ${order.name} was cancelled, so there is nothing to return.`, data: { reason: "cancelled" } };
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
      return { ok: false, code: "not_eligible", message: `${open.map((line) => line.title).join(", ")} can't be returned (${nonReturnableNote(settings.nonReturnableTags)}).`, data: { reason: "non_returnable" } };
    }
    for (const line of open) if (returnable(line)) chosen.push({ line, quantity: remaining(line) });
  }

  const excluded = chosen.filter(({ line }) => !returnable(line));
  if (excluded.length > 0) {
    return { ok: false, code: "not_eligible", message: `${excluded.map(({ line }) => line.title).join(", ")} can't be returned (${nonReturnableNote(settings.nonReturnableTags)}).`, data: { reason: "non_returnable" } };
  }
  const open = chosen.filter(({ line }) => remaining(line) > 0);
  if (open.length === 0) {
    const existing = order.returnRequests.find((request) => request.status === "requested" || request.status === "approved");
    const where = !existing ? "" : existing.status === "approved" ? "already approved" : existing.autoApproved ? "already with the store, waiting for its confirmation" : "already waiting for approval";
    return {
      ok: false,
      code: "already_done",
      message: existing ? `A return for order ${order.name} is ${where}.` : `Everything on order ${order.name} has already been returned or refunded.`,
      data: existing ? { returnRequestId: existing.id, status: existing.status } : {},
    };
  }

  const items = open.map(({ line, quantity }) => ({ lineItemId: line.id, quantity, condition: input.condition }));
  const quoted = await quoteOrderRefund(ctx.db, { shopId: ctx.profile.shop.id, orderId: order.id, items, purpose: "return" });
  if (!quoted) return { ok: false, code: "not_found", message: `Order ${order.name} is not available.` };
  const amount = Number(quoted.quote.total);
  const conditionCheck = input.condition === "damaged" || input.condition === "wrong_item";
  const aboveLimit = amount > settings.autoApproveRefundLimit || exceedsOrderValueThreshold(settings.escalation, Number(order.total));
  const staffApproval = settings.returnNeedsApproval || (settings.refundNeedsApproval && amount > 0);
  const review: ReturnReview | undefined = conditionCheck ? "condition_check" : staffApproval ? "staff_approval" : aboveLimit ? "above_limit" : undefined;
  const reviewReason = conditionCheck
    ? "Damaged or wrong items are checked by the team (they may ask for photos)."
    : staffApproval
      ? `${settings.returnNeedsApproval ? "Returns" : "Refunds"} need staff approval (shop setting).`
      : amount > settings.autoApproveRefundLimit
      ? `The refund (${amount.toFixed(2)} ${order.currency}) is above the ${settings.autoApproveRefundLimit.toFixed(2)} ${order.currency} the assistant may approve.`
      : aboveLimit
        ? "Orders of this value are reviewed by the team."
        : undefined;
  const itemTitles = (list: { lineItemId: string; quantity: number }[]) =>
    list.map((item) => ({ title: order.lineItems.find((line) => line.id === item.lineItemId)?.title ?? "item", quantity: item.quantity }));
  if (input.preview) {
    return {
      ok: true,
      data: {
        returnRequestId: "",
        orderName: order.name,
        status: "preview",
        withinPolicy: review === undefined,
        amount: quoted.quote.total,
        fee: quoted.quote.fee,
        currency: order.currency,
        items: itemTitles(items),
        review,
        reviewReason,
        windowEndsAt: windowEnds.toISOString(),
        note: "Nothing is requested yet: show the shopper the items and amount and ask them to confirm.",
      },
    };
  }
  const requested = await requestOrderAction(ctx.db, {
    shopId: ctx.profile.shop.id,
    orderId: order.id,
    kind: "return",
    actor: ctx.actor,
    conversationId: ctx.conversation.id,
    idempotencyKey: `return:${order.id}:${hashKey(items.map((item) => [item.lineItemId, item.quantity]))}`,
    reason: reviewReason ?? `Within policy: ${settings.returnWindowDays}-day window, condition ${input.condition}, under the auto-approve limit.`,
    input: { items, reason: maskPii(input.reason).slice(0, 500), review: reviewReason !== undefined },
    now: ctx.now,
  });
  if (!requested.ok) return refusedRequest(requested);
  const stored = requested.action.input as { items: { lineItemId: string; quantity: number }[]; amount: string; review: boolean; returnRequestId: string };
  return {
    ok: true,
    data: {
      returnRequestId: stored.returnRequestId,
      orderName: order.name,
      status: stored.review ? "requested" : AWAITING_STORE,
      withinPolicy: !stored.review,
      amount: stored.amount,
      fee: quoted.quote.fee,
      currency: order.currency,
      items: itemTitles(stored.items),
      review,
      reviewReason,
      windowEndsAt: windowEnds.toISOString(),
      note: stored.review ? "A person at the store reviews this return; tell the shopper it is waiting for approval." : AWAITING_NOTE,
    },
  };
}

export interface CancelOutcome {
  orderName: string;
  /** "preview": nothing is requested yet. */
  status: "preview" | typeof AWAITING_STORE;
  requestedAt: string;
  /** Paid and not yet refunded: what goes back once the store cancels. */
  expectedRefund: string;
  currency: string;
  note: string;
}

export async function cancelOrder(ctx: ToolContext, input: OrderReference & { reason: string; preview?: boolean }): Promise<ToolOutcome<CancelOutcome>> {
  const access = await accessOrder(ctx, input);
  if (!access.ok) return access;
  const order = access.data;
  const { settings } = ctx.profile;

  if (order.status === "cancelled") return { ok: false, code: "already_done", message: `Order ${order.name} is already cancelled.` };
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
  if (settings.cancelWindowMinutes !== null && ctx.now.getTime() - order.placedAt.getTime() > settings.cancelWindowMinutes * 60_000) {
    return {
      ok: false,
      code: "not_eligible",
      message: `Orders can be cancelled within ${settings.cancelWindowMinutes} minutes of being placed; ${order.name} was placed earlier.`,
      data: { reason: "cancel_window", cancelWindowMinutes: settings.cancelWindowMinutes },
    };
  }
  if (exceedsOrderValueThreshold(settings.escalation, Number(order.total))) {
    return { ok: false, code: "needs_staff", message: `Cancelling an order of ${Number(order.total).toFixed(2)} ${order.currency} needs the team's approval.` };
  }

  if (input.preview) {
    const refunded = order.refunds.filter((refund) => refund.status === "succeeded" || refund.status === "pending").reduce((sum, refund) => sum + Math.round(Number(refund.amount) * 100), 0);
    const expectedRefund = Math.max(0, (Math.round(Number(order.total) * 100) - refunded) / 100).toFixed(2);
    return { ok: true, data: { orderName: order.name, status: "preview", requestedAt: ctx.now.toISOString(), expectedRefund, currency: order.currency, note: "Nothing is requested yet: ask the shopper to confirm." } };
  }
  const reason = maskPii(input.reason).slice(0, 200);
  const requested = await requestOrderAction(ctx.db, {
    shopId: ctx.profile.shop.id,
    orderId: order.id,
    kind: "cancel",
    actor: ctx.actor,
    conversationId: ctx.conversation.id,
    idempotencyKey: `cancel:${order.id}`,
    reason: `Unfulfilled order; the shopper asked to cancel it: ${reason}`,
    input: { reason },
    now: ctx.now,
  });
  if (!requested.ok) return refusedRequest(requested);
  return { ok: true, data: cancelOutcome(order, requested.action) };
}

function cancelOutcome(order: LoadedOrder, action: OrderAction): CancelOutcome {
  const stored = action.input as { expectedRefund: string };
  return { orderName: order.name, status: AWAITING_STORE, requestedAt: action.requestedAt.toISOString(), expectedRefund: stored.expectedRefund, currency: order.currency, note: AWAITING_NOTE };
}

export interface AddressChangeOutcome {
  orderName: string;
  /**
   * "preview": nothing is requested yet. "pending_approval": a person applies it (shop setting, or an address
   * the assistant could not read).
   */
  status: "preview" | "pending_approval" | typeof AWAITING_STORE;
  /** Whether a person at the store checks the address before it is applied. */
  needsApproval: boolean;
  requestedAddress: string;
  note?: string;
}

export async function changeShippingAddress(ctx: ToolContext, input: OrderReference & { newAddress: string; preview?: boolean }): Promise<ToolOutcome<AddressChangeOutcome>> {
  const access = await accessOrder(ctx, input);
  if (!access.ok) return access;
  const order = access.data;
  if (order.status === "cancelled") return { ok: false, code: "not_eligible", message: `Order ${order.name} is cancelled.`, data: { reason: "cancelled" } };
  if (order.fulfillmentStatus !== "unfulfilled" || order.shipments.length > 0) {
    return { ok: false, code: "not_eligible", message: `Order ${order.name} has already shipped, so its address can't be changed.`, data: { reason: "fulfilled" } };
  }
  const requestedAddress = input.newAddress.trim().slice(0, 500);
  const key = `address:${order.id}:${hashKey(requestedAddress.toLowerCase())}`;
  // The assistant cannot check a free-text address against the carrier, so unless the merchant opted out, a
  // person applies it; so does an address it could not read into fields.
  const parsed = ctx.profile.settings.addressChangeNeedsApproval ? null : parseTypedAddress(requestedAddress);
  const knownCountry = Boolean(parsed?.countryCode ?? (order.shippingAddress as { country_code?: unknown } | null)?.country_code);
  const typed = parsed && knownCountry ? parsed : null;
  if (input.preview) return { ok: true, data: { orderName: order.name, status: "preview", requestedAddress: typed ? formatAddress(typed) : requestedAddress, needsApproval: !typed } };
  if (!typed) {
    const outcome = await actOnce<AddressChangeOutcome>(ctx, key, async () => ({
      result: { orderName: order.name, status: "pending_approval", requestedAddress, needsApproval: true },
      entry: {
        action: "order.address_change_requested",
        targetType: "order",
        targetId: order.id,
        reason: ctx.profile.settings.addressChangeNeedsApproval ? "Address changes need staff approval (shop setting)." : "The assistant could not read the address into fields; a person applies it.",
        input: { orderName: order.name, newAddress: requestedAddress },
      },
    }));
    return { ok: true, data: outcome! };
  }
  const requested = await requestOrderAction(ctx.db, {
    shopId: ctx.profile.shop.id,
    orderId: order.id,
    kind: "update_address",
    actor: ctx.actor,
    conversationId: ctx.conversation.id,
    idempotencyKey: key,
    reason: "Unfulfilled order; the shop lets the assistant change shipping addresses.",
    input: { address: typed },
    now: ctx.now,
  });
  if (!requested.ok) return refusedRequest(requested);
  const stored = requested.action.input as { address: MailingAddress };
  return { ok: true, data: { orderName: order.name, status: AWAITING_STORE, requestedAddress: formatAddress(stored.address), needsApproval: false, note: AWAITING_NOTE } };
}

export async function orderStatus(ctx: ToolContext, input: OrderReference): Promise<ToolOutcome<ReturnType<typeof toOrderView>>> {
  const access = await accessOrder(ctx, input);
  return access.ok ? { ok: true, data: toOrderView(access.data) } : access;
}
