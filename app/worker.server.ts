import { PROCESS_WEBHOOK_JOB, processWebhookJob } from "~/modules/commerce";
import type { JobHandlers } from "~/modules/jobs";
import { REINDEX_JOB, reindexJob, SYNC_POLICIES_JOB, syncPoliciesJob } from "~/modules/knowledge";
import { unauthenticated } from "~/shopify.server";

/** Every background job the app runs, by name. Modules own the work; this file only wires it. */
export const jobHandlers: JobHandlers = {
  [PROCESS_WEBHOOK_JOB]: (job) => processWebhookJob(job),
  [REINDEX_JOB]: (job) => reindexJob(job),
  [SYNC_POLICIES_JOB]: syncPoliciesJob(async (shopDomain) => {
    const { admin } = await unauthenticated.admin(shopDomain);
    return async (query) => (await admin.graphql(query)).json();
  }),
};
