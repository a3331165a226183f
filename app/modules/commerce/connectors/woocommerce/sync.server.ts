import type { Job, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { enqueueJob } from "~/modules/jobs";
import { applyCustomer, applyOrder } from "../../sync/apply.server";
import type { OrderSnapshot } from "../../sync/snapshots";
import { failureMessage, readSyncState, type SyncResource, syncStatusReport, writeSyncState } from "../../sync/sync-state.server";
import { eachPage, WOO_PAGE_SIZE, WooAccessError, type WooClient } from "./client.server";
import { checkWooWebhooks, type WebhookHealth, type WooConnection, type WooSettings, wooConnection } from "./connection.server";
import { WooCustomer, WooOrder, type WooOrderPayload, WooRefund, wooCustomerSnapshot, wooOrderSnapshot } from "./payloads";

/**
 * Reads a WooCommerce store into the unified model through the writers the webhooks use (newest wins):
 * - the backfill (on connect and on demand): customers, then every order, 100 a page (`X-WP-TotalPages`),
 *   the next page saved after each one, so a run that dies resumes there; progress is done/total per resource.
 * - the reconciliation (every 15 minutes): WooCommerce never retries a failed delivery and disables a webhook
 *   after repeated failures, so each run checks the webhooks (re-enabling a disabled one) and re-reads the
 *   orders modified since the last run (`modified_after`).
 */

export const WOO_BACKFILL_JOB = "commerce.woocommerce-backfill";
export const WOO_RECONCILE_JOB = "commerce.woocommerce-reconcile";
export const WOO_RECONCILE_INTERVAL_MS = 15 * 60_000;
/** Each reconciliation re-reads a little before the previous run began: clocks differ, writes land late. */
const RECONCILE_OVERLAP_MS = 5 * 60_000;

export const WOO_BACKFILL_RESOURCES = ["customers", "orders"] as const satisfies readonly SyncResource[];
type WooResource = (typeof WOO_BACKFILL_RESOURCES)[number];

const platform = "woocommerce" as const;
const backfillKey = (shopId: string, resource: WooResource) => ({ shopId, platform, kind: "backfill" as const, resource });
const reconcileKey = (shopId: string) => ({ shopId, platform, kind: "reconcile" as const, resource: "orders" as const });

export interface WooSyncOptions {
  /** Called after every page (the job handler keeps its lock fresh with it). */
  heartbeat?: () => Promise<unknown>;
  /** Tests make pages small so pagination is real. */
  pageSize?: number;
}

const ENDPOINTS: Record<WooResource, { endpoint: string; params: Record<string, string> }> = {
  // Ordered by id, so pages stay put while the store takes new orders.
  customers: { endpoint: "customers", params: { orderby: "id", order: "asc", role: "all" } },
  orders: { endpoint: "orders", params: { orderby: "id", order: "asc" } },
};

/**
 * An order with its refunds read in full (GET orders/<id>/refunds: amounts, lines, dates); the order payload
 * itself lists only refund summaries. An order without refunds costs no extra call.
 */
export async function wooOrderWithRefunds(client: WooClient | null, order: WooOrderPayload): Promise<OrderSnapshot> {
  if (order.refunds.length === 0 || !client) return wooOrderSnapshot(order, order.refunds.length === 0 ? [] : undefined);
  const { data } = await client.get(`orders/${order.id}/refunds`, { per_page: WOO_PAGE_SIZE });
  return wooOrderSnapshot(order, z.array(WooRefund).parse(data));
}

// ---------------------------------------------------------------- Backfill

export type WooBackfillResult = { resumed: boolean; resources: Record<WooResource, { done: number; total: number | null }> };

/**
 * Backfills the connected store. An unfinished backfill resumes from its saved pages unless `fresh` (a
 * resync) asks to start over. Failures mark the resource failed and are rethrown (the queue retries).
 */
export async function runWooBackfill(db: PrismaClient, connection: WooConnection, options: WooSyncOptions & { fresh?: boolean } = {}): Promise<WooBackfillResult> {
  const { shopId } = connection.integration;
  const { client } = connection;
  const states = await Promise.all(WOO_BACKFILL_RESOURCES.map((resource) => readSyncState(db, backfillKey(shopId, resource))));
  const resumed = !options.fresh && states.some((state) => state && state.status !== "done" && state.status !== "idle");
  if (!resumed) {
    for (const resource of WOO_BACKFILL_RESOURCES) {
      await writeSyncState(db, backfillKey(shopId, resource), {
        status: "idle",
        cursor: null,
        done: 0,
        total: null,
        repaired: 0,
        since: null,
        startedAt: null,
        finishedAt: null,
        lastError: null,
      });
    }
  }

  // Totals first, so the progress bar knows the whole way from the start: X-WP-Total of a one-item page.
  for (const resource of WOO_BACKFILL_RESOURCES) {
    const state = await readSyncState(db, backfillKey(shopId, resource));
    if (state?.total != null) continue;
    const { endpoint, params } = ENDPOINTS[resource];
    const response = await client.get(endpoint, { ...params, per_page: 1, page: 1 });
    await writeSyncState(db, backfillKey(shopId, resource), { total: response.total ?? (Array.isArray(response.data) ? response.data.length : null) });
  }

  const apply: Record<WooResource, (item: unknown) => Promise<unknown>> = {
    customers: (item) => applyCustomer(db, shopId, wooCustomerSnapshot(WooCustomer.parse(item))),
    orders: async (item) => applyOrder(db, shopId, await wooOrderWithRefunds(client, WooOrder.parse(item))),
  };

  for (const resource of WOO_BACKFILL_RESOURCES) {
    const key = backfillKey(shopId, resource);
    const state = await readSyncState(db, key);
    if (state?.status === "done") continue;
    const startedAt = state?.startedAt ?? new Date();
    await writeSyncState(db, key, { status: "running", startedAt, finishedAt: null, lastError: null });
    let done = state?.done ?? 0;
    try {
      const { endpoint, params } = ENDPOINTS[resource];
      await eachPage(
        client,
        endpoint,
        params,
        Number(state?.cursor ?? 1),
        async (items, page) => {
          for (const item of items) await apply[resource](item);
          done += items.length;
          // The store may have grown since the totals were read.
          const total = Math.max(done, page.total ?? 0);
          await writeSyncState(db, key, { cursor: String(page.page + 1), done, total });
          await options.heartbeat?.();
        },
        options.pageSize,
      );
    } catch (error) {
      await writeSyncState(db, key, { status: "failed", lastError: failureMessage(error) });
      throw error;
    }
    const finishedAt = new Date();
    await writeSyncState(db, key, { status: "done", cursor: null, finishedAt, lastSuccessAt: finishedAt });
  }

  const ordersStarted = (await readSyncState(db, backfillKey(shopId, "orders")))?.startedAt ?? new Date();
  await db.integration.update({ where: { id: connection.integration.id }, data: { lastSyncAt: ordersStarted, status: "connected", lastError: null } });
  const final = await Promise.all(WOO_BACKFILL_RESOURCES.map((resource) => readSyncState(db, backfillKey(shopId, resource))));
  return {
    resumed,
    resources: { customers: { done: final[0]?.done ?? 0, total: final[0]?.total ?? null }, orders: { done: final[1]?.done ?? 0, total: final[1]?.total ?? null } },
  };
}

// ---------------------------------------------------------------- Reconciliation

export type WooReconcileResult =
  | { status: "done"; since: Date; read: number; repaired: number; webhooks: WebhookHealth }
  | { status: "skipped"; reason: string; webhooks: WebhookHealth };

async function reconcileSince(db: PrismaClient, shopId: string): Promise<Date | null> {
  const previous = await readSyncState(db, reconcileKey(shopId));
  if (previous?.status === "done" && previous.startedAt) return new Date(previous.startedAt.getTime() - RECONCILE_OVERLAP_MS);
  // A failed or interrupted run did not cover its window: read it again.
  if (previous?.since) return previous.since;
  const backfill = await readSyncState(db, backfillKey(shopId, "orders"));
  if (backfill?.status === "done" && backfill.startedAt) return new Date(backfill.startedAt.getTime() - RECONCILE_OVERLAP_MS);
  return null;
}

/**
 * Checks the webhooks (re-enabling any WooCommerce disabled) and re-reads the orders modified since the last
 * successful sync; `repaired` counts those that were missing or older here, i.e. what webhooks did not bring.
 */
export async function reconcileWooOrders(db: PrismaClient, connection: WooConnection, settings: WooSettings, options: WooSyncOptions = {}): Promise<WooReconcileResult> {
  const { shopId } = connection.integration;
  const webhooks = await checkWooWebhooks(db, connection, settings, { repair: true });
  const since = await reconcileSince(db, shopId);
  if (!since) return { status: "skipped", reason: "no finished orders backfill to reconcile against yet", webhooks };
  const key = reconcileKey(shopId);
  const startedAt = new Date();
  await writeSyncState(db, key, { status: "running", since, startedAt, finishedAt: null, cursor: null, done: 0, total: null, repaired: 0, lastError: null });
  let read = 0;
  let repaired = 0;
  try {
    await eachPage(
      connection.client,
      "orders",
      { modified_after: since.toISOString(), dates_are_gmt: true, orderby: "id", order: "asc" },
      1,
      async (items, page) => {
        for (const item of items) {
          const { outcome } = await applyOrder(db, shopId, await wooOrderWithRefunds(connection.client, WooOrder.parse(item)));
          if (outcome === "created" || outcome === "updated") repaired++;
        }
        read += items.length;
        await writeSyncState(db, key, { done: read, total: page.total, repaired });
        await options.heartbeat?.();
      },
      options.pageSize,
    );
  } catch (error) {
    await writeSyncState(db, key, { status: "failed", lastError: failureMessage(error) });
    throw error;
  }
  const finishedAt = new Date();
  await writeSyncState(db, key, { status: "done", finishedAt, lastSuccessAt: finishedAt });
  await db.integration.update({ where: { id: connection.integration.id }, data: { lastSyncAt: startedAt, status: "connected", lastError: null } });
  return { status: "done", since, read, repaired, webhooks };
}

// ---------------------------------------------------------------- Jobs

const BackfillPayload = z.object({ integrationId: z.string(), fresh: z.boolean().default(false) });
const ReconcilePayload = z.object({ integrationId: z.string(), scheduled: z.boolean().default(true) });

/** Queues a backfill; `fresh` starts over (a resync) instead of resuming. Null when one is queued or running. */
export function enqueueWooBackfill(db: PrismaClient, integrationId: string, shopId: string, options: { fresh: boolean }) {
  return enqueueJob(db, { name: WOO_BACKFILL_JOB, shopId, payload: { integrationId, fresh: options.fresh }, dedupeKey: `${WOO_BACKFILL_JOB}:${integrationId}` });
}

/**
 * Queues the next periodic reconciliation. The key names the 15-minute slot it runs in, so a run can queue its
 * successor while it still holds its own key, and two chains (a reconnect) merge into one.
 */
export function scheduleWooReconcile(db: PrismaClient, integrationId: string, shopId: string, runAt = new Date(Date.now() + WOO_RECONCILE_INTERVAL_MS)) {
  const slot = new Date(Math.floor(runAt.getTime() / WOO_RECONCILE_INTERVAL_MS) * WOO_RECONCILE_INTERVAL_MS).toISOString();
  return enqueueJob(db, { name: WOO_RECONCILE_JOB, shopId, payload: { integrationId, scheduled: true }, dedupeKey: `${WOO_RECONCILE_JOB}:${integrationId}:${slot}`, runAt });
}

/** A reconciliation now (the Integrations screen), beside the periodic chain. */
export function requestWooReconcile(db: PrismaClient, integrationId: string, shopId: string) {
  return enqueueJob(db, { name: WOO_RECONCILE_JOB, shopId, payload: { integrationId, scheduled: false }, dedupeKey: `${WOO_RECONCILE_JOB}:${integrationId}:now` });
}

/** What the queue hands a running job: heartbeat() shows progress (restarting its time limit). */
interface JobProgress {
  heartbeat(): Promise<unknown>;
}

/** The store refused the keys: nothing to retry until the merchant fixes them. */
async function recordAccessFailure(db: PrismaClient, integrationId: string, error: WooAccessError) {
  await db.integration.update({ where: { id: integrationId }, data: { status: "error", lastError: error.message } });
}

/**
 * Job handler for WOO_BACKFILL_JOB. Transient failures are rethrown (the queue retries and the rerun resumes);
 * refused keys stop it with the connection marked in error.
 */
export function wooBackfillJob(db: PrismaClient, settings: () => WooSettings, options: WooSyncOptions = {}) {
  return async (job: Job, context?: JobProgress) => {
    const { integrationId, fresh } = BackfillPayload.parse(job.payload);
    const connection = await wooConnection(db, { integrationId }, settings());
    if (!connection) return;
    try {
      // A retried job resumes where the failed attempt stopped, even if it was asked to start over.
      await runWooBackfill(db, connection, { ...options, fresh: fresh && job.attempts <= 1, heartbeat: context && (() => context.heartbeat()) });
    } catch (error) {
      if (!(error instanceof WooAccessError)) throw error;
      await recordAccessFailure(db, integrationId, error);
      return;
    }
    await scheduleWooReconcile(db, integrationId, connection.integration.shopId);
  };
}

/** Job handler for WOO_RECONCILE_JOB: queues the next run first (a periodic one), then reconciles. */
export function wooReconcileJob(db: PrismaClient, settings: () => WooSettings, options: WooSyncOptions = {}) {
  return async (job: Job, context?: JobProgress) => {
    const { integrationId, scheduled } = ReconcilePayload.parse(job.payload);
    const connection = await wooConnection(db, { integrationId }, settings());
    // Disconnected: the chain ends here (connecting again starts a new one).
    if (!connection) return;
    if (scheduled) await scheduleWooReconcile(db, integrationId, connection.integration.shopId);
    try {
      return await reconcileWooOrders(db, connection, settings(), { ...options, heartbeat: context && (() => context.heartbeat()) });
    } catch (error) {
      if (error instanceof WooAccessError) return recordAccessFailure(db, integrationId, error);
      // The next run reads this window again.
      console.error(`[sync] WooCommerce reconciliation of connection ${integrationId} failed: ${failureMessage(error)}`);
    }
  };
}

/** Backfill and reconciliation progress of the shop's WooCommerce sync. */
export function wooSyncStatus(db: PrismaClient, shopId: string) {
  return syncStatusReport(db, shopId, platform, WOO_RECONCILE_JOB);
}
