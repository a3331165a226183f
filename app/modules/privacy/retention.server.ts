import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import { getPool, withTransaction } from "~/lib/db/pool.server";
import { keepFiguresOfDeletedConversations, type Period, refreshRollups } from "~/modules/analytics";
import { enqueueJob } from "~/modules/jobs";
import { deleteExpiredExports } from "./exports.server";

/**
 * Privacy retention, an hourly job: raw webhook payloads older than the shop's retention period
 * (ShopSettings.webhookPayloadRetentionDays) are deleted, their event rows kept as idempotency keys; expired
 * data-request exports lose their content; conversations past the shop's conversation retention
 * (ShopSettings.conversationRetentionDays, null: kept) are deleted with what belongs to them.
 */

export const PRIVACY_RETENTION_JOB = "privacy.retention";
/** For deliveries without a shop (or a shop without settings); the column's default says the same. */
export const DEFAULT_WEBHOOK_PAYLOAD_RETENTION_DAYS = 30;

/** Days this shop keeps raw webhook payloads (its setting, else the default). */
export async function webhookPayloadRetentionDays(db: PrismaClient, shopId: string): Promise<number> {
  const settings = await db.shopSettings.findUnique({ where: { shopId }, select: { webhookPayloadRetentionDays: true } });
  return settings?.webhookPayloadRetentionDays ?? DEFAULT_WEBHOOK_PAYLOAD_RETENTION_DAYS;
}
export const PRIVACY_RETENTION_INTERVAL_MS = 60 * 60_000;
const BATCH = 1_000;

type Db = PrismaClient | Prisma.TransactionClient;

/** Nulls the payloads past retention, in batches so no statement holds many rows for long. */
export async function deleteExpiredWebhookPayloads(db: PrismaClient, now = new Date()): Promise<number> {
  let deleted = 0;
  for (;;) {
    // Walks the partial index of events that still hold a payload, oldest first.
    const count = await db.$executeRaw`
      UPDATE "WebhookEvent" SET "payload" = NULL, "payloadDeletedAt" = ${now}
      WHERE "id" IN (
        SELECT e."id" FROM "WebhookEvent" e
        LEFT JOIN "ShopSettings" s ON s."shopId" = e."shopId"
        WHERE e."payload" IS NOT NULL
          AND e."receivedAt" < ${now}::timestamptz - make_interval(days => GREATEST(COALESCE(s."webhookPayloadRetentionDays", ${DEFAULT_WEBHOOK_PAYLOAD_RETENTION_DAYS}::int), 1))
        ORDER BY e."receivedAt"
        LIMIT ${BATCH}
        FOR UPDATE OF e SKIP LOCKED)`;
    deleted += count;
    if (count < BATCH) return deleted;
  }
}

/**
 * Conversation retention. A conversation's last activity is the newest of: its start, any message in it (shopper,
 * assistant, staff, internal notes), any entry of the action log about it (an assignment, a status change, an
 * order action), its resolution, its handoff, and the end of its snooze. A conversation is deleted once its last
 * activity is more than the shop's N days old, unless it is still being worked: open, waiting on the shop's team,
 * or taken over by a person and not yet resolved or closed — those stay, whatever their age, until someone
 * resolves or closes them. (Waiting on the shopper after the assistant answered is not being worked.)
 *
 * What goes with it: its messages (and so their ratings and the inbox's search words), read and presence rows,
 * its action-log entries and notifications, live events, queued or finished jobs naming it or its messages,
 * conversations merged into it (closed shells whose messages moved into it), and its questions in the dashboard's
 * unanswered lists. Return requests and order actions are the orders' records: they stay, without the link.
 * The daily analytics rollups keep the deleted conversations' figures (counts, times, ratings; no text, no ids),
 * see app/modules/analytics/rollups.server.ts. Each run that deletes records it in the shop's action log.
 */
const CONVERSATION_BATCH = 200;

export interface ConversationRetentionRun {
  shopId: string;
  retentionDays: number;
  deleted: number;
}

/** One batch of a shop's expired conversations, deleted in one transaction; returns how many and their days. */
async function deleteConversationBatch(shopId: string, cutoff: Date, now: Date): Promise<{ deleted: number; days: Period | null }> {
  return withTransaction(
    async (tx) => {
      const expired = await tx.query<{ id: string }>(
        `SELECT c."id" FROM "Conversation" c
         WHERE c."shopId" = $1 AND c."status" IN ('resolved', 'closed', 'waiting_on_shopper')
           AND NOT (c."status" = 'waiting_on_shopper' AND c."handledByHuman")
           AND c."lastMessageAt" < $2
           AND GREATEST(c."createdAt", c."lastMessageAt", c."resolvedAt", c."escalatedAt", c."snoozedUntil") < $2
           AND NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = c."id" AND m."createdAt" >= $2)
           AND NOT EXISTS (SELECT 1 FROM "ActionLog" l WHERE l."conversationId" = c."id" AND l."createdAt" >= $2)
         ORDER BY c."lastMessageAt"
         LIMIT ${CONVERSATION_BATCH}
         FOR UPDATE OF c SKIP LOCKED`,
        [shopId, cutoff],
      );
      if (expired.rows.length === 0) return { deleted: 0, days: null };
      const shells = await tx.query<{ id: string }>(`SELECT "id" FROM "Conversation" WHERE "shopId" = $1 AND "mergedIntoId" = ANY($2::text[]) FOR UPDATE`, [
        shopId,
        expired.rows.map((row) => row.id),
      ]);
      const ids = [...new Set([...expired.rows, ...shells.rows].map((row) => row.id))];
      const days = await keepFiguresOfDeletedConversations(tx, { shopId, conversationIds: ids, now });
      await tx.query(
        `DELETE FROM "Job" WHERE "shopId" = $1 AND "status" <> 'running' AND ("payload"->>'conversationId' = ANY($2::text[])
           OR "payload"->>'messageId' IN (SELECT "id" FROM "Message" WHERE "shopId" = $1 AND "conversationId" = ANY($2::text[])))`,
        [shopId, ids],
      );
      await tx.query(
        `DELETE FROM "ActionLog" WHERE "shopId" = $1 AND "conversationId" = ANY($2::text[])`,
        [shopId, ids],
      );
      await tx.query(`DELETE FROM "Notification" WHERE "shopId" = $1 AND "conversationId" = ANY($2::text[])`, [shopId, ids]);
      await tx.query(`DELETE FROM "LiveEvent" WHERE "shopId" = $1 AND "conversationId" = ANY($2::text[])`, [shopId, ids]);
      await tx.query(`UPDATE "OrderAction" SET "conversationId" = NULL WHERE "shopId" = $1 AND "conversationId" = ANY($2::text[])`, [shopId, ids]);
      // Messages, ConversationRead, StaffPresence and ConversationSearch go by cascade; ReturnRequest keeps its row.
      const deleted = await tx.query(`DELETE FROM "Conversation" WHERE "shopId" = $1 AND "id" = ANY($2::text[])`, [shopId, ids]);
      return { deleted: deleted.rowCount ?? 0, days };
    },
    getPool(),
    ["jit = off", "max_parallel_workers_per_gather = 0"],
  );
}

/** Deletes every shop's conversations past its conversation retention (see above); one entry per shop that has one. */
export async function deleteExpiredConversations(db: PrismaClient, now = new Date()): Promise<ConversationRetentionRun[]> {
  const shops = await db.shopSettings.findMany({ where: { conversationRetentionDays: { not: null } }, select: { shopId: true, conversationRetentionDays: true } });
  const runs: ConversationRetentionRun[] = [];
  for (const { shopId, conversationRetentionDays } of shops) {
    const retentionDays = conversationRetentionDays!;
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
    let deleted = 0;
    let span: Period | null = null;
    for (;;) {
      const batch = await deleteConversationBatch(shopId, cutoff, now);
      deleted += batch.deleted;
      if (batch.days) span = span ? { from: [span.from, batch.days.from].sort()[0]!, to: [span.to, batch.days.to].sort()[1]! } : batch.days;
      if (batch.deleted < CONVERSATION_BATCH) break;
    }
    runs.push({ shopId, retentionDays, deleted });
    if (deleted === 0) continue;
    await db.actionLog.create({
      data: {
        shopId,
        actor: "system",
        action: "privacy.conversation_retention",
        targetType: "shop",
        targetId: shopId,
        reason: `Conversations with no activity for more than ${retentionDays} days (Settings → Data retention)`,
        idempotencyKey: `conversation_retention:${randomUUID()}`,
        input: { retentionDays, cutoff: cutoff.toISOString() },
        result: { deleted },
        createdAt: now,
      },
    });
    // Recomputed from the kept conversations plus the deleted ones' figures: the same totals, without their questions.
    if (span) await refreshRollups(undefined, { shopId, now, days: span });
  }
  return runs;
}

/**
 * Queues a retention run. The dedupe key names the hour it runs in, so workers starting together, and a run
 * queueing its successor while it still holds its own key, leave one waiting run per hour.
 */
export function schedulePrivacyRetention(db: Db, runAt = new Date()) {
  const slot = new Date(Math.floor(runAt.getTime() / PRIVACY_RETENTION_INTERVAL_MS) * PRIVACY_RETENTION_INTERVAL_MS).toISOString();
  return enqueueJob(db, { name: PRIVACY_RETENTION_JOB, payload: {}, dedupeKey: `${PRIVACY_RETENTION_JOB}:${slot}`, runAt });
}

/** Job handler for PRIVACY_RETENTION_JOB: queues the next run first, so a failing run never ends the chain. */
export function privacyRetentionJob(db: PrismaClient) {
  return async () => {
    const now = new Date();
    await schedulePrivacyRetention(db, new Date(now.getTime() + PRIVACY_RETENTION_INTERVAL_MS));
    const payloads = await deleteExpiredWebhookPayloads(db, now);
    const exports = await deleteExpiredExports(db, now);
    const conversations = (await deleteExpiredConversations(db, now)).reduce((sum, run) => sum + run.deleted, 0);
    if (payloads + exports + conversations > 0) {
      console.log(`[privacy] retention deleted ${payloads} webhook payloads, ${exports} expired data-request exports and ${conversations} conversations`);
    }
    return { payloads, exports, conversations };
  };
}
