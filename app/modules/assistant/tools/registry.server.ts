import { z } from "zod";
import type { ToolCallRecord, ToolCallRequest, ToolSpec } from "../llm/types";
import { yesNo } from "../dialogue/acts";
import { cancelOrder, changeShippingAddress, type ItemCondition, orderStatus, requestReturn } from "./actions.server";
import type { PreviewedAction } from "../dialogue/state";
import type { ToolContext, ToolOutcome } from "./context";
import { accessOrder, hasPaymentDispute, paymentDisputeRefusal } from "./orders.server";

/**
 * The tools a chat model may call. Arguments are validated here (zod), so a model's malformed or hostile
 * arguments end as an error the model can read, never as an action.
 */

const orderRef = {
  order_number: z.string().trim().max(40).optional().describe("The order number as the shopper gave it, e.g. #1042"),
  email: z.string().trim().email().max(254).optional().describe("Email address the shopper says they used at checkout"),
};

const confirmed = z
  .boolean()
  .optional()
  .describe("true only when you have shown the shopper what will happen (items, amount, address) and their latest message says yes; otherwise omit it to get that preview");

const TOOL_ARGS = {
  lookup_order: z.object(orderRef).strict(),
  track_shipment: z.object(orderRef).strict(),
  refund_status: z.object(orderRef).strict(),
  request_return: z
    .object({
      ...orderRef,
      reason: z.string().trim().min(1).max(500),
      condition: z.enum(["unused", "used", "damaged", "wrong_item"]).describe("Condition of the items as the shopper described it"),
      items: z
        .array(z.object({ item: z.string().trim().min(1).max(200).describe("Item title as on the order"), quantity: z.number().int().min(1).max(100).optional() }).strict())
        .max(50)
        .optional()
        .describe("Which items; omit to return everything returnable"),
      confirmed,
    })
    .strict(),
  cancel_order: z.object({ ...orderRef, reason: z.string().trim().min(1).max(500), confirmed }).strict(),
  change_shipping_address: z.object({ ...orderRef, new_address: z.string().trim().min(5).max(500), confirmed }).strict(),
  escalate_to_human: z.object({ reason: z.string().trim().min(1).max(500) }).strict(),
  note_unanswered_question: z.object({}).strict(),
};

export type ToolName = keyof typeof TOOL_ARGS;

const DESCRIPTIONS: Record<ToolName, string> = {
  lookup_order: "Status, items, shipments and refunds of one of the shopper's orders. Needs the order number and checkout email unless the order is already verified or the shopper is logged in.",
  track_shipment: "Carrier, tracking number, tracking link, latest carrier event and expected delivery of an order's shipments.",
  refund_status: "Refunds and return requests of an order and where each one stands.",
  request_return: "Start a return/refund request. The shop's policy (return window, item conditions, auto-approval limit) is enforced by the tool; above the limit it creates a request for staff approval.",
  cancel_order: "Cancel an order that has not shipped yet, if the shop allows it.",
  change_shipping_address: "Request a new shipping address for an order that has not shipped yet.",
  escalate_to_human: "Hand the conversation to a person on the support team.",
  note_unanswered_question:
    "Call this when the reference passages and tool results do not answer the shopper's question, before you say you don't know. It records the question for the store's help center; nothing changes for the shopper.",
};

export const TOOL_SPECS: ToolSpec[] = (Object.keys(TOOL_ARGS) as ToolName[]).map((name) => {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(TOOL_ARGS[name]) as Record<string, unknown>;
  return { name, description: DESCRIPTIONS[name], parameters };
});

export interface ToolRun {
  name: string;
  ok: boolean;
  outcome: ToolOutcome;
  /** Set by escalate_to_human: the pipeline hands off after the reply. */
  escalation?: { reason: string };
  /** Set on an action's preview: what was shown, to be matched by the confirmed call after the shopper's yes. */
  previewed?: PreviewedAction;
  /** Set by note_unanswered_question: the model found no answer in the knowledge (the reply is marked unanswered). */
  unanswered?: true;
}

/** An action's arguments without `confirmed`, keys sorted: the same request reads the same. */
export function canonicalActionArgs(data: Record<string, unknown>): string {
  const { confirmed: _confirmed, ...rest } = data;
  return JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))));
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "arguments"}: ${issue.message}` : "invalid arguments";
}

/** A disputed order's run: refused for the shopper and handed to a person after the reply. */
function disputeHandoff(name: string, order: { name: string }): ToolRun {
  const outcome = paymentDisputeRefusal(order);
  return { name, ok: false, outcome, escalation: { reason: outcome.message } };
}

/**
 * Before an order action or its preview: the order, proven the shopper's, is not disputed. Verification counts
 * once: a failure is answered here, and a success leaves the order verified for the action's own lookup.
 */
async function disputedOrVerified(ctx: ToolContext, name: string, ref: { orderNumber?: string; email?: string }): Promise<ToolRun | null> {
  const access = await accessOrder(ctx, ref);
  if (!access.ok) return { name, ok: false, outcome: access };
  return hasPaymentDispute(access.data) ? disputeHandoff(name, access.data) : null;
}

export async function runTool(ctx: ToolContext, name: string, rawArguments: unknown): Promise<ToolRun> {
  if (!(name in TOOL_ARGS)) return { name, ok: false, outcome: { ok: false, code: "invalid_arguments", message: `unknown tool ${name}` } };
  const schema = TOOL_ARGS[name as ToolName];
  const parsed = schema.safeParse(rawArguments);
  if (!parsed.success) return { name, ok: false, outcome: { ok: false, code: "invalid_arguments", message: `invalid arguments: ${firstIssue(parsed.error)}` } };
  const args = parsed.data as Record<string, unknown>;
  const ref = { orderNumber: args.order_number as string | undefined, email: args.email as string | undefined };
  if (ACTION_TOOLS.has(name)) {
    const stopped = await disputedOrVerified(ctx, name, ref);
    if (stopped) return stopped;
  }
  let outcome: ToolOutcome;
  switch (name as ToolName) {
    case "lookup_order":
    case "track_shipment":
    case "refund_status": {
      const view = await orderStatus(ctx, ref);
      if (view.ok && view.data.paymentDispute) return disputeHandoff(name, view.data);
      if (!view.ok || name === "lookup_order") outcome = view;
      else if (name === "track_shipment") outcome = { ok: true, data: { orderName: view.data.name, fulfillmentStatus: view.data.fulfillmentStatus, shipments: view.data.shipments } };
      else outcome = { ok: true, data: { orderName: view.data.name, financialStatus: view.data.financialStatus, refunds: view.data.refunds, returnRequests: view.data.returnRequests } };
      break;
    }
    case "request_return":
      outcome = await requestReturn(ctx, {
        ...ref,
        reason: args.reason as string,
        condition: args.condition as "unused",
        items: args.items as { item: string; quantity?: number }[] | undefined,
      });
      break;
    case "cancel_order":
      outcome = await cancelOrder(ctx, { ...ref, reason: args.reason as string });
      break;
    case "change_shipping_address":
      outcome = await changeShippingAddress(ctx, { ...ref, newAddress: args.new_address as string });
      break;
    case "escalate_to_human":
      return { name, ok: true, outcome: { ok: true, data: { handedOff: true } }, escalation: { reason: args.reason as string } };
    case "note_unanswered_question":
      return { name, ok: true, outcome: { ok: true, data: { noted: true } }, unanswered: true };
  }
  return { name, ok: outcome.ok, outcome };
}

/** Tools that change an order: a chat model gets a preview first, and acts only on the shopper's yes. */
const ACTION_TOOLS = new Set<string>(["request_return", "cancel_order", "change_shipping_address"]);

async function previewAction(ctx: ToolContext, name: string, args: Record<string, unknown>): Promise<ToolRun> {
  const ref = { orderNumber: args.order_number as string | undefined, email: args.email as string | undefined, preview: true };
  const stopped = await disputedOrVerified(ctx, name, ref);
  if (stopped) return stopped;
  const outcome =
    name === "request_return"
      ? await requestReturn(ctx, { ...ref, reason: args.reason as string, condition: args.condition as ItemCondition, items: args.items as { item: string; quantity?: number }[] | undefined })
      : name === "cancel_order"
        ? await cancelOrder(ctx, { ...ref, reason: args.reason as string })
        : await changeShippingAddress(ctx, { ...ref, newAddress: args.new_address as string });
  return { name, ok: outcome.ok, outcome };
}

function refused(name: string, message: string): ToolRun {
  return { name, ok: false, outcome: { ok: false, code: "invalid_arguments", message } };
}

/**
 * Adapts runTool to a chat model's tool call: raw JSON in, JSON text out, never throws on bad input.
 * `shopper.all` is everything the shopper wrote in the conversation: an email proves an order only if the
 * shopper typed it, so a model cannot verify an order with an address it got anywhere else. An action runs
 * only with `confirmed: true` and a yes as the shopper's latest message; before that the model gets what
 * would happen, to show the shopper and ask.
 */
export async function runToolCall(
  ctx: ToolContext,
  call: ToolCallRequest,
  shopper: { all: string; latest: string; previewed?: PreviewedAction },
  onRun?: (run: ToolRun) => void,
): Promise<string> {
  const shopperText = shopper.all;
  let args: unknown;
  try {
    args = call.argumentsJson.trim() === "" ? {} : JSON.parse(call.argumentsJson);
  } catch {
    const run = refused(call.name, "arguments are not valid JSON");
    onRun?.(run);
    return JSON.stringify({ error: "arguments are not valid JSON", code: "invalid_arguments" });
  }
  const email = args && typeof args === "object" ? (args as { email?: unknown }).email : undefined;
  if (typeof email === "string" && email.trim() && !shopperText.toLowerCase().includes(email.trim().toLowerCase())) {
    const message = "the email must be one the shopper wrote in this conversation; ask the shopper for it";
    onRun?.(refused(call.name, message));
    return JSON.stringify({ error: message, code: "invalid_arguments" });
  }
  if (ACTION_TOOLS.has(call.name) && args && typeof args === "object") {
    const parsed = TOOL_ARGS[call.name as ToolName].safeParse(args);
    if (!parsed.success) {
      const run = refused(call.name, `invalid arguments: ${firstIssue(parsed.error)}`);
      onRun?.(run);
      return JSON.stringify({ error: run.outcome.ok ? "" : run.outcome.message, code: "invalid_arguments" });
    }
    const data = parsed.data as Record<string, unknown>;
    const actionArgs = canonicalActionArgs(data);
    // The yes answers the preview the shopper saw: a confirmed call asking for anything else is previewed again.
    const agreed = shopper.previewed?.tool === call.name && shopper.previewed.args === actionArgs;
    if (data.confirmed !== true || yesNo(shopper.latest) !== "yes" || !agreed) {
      const preview = await previewAction(ctx, call.name, data);
      const changed = data.confirmed === true && yesNo(shopper.latest) === "yes" && !agreed;
      onRun?.(preview.outcome.ok ? { ...preview, previewed: { tool: call.name, args: actionArgs } } : preview);
      if (!preview.outcome.ok) return JSON.stringify({ error: preview.outcome.message, code: preview.outcome.code });
      return forModel({
        code: "needs_confirmation",
        preview: preview.outcome.data,
        instruction: changed
          ? "Nothing has been requested: this is not what the shopper agreed to (the items, order, reason or address differ from the preview they saw). Show this preview and ask again."
          : "Nothing has been requested. Tell the shopper exactly what would happen (items, amount, address) and ask whether to go ahead; call again with confirmed: true only after they say yes.",
      });
    }
  }
  const run = await runTool(ctx, call.name, args);
  onRun?.(run);
  return forModel(run.outcome.ok ? run.outcome.data : { error: run.outcome.message, code: run.outcome.code });
}

/**
 * lookup_order as a chat model would call it first for an order question, made by the pipeline before the model is
 * asked: the order by number, or a logged-in customer's latest. It never takes an email, so it changes nothing (no
 * verification, no failed attempt counted). Only a lookup the shopper may see is returned; anything else (not their
 * order, a disputed one) is left for the model's own call, where its refusal or handoff has its usual path.
 */
export async function lookupOrderForModel(ctx: ToolContext, orderName: string | undefined): Promise<{ record: ToolCallRecord; run: ToolRun } | undefined> {
  if (!orderName && !ctx.conversation.customerId) return undefined;
  const args = orderName ? { order_number: orderName } : {};
  const run = await runTool(ctx, "lookup_order", args);
  // A disputed order comes back refused (with its handoff), so only a lookup the shopper may see passes.
  if (!run.outcome.ok) return undefined;
  return { record: { id: `call_lookup_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`, name: "lookup_order", argumentsJson: JSON.stringify(args), result: forModel(run.outcome.data) }, run };
}

/** Tool data as the model reads it: the merchant's internal rule text (limits, review reasons) stays out. */
function forModel(data: unknown): string {
  return JSON.stringify(data, (key, value) => (key === "reviewReason" ? undefined : value));
}
