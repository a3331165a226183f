import type { Job, PrismaClient } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import { getPool } from "~/lib/db/pool.server";
import { exportCustomerData, redactCustomer, redactShop } from "~/modules/privacy";
import { FINISH_JOB_SQL, JOB_FINISHED } from "~/modules/jobs";
import { markShopUninstalled } from "~/modules/shops";
import { applyShopifyDelivery, SHOPIFY_COMMERCE_PROCESSORS } from "./connectors/shopify/webhook-processors.server";
import { prepared } from "./sync/sql.server";
import { PROCESS_WEBHOOK_JOB } from "./webhook-intake.server";

type AppProcessor = (db: PrismaClient, shopDomain: string, payload: unknown) => Promise<unknown>;

const ScopesUpdate = z.object({ current: z.array(z.string()) });

/** Shopify's app-lifecycle and compliance topics: they may concern a shop we no longer (or never) stored. */
const SHOPIFY_APP_PROCESSORS: Record<string, AppProcessor> = {
  "app/uninstalled": (db, shopDomain) => markShopUninstalled(shopDomain, db),
  "app/scopes_update": async (db, shopDomain, payload) => {
    const { current } = ScopesUpdate.parse(payload);
    return db.session.updateMany({ where: { shop: shopDomain }, data: { scope: current.join(",") } });
  },
  "customers/data_request": (db, _shop, payload) => exportCustomerData(db, payload),
  "customers/redact": (db, _shop, payload) => redactCustomer(db, payload),
  "shop/redact": (db, _shop, payload) => redactShop(db, payload),
};

async function markIgnored(id: string, reason: string) {
  await getPool().query(`UPDATE "WebhookEvent" SET "status" = 'ignored', "lastError" = $2 WHERE "id" = $1`, [id, reason]);
}

interface RecordedEvent {
  id: string;
  shopId: string | null;
  shopDomain: string;
  platform: string;
  topic: string;
  /** Null when deleted before processing (retention, customers/redact), and not read for a stale order delivery. */
  payload: unknown;
  triggeredAt: Date | null;
  /**
   * An order delivery older than the order stored when it was read. Versions only grow, so it stays stale and
   * changes nothing: it is closed without a lock. Its children are in the newer version too (refunds stay on an
   * order; a fulfilment's newer state wins anyway), so it is not even parsed. Shuffled retries make this the most
   * common delivery under load.
   */
  stale: boolean;
}

/** An ISO 8601 time with its offset, as Shopify writes updated_at: safe to cast (anything else is not compared). */
const ISO_TIME = String.raw`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$`;

/**
 * The recorded events of the webhook jobs a worker holds ($2, claimed with $1 in queue $3), this job's ($1) among
 * them: a worker runs its batch one job at a time, and reading the batch's events together saves each later job a
 * round trip. A job's event is used only by that job's run, and only for the attempt it was read for.
 */
const HELD_EVENTS = `
  SELECT j."id" AS "jobId", j."attempts" AS "jobAttempts", e."id", e."shopId", e."shopDomain", e."platform", e."topic", e."triggeredAt",
    COALESCE(stored."sourceUpdatedAt" > incoming."version", false) AS "stale",
    CASE WHEN stored."sourceUpdatedAt" > incoming."version" THEN NULL ELSE e."payload" END AS "payload"
  FROM "Job" AS j
  JOIN "WebhookEvent" AS e ON e."id" = j."payload"->>'webhookEventId'
  CROSS JOIN LATERAL (
    SELECT CASE WHEN e."payload"->>'updated_at' ~ '${ISO_TIME}' THEN (e."payload"->>'updated_at')::timestamptz END AS "version") AS incoming
  LEFT JOIN LATERAL (
    SELECT o."sourceUpdatedAt" FROM "Order" AS o
    WHERE e."topic" LIKE 'orders/%' AND o."shopId" = e."shopId" AND o."platform" = 'shopify'
      AND o."externalId" = COALESCE(e."payload"->>'admin_graphql_api_id', 'gid://shopify/Order/' || (e."payload"->>'id'))) AS stored ON true
  WHERE (j."id" = $1 OR (j."queue" = $3 AND j."status" = 'running' AND j."lockedBy" = $2 AND j."name" = '${PROCESS_WEBHOOK_JOB}'))
    AND e."status" <> 'processed'`;

type HeldEvent = RecordedEvent & { jobId: string; jobAttempts: number };

/** Events read for jobs of a batch not run yet, by job id and attempt; dropped when used or after a while. */
const heldEvents = new Map<string, { event: RecordedEvent; readAt: number }>();
const HELD_EVENT_TTL_MS = 5 * 60_000;
const heldKey = (jobId: string, attempts: number) => `${jobId}:${attempts}`;

/** This job's event: read with its batch's when this worker's batch starts, else now (with the rest of the batch). */
async function recordedEvent(job: Job, eventId: string): Promise<RecordedEvent | undefined> {
  const key = heldKey(job.id, job.attempts);
  const held = heldEvents.get(key);
  heldEvents.delete(key);
  if (held && held.event.id === eventId) return held.event;
  const { rows } = await getPool().query<HeldEvent>(prepared(HELD_EVENTS, [job.id, job.lockedBy, job.queue]));
  const now = Date.now();
  for (const [entry, { readAt }] of heldEvents) if (now - readAt > HELD_EVENT_TTL_MS) heldEvents.delete(entry);
  let own: RecordedEvent | undefined;
  for (const { jobId, jobAttempts, ...event } of rows) {
    if (jobId === job.id) own = event.id === eventId ? event : undefined;
    else heldEvents.set(heldKey(jobId, jobAttempts), { event, readAt: now });
  }
  return own;
}

const PROCESSED = `UPDATE "WebhookEvent" SET "status" = 'processed', "processedAt" = now(), "attempts" = "attempts" + 1, "lastError" = $2 WHERE "id" = $1`;
const STALE_NOTE = "older than the stored version; not applied";

/** Marks the event processed ($2, with $3 as its note) and finishes its job ($1) in one statement. */
const PROCESSED_AND_FINISHED = `
  WITH event AS (UPDATE "WebhookEvent" SET "status" = 'processed', "processedAt" = now(), "attempts" = "attempts" + 1, "lastError" = $3 WHERE "id" = $2)
  ${FINISH_JOB_SQL}`;

const processedAndFinished = (jobId: string, eventId: string, note: string | null) => ({ text: PROCESSED_AND_FINISHED, params: [jobId, eventId, note] });

/**
 * Job handler for `webhooks.process`: applies one recorded delivery. A failure marks the event failed and
 * rethrows, so the queue retries it with backoff (e.g. a refund that arrived before its order).
 * A commerce delivery is applied and marked processed in one transaction (applyShopifyDelivery).
 */
export async function processWebhookJob(job: Job, db: PrismaClient = prisma) {
  const { webhookEventId } = z.object({ webhookEventId: z.string() }).parse(job.payload);
  const pool = getPool();
  const event = await recordedEvent(job, webhookEventId);
  if (!event) return;
  const appProcessor = event.platform === "shopify" ? SHOPIFY_APP_PROCESSORS[event.topic] : undefined;
  const commerceProcessor = event.platform === "shopify" ? SHOPIFY_COMMERCE_PROCESSORS[event.topic] : undefined;
  if (!appProcessor && !commerceProcessor) return markIgnored(event.id, `no processor for ${event.platform} ${event.topic}; kept for replay`);
  // Deleted before it was applied (retention, or customers/redact naming the customer in it).
  if (event.payload === null && !event.stale) return markIgnored(event.id, "payload deleted before processing");
  if (commerceProcessor && !event.shopId) return markIgnored(event.id, `shop ${event.shopDomain} is not installed; kept for replay`);

  try {
    if (commerceProcessor && event.stale) {
      const { text, params } = processedAndFinished(job.id, event.id, STALE_NOTE);
      await pool.query(prepared(text, params));
      return JOB_FINISHED;
    }
    if (commerceProcessor) {
      // The event is marked processed and the job finished in the delivery's own commit.
      const delivery = { shopId: event.shopId!, payload: event.payload, triggeredAt: event.triggeredAt };
      const applied = await applyShopifyDelivery(db, event.topic, delivery, [processedAndFinished(job.id, event.id, null)]);
      // A newer version was applied between the check above and the write's lock (rare): say so, after the commit.
      if (applied.outcome === "stale") await pool.query(`UPDATE "WebhookEvent" SET "lastError" = $2 WHERE "id" = $1`, [event.id, STALE_NOTE]);
      return JOB_FINISHED;
    } else {
      await appProcessor!(db, event.shopDomain, event.payload);
      // shop/redact deletes the shop and, by cascade, this event row: then this updates nothing.
      await pool.query(PROCESSED, [event.id, null]);
    }
  } catch (error) {
    await pool.query(`UPDATE "WebhookEvent" SET "status" = 'failed', "attempts" = "attempts" + 1, "lastError" = $2 WHERE "id" = $1`, [
      event.id,
      error instanceof Error ? error.message.slice(0, 1_000) : String(error),
    ]);
    throw error;
  }
}
