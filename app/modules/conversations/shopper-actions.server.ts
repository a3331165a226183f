import type { PrismaClient } from "@prisma/client";
import { handoffMessage, loadAssistantProfile, readDialogueState, verifyOrderForConversation } from "~/modules/assistant";
import { startWaiting } from "~/modules/routing";
import { addMessage, ConversationError, getConversation, toPublicMessage } from "./conversations.server";
import { type PublicMessage, publishConversationEvent } from "./events.server";
import { escalationFields } from "./escalation";
import { routeNewHandoff } from "./turn.server";

/** What the storefront widget's buttons and forms do besides sending a message. */

export type VerifyResult = { verified: true; message: PublicMessage } | { verified: false; locked: boolean; error: string };

/** The order-verification form: on success the assistant answers with the order's status and card. */
export async function verifyOrder(db: PrismaClient, input: { shopId: string; conversationId: string; orderNumber: string; email: string; now?: Date }): Promise<VerifyResult> {
  const now = input.now ?? new Date();
  const conversation = await getConversation(db, input.shopId, input.conversationId);
  const profile = await loadAssistantProfile(db, input.shopId);
  // The form may answer a request the assistant was collecting details for (a return, a cancellation…).
  const lastAssistant = await db.message.findFirst({
    where: { shopId: input.shopId, conversationId: conversation.id, author: "assistant", visibility: "public" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { metadata: true },
  });
  const state = readDialogueState((lastAssistant?.metadata as { memory?: unknown } | null)?.memory);
  const outcome = await verifyOrderForConversation(db, profile, conversation, { orderNumber: input.orderNumber, email: input.email, state }, now);
  if (!outcome.ok) return { verified: false, locked: outcome.code === "verification_locked", error: outcome.text };
  const message = await addMessage(db, {
    shopId: input.shopId,
    conversationId: conversation.id,
    author: "assistant",
    body: outcome.text,
    createdAt: now,
    metadata: JSON.parse(
      JSON.stringify({ ...(outcome.showCard ? { orderCard: outcome.order } : {}), memory: outcome.memory, quickReplies: outcome.quickReplies, provider: "offline" }),
    ),
  });
  await db.conversation.update({ where: { id: conversation.id }, data: { lastMessageAt: now, firstResponseAt: conversation.firstResponseAt ?? now } });
  const publicMessage = toPublicMessage(message);
  await publishConversationEvent(input.shopId, conversation.id, { type: "message", message: publicMessage });
  return { verified: true, message: publicMessage };
}

/** "Talk to a person", available at any time: hands off with a summary and tells the shopper what happens next. */
export async function requestHandoff(db: PrismaClient, input: { shopId: string; conversationId: string; now?: Date }) {
  const now = input.now ?? new Date();
  const conversation = await getConversation(db, input.shopId, input.conversationId);
  if (conversation.status === "closed") throw new ConversationError("this conversation is closed; start a new one", 409);
  const profile = await loadAssistantProfile(db, input.shopId);
  const alreadyEscalated = conversation.escalatedAt !== null || conversation.handledByHuman;
  const recent = await db.message.findMany({
    where: { conversationId: conversation.id, shopId: input.shopId, author: "shopper" },
    orderBy: { createdAt: "desc" },
    take: 4,
    select: { body: true },
  });
  const message = await db.$transaction(async (tx) => {
    const created = await addMessage(tx, {
      shopId: input.shopId,
      conversationId: conversation.id,
      author: "assistant",
      body: handoffMessage(profile, conversation.language, now, { alreadyEscalated }),
      createdAt: now,
      metadata: { handoff: { reason: "requested" } },
    });
    await tx.conversation.update({
      where: { id: conversation.id },
      data: {
        status: "waiting_on_staff",
        lastMessageAt: now,
        ...(alreadyEscalated
          ? {}
          : escalationFields({
              reason: "requested",
              detail: "the shopper pressed “Talk to a person”",
              intent: conversation.lastIntent ?? "other",
              text: recent[0]?.body ?? "(no message yet)",
              sentiment: conversation.sentiment ?? 0,
              frustration: 0,
              history: recent
                .slice(1)
                .reverse()
                .map((row) => row.body),
              now,
            })),
      },
    });
    return created;
  });
  const publicMessage = toPublicMessage(message);
  await publishConversationEvent(input.shopId, conversation.id, { type: "message", message: publicMessage });
  if (!alreadyEscalated) {
    await publishConversationEvent(input.shopId, conversation.id, { type: "handoff", reason: "requested", status: "waiting_on_staff" });
    await routeNewHandoff(db, { shopId: input.shopId, conversationId: conversation.id, now, signals: { reason: "requested", intent: conversation.lastIntent ?? undefined } });
  } else {
    // Asked again while a person has it: they owe the shopper an answer.
    await startWaiting(db, { shopId: input.shopId, conversationId: conversation.id, now });
  }
  return { message: publicMessage, status: "waiting_on_staff" as const };
}
