import prisma from "~/db.server";
import { getEnv } from "~/env.server";
import { orderActionNoticeText } from "~/modules/assistant";
import { demoStandInOrderActions, PROCESS_WEBHOOK_JOB, PUSH_ORDER_ACTION_JOB, processWebhookJob, pushOrderActionJob, shopifyOrderActions } from "~/modules/commerce";
import type { JobHandlers } from "~/modules/jobs";
import { REINDEX_JOB, reindexJob, SYNC_POLICIES_JOB, SYNC_PRODUCTS_JOB, syncPoliciesJob, syncProductsJob } from "~/modules/knowledge";
import { unauthenticated } from "~/shopify.server";

/** Every background job the app runs, by name. Modules own the work; this file only wires it. */
export const jobHandlers: JobHandlers = {
  [PROCESS_WEBHOOK_JOB]: (job) => processWebhookJob(job),
  [REINDEX_JOB]: (job) => reindexJob(job),
  [SYNC_PRODUCTS_JOB]: (job) => syncProductsJob(job),
  [SYNC_POLICIES_JOB]: syncPoliciesJob(async (shopDomain) => {
    const { admin } = await unauthenticated.admin(shopDomain);
    return async (query) => (await admin.graphql(query)).json();
  }),
  [PUSH_ORDER_ACTION_JOB]: pushOrderActionJob(prisma, {
    platformFor: async (shopId) => {
      const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { domain: true, uninstalledAt: true } });
      if (!shop || shop.uninstalledAt) return null;
      const env = getEnv();
      // The demo store has no Shopify behind it: a stand-in accepts its actions so the demo shows the whole flow.
      if (env.DEMO_MODE && shop.domain === env.DEMO_SHOP) return demoStandInOrderActions();
      const { admin } = await unauthenticated.admin(shop.domain);
      return shopifyOrderActions(async (query, variables) => (await admin.graphql(query, { variables })).json());
    },
    noticeText: orderActionNoticeText,
  }),
};
