import type { PrismaClient } from "@prisma/client";
import type { DialogueState } from "./dialogue/state";
import { continueFlow, describeOrder } from "./responder/offline.server";
import { hasPhrases, type PhraseLanguage, phrase } from "./responder/phrases";
import type { AssistantProfile } from "./settings.server";
import { accessOrder, type OrderView, toOrderView } from "./tools/orders.server";

/**
 * The storefront's order-verification form: order number + checkout email, checked exactly like the
 * assistant's own lookups (same lockouts, same indistinguishable refusal). When the form answers a flow the
 * assistant started (a return, a cancellation…), the flow carries on with the verified order; otherwise the
 * answer is the order's status.
 */
export type VerifyOutcome =
  | { ok: true; order: OrderView; text: string; memory: DialogueState; quickReplies: string[]; showCard: boolean }
  | { ok: false; code: "verification_failed" | "verification_locked" | "invalid"; text: string };

export async function verifyOrderForConversation(
  db: PrismaClient,
  profile: AssistantProfile,
  conversation: { id: string; customerId: string | null; verifiedOrderIds: string[]; language: string },
  input: { orderNumber: string; email: string; state?: DialogueState },
  now: Date,
): Promise<VerifyOutcome> {
  const language: PhraseLanguage = hasPhrases(conversation.language) ? conversation.language : "en";
  const ctx = { db, profile, conversation: { id: conversation.id, customerId: conversation.customerId, verifiedOrderIds: [...conversation.verifiedOrderIds] }, actor: "shopper", now };
  const access = await accessOrder(ctx, { orderNumber: input.orderNumber, email: input.email });
  if (access.ok) {
    const order = toOrderView(access.data);
    const flow = input.state?.flow;
    // A disputed order's flow is not carried on here (the form cannot hand off): the shopper sees its status, and
    // asking again in the chat hands them to a person.
    if (flow && flow.kind !== "status" && !order.paymentDispute) {
      const draft = await continueFlow({ ctx: { ...ctx, actor: "assistant" }, language, state: input.state ?? {} }, { ...flow, orderName: order.name, email: undefined });
      return { ok: true, order, text: draft.text, memory: draft.memory, quickReplies: draft.quickReplies, showCard: false };
    }
    return { ok: true, order, text: describeOrder(order, ctx, language), memory: { focusOrderName: order.name }, quickReplies: [], showCard: true };
  }
  if (access.code === "verification_locked") return { ok: false, code: "verification_locked", text: phrase(language, "verificationLocked") };
  if (access.code === "verification_failed") return { ok: false, code: "verification_failed", text: phrase(language, "verificationFailed") };
  return { ok: false, code: "invalid", text: phrase(language, "askVerification") };
}
