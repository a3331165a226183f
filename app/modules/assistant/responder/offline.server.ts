import type { KnowledgeMatch } from "~/modules/knowledge";
import type { EscalationReason } from "~/modules/routing";
import { type AddressChangeOutcome, AWAITING_STORE, type CancelOutcome, type ItemCondition, type ReturnOutcome } from "../tools/actions.server";
import type { ToolContext, ToolOutcome } from "../tools/context";
import type { OrderView } from "../tools/orders.server";
import { runTool, type ToolRun } from "../tools/registry.server";
import { knowledgeReply } from "./knowledge-answer";
import { formatDate, formatMoney } from "./format";
import { productReply } from "./product-answer";
import { type PhraseKey, type PhraseLanguage, phrase } from "./phrases";

/**
 * The grounded template responder: used when no chat model is configured, and whenever the model fails or
 * its answer breaks a guardrail. It never states a fact that is not in a tool result, the shop's settings
 * or a retrieved passage.
 */

export interface Citation {
  sourceId: string;
  chunkId: string;
  title: string;
}

/** What a turn needs to remember for the next one (stored on the assistant message). */
export interface TurnMemory {
  focusOrderName?: string;
  /** The assistant asked for something (verification, the new address) to finish this intent. */
  awaiting?: { kind: "verification" | "address"; intent: string; orderName?: string; email?: string };
}

export interface ReplyDraft {
  text: string;
  citations: Citation[];
  quickReplies: string[];
  orderCard?: OrderView;
  memory: TurnMemory;
  /** False when the assistant could not help (counts toward the repeated-failure rule). */
  answered: boolean;
  escalate?: { reason: EscalationReason; detail: string };
  toolRuns: ToolRun[];
}

export interface OfflineReplyInput {
  ctx: ToolContext;
  language: PhraseLanguage;
  intent: string;
  confidence: number;
  text: string;
  orderNumber?: string;
  email?: string;
  knowledge: KnowledgeMatch[];
  /** Catalogue products the message names (entity matches), best first. */
  products?: { id: string; score: number }[];
  memory: TurnMemory;
}

export const ORDER_INTENTS = new Set(["track_order", "track_refund", "get_refund", "cancel_order", "change_shipping_address"]);
const HUMAN_INTENTS = new Set(["contact_human_agent"]);
/** Below this intent confidence, and without a usable passage, the assistant asks what was meant. */
export const MIN_INTENT_CONFIDENCE = 0.45;

function carrierName(carrier: string | null): string {
  return carrier ?? "the carrier";
}

function eventText(event: OrderView["shipments"][number]["lastEvent"]): string {
  if (!event) return "";
  return [event.message ?? event.status, event.location].filter(Boolean).join(", ");
}

/** Status, shipments and tracking of an order, in the reply language. */
export function describeOrder(order: OrderView, ctx: ToolContext, language: PhraseLanguage): string {
  const p = (key: PhraseKey, values: Record<string, string> = {}) => phrase(language, key, { order: order.name, ...values });
  const lines: string[] = [];
  if (order.status === "cancelled") {
    lines.push(p("orderCancelled", { date: formatDate(order.cancelledAt, ctx, language) }));
    return lines.join(" ");
  }
  const pendingCancel = order.pendingActions.find((action) => action.kind === "cancel");
  if (order.shipments.length === 0) {
    lines.push(p("orderPreparing", { placed: formatDate(order.placedAt, ctx, language) }));
    if (pendingCancel) lines.push(p("cancelPending", { date: formatDate(pendingCancel.requestedAt, ctx, language) }));
    return lines.join(" ");
  }
  for (const shipment of order.shipments) {
    const values = { carrier: carrierName(shipment.carrier), tracking: shipment.trackingNumber ?? "—" };
    switch (shipment.status) {
      case "delivered":
        lines.push(p("shipmentDelivered", { ...values, date: formatDate(shipment.deliveredAt ?? shipment.lastEvent?.at, ctx, language) }));
        break;
      case "out_for_delivery":
        lines.push(p("shipmentOutForDelivery", values));
        break;
      case "pending":
      case "label_printed":
        lines.push(p("shipmentPending", values));
        break;
      case "attempted_delivery":
      case "failure":
        lines.push(p("shipmentProblem", { ...values, event: eventText(shipment.lastEvent) || shipment.status.replace("_", " ") }));
        break;
      default:
        lines.push(p("shipmentInTransit", values));
    }
    if (shipment.status !== "delivered" && shipment.lastEvent) lines.push(p("lastEvent", { event: eventText(shipment.lastEvent), date: formatDate(shipment.lastEvent.at, ctx, language) }));
    if (shipment.status !== "delivered" && shipment.estimatedDeliveryAt) lines.push(p("eta", { date: formatDate(shipment.estimatedDeliveryAt, ctx, language) }));
    if (shipment.status !== "delivered" && shipment.trackingUrl) lines.push(p("trackLink", { url: shipment.trackingUrl }));
  }
  if (order.fulfillmentStatus === "partial") lines.push(p("partlyShipped"));
  return lines.join(" ");
}

function describeRefunds(order: OrderView, ctx: ToolContext, language: PhraseLanguage): string {
  const lines: string[] = [];
  const statusKey = { succeeded: "refundSucceeded", pending: "refundPending", failed: "refundFailed", cancelled: "refundCancelled" } as const;
  const returnKey = { approved: "returnApproved", requested: "returnRequested", rejected: "returnRejected", completed: "returnCompleted", cancelled: "returnCancelled" } as const;
  for (const refund of order.refunds) {
    const date = refund.processedAt ? ` (${formatDate(refund.processedAt, ctx, language)})` : "";
    lines.push(
      phrase(language, "refundLine", {
        amount: formatMoney(refund.amount, refund.currency, language),
        status: phrase(language, statusKey[refund.status as keyof typeof statusKey] ?? "refundPending"),
        date,
      }),
    );
  }
  for (const request of order.returnRequests) {
    // A return within policy waits only for the store to confirm it, not for anyone's approval.
    const awaitingStore = request.status === "requested" && request.autoApproved;
    lines.push(
      phrase(language, "returnLine", {
        date: formatDate(request.createdAt, ctx, language),
        status: phrase(language, awaitingStore ? "returnAwaitingStore" : (returnKey[request.status as keyof typeof returnKey] ?? "returnRequested")),
      }),
    );
  }
  if (lines.length === 0) return phrase(language, "refundsNone", { order: order.name });
  if (order.refunds.some((refund) => refund.status === "succeeded")) lines.push(phrase(language, "refundTiming"));
  return `${order.name}: ${lines.join(" ")}`;
}

function conditionFrom(text: string): ItemCondition {
  const lower = text.toLowerCase();
  if (/\b(wrong (item|size|colou?r|product)|not what i ordered|sent me the wrong|falsche?n? artikel|mauvais article|artículo equivocado)\b/u.test(lower)) return "wrong_item";
  if (/\b(damaged|broken|defective|faulty|torn|ripped|cassé|abîmé|endommagé|kaputt|beschädigt|defekt|roto|dañado)\b/u.test(lower)) return "damaged";
  if (/\b(worn it|wore it|used it|washed|i've used|been used|porté|lavé|getragen|gewaschen|usado|lavado)\b/u.test(lower)) return "used";
  return "unused";
}

export function looksLikeAddress(text: string): boolean {
  // A house number plus words, or a postcode: enough to pass on for a person to check.
  return /\d+\s+\p{L}{2,}/u.test(text) && text.replace(/[^\p{L}]/gu, "").length >= 8;
}

type OrderAction = "status" | "refunds" | "return" | "cancel" | "address";

function actionFor(intent: string): OrderAction | undefined {
  switch (intent) {
    case "track_order":
      return "status";
    case "track_refund":
      return "refunds";
    case "get_refund":
      return "return";
    case "cancel_order":
      return "cancel";
    case "change_shipping_address":
      return "address";
    default:
      return undefined;
  }
}

export async function composeOfflineReply(input: OfflineReplyInput): Promise<ReplyDraft> {
  const { ctx, language, intent } = input;
  const p = (key: PhraseKey, values: Record<string, string> = {}) => phrase(language, key, values);
  const quick = {
    track: p("quickTrack"),
    ret: p("quickReturn"),
    human: p("quickHuman"),
    shipping: p("quickShipping"),
  };
  const base = { citations: [] as Citation[], toolRuns: [] as ToolRun[] };

  if (HUMAN_INTENTS.has(intent)) {
    return { ...base, text: "", quickReplies: [], memory: { focusOrderName: input.memory.focusOrderName }, answered: true, escalate: { reason: "requested", detail: "The shopper asked for a person." } };
  }

  if (intent === "greeting") {
    return { ...base, text: p("greeting", { greeting: ctx.profile.settings.greeting }), quickReplies: [quick.track, quick.ret, quick.shipping], memory: {}, answered: true };
  }
  if (intent === "thanks") {
    return { ...base, text: p("thanks"), quickReplies: [], memory: { focusOrderName: input.memory.focusOrderName }, answered: true };
  }

  const action = actionFor(intent);
  if (action) return orderReply(input, action, quick);

  // Questions about a named product are answered from the catalogue: price, options, stock.
  if (intent === "product_question" && input.products?.length) {
    const facts = await productReply(ctx, input.products, language);
    if (facts) return { ...base, text: facts, quickReplies: [], memory: { focusOrderName: input.memory.focusOrderName }, answered: true };
  }

  // Everything else is answered from the knowledge base, or honestly not at all.
  const found = knowledgeReply(input.text, input.knowledge, language);
  if (found) {
    const followUps = intent === "complaint" ? [quick.human] : intent === "contact_customer_service" ? [quick.human] : [];
    const apology = intent === "complaint" ? `${p("frustrationApology")} ` : "";
    return { ...base, text: `${apology}${found.text}`, citations: found.citations, quickReplies: followUps, memory: { focusOrderName: input.memory.focusOrderName }, answered: true };
  }
  if (intent === "complaint") {
    return { ...base, text: `${p("frustrationApology")} ${p("notFound")}`, quickReplies: [quick.human], memory: { focusOrderName: input.memory.focusOrderName }, answered: false };
  }
  const unclear = input.confidence < MIN_INTENT_CONFIDENCE || intent === "other";
  return {
    ...base,
    text: unclear ? p("clarify") : p("notFound"),
    quickReplies: unclear ? [quick.track, quick.ret, quick.shipping, quick.human] : [quick.human],
    memory: { focusOrderName: input.memory.focusOrderName },
    answered: false,
  };
}

async function orderReply(input: OfflineReplyInput, action: OrderAction, quick: Record<"track" | "ret" | "human" | "shipping", string>): Promise<ReplyDraft> {
  const { ctx, language, intent } = input;
  const p = (key: PhraseKey, values: Record<string, string> = {}) => phrase(language, key, values);
  const toolRuns: ToolRun[] = [];
  const orderNumber = input.orderNumber ?? input.memory.awaiting?.orderName ?? input.memory.focusOrderName;
  const email = input.email ?? input.memory.awaiting?.email;
  const ref = { ...(orderNumber ? { order_number: orderNumber } : {}), ...(email ? { email } : {}) };
  const run = async (name: string, args: Record<string, unknown>) => {
    const result = await runTool(ctx, name, args);
    toolRuns.push(result);
    return result.outcome;
  };
  const draft = (fields: Partial<ReplyDraft> & { text: string }): ReplyDraft => ({
    citations: [],
    quickReplies: [],
    memory: {},
    answered: true,
    ...fields,
    toolRuns,
  });

  // Address changes need the new address before anything else is worth asking.
  if (action === "address" && !looksLikeAddress(input.text)) {
    return draft({ text: p("addressAsk"), memory: { focusOrderName: orderNumber, awaiting: { kind: "address", intent, orderName: orderNumber, email } } });
  }

  let outcome: ToolOutcome;
  switch (action) {
    case "status":
    case "refunds":
      outcome = await run("lookup_order", ref);
      break;
    case "return":
      outcome = await run("request_return", { ...ref, reason: input.text.slice(0, 500), condition: conditionFrom(input.text) });
      break;
    case "cancel":
      outcome = await run("cancel_order", { ...ref, reason: input.text.slice(0, 500) });
      break;
    case "address":
      outcome = await run("change_shipping_address", { ...ref, new_address: input.text.slice(0, 500) });
      break;
  }

  if (!outcome.ok) {
    switch (outcome.code) {
      case "needs_verification":
        return draft({
          text: orderNumber ? p("askEmail", { order: orderNumber.startsWith(ctx.profile.shop.orderNamePrefix) ? orderNumber : `${ctx.profile.shop.orderNamePrefix}${orderNumber.replace(/\D/g, "")}` }) : action === "return" ? p("returnAskWhich") : p("askVerification"),
          memory: { awaiting: { kind: "verification", intent, orderName: orderNumber, email } },
        });
      case "verification_failed":
        return draft({ text: p("verificationFailed"), memory: { awaiting: { kind: "verification", intent } }, answered: false, quickReplies: [quick.human] });
      case "verification_locked":
        return draft({ text: "", escalate: { reason: "policy", detail: "Too many failed order verification attempts." } });
      case "invalid_arguments":
        return draft({ text: p("askVerification"), memory: { awaiting: { kind: "verification", intent } }, answered: false });
      case "not_found":
        return draft({ text: ctx.conversation.customerId && !orderNumber ? p("noOrders") : outcome.message, answered: false, quickReplies: [quick.human] });
      case "needs_staff":
        return draft({ text: "", escalate: { reason: "policy", detail: outcome.message }, memory: { focusOrderName: orderNumber } });
      case "already_done":
        return draft({ text: p("returnAlready", { why: outcome.message }), memory: { focusOrderName: orderNumber } });
      case "not_eligible": {
        const key: PhraseKey = action === "cancel" ? "cancelNotEligible" : action === "address" ? "addressNotEligible" : "returnNotEligible";
        return draft({ text: p(key, { why: outcome.message }), memory: { focusOrderName: orderNumber }, quickReplies: action === "cancel" ? [quick.track, quick.human] : [quick.human] });
      }
    }
  }

  const data = outcome.data;
  switch (action) {
    case "status": {
      const order = data as OrderView;
      return draft({ text: describeOrder(order, ctx, language), orderCard: order, memory: { focusOrderName: order.name }, quickReplies: [quick.ret, quick.human] });
    }
    case "refunds": {
      const order = data as OrderView;
      return draft({ text: describeRefunds(order, ctx, language), orderCard: order, memory: { focusOrderName: order.name }, quickReplies: [quick.human] });
    }
    case "return": {
      const result = data as ReturnOutcome;
      const items = result.items.map((item) => `${item.quantity} × ${item.title}`).join(", ");
      const amount = formatMoney(result.amount, result.currency, language);
      return draft({
        text:
          result.status === AWAITING_STORE
            ? p("returnSentToStore", { order: result.orderName, items, amount, date: formatDate(result.windowEndsAt, ctx, language) })
            : p("returnNeedsApproval", { order: result.orderName, items, amount, why: result.reviewReason ?? "" }),
        memory: { focusOrderName: result.orderName },
      });
    }
    case "cancel": {
      const result = data as CancelOutcome;
      return draft({ text: p("cancelRequested", { order: result.orderName, amount: formatMoney(result.expectedRefund, result.currency, language) }), memory: { focusOrderName: result.orderName } });
    }
    case "address": {
      const result = data as AddressChangeOutcome;
      const text = result.status === AWAITING_STORE ? p("addressRequested", { order: result.orderName, address: result.requestedAddress }) : p("addressPending", { order: result.orderName });
      return draft({ text, memory: { focusOrderName: result.orderName } });
    }
  }
}
