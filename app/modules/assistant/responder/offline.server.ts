import type { KnowledgeMatch } from "~/modules/knowledge";
import type { EscalationReason } from "~/modules/routing";
import { isOffTopic, namedItems } from "../dialogue/acts";
import type { Plan } from "../dialogue/plan";
import type { DialogueState, Flow } from "../dialogue/state";
import type { NluResult } from "../nlu";
import { NAMED_PRODUCT_SCORE } from "../nlu/entities";
import { type AddressChangeOutcome, AWAITING_STORE, type CancelOutcome, cancelOrder, changeShippingAddress, type ItemCondition, requestReturn, type ReturnOutcome } from "../tools/actions.server";
import type { ToolContext, ToolOutcome } from "../tools/context";
import type { OrderView } from "../tools/orders.server";
import { runTool, type ToolRun } from "../tools/registry.server";
import { formatDate, formatMoney } from "./format";
import { knowledgeReply } from "./knowledge-answer";
import { type PhraseKey, type PhraseLanguage, languageName, phrase } from "./phrases";
import { answerProductQuestion } from "./product-answer";

/**
 * The grounded template responder: carries out the turn's plan (../dialogue/plan.ts) when no chat model is
 * configured, and whenever the model fails or its answer breaks a guardrail. It never states a fact that is
 * not in a tool result, the shop's settings or a retrieved passage, and it never requests a change to an
 * order before the shopper has seen what will happen and said yes.
 */

export interface Citation {
  sourceId: string;
  chunkId: string;
  title: string;
}

export type UnansweredReason = "no_good_match" | "said_unknown";

/** What a turn remembers for the next one (stored on the assistant message). */
export type TurnMemory = DialogueState;

export interface ReplyDraft {
  text: string;
  citations: Citation[];
  quickReplies: string[];
  orderCard?: OrderView;
  memory: DialogueState;
  /** False when the assistant could not help (counts toward the repeated-failure rule). */
  answered: boolean;
  /**
   * Set when the shopper asked something the shop's knowledge did not answer (the dashboard's unanswered
   * questions): retrieval found no passage that answers it ("no_good_match"), or the chat model said so
   * ("said_unknown"). Stored on the reply's metadata, whatever language it is in.
   */
  unanswered?: UnansweredReason;
  /** The reply ends by offering a person: dropped when the turn hands off anyway. */
  offerHuman?: string;
  escalate?: { reason: EscalationReason; detail: string };
  toolRuns: ToolRun[];
}

export interface OfflineReplyInput {
  ctx: ToolContext;
  language: PhraseLanguage;
  plan: Plan;
  nlu: NluResult;
  text: string;
  knowledge: KnowledgeMatch[];
  /** Catalogue products the message names (entity matches), best first. */
  products?: { id: string; score: number }[];
  state: DialogueState;
}

/** Below this intent confidence, and without a usable passage, the assistant asks what was meant. */
export const MIN_INTENT_CONFIDENCE = 0.45;

function carrierName(carrier: string | null, language: PhraseLanguage): string {
  return carrier ?? phrase(language, "theCarrier");
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
    const values = { carrier: carrierName(shipment.carrier, language), tracking: shipment.trackingNumber ?? "—" };
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

type Phrase = (key: PhraseKey, values?: Record<string, string>) => string;

function quickReplies(p: Phrase) {
  return { track: p("quickTrack"), ret: p("quickReturn"), human: p("quickHuman"), shipping: p("quickShipping"), yes: p("quickYes"), no: p("quickNo") };
}

export async function composeOfflineReply(input: OfflineReplyInput): Promise<ReplyDraft> {
  const { ctx, language, plan, state } = input;
  const p: Phrase = (key, values = {}) => phrase(language, key, values);
  const quick = quickReplies(p);
  // What stays under discussion whatever this turn is about.
  const focus: DialogueState = { ...(state.focusOrderName ? { focusOrderName: state.focusOrderName } : {}), ...(state.focusProductId ? { focusProductId: state.focusProductId } : {}) };
  const reply = (fields: Partial<ReplyDraft> & { text: string }): ReplyDraft => ({ citations: [], quickReplies: [], memory: focus, answered: true, toolRuns: [], ...fields });

  switch (plan.kind) {
    case "handoff":
      return reply({ text: "", escalate: { reason: "requested", detail: "The shopper asked for a person." } });
    case "greeting":
      // The merchant's greeting is written in the shop's language; in another, the assistant introduces itself.
      return reply({
        text: language === ctx.profile.shop.primaryLocale.slice(0, 2) ? p("greeting", { greeting: ctx.profile.settings.greeting }) : p("greetingDefault", { name: ctx.profile.settings.assistantName, shop: ctx.profile.shop.name }),
        quickReplies: [quick.track, quick.ret, quick.shipping],
      });
    case "thanks":
      return reply({ text: p("thanks") });
    case "stray_answer":
      return reply({ text: p("strayAnswer"), quickReplies: [quick.track, quick.ret, quick.shipping] });
    case "offer_declined":
      return reply({ text: p("offerDeclined") });
    case "flow_declined":
      return reply({ text: p("flowDeclined"), memory: { ...focus, ...(plan.flow.orderName ? { focusOrderName: plan.flow.orderName } : {}) } });
    case "abuse":
      return reply({ text: p("abuse"), quickReplies: [quick.human], memory: { ...focus, pending: "human_offer" } });
    case "flow": {
      const draft = await runFlow(input, plan.flow, plan.confirmed, p);
      // "When will I get my refund?" before the order is proven: the general timing now, theirs once it is.
      if (plan.flow.kind === "refunds" && !plan.flow.orderName && draft.memory.pending === "order") {
        const found = knowledgeReply(input.text, input.knowledge, language, { queryLanguage: input.nlu.languageReliable ? input.nlu.language : language, shopCurrency: input.ctx.profile.shop.currency });
        if (found) return { ...draft, text: `${quoteKnowledge(found, language, p)}\n\n${p("askVerificationToCheck")}`, citations: found.citations };
      }
      return draft;
    }
    case "product": {
      const answer = await answerProductQuestion(ctx, {
        question: input.text,
        language,
        productIds: (input.products ?? []).filter((product) => product.score >= NAMED_PRODUCT_SCORE).map((product) => product.id),
        focusProductId: state.focusProductId,
        unknownProducts: input.nlu.entities.unknownProducts,
      });
      if (answer?.kind === "answer") return reply({ text: answer.text, memory: { ...focus, focusProductId: answer.productId } });
      if (answer?.kind === "unknown_product") return reply({ text: p("productUnknown", { name: answer.name }), memory: focus });
      if (answer?.kind === "not_in_description") {
        // The page is silent: the help center may still answer ("are your jackets waterproof?"), else a person.
        const found = knowledgeReply(input.text, input.knowledge, language, { queryLanguage: input.nlu.language, shopCurrency: input.ctx.profile.shop.currency });
        if (found) return reply({ text: quoteKnowledge(found, language, p), citations: found.citations, memory: { ...focus, focusProductId: answer.productId } });
        return reply({
          text: p("productNotDescribed", { title: answer.title }),
          offerHuman: p("offerHuman"),
          quickReplies: [quickReplies(p).human],
          unanswered: "no_good_match",
          memory: { ...focus, focusProductId: answer.productId, pending: "human_offer" },
        });
      }
      return answerQuestion(input, p, focus);
    }
    case "question":
      return answerQuestion(input, p, focus);
  }
}

/** The help center's sentences as the reply says them: a lead first, and the language named when it is not the reply's. */
function quoteKnowledge(found: NonNullable<ReturnType<typeof knowledgeReply>>, language: PhraseLanguage, p: Phrase): string {
  const quoted = found.sourceLanguage && found.sourceLanguage !== language ? p("knowledgeQuote", { language: languageName(found.sourceLanguage, language), text: found.text }) : found.text;
  return found.lead ? `${found.lead} ${quoted}` : quoted;
}

/** A question for the help center: the sentences that answer it, or an honest "I don't know". */
function answerQuestion(input: OfflineReplyInput, p: Phrase, focus: DialogueState): ReplyDraft {
  const { nlu, language } = input;
  const reply = (fields: Partial<ReplyDraft> & { text: string }): ReplyDraft => ({ citations: [], quickReplies: [], memory: focus, answered: true, toolRuns: [], ...fields });
  const quick = quickReplies(p);
  const found = knowledgeReply(input.text, input.knowledge, language, { queryLanguage: nlu.languageReliable ? nlu.language : language, shopCurrency: input.ctx.profile.shop.currency });
  const complaint = nlu.intent === "complaint";
  const apology = complaint ? `${p("frustrationApology")} ` : "";
  if (found) {
    return reply({ text: `${apology}${quoteKnowledge(found, language, p)}`, citations: found.citations, quickReplies: complaint || nlu.intent === "contact_customer_service" ? [quick.human] : [] });
  }
  // Not a question for this shop ("write me a poem"): say what the assistant is for; nothing to escalate.
  // Only what is clearly not for a shop; an unanswered question that might be gets "I don't know" and a person.
  if (notForTheShop(input.text) && !complaint) {
    return reply({ text: p("offTopic", { name: input.ctx.profile.settings.assistantName }), quickReplies: [quick.track, quick.ret, quick.shipping] });
  }
  return reply({
    text: `${apology}${p("notFound")}`,
    offerHuman: p("offerHuman"),
    quickReplies: [quick.human],
    answered: false,
    unanswered: "no_good_match",
    memory: { ...focus, pending: "human_offer" },
  });
}

/** Not a question for this shop ("write me a poem"): clearly not, so not a gap in its help center either. */
export function notForTheShop(text: string): boolean {
  return isOffTopic(text) && !ADDRESSED_TO_SHOP.test(text);
}

/** A question put to the shop ("do you sponsor athletes?"), as opposed to one for a search engine. */
const ADDRESSED_TO_SHOP =
  /\b(do you|does your|are you|can you|can i|could i|is there|are there|your (shop|store|company|products?|team|brand)|you guys|order|orders|delivery|shipping|return|refund|product|store|shop|vous|votre|vos|ihr|ihre|euer|eure|haben sie|bieten sie|ustedes|vuestr[oa]s?|tienen|hacen)\b/i;

const ACTION_TOOLS = { return: "request_return", cancel: "cancel_order", address: "change_shipping_address" } as const;

/** One step of an order flow: find and verify the order, collect what is missing, preview, then request. */
/** What a flow step reads: the tools' context, the reply language and the dialogue state. */
type FlowInput = Pick<OfflineReplyInput, "ctx" | "language" | "state">;

/** The next step of a flow the shopper did not just confirm (e.g. after the verification form proved the order). */
export function continueFlow(input: FlowInput, flow: Flow): Promise<ReplyDraft> {
  return runFlow(input, flow, false, (key, values = {}) => phrase(input.language, key, values));
}

async function runFlow(input: FlowInput, flow: Flow, confirmed: boolean, p: Phrase): Promise<ReplyDraft> {
  const { ctx, language } = input;
  const quick = quickReplies(p);
  const toolRuns: ToolRun[] = [];
  const loggedIn = ctx.conversation.customerId !== null;
  const orderLabel = (name: string) => (name.startsWith(ctx.profile.shop.orderNamePrefix) ? name : `${ctx.profile.shop.orderNamePrefix}${name.replace(/\D/g, "")}`);
  const draft = (fields: Partial<ReplyDraft> & { text: string }): ReplyDraft => ({ citations: [], quickReplies: [], memory: {}, answered: true, ...fields, toolRuns });
  const keep = (next: Flow, pending: DialogueState["pending"], focusOrderName = next.orderName ?? input.state.focusOrderName): DialogueState => ({
    ...(focusOrderName ? { focusOrderName } : {}),
    ...(input.state.focusProductId ? { focusProductId: input.state.focusProductId } : {}),
    flow: next,
    pending,
  });
  const done = (orderName: string | undefined): DialogueState => ({ ...(orderName ? { focusOrderName: orderName } : {}), ...(input.state.focusProductId ? { focusProductId: input.state.focusProductId } : {}) });

  // 1. The order, proven to be the shopper's (a logged-in customer's own orders need no proof).
  if (!flow.orderName && !loggedIn) {
    return draft({ text: flow.kind === "return" ? p("returnAskWhich") : p("askVerification"), memory: keep(flow, "order") });
  }
  const lookup = await runTool(ctx, "lookup_order", { ...(flow.orderName ? { order_number: flow.orderName } : {}), ...(flow.email ? { email: flow.email } : {}) });
  toolRuns.push(lookup);
  if (!lookup.outcome.ok) {
    const outcome = lookup.outcome;
    switch (outcome.code) {
      case "needs_verification":
        return draft({ text: flow.orderName ? p("askEmail", { order: orderLabel(flow.orderName) }) : p("askVerification"), memory: keep({ ...flow, email: undefined }, flow.orderName ? "email" : "order") });
      case "verification_failed":
        // The order number is kept: sending just the right email is enough.
        return draft({ text: p("verificationRetry", { order: orderLabel(flow.orderName ?? "") }), memory: keep({ ...flow, email: undefined }, "email"), quickReplies: [quick.human] });
      case "verification_locked":
        return draft({ text: "", escalate: { reason: "verification_locked", detail: "Order verification is locked after too many failed attempts in this conversation." }, memory: done(undefined) });
      case "needs_staff":
        // A disputed payment: a person takes the conversation; the reply says nothing of the dispute.
        return draft({ text: "", escalate: { reason: "policy", detail: outcome.message }, memory: done(flow.orderName) });
      case "not_found":
        return draft({ text: loggedIn && !flow.orderName ? p("noOrders") : p("orderNotFound", { order: orderLabel(flow.orderName ?? "") }), answered: false, quickReplies: [quick.human], memory: done(undefined) });
      default:
        return draft({ text: p("askVerification"), memory: keep(flow, "order"), answered: false });
    }
  }
  const order = lookup.outcome.data as OrderView;
  // The email has done its job; it is not carried further in the conversation's state.
  const verified: Flow = { ...flow, orderName: order.name, email: undefined };

  if (flow.kind === "status") return draft({ ...describeStatus(order, flow, input, p), memory: done(order.name) });
  if (flow.kind === "refunds") return draft({ text: describeRefunds(order, ctx, language), orderCard: order, memory: done(order.name), quickReplies: [quick.human] });

  // 2. What the action needs: the items of a return, the new address.
  if (flow.kind === "return") {
    const choices = order.items.filter((item) => item.quantity - item.refundedQuantity > 0).map((item) => ({ id: item.id, title: item.title, quantity: item.quantity - item.refundedQuantity }));
    let items = verified.items;
    if (items === undefined && choices.length > 0) items = namedItems(verified.reason ?? "", choices);
    if (choices.length === 1 && (!items || items.length === 0)) items = [{ id: choices[0]!.id, title: choices[0]!.title }];
    if (choices.length > 1 && (!items || items.length === 0)) {
      return draft({
        text: p("returnAskItems", { order: order.name, items: choices.map((choice) => `${choice.quantity} × ${choice.title}`).join(", ") }),
        quickReplies: [...choices.slice(0, 4).map((choice) => choice.title), p("quickAllItems")],
        memory: keep({ ...verified, choices, items: undefined }, "items"),
      });
    }
    verified.items = items;
    verified.choices = choices;
  }
  if (flow.kind === "address" && !verified.newAddress) {
    return draft({ text: p("addressAskNew", { order: order.name }), memory: keep(verified, "address") });
  }

  // 3. Show what will happen and ask; 4. on "yes", request it from the store.
  const args = actionArguments(verified);
  if (!confirmed) {
    const preview = await previewAction(ctx, verified, args);
    if (!preview.ok) return refusal(preview, verified, order.name, input, p, draft);
    return draft({ text: previewText(verified, preview.data, input, p), quickReplies: [quick.yes, quick.no], memory: keep(verified, "confirm") });
  }
  const run = await runTool(ctx, ACTION_TOOLS[flow.kind], { order_number: order.name, ...args });
  toolRuns.push(run);
  if (!run.outcome.ok) return refusal(run.outcome, verified, order.name, input, p, draft);
  return draft({ text: requestedText(verified, run.outcome.data, input, p), memory: done(order.name) });
}

function actionArguments(flow: Flow): Record<string, unknown> {
  switch (flow.kind) {
    case "return":
      return {
        reason: (flow.reason ?? "Return requested in chat").slice(0, 500),
        condition: flow.condition ?? conditionFrom(flow.reason ?? ""),
        ...(flow.items?.length ? { items: flow.items.map((item) => ({ item: item.id, ...(item.quantity ? { quantity: item.quantity } : {}) })) } : {}),
      };
    case "cancel":
      return { reason: (flow.reason ?? "Cancellation requested in chat").slice(0, 500) };
    default:
      return { new_address: (flow.newAddress ?? "").slice(0, 500) };
  }
}

function previewAction(ctx: ToolContext, flow: Flow, args: Record<string, unknown>): Promise<ToolOutcome> {
  const ref = { orderNumber: flow.orderName };
  switch (flow.kind) {
    case "return":
      return requestReturn(ctx, { ...ref, reason: args.reason as string, condition: args.condition as ItemCondition, items: args.items as { item: string; quantity?: number }[] | undefined, preview: true });
    case "cancel":
      return cancelOrder(ctx, { ...ref, reason: args.reason as string, preview: true });
    default:
      return changeShippingAddress(ctx, { ...ref, newAddress: args.new_address as string, preview: true });
  }
}

function itemList(items: { title: string; quantity: number }[]): string {
  return items.map((item) => `${item.quantity} × ${item.title}`).join(", ");
}

function previewText(flow: Flow, data: unknown, input: FlowInput, p: Phrase): string {
  const { language } = input;
  switch (flow.kind) {
    case "return": {
      const result = data as ReturnOutcome;
      const fee = Number(result.fee) > 0 ? p("returnFeeNote", { fee: formatMoney(result.fee, result.currency, language) }) : "";
      const review = result.review === "condition_check" ? ` ${p("returnReviewCondition")}` : result.review === "above_limit" || result.review === "staff_approval" ? ` ${p("returnReviewTeam")}` : "";
      return `${p("returnPreview", { order: result.orderName, items: itemList(result.items), amount: formatMoney(result.amount, result.currency, language), fee })}${review} ${p("confirmAsk")}`;
    }
    case "cancel": {
      const result = data as CancelOutcome;
      return `${p("cancelPreview", { order: result.orderName, amount: formatMoney(result.expectedRefund, result.currency, language) })} ${p("confirmAsk")}`;
    }
    default: {
      const result = data as AddressChangeOutcome;
      return `${p(result.needsApproval ? "addressPreviewReview" : "addressPreview", { order: result.orderName, address: result.requestedAddress })} ${p("confirmAsk")}`;
    }
  }
}

/**
 * What the shopper is told about an action a chat model had the store asked for, when the model's own reply
 * cannot be used: the same words the offline flow uses.
 */
export function requestedActionText(run: ToolRun, ctx: ToolContext, language: PhraseLanguage): string | undefined {
  const kind = ({ request_return: "return", cancel_order: "cancel", change_shipping_address: "address" } as const)[run.name as "request_return"];
  if (!kind || !run.outcome.ok || (run.outcome.data as { status?: string }).status === "preview") return undefined;
  return requestedText({ kind }, run.outcome.data, { ctx, language } as OfflineReplyInput, (key, values = {}) => phrase(language, key, values));
}

function requestedText(flow: Flow, data: unknown, input: Pick<OfflineReplyInput, "ctx" | "language">, p: Phrase): string {
  const { ctx, language } = input;
  switch (flow.kind) {
    case "return": {
      const result = data as ReturnOutcome;
      const values = { order: result.orderName, items: itemList(result.items), amount: formatMoney(result.amount, result.currency, language), date: formatDate(result.windowEndsAt, ctx, language) };
      return result.status === AWAITING_STORE ? p("returnSentToStore", values) : p("returnNeedsApproval", values);
    }
    case "cancel": {
      const result = data as CancelOutcome;
      return p("cancelRequested", { order: result.orderName, amount: formatMoney(result.expectedRefund, result.currency, language) });
    }
    default: {
      const result = data as AddressChangeOutcome;
      return result.status === AWAITING_STORE ? p("addressRequested", { order: result.orderName, address: result.requestedAddress }) : p("addressPending", { order: result.orderName });
    }
  }
}

/** A tool's refusal, phrased for the shopper from its reason code (never the tool's English message). */
function refusal(
  outcome: Extract<ToolOutcome, { ok: false }>,
  flow: Flow,
  orderName: string,
  input: FlowInput,
  p: Phrase,
  draft: (fields: Partial<ReplyDraft> & { text: string }) => ReplyDraft,
): ReplyDraft {
  const { ctx, language } = input;
  const quick = quickReplies(p);
  const memory: DialogueState = { focusOrderName: orderName };
  const reason = outcome.data?.reason as string | undefined;
  switch (outcome.code) {
    case "needs_staff":
      return draft({ text: "", escalate: { reason: "policy", detail: outcome.message }, memory });
    case "already_done":
      return draft({ text: flow.kind === "cancel" ? p("cancelAlready", { order: orderName }) : outcome.data?.returnRequestId ? p("returnAlreadyOpen", { order: orderName }) : p("returnNothingLeft", { order: orderName }), memory });
    case "not_found":
      return draft({ text: p("returnItemNotOnOrder", { order: orderName }), memory: { focusOrderName: orderName, flow: { ...flow, items: undefined }, pending: "items" }, quickReplies: (flow.choices ?? []).slice(0, 4).map((choice) => choice.title) });
    default: {
      const windowEndsAt = outcome.data?.windowEndsAt as string | undefined;
      const why: Record<string, string> = {
        cancelled: p("whyCancelled", { order: orderName }),
        not_delivered: p("whyNotDelivered", { order: orderName }),
        window_closed: p("whyWindowClosed", { order: orderName, days: String(ctx.profile.settings.returnWindowDays), date: formatDate(windowEndsAt, ctx, language) }),
        condition: p("whyUsed"),
        non_returnable: p("whyNonReturnable"),
        fulfilled: flow.kind === "cancel" ? p("whyShippedCancel", { order: orderName }) : p("whyShippedAddress", { order: orderName }),
        cancel_window: p("whyCancelWindow", { order: orderName, window: durationText(Number(outcome.data?.cancelWindowMinutes ?? 0), p) }),
      };
      const text = (reason && why[reason]) || p("whyNotAllowed", { order: orderName });
      return draft({ text: `${p("sorryCant")} ${text}`, memory, quickReplies: flow.kind === "cancel" ? [quick.track, quick.human] : [quick.human], answered: true });
    }
  }
}

function durationText(minutes: number, p: Phrase): string {
  return minutes % 60 === 0 ? p("hoursCount", { count: String(minutes / 60) }) : p("minutesCount", { count: String(minutes) });
}

/** An order's status, or only the detail a follow-up asked for (without repeating the whole paragraph). */
function describeStatus(order: OrderView, flow: Flow, input: FlowInput, p: Phrase): { text: string; orderCard?: OrderView; quickReplies: string[] } {
  const { ctx, language } = input;
  const quick = quickReplies(p);
  const shipment = order.shipments.find((candidate) => candidate.status !== "delivered") ?? order.shipments[0];
  if (flow.aspect && shipment && order.status !== "cancelled") {
    if (flow.aspect === "eta") {
      if (shipment.status === "delivered") return { text: p("shipmentDelivered", { order: order.name, carrier: carrierName(shipment.carrier, language), tracking: shipment.trackingNumber ?? "—", date: formatDate(shipment.deliveredAt, ctx, language) }), quickReplies: [] };
      return { text: shipment.estimatedDeliveryAt ? p("etaOnly", { order: order.name, date: formatDate(shipment.estimatedDeliveryAt, ctx, language) }) : p("etaUnknown", { order: order.name }), quickReplies: [] };
    }
    const tracking = p("trackingOnly", { order: order.name, tracking: shipment.trackingNumber ?? "—", carrier: carrierName(shipment.carrier, language) });
    return { text: shipment.trackingUrl ? `${tracking} ${p("trackLink", { url: shipment.trackingUrl })}` : tracking, quickReplies: [] };
  }
  if (flow.aspect && !shipment && order.status !== "cancelled") return { text: p("orderPreparing", { order: order.name, placed: formatDate(order.placedAt, ctx, language) }), quickReplies: [] };
  return { text: describeOrder(order, ctx, language), orderCard: order, quickReplies: [quick.ret, quick.human] };
}
