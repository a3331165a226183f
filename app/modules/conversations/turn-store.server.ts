import type { Conversation, Message, Prisma } from "@prisma/client";
import { reviveRow } from "~/lib/db/model-rows.server";
import { getPool, prepared } from "~/lib/db/pool.server";
import { previewOf } from "~/lib/text";
import { ConversationError } from "./conversations.server";
import type { escalationFields } from "./escalation";

/** The SQL of a shopper turn: read the conversation, store the shopper's message, store the assistant's reply. */

/** How many earlier public messages a turn reads (the assistant's history and the dialogue state). */
const HISTORY_MESSAGES = 20;

/**
 * The conversation and its last public messages (oldest first), in one prepared statement on the pg pool: every
 * shopper message waits on this read, and Prisma's client spends about 5 ms of CPU on the two queries it takes
 * there, against well under one here. pg gives the conversation's columns the types Prisma gives them.
 */
const READ_TURN_CONTEXT = `
  SELECT c.*, COALESCE((
    SELECT json_agg(json_build_object('author', m."author", 'body', m."body", 'metadata', m."metadata") ORDER BY m."createdAt")
    FROM (SELECT "author", "body", "metadata", "createdAt" FROM "Message"
          WHERE "conversationId" = c."id" AND "shopId" = c."shopId" AND "visibility" = 'public'
          ORDER BY "createdAt" DESC LIMIT ${HISTORY_MESSAGES}) m
  ), '[]'::json) AS "history"
  FROM "Conversation" c
  WHERE c."id" = $1 AND c."shopId" = $2`;

type TurnHistoryMessage = Pick<Message, "author" | "body" | "metadata">;

export async function readTurnContext(shopId: string, conversationId: string): Promise<{ conversation: Conversation; previous: TurnHistoryMessage[] }> {
  const { rows } = await getPool().query<Conversation & { history: TurnHistoryMessage[] }>(prepared(READ_TURN_CONTEXT, [conversationId, shopId]));
  const row = rows[0];
  if (!row) throw new ConversationError("conversation not found", 404);
  const { history, ...conversation } = row;
  return { conversation: reviveRow<Conversation>("Conversation", conversation), previous: history };
}

/**
 * Stores the shopper's message, with what the assistant understood of it, and what it changes on the conversation
 * (last message and preview, subject, a resolved conversation reopened, one a person owns waiting on them, a
 * snooze ended) in one statement on the pg pool: one round trip, atomic, and no Prisma compile while the
 * assistant reads. The intent is written here rather than by the reply: an UPDATE of the message would recompute
 * its search text and fire the inbox search trigger between the model's last token and the reply.
 */
const STORE_SHOPPER_MESSAGE = `
  WITH message AS (
    INSERT INTO "Message" ("id", "shopId", "conversationId", "author", "visibility", "body", "metadata", "intent", "confidence", "createdAt")
    VALUES ($1, $2, $3, 'shopper', 'public', $4, '{}'::jsonb, $8, $9, $5)
    RETURNING "id", "shopId", "conversationId", "author", "visibility", "staffId", "body", "metadata", "intent", "confidence", "sentiment", "createdAt"
  ), conversation AS (
    UPDATE "Conversation" SET
      "lastMessageAt" = $5, "lastMessagePreview" = $6, "lastMessageAuthor" = 'shopper', "subject" = COALESCE("subject", $7),
      "status" = CASE WHEN "handledByHuman" THEN 'waiting_on_staff'::"ConversationStatus" WHEN "status" = 'resolved' THEN 'open'::"ConversationStatus" ELSE "status" END,
      "resolvedAt" = CASE WHEN "status" = 'resolved' THEN NULL ELSE "resolvedAt" END,
      "snoozedUntil" = NULL, "updatedAt" = now()
    WHERE "id" = $3 AND "shopId" = $2
  )
  SELECT * FROM message`;

/** What the assistant understood of a shopper message: stored with it (none when a person handles the conversation). */
export interface ShopperMessageUnderstanding {
  intent: string;
  confidence: number;
}

export async function storeShopperMessage(conversation: Conversation, text: string, now: Date, understanding?: ShopperMessageUnderstanding): Promise<Message> {
  const values = [crypto.randomUUID(), conversation.shopId, conversation.id, text, now, previewOf(text), text.slice(0, 120), understanding?.intent ?? null, understanding?.confidence ?? null];
  const { rows } = await getPool().query<Message>(prepared(STORE_SHOPPER_MESSAGE, values));
  return reviveRow<Message>("Message", rows[0]!);
}


/**
 * Stores the assistant's reply and everything it changes in ONE statement: the reply, the conversation's state
 * (and a new handoff's fields), and the fallback note in the action log.
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
  ), conversation AS (
    UPDATE "Conversation" SET
      "lastIntent" = $6, "sentiment" = $9, "language" = $10, "lastMessageAt" = $8, "lastMessagePreview" = $11, "lastMessageAuthor" = 'assistant',
      "firstResponseAt" = COALESCE("firstResponseAt", $8), "status" = $12::"ConversationStatus", "updatedAt" = now(),
      "escalatedAt" = CASE WHEN $13::boolean THEN $14::timestamptz ELSE "escalatedAt" END,
      "escalationReason" = CASE WHEN $13 THEN $15::text ELSE "escalationReason" END,
      "priority" = CASE WHEN $13 THEN $16::"Priority" ELSE "priority" END,
      "summary" = CASE WHEN $13 THEN $17::text ELSE "summary" END
    WHERE "id" = $3 AND "shopId" = $2
  ), fallback AS (
    INSERT INTO "ActionLog" ("id", "shopId", "conversationId", "actor", "action", "targetType", "targetId", "reason", "idempotencyKey", "result")
    SELECT $18, $2, $3, 'assistant', 'assistant.llm_fallback', 'message', $1, $19::text, 'llm-fallback:' || $1, '{"provider":"offline"}'::jsonb
    WHERE $19::text IS NOT NULL
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
