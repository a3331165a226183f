import type { Message, Prisma } from "@prisma/client";
import { reviveRow } from "~/lib/db/model-rows.server";
import { getPool, prepared } from "~/lib/db/pool.server";
import { previewOf } from "~/lib/text";
import type { escalationFields } from "./escalation";

/**
 * Stores the assistant's reply and everything it changes in ONE statement: the reply, the shopper message's
 * intent, the conversation's state (and a new handoff's fields), and the fallback note in the action log.
 * It runs between the model's last token and the reply reaching the shopper, where an interactive
 * transaction cost six round trips; data-modifying CTEs are one, and just as atomic. One text for every case
 * (the handoff fields and the fallback note are switched by parameters), prepared once per connection on the pg
 * pool: through Prisma's $queryRaw the call cost about 5 ms of CPU.
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

const STORE_ASSISTANT_REPLY = `
  WITH reply AS (
    INSERT INTO "Message" ("id", "shopId", "conversationId", "author", "visibility", "body", "metadata", "intent", "confidence", "createdAt")
    VALUES ($1, $2, $3, 'assistant', 'public', $4, $5::jsonb, $6, $7, $8)
    RETURNING "id", "shopId", "conversationId", "author", "visibility", "staffId", "body", "metadata", "intent", "confidence", "sentiment", "createdAt"
  ), shopper AS (
    UPDATE "Message" SET "intent" = $6, "confidence" = $7
    WHERE "id" = $9 AND "shopId" = $2
  ), conversation AS (
    UPDATE "Conversation" SET
      "lastIntent" = $6, "sentiment" = $10, "language" = $11, "lastMessageAt" = $8, "lastMessagePreview" = $12, "lastMessageAuthor" = 'assistant',
      "firstResponseAt" = COALESCE("firstResponseAt", $8), "status" = $13::"ConversationStatus", "updatedAt" = now(),
      "escalatedAt" = CASE WHEN $14::boolean THEN $15::timestamptz ELSE "escalatedAt" END,
      "escalationReason" = CASE WHEN $14 THEN $16::text ELSE "escalationReason" END,
      "priority" = CASE WHEN $14 THEN $17::"Priority" ELSE "priority" END,
      "summary" = CASE WHEN $14 THEN $18::text ELSE "summary" END
    WHERE "id" = $3 AND "shopId" = $2
  ), fallback AS (
    INSERT INTO "ActionLog" ("id", "shopId", "conversationId", "actor", "action", "targetType", "targetId", "reason", "idempotencyKey", "result")
    SELECT $19, $2, $3, 'assistant', 'assistant.llm_fallback', 'message', $1, $20::text, 'llm-fallback:' || $1, '{"provider":"offline"}'::jsonb
    WHERE $20::text IS NOT NULL
    ON CONFLICT DO NOTHING
  )
  SELECT * FROM reply`;

export async function storeAssistantReply(record: AssistantReplyRecord): Promise<Message> {
  const escalation = record.conversation.escalation;
  const { rows } = await getPool().query<Message>(
    prepared(STORE_ASSISTANT_REPLY, [
      record.id,
      record.shopId,
      record.conversationId,
      record.body,
      JSON.stringify(record.metadata),
      record.intent,
      record.confidence,
      record.createdAt,
      record.shopperMessageId,
      record.conversation.sentiment,
      record.conversation.language,
      previewOf(record.body),
      record.conversation.status,
      escalation !== undefined,
      escalation?.escalatedAt ?? null,
      escalation?.escalationReason ?? null,
      escalation?.priority ?? null,
      escalation?.summary ?? null,
      crypto.randomUUID(),
      record.fallbackNote?.slice(0, 500) ?? null,
    ]),
  );
  const reply = rows[0];
  if (!reply) throw new Error(`storing the reply in ${record.conversationId} returned nothing`);
  return reviveRow<Message>("Message", reply);
}
