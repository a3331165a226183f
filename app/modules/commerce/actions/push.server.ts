import type { Job, OrderActionStatus, Prisma, PrismaClient } from "@prisma/client";
import { previewOf } from "~/lib/text";
import { publishLive } from "~/lib/live/live-events.server";
import { z } from "zod";
import { fromCents, toCents } from "../refund-amounts";
import { applyRefund } from "../sync/apply.server";
import type { RefundSnapshot } from "../sync/snapshots";
import {
  type MailingAddress,
  type OrderActionNotice,
  type OrderActionNoticeText,
  type OrderActionPlatform,
  type PlatformDecision,
  type PushLine,
  type RefundProcessor,
  type StoredOrderActionInput,
  StoredOrderActionInputSchemas,
} from "./contract";
import { ACTION_LOG_NAMES, refundedSoFar } from "./request.server";

/**
 * Pushes a requested order action to the platform and records its decision. Accepted: the local order
 * changes (cancelled, new address, return approved, refund recorded as pending until the refunds webhook
 * confirms it) and the shopper reads the confirmation in their conversation. Refused: nothing local stays
 * changed, the reason goes into an internal note and the conversation to staff. Transport failures are
 * retried by the job queue; when the last attempt fails too, the action is refused with that reason, so
 * nothing stays requested forever.
 */

export interface PushOrderActionOptions {
  /** The platform that owns the shop's orders; null when Shopdesk has no connection to it. */
  platformFor(shopId: string): Promise<OrderActionPlatform | null>;
  /** The payment processor that took the order's payment, when refunds go through it (Stripe); else null. */
  refundProcessorFor?(shopId: string, orderId: string): Promise<RefundProcessor | null>;
  /** The shopper-facing words for a decision (the assistant's phrases). */
  noticeText: OrderActionNoticeText;
}

const PushPayload = z.object({ orderActionId: z.string() });

const actionInclude = {
  order: { include: { lineItems: true, refunds: true, shipments: true } },
} satisfies Prisma.OrderActionInclude;

type LoadedAction = Prisma.OrderActionGetPayload<{ include: typeof actionInclude }>;

const REFUSAL_VERBS: Record<LoadedAction["kind"], string> = {
  cancel: "cancel",
  update_address: "change the shipping address of",
  return: "open a return on",
  refund: "refund items on",
  resend_tracking: "resend the tracking details of",
};

export function pushOrderActionJob(db: PrismaClient, options: PushOrderActionOptions) {
  return async (job: Job) => {
    const { orderActionId } = PushPayload.parse(job.payload);
    await pushOrderAction(db, orderActionId, options, { finalAttempt: job.attempts >= job.maxAttempts });
  };
}

/** Pushes one action; returns its status afterwards (null when it does not exist). */
async function pushOrderAction(db: PrismaClient, orderActionId: string, options: PushOrderActionOptions, attempt: { finalAttempt: boolean }): Promise<OrderActionStatus | null> {
  const action = await db.orderAction.findUnique({ where: { id: orderActionId }, include: actionInclude });
  if (action?.status !== "requested") return action?.status ?? null;
  const { order } = action;
  let label = order.platform === "shopify" ? "Shopify" : order.platform;
  let decision: PlatformDecision;
  let processor: RefundProcessor | null = null;
  try {
    // A refund of an order paid through a connected processor (Stripe) is made there, not on the order's platform.
    processor = action.kind === "refund" ? ((await options.refundProcessorFor?.(action.shopId, order.id)) ?? null) : null;
    const platform = processor ? null : order.platform === "shopify" ? await options.platformFor(action.shopId) : null;
    label = processor?.label ?? platform?.label ?? label;
    decision = processor
      ? await askRefund(processor, action)
      : platform
        ? await ask(platform, action)
        : { accepted: false, reason: order.platform === "shopify" ? "Shopdesk has no connection to this store's Shopify admin" : `Shopdesk cannot change ${order.platform} orders yet` };
  } catch (error) {
    if (!attempt.finalAttempt) throw error;
    decision = { accepted: false, reason: `${label} could not be reached: ${error instanceof Error ? error.message : String(error)}` };
  }
  const decided = decision.accepted ? await accept(db, action, decision.result, label, options, processor) : await reject(db, action, decision, label, options);
  if (decided) return decision.accepted ? "accepted" : "rejected";
  // A concurrent push decided first.
  const current = await db.orderAction.findUnique({ where: { id: action.id }, select: { status: true } });
  return current?.status ?? null;
}

function storedInput<K extends LoadedAction["kind"]>(action: LoadedAction, kind: K): StoredOrderActionInput[K] {
  return StoredOrderActionInputSchemas[kind].parse(action.input) as StoredOrderActionInput[K];
}

function linesOf(action: LoadedAction, items: { lineItemId: string; quantity: number }[]): PushLine[] | null {
  const lines: PushLine[] = [];
  for (const item of items) {
    const line = action.order.lineItems.find((candidate) => candidate.id === item.lineItemId);
    if (!line) return null;
    lines.push({ externalId: line.externalId, title: line.title, quantity: item.quantity });
  }
  return lines;
}

async function ask(platform: OrderActionPlatform, action: LoadedAction): Promise<PlatformDecision> {
  const { order } = action;
  const pushOrder = { name: order.name, externalId: order.externalId, currency: order.currency };
  switch (action.kind) {
    case "cancel": {
      const input = storedInput(action, "cancel");
      return platform.cancel(pushOrder, { reason: input.reason, notifyCustomer: input.notifyCustomer, restock: input.restock });
    }
    case "update_address": {
      // A fulfillment that landed since the request wins: the parcel may already carry the old address.
      if (order.status === "cancelled" || order.fulfillmentStatus !== "unfulfilled") {
        return { accepted: false, reason: `order ${order.name} started shipping before the new address reached ${platform.label}` };
      }
      return platform.updateShippingAddress(pushOrder, storedInput(action, "update_address").address);
    }
    case "return": {
      const input = storedInput(action, "return");
      const lines = linesOf(action, input.items);
      if (!lines) return { accepted: false, reason: "an item of the return is no longer on the order" };
      return platform.createReturn(pushOrder, { lines, review: input.review, note: input.reason, fee: input.fee, requestedAt: action.requestedAt });
    }
    case "refund":
      return askRefund(platform, action);
    case "resend_tracking": {
      const { shipmentId, trackingNumber } = storedInput(action, "resend_tracking");
      const shipment = order.shipments.find((candidate) => candidate.id === shipmentId);
      if (!shipment) return { accepted: false, reason: "the shipment is no longer on the order" };
      return platform.resendTracking(pushOrder, {
        externalId: shipment.externalId,
        carrier: shipment.carrier,
        // The tracking as synced now; the one quoted at the request when the shipment lost it since.
        trackingNumbers: shipment.trackingNumbers.length > 0 ? shipment.trackingNumbers : [shipment.trackingNumber ?? trackingNumber],
        trackingUrls: shipment.trackingUrls.length > 0 ? shipment.trackingUrls : shipment.trackingUrl ? [shipment.trackingUrl] : [],
      });
    }
  }
}

async function askRefund(refunder: Pick<OrderActionPlatform, "createRefund">, action: LoadedAction): Promise<PlatformDecision> {
  const { order } = action;
  const input = storedInput(action, "refund");
  const lines = linesOf(action, input.items);
  if (!lines) return { accepted: false, reason: "an item of the refund is no longer on the order" };
  // Refunds synced since the request lower the ceiling: never more than was paid and not yet refunded.
  const remaining = toCents(order.total) - toCents(refundedSoFar(order.refunds));
  const amount = fromCents(Math.min(toCents(input.amount), Math.max(0, remaining)));
  if (toCents(amount) <= 0) return { accepted: false, reason: `nothing is left to refund on order ${order.name}` };
  const quoted = new Map(input.lines.map((line) => [line.id, line]));
  return refunder.createRefund(
    { name: order.name, externalId: order.externalId, currency: order.currency },
    {
      lines: lines.map((line, index) => {
        const item = input.items[index]!;
        return { ...line, restock: item.restock, subtotal: quoted.get(item.lineItemId)?.subtotal ?? "0.00", tax: quoted.get(item.lineItemId)?.tax ?? "0.00" };
      }),
      amount,
      note: input.reason,
      notify: input.notify,
      idempotencyKey: action.id,
    },
  );
}

/** Shopify's REST shape, as synced orders store their shipping address. */
function restAddress(current: Record<string, unknown>, address: MailingAddress) {
  return {
    ...current,
    first_name: address.firstName ?? null,
    last_name: address.lastName ?? null,
    company: address.company ?? null,
    address1: address.address1,
    address2: address.address2 ?? null,
    city: address.city,
    province_code: address.provinceCode ?? null,
    province: address.provinceCode && address.provinceCode === current.province_code ? (current.province ?? null) : null,
    zip: address.zip ?? null,
    country_code: address.countryCode ?? null,
    country: address.countryCode && address.countryCode === current.country_code ? (current.country ?? null) : null,
    phone: address.phone ?? null,
  };
}

export function formatAddress(address: MailingAddress): string {
  const cityLine = [address.city, [address.provinceCode, address.zip].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return [address.address1, address.address2, cityLine, address.countryCode].filter(Boolean).join(", ");
}

function itemsOf(action: LoadedAction, items: { lineItemId: string; quantity: number }[]) {
  return items.map((item) => ({ title: action.order.lineItems.find((line) => line.id === item.lineItemId)?.title ?? "item", quantity: item.quantity }));
}

async function notify(tx: Prisma.TransactionClient, action: LoadedAction, notice: OrderActionNotice, options: PushOrderActionOptions, now: Date) {
  if (!action.conversationId) return;
  const conversation = await tx.conversation.findFirst({ where: { id: action.conversationId, shopId: action.shopId }, select: { language: true } });
  if (!conversation) return;
  const body = options.noticeText(notice, conversation.language);
  const message = await tx.message.create({
    data: { shopId: action.shopId, conversationId: action.conversationId, author: "assistant", visibility: "public", body, createdAt: now },
    select: { id: true },
  });
  await tx.conversation.update({ where: { id: action.conversationId }, data: { lastMessageAt: now, lastMessagePreview: previewOf(body), lastMessageAuthor: "assistant" } });
  // The shopper's widget and the inbox hear of the outcome once this commits.
  await publishLive(action.shopId, { type: "message.created", conversationId: action.conversationId, messageId: message.id, author: "assistant", visibility: "public" }, tx);
  await publishLive(action.shopId, { type: "conversation.updated", conversationId: action.conversationId, fields: ["orderActions"] }, tx);
}

async function accept(
  db: PrismaClient,
  action: LoadedAction,
  result: Record<string, unknown>,
  label: string,
  options: PushOrderActionOptions,
  processor: RefundProcessor | null,
): Promise<boolean> {
  const { order } = action;
  const now = new Date();
  return db.$transaction(async (tx) => {
    // Conditional: a concurrent push of the same action decides once.
    const decided = await tx.orderAction.updateMany({
      where: { id: action.id, status: "requested" },
      data: { status: "accepted", result: JSON.parse(JSON.stringify(result)) as Prisma.InputJsonObject, decidedAt: now },
    });
    if (decided.count === 0) return false;
    const base = { kind: action.kind, outcome: "confirmed" as const, orderName: order.name, currency: order.currency };
    let notice: OrderActionNotice = base;
    let logName = ACTION_LOG_NAMES[action.kind].accepted;
    switch (action.kind) {
      case "cancel": {
        const input = storedInput(action, "cancel");
        await tx.order.updateMany({ where: { id: order.id, shopId: action.shopId }, data: { status: "cancelled", cancelledAt: now, cancelReason: "customer" } });
        notice = { ...base, amount: input.expectedRefund };
        break;
      }
      case "update_address": {
        const { address } = storedInput(action, "update_address");
        const current = (order.shippingAddress && typeof order.shippingAddress === "object" ? order.shippingAddress : {}) as Record<string, unknown>;
        await tx.order.update({ where: { id: order.id }, data: { shippingAddress: restAddress(current, address) } });
        notice = { ...base, address: formatAddress(address) };
        break;
      }
      case "return": {
        const input = storedInput(action, "return");
        // The store reviews a requested return in Shopify; one its rules approve is approved now.
        if (input.review) logName = "return.submitted";
        else await tx.returnRequest.updateMany({ where: { id: input.returnRequestId, shopId: action.shopId }, data: { status: "approved", decidedAt: now, decidedBy: action.actor } });
        notice = { ...base, review: input.review, amount: input.amount, items: itemsOf(action, input.items) };
        break;
      }
      case "refund": {
        const input = storedInput(action, "refund");
        const refund = result as { refundId: string; amount: string; transactions?: { externalId: string; kind: string; status: string; amount: string; gateway: string | null }[] };
        const snapshot: RefundSnapshot = {
          externalId: refund.refundId,
          amount: refund.amount,
          currency: order.currency,
          status: "pending",
          reason: input.reason || null,
          processedAt: null,
          createdAt: now,
          lineItems: input.items.map((item) => {
            const line = order.lineItems.find((candidate) => candidate.id === item.lineItemId);
            const quoted = input.lines.find((candidate) => candidate.id === item.lineItemId);
            return { lineItemExternalId: line?.externalId ?? item.lineItemId, quantity: item.quantity, subtotal: quoted?.subtotal ?? "0.00", tax: quoted?.tax ?? "0.00", restockType: item.restock ? "return" : "no_restock" };
          }),
          transactions: refund.transactions ?? [],
        };
        if (processor) await processor.recordRefund(tx, { id: order.id, shopId: action.shopId }, snapshot);
        else {
          // The refunds webhook may have arrived first; it is the platform's own record and wins.
          const known = await tx.refund.findUnique({ where: { shopId_platform_externalId: { shopId: action.shopId, platform: order.platform, externalId: refund.refundId } } });
          if (!known) await applyRefund(tx, action.shopId, order.platform, order.externalId, snapshot);
        }
        notice = { ...base, amount: refund.amount, items: itemsOf(action, input.items) };
        break;
      }
      case "resend_tracking": {
        // Nothing changes on the order. Say "e-mailed" only when the platform says it e-mailed the shopper.
        notice = { ...base, trackingNumber: storedInput(action, "resend_tracking").trackingNumber, emailed: result.notifiedCustomer === true };
        break;
      }
    }
    await tx.actionLog.create({
      data: {
        shopId: action.shopId,
        conversationId: action.conversationId,
        actor: "system",
        action: logName,
        targetType: "order",
        targetId: order.id,
        reason: `${label} accepted the request by ${action.actor}.`,
        idempotencyKey: `order-action:${action.id}:accepted`,
        input: { orderActionId: action.id, kind: action.kind },
        result: JSON.parse(JSON.stringify(result)) as Prisma.InputJsonObject,
        createdAt: now,
      },
    });
    await notify(tx, action, notice, options, now);
    return true;
  });
}

async function reject(db: PrismaClient, action: LoadedAction, decision: { reason: string; details?: unknown }, label: string, options: PushOrderActionOptions): Promise<boolean> {
  const { order } = action;
  const now = new Date();
  const reason = decision.reason.slice(0, 500);
  return db.$transaction(async (tx) => {
    const decided = await tx.orderAction.updateMany({
      where: { id: action.id, status: "requested" },
      // The key is freed: asking again after a refusal is a new request, not a replay of this one.
      data: { status: "rejected", error: reason, decidedAt: now, idempotencyKey: `${action.idempotencyKey}:rejected:${action.id}`, result: JSON.parse(JSON.stringify({ details: decision.details ?? null })) as Prisma.InputJsonObject },
    });
    if (decided.count === 0) return false;
    // The return request was opened with the action; nothing was opened on the platform, so it goes.
    if (action.kind === "return") await tx.returnRequest.deleteMany({ where: { id: storedInput(action, "return").returnRequestId, shopId: action.shopId, status: "requested" } });
    await tx.actionLog.create({
      data: {
        shopId: action.shopId,
        conversationId: action.conversationId,
        actor: "system",
        action: ACTION_LOG_NAMES[action.kind].rejected,
        targetType: "order",
        targetId: order.id,
        reason: `${label} refused: ${reason}`.slice(0, 500),
        idempotencyKey: `order-action:${action.id}:rejected`,
        input: { orderActionId: action.id, kind: action.kind },
        result: JSON.parse(JSON.stringify({ details: decision.details ?? null })) as Prisma.InputJsonObject,
        createdAt: now,
      },
    });
    if (!action.conversationId) return true;
    const conversation = await tx.conversation.findFirst({ where: { id: action.conversationId, shopId: action.shopId }, select: { escalatedAt: true, priority: true } });
    if (!conversation) return true;
    const note = await tx.message.create({
      select: { id: true },
      data: {
        shopId: action.shopId,
        conversationId: action.conversationId,
        author: "system",
        visibility: "internal",
        body: `${label} refused to ${REFUSAL_VERBS[action.kind]} ${order.name}: ${reason}. Nothing was changed on the order; please follow up with the shopper.`,
        createdAt: now,
      },
    });
    await notify(tx, action, { kind: action.kind, outcome: "refused", orderName: order.name, currency: order.currency }, options, new Date(now.getTime() + 1));
    await tx.conversation.update({
      where: { id: action.conversationId },
      data: {
        status: "waiting_on_staff",
        priority: conversation.priority === "urgent" ? "urgent" : "high",
        escalatedAt: conversation.escalatedAt ?? now, escalationReason: `${label} refused to ${REFUSAL_VERBS[action.kind]} ${order.name}: ${reason}`.slice(0, 500),
      },
    });
    await publishLive(action.shopId, { type: "message.created", conversationId: action.conversationId, messageId: note.id, author: "system", visibility: "internal" }, tx);
    await publishLive(action.shopId, { type: "conversation.updated", conversationId: action.conversationId, fields: ["status", "priority"] }, tx);
    return true;
  });
}
