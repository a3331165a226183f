import type { Job, PrismaClient } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
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

async function markIgnored(db: PrismaClient, id: string, reason: string) {
  await db.webhookEvent.update({ where: { id }, data: { status: "ignored", lastError: reason } });
}

/**
 * Job handler for `webhooks.process`: applies one recorded delivery. A failure marks the event failed and
 * rethrows, so the queue retries it with backoff (e.g. a refund that arrived before its order).
 */
export async function processWebhookJob(job: Job, db: PrismaClient = prisma) {
  const { webhookEventId } = z.object({ webhookEventId: z.string() }).parse(job.payload);
  const event = await db.webhookEvent.findUnique({ where: { id: webhookEventId } });
  if (!event || event.status === "processed") return;
  const appProcessor = event.platform === "shopify" ? SHOPIFY_APP_PROCESSORS[event.topic] : undefined;
  const commerceProcessor = event.platform === "shopify" ? SHOPIFY_COMMERCE_PROCESSORS[event.topic] : undefined;
  if (!appProcessor && !commerceProcessor) return markIgnored(db, event.id, `no processor for ${event.platform} ${event.topic}; kept for replay`);
  if (commerceProcessor && !event.shopId) return markIgnored(db, event.id, `shop ${event.shopDomain} is not installed; kept for replay`);

  await db.webhookEvent.update({ where: { id: event.id }, data: { status: "processing", attempts: { increment: 1 } } });
  try {
    let result: unknown;
    if (appProcessor) result = await appProcessor(db, event.shopDomain, event.payload);
    else result = await commerceProcessor!({ db, shopId: event.shopId!, payload: event.payload, triggeredAt: event.triggeredAt });
    const outcome = (result as { outcome?: string } | null)?.outcome;
    // shop/redact deletes the shop and, by cascade, this event row: hence updateMany.
    await db.webhookEvent.updateMany({
      where: { id: event.id },
      data: { status: "processed", processedAt: new Date(), lastError: outcome === "stale" ? "older than the stored version; not applied" : null },
    });
  } catch (error) {
    await db.webhookEvent.updateMany({
      where: { id: event.id },
      data: { status: "failed", lastError: error instanceof Error ? error.message.slice(0, 1_000) : String(error) },
    });
    throw error;
  }
}
