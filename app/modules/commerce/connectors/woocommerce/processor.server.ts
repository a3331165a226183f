import type { Job, PrismaClient, WebhookEvent } from "@prisma/client";
import { z } from "zod";
import { applyCustomer, applyOrder } from "../../sync/apply.server";
import { failureMessage } from "../../sync/sync-state.server";
import { WooAccessError, WooApiError } from "./client.server";
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
 * order.deleted carries only the id. A trashed order is still served by the API (status "trash", with the
 * store's own modification time as its version), so it is read and applied like any update: it reads as
 * cancelled. An order deleted for good (404), or one whose store is no longer connected, is marked cancelled
 * as it is, its version kept at least as new as what is stored, so no late update brings it back.
 */
async function applyOrderDeletion(db: PrismaClient, event: WebhookEvent, settings: WooSettings): Promise<Outcome> {
  const { id } = WooDeleted.parse(event.payload);
  const shopId = event.shopId!;
  const connection = await wooConnection(db, { shopId }, settings);
  if (connection) {
    try {
      const { data } = await connection.client.get(`orders/${id}`);
      const applied = await applyOrder(db, shopId, await wooOrderWithRefunds(connection.client, WooOrder.parse(data)));
      return { note: applied.outcome === "stale" ? STALE_NOTE : null, calledStore: true };
    } catch (error) {
      if (!(error instanceof WooApiError && error.status === 404)) throw error;
    }
  }
  const at = event.triggeredAt ?? event.receivedAt;
  const count = await db.$executeRaw`
    UPDATE "Order" SET "status" = 'cancelled', "cancelledAt" = COALESCE("cancelledAt", ${at}), "cancelReason" = 'deleted in WooCommerce',
      "sourceUpdatedAt" = GREATEST("sourceUpdatedAt", ${at}), "updatedAt" = now()
    WHERE "shopId" = ${shopId} AND "platform" = 'woocommerce' AND "externalId" = ${id}`;
  return { note: count === 0 ? "no such order stored" : null, calledStore: connection !== null };
}

async function applyCustomerDelivery(db: PrismaClient, event: WebhookEvent): Promise<Outcome> {
  const applied = await applyCustomer(db, event.shopId!, wooCustomerSnapshot(WooCustomer.parse(event.payload)), { triggeredAt: event.triggeredAt });
  return { note: applied.outcome === "stale" ? STALE_NOTE : null, calledStore: false };
}

const PROCESSORS: Record<string, (db: PrismaClient, event: WebhookEvent, settings: WooSettings) => Promise<Outcome>> = {
  "order.created": applyOrderDelivery,
  "order.updated": applyOrderDelivery,
  "order.deleted": applyOrderDeletion,
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
