import type { Job, PrismaClient } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import { exportCustomerData, redactCustomer, redactShop } from "~/modules/privacy";
import { markShopUninstalled } from "~/modules/shops";

type Processor = (db: PrismaClient, shopDomain: string, payload: unknown) => Promise<unknown>;

const ScopesUpdate = z.object({ current: z.array(z.string()) });

/** What each Shopify topic does once recorded. Commerce topics get their processors with the sync issue. */
const SHOPIFY_PROCESSORS: Record<string, Processor> = {
  "app/uninstalled": (db, shopDomain) => markShopUninstalled(shopDomain, db),
  "app/scopes_update": async (db, shopDomain, payload) => {
    const { current } = ScopesUpdate.parse(payload);
    return db.session.updateMany({ where: { shop: shopDomain }, data: { scope: current.join(",") } });
  },
  "customers/data_request": (db, _shop, payload) => exportCustomerData(db, payload),
  "customers/redact": (db, _shop, payload) => redactCustomer(db, payload),
  "shop/redact": (db, _shop, payload) => redactShop(db, payload),
};

export function hasProcessor(platform: string, topic: string) {
  return platform === "shopify" && topic in SHOPIFY_PROCESSORS;
}

/** Job handler for `webhooks.process`. */
export async function processWebhookJob(job: Job, db: PrismaClient = prisma) {
  const { webhookEventId } = z.object({ webhookEventId: z.string() }).parse(job.payload);
  const event = await db.webhookEvent.findUnique({ where: { id: webhookEventId } });
  if (!event || event.status === "processed") return;
  const processor = event.platform === "shopify" ? SHOPIFY_PROCESSORS[event.topic] : undefined;
  if (!processor) {
    await db.webhookEvent.update({
      where: { id: event.id },
      data: { status: "ignored", lastError: `no processor for ${event.platform} ${event.topic} yet; kept for replay` },
    });
    return;
  }
  await db.webhookEvent.update({ where: { id: event.id }, data: { status: "processing", attempts: { increment: 1 } } });
  try {
    await processor(db, event.shopDomain, event.payload);
    // shop/redact deletes the shop and, by cascade, this event row.
    await db.webhookEvent.updateMany({ where: { id: event.id }, data: { status: "processed", processedAt: new Date(), lastError: null } });
  } catch (error) {
    await db.webhookEvent.updateMany({
      where: { id: event.id },
      data: { status: "failed", lastError: error instanceof Error ? error.message : String(error) },
    });
    throw error;
  }
}
