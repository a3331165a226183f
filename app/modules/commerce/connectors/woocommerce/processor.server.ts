import type { Job, PrismaClient, WebhookEvent } from "@prisma/client";
import { z } from "zod";
import { applyCustomer, applyOrder } from "../../sync/apply.server";
import { failureMessage } from "../../sync/sync-state.server";
import { WooAccessError } from "./client.server";
import { type WooSettings, wooConnection } from "./connection.server";
import { WooCustomer, WooDeleted, WooOrder, wooCustomerSnapshot } from "./payloads";
import { wooOrderWithRefunds } from "./sync.server";

/**
 * Job handler for WOO_WEBHOOK_JOB: applies one recorded WooCommerce delivery. An order payload older than the
 * stored version changes nothing (date_modified_gmt). WooCommerce has no refund topic, so an order.updated
 * that lists refunds reads them in full from the store (GET orders/<id>/refunds) and applies them with it.
 */

const STALE_NOTE = "older than the stored version; not applied";

/** What a delivery did: a note for the event (stale, nothing to mark), and whether it called the store. */
interface Outcome {
  note: string | null;
  calledStore: boolean;
}

async function applyOrderDelivery(db: PrismaClient, event: WebhookEvent, settings: WooSettings): Promise<Outcome> {
  const order = WooOrder.parse(event.payload);
  const shopId = event.shopId!;
  const stored = await db.order.findUnique({
    where: { shopId_platform_externalId: { shopId, platform: "woocommerce", externalId: order.id } },
    select: { sourceUpdatedAt: true },
  });
  // Spares the store a refunds call for a delivery that cannot win anyway.
  if (stored && order.date_modified_gmt && order.date_modified_gmt < stored.sourceUpdatedAt) return { note: STALE_NOTE, calledStore: false };
  // Without a connection (disconnected since) the payload's refund summaries stand in.
  const connection = order.refunds.length > 0 ? await wooConnection(db, { shopId }, settings) : null;
  const snapshot = await wooOrderWithRefunds(connection?.client ?? null, order);
  const applied = await applyOrder(db, shopId, snapshot);
  return { note: applied.outcome === "stale" ? STALE_NOTE : null, calledStore: connection !== null };
}

/**
 * order.deleted carries only the id: the order (trashed or deleted in WooCommerce) reads as cancelled from the
 * delivery's time on, unless a newer version is stored. An order never synced has nothing to mark.
 */
async function applyOrderDeletion(db: PrismaClient, event: WebhookEvent): Promise<Outcome> {
  const { id } = WooDeleted.parse(event.payload);
  const at = event.triggeredAt ?? event.receivedAt;
  const { count } = await db.order.updateMany({
    where: { shopId: event.shopId!, platform: "woocommerce", externalId: id, sourceUpdatedAt: { lte: at } },
    data: { status: "cancelled", cancelledAt: at, cancelReason: "deleted in WooCommerce", sourceUpdatedAt: at },
  });
  return { note: count === 0 ? "no stored order at or before this version" : null, calledStore: false };
}

async function applyCustomerDelivery(db: PrismaClient, event: WebhookEvent): Promise<Outcome> {
  const applied = await applyCustomer(db, event.shopId!, wooCustomerSnapshot(WooCustomer.parse(event.payload)), { triggeredAt: event.triggeredAt });
  return { note: applied.outcome === "stale" ? STALE_NOTE : null, calledStore: false };
}

const PROCESSORS: Record<string, (db: PrismaClient, event: WebhookEvent, settings: WooSettings) => Promise<Outcome>> = {
  "order.created": applyOrderDelivery,
  "order.updated": applyOrderDelivery,
  "order.deleted": (db, event) => applyOrderDeletion(db, event),
  "customer.created": (db, event) => applyCustomerDelivery(db, event),
  "customer.updated": (db, event) => applyCustomerDelivery(db, event),
};

export function wooWebhookJob(db: PrismaClient, settings: () => WooSettings) {
  return async (job: Job) => {
    const { webhookEventId } = z.object({ webhookEventId: z.string() }).parse(job.payload);
    const event = await db.webhookEvent.findUnique({ where: { id: webhookEventId } });
    // Processed already (a retry from the Integrations screen raced the queue's own): nothing left to do.
    if (event?.platform !== "woocommerce" || event.status === "processed") return;
    const ignore = (reason: string) => db.webhookEvent.update({ where: { id: event.id }, data: { status: "ignored", lastError: reason } });
    const processor = PROCESSORS[event.topic];
    if (!processor) return ignore(`no processor for woocommerce ${event.topic}`);
    if (!event.shopId) return ignore(`shop ${event.shopDomain} is not installed`);
    if (event.payload === null) return ignore("payload deleted before processing");

    try {
      const { note, calledStore } = await processor(db, event, settings());
      await db.webhookEvent.update({ where: { id: event.id }, data: { status: "processed", processedAt: new Date(), attempts: { increment: 1 }, lastError: note } });
      // The keys worked: a connection marked in error for refused keys works again.
      if (calledStore) {
        await db.integration.updateMany({ where: { shopId: event.shopId, platform: "woocommerce", status: "error", encryptedCredentials: { not: null } }, data: { status: "connected", lastError: null } });
      }
    } catch (error) {
      const message = failureMessage(error);
      await db.webhookEvent.update({ where: { id: event.id }, data: { status: "failed", attempts: { increment: 1 }, lastError: message } });
      if (error instanceof WooAccessError) {
        // Refused keys do not get better by retrying: the event stays failed until Retry on the Integrations screen.
        await db.integration.updateMany({ where: { shopId: event.shopId, platform: "woocommerce", status: "connected" }, data: { status: "error", lastError: message } });
        return;
      }
      throw error;
    }
  };
}
