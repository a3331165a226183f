import type { Job, PrismaClient } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import { getPool } from "~/lib/db/pool.server";
import { exportCustomerData, redactCustomer, redactShop } from "~/modules/privacy";
import { markShopUninstalled } from "~/modules/shops";
import { SHOPIFY_COMMERCE_PROCESSORS } from "./connectors/shopify/webhook-processors.server";

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

interface ClaimedEvent {
  id: string;
  shopId: string | null;
  shopDomain: string;
  platform: string;
  topic: string;
  payload: unknown;
  triggeredAt: Date | null;
}

/**
 * Job handler for `webhooks.process`: applies one recorded delivery. A failure marks the event failed and
 * rethrows, so the queue retries it with backoff (e.g. a refund that arrived before its order). The event's
 * own bookkeeping runs on the plain pg pool: it happens for every delivery.
 */
export async function processWebhookJob(job: Job, db: PrismaClient = prisma) {
  const { webhookEventId } = z.object({ webhookEventId: z.string() }).parse(job.payload);
  const pool = getPool();
  const { rows } = await pool.query<ClaimedEvent>(
    `UPDATE "WebhookEvent" SET "status" = 'processing', "attempts" = "attempts" + 1
     WHERE "id" = $1 AND "status" <> 'processed'
     RETURNING "id", "shopId", "shopDomain", "platform", "topic", "payload", "triggeredAt"`,
    [webhookEventId],
  );
  const event = rows[0];
  if (!event) return;
  const appProcessor = event.platform === "shopify" ? SHOPIFY_APP_PROCESSORS[event.topic] : undefined;
  const commerceProcessor = event.platform === "shopify" ? SHOPIFY_COMMERCE_PROCESSORS[event.topic] : undefined;
  if (!appProcessor && !commerceProcessor) return markIgnored(event.id, `no processor for ${event.platform} ${event.topic}; kept for replay`);
  if (commerceProcessor && !event.shopId) return markIgnored(event.id, `shop ${event.shopDomain} is not installed; kept for replay`);

  try {
    let result: unknown;
    if (appProcessor) result = await appProcessor(db, event.shopDomain, event.payload);
    else result = await commerceProcessor!({ db, shopId: event.shopId!, payload: event.payload, triggeredAt: event.triggeredAt });
    const outcome = (result as { outcome?: string } | null)?.outcome;
    // shop/redact deletes the shop and, by cascade, this event row: then this updates nothing.
    await pool.query(`UPDATE "WebhookEvent" SET "status" = 'processed', "processedAt" = now(), "lastError" = $2 WHERE "id" = $1`, [
      event.id,
      outcome === "stale" ? "older than the stored version; not applied" : null,
    ]);
  } catch (error) {
    await pool.query(`UPDATE "WebhookEvent" SET "status" = 'failed', "lastError" = $2 WHERE "id" = $1`, [
      event.id,
      error instanceof Error ? error.message.slice(0, 1_000) : String(error),
    ]);
    throw error;
  }
}
