import type { Job, PrismaClient } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import { getPool } from "~/lib/db/pool.server";
import { exportCustomerData, redactCustomer, redactShop } from "~/modules/privacy";
import { FINISH_JOB_SQL, JOB_FINISHED } from "~/modules/jobs";
import { markShopUninstalled } from "~/modules/shops";
import { applyShopifyDelivery, SHOPIFY_COMMERCE_PROCESSORS } from "./connectors/shopify/webhook-processors.server";

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
  payload: unknown;
  triggeredAt: Date | null;
  /** For order topics: the version of the order already stored, if any. */
  storedOrderVersion: Date | null;
}

const RECORDED_EVENT = `
  SELECT e."id", e."shopId", e."shopDomain", e."platform", e."topic", e."payload", e."triggeredAt",
    (SELECT o."sourceUpdatedAt" FROM "Order" o
     WHERE e."topic" LIKE 'orders/%' AND o."shopId" = e."shopId" AND o."platform" = 'shopify'
       AND o."externalId" = COALESCE(e."payload"->>'admin_graphql_api_id', 'gid://shopify/Order/' || (e."payload"->>'id'))) AS "storedOrderVersion"
  FROM "WebhookEvent" e WHERE e."id" = $1 AND e."status" <> 'processed'`;

/**
 * An order payload older than the stored version changes nothing: versions only grow, so this holds without a
 * lock. Its children are in the newer version too (refunds stay on an order; a fulfilment's newer state wins
 * anyway), so it is not even parsed. Shuffled retries make this the most common delivery under load.
 */
function isStaleOrderDelivery(event: RecordedEvent): boolean {
  if (!event.storedOrderVersion) return false;
  const updatedAt = (event.payload as { updated_at?: unknown } | null)?.updated_at;
  const version = typeof updatedAt === "string" ? Date.parse(updatedAt) : Number.NaN;
  return Number.isFinite(version) && version < event.storedOrderVersion.getTime();
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
  const { rows } = await pool.query<RecordedEvent>(RECORDED_EVENT, [webhookEventId]);
  const event = rows[0];
  if (!event) return;
  const appProcessor = event.platform === "shopify" ? SHOPIFY_APP_PROCESSORS[event.topic] : undefined;
  const commerceProcessor = event.platform === "shopify" ? SHOPIFY_COMMERCE_PROCESSORS[event.topic] : undefined;
  if (!appProcessor && !commerceProcessor) return markIgnored(event.id, `no processor for ${event.platform} ${event.topic}; kept for replay`);
  // Deleted before it was applied (retention, or customers/redact naming the customer in it).
  if (event.payload === null) return markIgnored(event.id, "payload deleted before processing");
  if (commerceProcessor && !event.shopId) return markIgnored(event.id, `shop ${event.shopDomain} is not installed; kept for replay`);

  try {
    if (commerceProcessor && isStaleOrderDelivery(event)) {
      const { text, params } = processedAndFinished(job.id, event.id, STALE_NOTE);
      await pool.query(text, params);
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
