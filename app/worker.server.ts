import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import prisma from "~/db.server";
import { getEnv } from "~/env.server";
import { analyticsJobs, scheduleAnalyticsTick } from "~/modules/analytics";
import { orderActionNoticeText } from "~/modules/assistant";
import {
  adminRequestFromRemix,
  demoStandInOrderActions,
  PROCESS_WEBHOOK_JOB,
  PUSH_ORDER_ACTION_JOB,
  processWebhookJob,
  pushOrderActionJob,
  SHOPIFY_BACKFILL_JOB,
  SHOPIFY_RECONCILE_JOB,
  ShopifyAccessError,
  type ShopifyAdminFor,
  shopifyBackfillJob,
  shopifyOrderActions,
  shopifyReconcileJob,
  STRIPE_EVENT_JOB,
  stripeEventJob,
  stripeRefundProcessor,
  stripeSettingsFromEnv,
  WOO_BACKFILL_JOB,
  WOO_RECONCILE_JOB,
  WOO_WEBHOOK_JOB,
  wooBackfillJob,
  wooReconcileJob,
  wooSettingsFromEnv,
  wooWebhookJob,
} from "~/modules/commerce";
import type { JobHandlers } from "~/modules/jobs";
import { REINDEX_JOB, reindexJob, SYNC_POLICIES_JOB, SYNC_PRODUCTS_JOB, syncPoliciesJob, syncProductsJob } from "~/modules/knowledge";
import { notificationJobs } from "~/modules/notifications";
import { predictionJobs, schedulePredictionsTick } from "~/modules/predictions";
import { PRIVACY_RETENTION_JOB, privacyRetentionJob, schedulePrivacyRetention } from "~/modules/privacy";
import { unauthenticated } from "~/shopify.server";

/** The Admin API of a shop's offline session for reading it (backfill, reconciliation); none for the demo store. */
const shopifySyncAdmin: ShopifyAdminFor = async (shopId) => {
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { domain: true, uninstalledAt: true } });
  const env = getEnv();
  // The demo store has no Shopify behind it: its data comes from the demo seed.
  if (!shop || shop.uninstalledAt || (env.DEMO_MODE && shop.domain === env.DEMO_SHOP)) return null;
  try {
    const { admin } = await unauthenticated.admin(shop.domain);
    return adminRequestFromRemix(admin.graphql);
  } catch (error) {
    if (error instanceof SessionNotFoundError) throw new ShopifyAccessError(401, `no offline session for ${shop.domain}`);
    throw error;
  }
};

/**
 * Every background job the app runs, by name, with its time limit: how long a run may go without progress
 * (DEFAULT_JOB_TIMEOUT_MS, 5 minutes, when unset). The backfill and the reconciliation call the job's
 * heartbeat after every page, so their limit is per page, not per run. Modules own the work; this file only wires it.
 */
export const jobHandlers: JobHandlers = {
  [PROCESS_WEBHOOK_JOB]: { run: (job) => processWebhookJob(job), timeoutMs: 60_000 },
  [REINDEX_JOB]: (job) => reindexJob(job),
  [SYNC_POLICIES_JOB]: {
    run: syncPoliciesJob(async (shopDomain) => {
      const { admin } = await unauthenticated.admin(shopDomain);
      return async (query) => (await admin.graphql(query)).json();
    }),
    timeoutMs: 2 * 60_000,
  },
  // A large catalogue is re-written as product articles in one run.
  [SYNC_PRODUCTS_JOB]: { run: (job) => syncProductsJob(job), timeoutMs: 15 * 60_000 },
  [PUSH_ORDER_ACTION_JOB]: {
    timeoutMs: 2 * 60_000,
    run: pushOrderActionJob(prisma, {
    platformFor: async (shopId) => {
      const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { domain: true, uninstalledAt: true } });
      if (!shop || shop.uninstalledAt) return null;
      const env = getEnv();
      // The demo store has no Shopify behind it: a stand-in accepts its actions so the demo shows the whole flow.
      if (env.DEMO_MODE && shop.domain === env.DEMO_SHOP) return demoStandInOrderActions();
      const { admin } = await unauthenticated.admin(shop.domain);
      return shopifyOrderActions(async (query, variables) => (await admin.graphql(query, { variables })).json());
    },
    // Refunds of orders paid through the shop's connected Stripe account are made in Stripe.
    refundProcessorFor: stripeRefundProcessor(prisma, () => stripeSettingsFromEnv()),
    noticeText: orderActionNoticeText,
    }),
  },
  [SHOPIFY_BACKFILL_JOB]: { run: shopifyBackfillJob(prisma, shopifySyncAdmin), timeoutMs: 5 * 60_000 },
  [SHOPIFY_RECONCILE_JOB]: { run: shopifyReconcileJob(prisma, shopifySyncAdmin), timeoutMs: 5 * 60_000 },
  ...notificationJobs(prisma),
  // WooCommerce: deliveries, the backfill and the 15-minute reconciliation (each reads its store's keys when it runs).
  [WOO_WEBHOOK_JOB]: wooWebhookJob(prisma, () => wooSettingsFromEnv()),
  [WOO_BACKFILL_JOB]: wooBackfillJob(prisma, () => wooSettingsFromEnv()),
  [WOO_RECONCILE_JOB]: wooReconcileJob(prisma, () => wooSettingsFromEnv()),
  // Stripe: events (refunds, disputes, failed payments); a payment not seen yet is read with the shop's key.
  [STRIPE_EVENT_JOB]: { run: stripeEventJob(prisma, () => stripeSettingsFromEnv()), timeoutMs: 60_000 },
  [PRIVACY_RETENTION_JOB]: privacyRetentionJob(prisma),
  // The dashboard's daily rollups: an hourly tick queues a refresh per shop.
  ...analyticsJobs(prisma),
  // Predictions: an hourly tick queues a refresh per shop (retraining once a model is a day old).
  ...predictionJobs(prisma),
};

/** Queues the jobs that re-queue themselves (each run queues the next), once per worker start; deduplicated. */
export async function scheduleRecurringJobs() {
  await schedulePrivacyRetention(prisma);
  await scheduleAnalyticsTick(prisma);
  await schedulePredictionsTick(prisma);
}
