import type { Prisma, PrismaClient } from "@prisma/client";
import { enqueueJob } from "~/modules/jobs";
import { deleteExpiredExports } from "./exports.server";

/**
 * Privacy retention, an hourly job: raw webhook payloads older than the shop's retention period
 * (ShopSettings.webhookPayloadRetentionDays) are deleted, their event rows kept as idempotency keys; expired
 * data-request exports lose their content.
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
    if (payloads + exports > 0) console.log(`[privacy] retention deleted ${payloads} webhook payloads and ${exports} expired data-request exports`);
    return { payloads, exports };
  };
}
