import type { Platform, PrismaClient, SyncState } from "@prisma/client";
import {
  PROCESS_WEBHOOK_JOB,
  PUSH_ORDER_ACTION_JOB,
  readWooConfig,
  SHOPIFY_BACKFILL_JOB,
  SHOPIFY_RECONCILE_JOB,
  WOO_BACKFILL_JOB,
  WOO_RECONCILE_JOB,
  WOO_WEBHOOK_JOB,
} from "~/modules/commerce";
import { listFailedJobs } from "~/modules/jobs";

/**
 * What the Integrations screen shows of each platform: connection state, webhook activity, failures with
 * their errors, and sync progress. Only what may reach the browser: no credentials, no payloads.
 */

export interface FailureView {
  /** "event" (a webhook delivery that failed to apply) or "job" (a dead-lettered sync job). */
  kind: "event" | "job";
  id: string;
  what: string;
  at: string;
  error: string;
  attempts: number;
  /** When a retry is due (by the queue's backoff, or asked for with Retry); null when only Retry will try again. */
  retryingAt: string | null;
  /** A retry is running right now (absent: not known). */
  retryRunning?: boolean;
}

export interface ActivityView {
  lastEventAt: string | null;
  eventsLast24h: number;
  failures: FailureView[];
}

export interface ProgressView {
  status: "idle" | "running" | "done" | "failed";
  done: number;
  total: number | null;
  lastError: string | null;
  finishedAt: string | null;
  resources: { resource: string; status: string; done: number; total: number | null }[];
}

export interface ReconcileView {
  status: string;
  lastSuccessAt: string | null;
  repaired: number;
  lastError: string | null;
}

export interface ShopifyCardView {
  platform: "shopify";
  domain: string;
  status: "connected" | "uninstalled";
  activity: ActivityView;
  backfill: ProgressView;
  reconcile: ReconcileView;
}

export interface WooCommerceCardView {
  platform: "woocommerce";
  status: "not_connected" | "connected" | "error" | "disconnected";
  storeUrl: string | null;
  connectedAt: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  webhooks: { topic: string; status: string }[];
  webhooksCheckedAt: string | null;
  webhookIncident: { at: string; topics: string[]; reenabled: boolean; error: string | null } | null;
  cleanupError: string | null;
  activity: ActivityView;
  backfill: ProgressView;
  reconcile: ReconcileView;
}

export interface IntegrationsOverview {
  /** The shop's time zone: every time on the screen is shown in it, so server and browser render alike. */
  timezone: string;
  shopify: ShopifyCardView;
  woocommerce: WooCommerceCardView;
}

/** The jobs of each platform whose dead letters its card lists (webhook jobs are listed through their events). */
export const PLATFORM_JOBS: Partial<Record<Platform, { webhook: string; others: string[] }>> = {
  shopify: { webhook: PROCESS_WEBHOOK_JOB, others: [SHOPIFY_BACKFILL_JOB, SHOPIFY_RECONCILE_JOB, PUSH_ORDER_ACTION_JOB] },
  woocommerce: { webhook: WOO_WEBHOOK_JOB, others: [WOO_BACKFILL_JOB, WOO_RECONCILE_JOB] },
};

const DAY_MS = 24 * 3600_000;
const FAILURES_SHOWN = 20;
const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

async function activity(db: PrismaClient, shop: { id: string; domain: string }, platform: Platform): Promise<ActivityView> {
  // shopDomain leads the events' index; every event of the shop carries its domain.
  const scope = { shopDomain: shop.domain, platform };
  const [last, recent, failedEvents, deadJobs] = await Promise.all([
    db.webhookEvent.findFirst({ where: scope, orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
    db.webhookEvent.count({ where: { ...scope, receivedAt: { gte: new Date(Date.now() - DAY_MS) } } }),
    db.webhookEvent.findMany({
      where: { ...scope, shopId: shop.id, status: "failed" },
      orderBy: { receivedAt: "desc" },
      take: FAILURES_SHOWN,
      select: { id: true, topic: true, receivedAt: true, lastError: true, attempts: true },
    }),
    listFailedJobs(db, shop.id, { limit: 100 }),
  ]);
  const waiting = failedEvents.length
    ? await db.job.findMany({
        where: { status: { in: ["queued", "running"] }, dedupeKey: { in: failedEvents.flatMap((event) => [`webhook:${event.id}`, `webhook-retry:${event.id}`]) } },
        select: { dedupeKey: true, runAt: true, status: true },
      })
    : [];
  const retries = new Map(waiting.map((job) => [job.dedupeKey!.slice(job.dedupeKey!.indexOf(":") + 1), job]));
  const names = PLATFORM_JOBS[platform]?.others ?? [];
  const failures: FailureView[] = [
    ...failedEvents.map((event) => ({
      kind: "event" as const,
      id: event.id,
      what: `Webhook ${event.topic}`,
      at: event.receivedAt.toISOString(),
      error: event.lastError ?? "failed",
      attempts: event.attempts,
      retryingAt: iso(retries.get(event.id)?.runAt),
      retryRunning: retries.get(event.id)?.status === "running",
    })),
    ...deadJobs
      .filter((job) => names.includes(job.name))
      .map((job) => ({
        kind: "job" as const,
        id: job.id,
        what: job.name,
        at: (job.failedAt ?? job.createdAt).toISOString(),
        error: job.lastError ?? "failed",
        attempts: job.attempts,
        retryingAt: null,
        retryRunning: false,
      })),
  ];
  return { lastEventAt: iso(last?.receivedAt), eventsLast24h: recent, failures: failures.slice(0, FAILURES_SHOWN) };
}

function progress(states: SyncState[], resources: readonly string[]): ProgressView {
  const rows = resources.map((resource) => {
    const state = states.find((candidate) => candidate.kind === "backfill" && candidate.resource === resource);
    return { resource, status: state?.status ?? "idle", done: state?.done ?? 0, total: state?.total ?? null, state };
  });
  const status: ProgressView["status"] = rows.some((row) => row.status === "failed")
    ? "failed"
    : rows.some((row) => row.status === "running") || (rows.some((row) => row.status === "done") && rows.some((row) => row.status === "idle"))
      ? "running"
      : rows.every((row) => row.status === "done")
        ? "done"
        : "idle";
  const totals = rows.map((row) => row.total);
  const finished = rows.map((row) => row.state?.finishedAt).filter((date): date is Date => Boolean(date));
  return {
    status,
    done: rows.reduce((sum, row) => sum + row.done, 0),
    total: totals.every((total) => total !== null) ? totals.reduce<number>((sum, total) => sum + total!, 0) : null,
    lastError: rows.find((row) => row.state?.lastError)?.state?.lastError ?? null,
    finishedAt: status === "done" && finished.length ? new Date(Math.max(...finished.map((date) => date.getTime()))).toISOString() : null,
    resources: rows.map(({ resource, status: rowStatus, done, total }) => ({ resource, status: rowStatus, done, total })),
  };
}

function reconcile(states: SyncState[]): ReconcileView {
  const state = states.find((candidate) => candidate.kind === "reconcile" && candidate.resource === "orders");
  return { status: state?.status ?? "idle", lastSuccessAt: iso(state?.lastSuccessAt), repaired: state?.repaired ?? 0, lastError: state?.lastError ?? null };
}

export async function integrationsOverview(db: PrismaClient, shopId: string): Promise<IntegrationsOverview> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { id: true, domain: true, timezone: true, uninstalledAt: true } });
  const [states, woo, shopifyActivity, wooActivity] = await Promise.all([
    db.syncState.findMany({ where: { shopId, platform: { in: ["shopify", "woocommerce"] } } }),
    // Never the credentials column.
    db.integration.findUnique({
      where: { shopId_platform: { shopId, platform: "woocommerce" } },
      select: { status: true, config: true, lastSyncAt: true, lastError: true },
    }),
    activity(db, shop, "shopify"),
    activity(db, shop, "woocommerce"),
  ]);
  const byPlatform = (platform: Platform) => states.filter((state) => state.platform === platform);
  const config = woo ? readWooConfig(woo) : null;
  return {
    timezone: shop.timezone,
    shopify: {
      platform: "shopify",
      domain: shop.domain,
      status: shop.uninstalledAt ? "uninstalled" : "connected",
      activity: shopifyActivity,
      backfill: progress(byPlatform("shopify"), ["customers", "products", "orders"]),
      reconcile: reconcile(byPlatform("shopify")),
    },
    woocommerce: {
      platform: "woocommerce",
      status: woo ? woo.status : "not_connected",
      storeUrl: config?.storeUrl || null,
      connectedAt: config?.connectedAt ?? null,
      lastSyncAt: iso(woo?.lastSyncAt),
      lastError: woo?.lastError ?? null,
      webhooks: (config?.webhooks ?? []).map((webhook) => ({ topic: webhook.topic, status: webhook.status })),
      webhooksCheckedAt: config?.webhooksCheckedAt ?? null,
      webhookIncident: config?.webhookIncident ? { ...config.webhookIncident, error: config.webhookIncident.error ?? null } : null,
      cleanupError: config?.cleanupError ?? null,
      activity: wooActivity,
      backfill: progress(byPlatform("woocommerce"), ["customers", "orders"]),
      reconcile: reconcile(byPlatform("woocommerce")),
    },
  };
}
