import { type Message, Prisma, type PrismaClient } from "@prisma/client";
import { previewOf } from "~/lib/text";
import type { escalationFields } from "./escalation";

/**
 * Stores the assistant's reply and everything it changes in ONE statement: the reply, the shopper message's
 * intent, the conversation's state (and a new handoff's fields), and the fallback note in the action log.
 * It runs between the model's last token and the reply reaching the shopper, where an interactive
 * transaction cost six round trips; data-modifying CTEs are one, and just as atomic.
 */
export interface AssistantReplyRecord {
  id: string;
  shopId: string;
  conversationId: string;
  body: string;
  metadata: Prisma.InputJsonValue;
  intent: string;
  confidence: number;
  createdAt: Date;
  /** The shopper message this reply answers: it takes the same intent. */
  shopperMessageId: string;
  conversation: {
    sentiment: number;
    language: string;
    status: "waiting_on_staff" | "waiting_on_shopper";
    /** Set only when the turn hands off for the first time. */
    escalation?: ReturnType<typeof escalationFields>;
  };
  /** Why the chat model's answer was not used (logged in the action log). */
  fallbackNote?: string;
}

export async function storeAssistantReply(db: PrismaClient, record: AssistantReplyRecord): Promise<Message> {
  const escalation = record.conversation.escalation;
  const escalationSet = escalation
    ? Prisma.sql`, "escalatedAt" = ${escalation.escalatedAt}, "escalationReason" = ${escalation.escalationReason},
        "priority" = ${escalation.priority}::"Priority", "summary" = ${escalation.summary}`
    : Prisma.empty;
  const fallback = record.fallbackNote
    ? Prisma.sql`, fallback AS (
        INSERT INTO "ActionLog" ("id", "shopId", "conversationId", "actor", "action", "targetType", "targetId", "reason", "idempotencyKey", "result")
        VALUES (${crypto.randomUUID()}, ${record.shopId}, ${record.conversationId}, 'assistant', 'assistant.llm_fallback', 'message', ${record.id},
                ${record.fallbackNote.slice(0, 500)}, ${`llm-fallback:${record.id}`}, '{"provider":"offline"}'::jsonb)
        ON CONFLICT DO NOTHING)`
    : Prisma.empty;
  const rows = await db.$queryRaw<Message[]>`
    WITH reply AS (
      INSERT INTO "Message" ("id", "shopId", "conversationId", "author", "visibility", "body", "metadata", "intent", "confidence", "createdAt")
      VALUES (${record.id}, ${record.shopId}, ${record.conversationId}, 'assistant', 'public', ${record.body},
              ${JSON.stringify(record.metadata)}::jsonb, ${record.intent}, ${record.confidence}, ${record.createdAt})
      RETURNING "id", "shopId", "conversationId", "author", "visibility", "staffId", "body", "metadata", "intent", "confidence", "sentiment", "createdAt"
    ), shopper AS (
      UPDATE "Message" SET "intent" = ${record.intent}, "confidence" = ${record.confidence}
      WHERE "id" = ${record.shopperMessageId} AND "shopId" = ${record.shopId}
    ), conversation AS (
      UPDATE "Conversation" SET
        "lastIntent" = ${record.intent}, "sentiment" = ${record.conversation.sentiment}, "language" = ${record.conversation.language},
        "lastMessageAt" = ${record.createdAt}, "lastMessagePreview" = ${previewOf(record.body)}, "lastMessageAuthor" = 'assistant',
        "firstResponseAt" = COALESCE("firstResponseAt", ${record.createdAt}), "status" = ${record.conversation.status}::"ConversationStatus",
        "updatedAt" = now() ${escalationSet}
      WHERE "id" = ${record.conversationId} AND "shopId" = ${record.shopId}
    ) ${fallback}
    SELECT * FROM reply`;
  const reply = rows[0];
  if (!reply) throw new Error(`storing the reply in ${record.conversationId} returned nothing`);
  return reply;
}
