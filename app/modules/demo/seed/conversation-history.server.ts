import { getPool } from "~/lib/db/pool.server";
import { previewOf } from "~/lib/text";
import { refreshRollups } from "~/modules/analytics";
import { buildConversationHistory, type HistoryContext, type HistoryConversation } from "./conversation-history";
import type { GenCustomer } from "./model";
import { sha256, stableId } from "./stable-id";

/**
 * Writes the demo's 90 days of past conversations (./conversation-history.ts) in a few statements (arrays unnested
 * in SQL), then computes the shop's daily analytics rollups, so the dashboard reads them from the first visit.
 *
 * Idempotent like the rest of the seed: ids come from the shop id and the conversation's index; a conversation
 * already stored with its messages is kept as it is (a rerun on a later day changes nothing), one an interrupted
 * run left without messages is written again.
 */

export interface HistoryRefs {
  customerId: (customer: GenCustomer) => string | null;
  staffIds: Map<string, string>;
}

const chunks = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));

export async function seedConversationHistory(shopId: string, context: HistoryContext, refs: HistoryRefs): Promise<number> {
  const history = buildConversationHistory(context);
  const idOf = (conversation: HistoryConversation) => stableId(shopId, `history:${conversation.index}`);
  const ids = history.map(idOf);
  const pool = getPool();

  // Conversations an interrupted run left without messages are written again.
  await pool.query(
    `DELETE FROM "Conversation" c WHERE c."shopId" = $1 AND c."id" = ANY($2::text[]) AND NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = c."id")`,
    [shopId, ids],
  );
  const inserted = new Set<string>();
  for (const batch of chunks(history, 500)) {
    const rows = batch.map((conversation) => {
      const first = conversation.messages[0]!;
      const last = conversation.messages.at(-1)!;
      const firstResponse = conversation.messages.find((message) => message.author !== "shopper");
      return {
        id: idOf(conversation),
        customerId: conversation.customer ? refs.customerId(conversation.customer) : null,
        assigneeId: conversation.assigneeEmail ? (refs.staffIds.get(conversation.assigneeEmail) ?? null) : null,
        status: conversation.status,
        priority: conversation.priority,
        handledByHuman: conversation.handledByHuman,
        subject: first.body.slice(0, 120),
        language: conversation.language,
        tokenHash: sha256(`${shopId}:demo-history:${conversation.index}`),
        shopperEmail: conversation.shopperEmail,
        shopperName: conversation.shopperName,
        lastIntent: conversation.intent,
        sentiment: conversation.sentiment,
        escalatedAt: conversation.escalatedAt === null ? null : new Date(conversation.escalatedAt),
        escalationReason: conversation.escalationReason,
        firstResponseAt: firstResponse ? new Date(firstResponse.at) : null,
        lastMessageAt: new Date(last.at),
        lastMessagePreview: previewOf(last.body),
        lastMessageAuthor: last.author,
        resolvedAt: conversation.resolvedAt === null ? null : new Date(Math.min(Math.max(conversation.resolvedAt, last.at), context.now)),
        csatScore: conversation.csatScore,
        csatComment: conversation.csatComment,
        createdAt: new Date(first.at),
      };
    });
    const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);
    const result = await pool.query<{ id: string }>(
      `INSERT INTO "Conversation" ("id", "shopId", "customerId", "assigneeId", "channel", "status", "priority", "handledByHuman", "subject", "language", "tokenHash",
         "shopperEmail", "shopperName", "lastIntent", "sentiment", "escalatedAt", "escalationReason", "firstResponseAt", "lastMessageAt", "lastMessagePreview",
         "lastMessageAuthor", "resolvedAt", "csatScore", "csatComment", "createdAt", "updatedAt")
       SELECT r."id", $1, r."customerId", r."assigneeId", 'web_chat', r."status"::"ConversationStatus", r."priority"::"Priority", r."handledByHuman", r."subject",
         r."language", r."tokenHash", r."shopperEmail", r."shopperName", r."lastIntent", r."sentiment", r."escalatedAt", r."escalationReason", r."firstResponseAt",
         r."lastMessageAt", r."lastMessagePreview", r."lastMessageAuthor"::"MessageAuthor", r."resolvedAt", r."csatScore", r."csatComment", r."createdAt", r."lastMessageAt"
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
         $13::text[], $14::float8[], $15::timestamptz[], $16::text[], $17::timestamptz[], $18::timestamptz[], $19::text[], $20::text[], $21::timestamptz[],
         $22::int[], $23::text[], $24::timestamptz[])
         AS r("id", "customerId", "assigneeId", "status", "priority", "handledByHuman", "subject", "language", "tokenHash", "shopperEmail", "shopperName",
           "lastIntent", "sentiment", "escalatedAt", "escalationReason", "firstResponseAt", "lastMessageAt", "lastMessagePreview", "lastMessageAuthor", "resolvedAt",
           "csatScore", "csatComment", "createdAt")
       ON CONFLICT DO NOTHING
       RETURNING "id"`,
      [
        shopId,
        column("id"),
        column("customerId"),
        column("assigneeId"),
        column("status"),
        column("priority"),
        column("handledByHuman"),
        column("subject"),
        column("language"),
        column("tokenHash"),
        column("shopperEmail"),
        column("shopperName"),
        column("lastIntent"),
        column("sentiment"),
        column("escalatedAt"),
        column("escalationReason"),
        column("firstResponseAt"),
        column("lastMessageAt"),
        column("lastMessagePreview"),
        column("lastMessageAuthor"),
        column("resolvedAt"),
        column("csatScore"),
        column("csatComment"),
        column("createdAt"),
      ],
    );
    for (const row of result.rows) inserted.add(row.id);
  }

  const messages = history
    .filter((conversation) => inserted.has(idOf(conversation)))
    .flatMap((conversation) =>
      conversation.messages.map((message, position) => ({
        id: stableId(shopId, `history:${conversation.index}:message:${position}`),
        conversationId: idOf(conversation),
        author: message.author,
        staffId: message.staffEmail ? (refs.staffIds.get(message.staffEmail) ?? null) : null,
        body: message.body,
        intent: message.intent ?? null,
        metadata: JSON.stringify(message.metadata ?? {}),
        createdAt: new Date(message.at),
      })),
    );
  for (const batch of chunks(messages, 2_000)) {
    await pool.query(
      `INSERT INTO "Message" ("id", "shopId", "conversationId", "author", "visibility", "staffId", "body", "intent", "metadata", "createdAt")
       SELECT r."id", $1, r."conversationId", r."author"::"MessageAuthor", 'public', r."staffId", r."body", r."intent", r."metadata"::jsonb, r."createdAt"
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[]) AS r("id", "conversationId", "author", "staffId", "body", "intent", "metadata", "createdAt")
       ON CONFLICT DO NOTHING`,
      [
        shopId,
        batch.map((message) => message.id),
        batch.map((message) => message.conversationId),
        batch.map((message) => message.author),
        batch.map((message) => message.staffId),
        batch.map((message) => message.body),
        batch.map((message) => message.intent),
        batch.map((message) => message.metadata),
        batch.map((message) => message.createdAt),
      ],
    );
  }

  // The dashboard reads closed days from rollups: compute them now rather than on the first visit.
  await refreshRollups(pool, { shopId });
  return history.length;
}
