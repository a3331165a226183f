/**
 * `npm run cli -- sync start|status --shop <domain>`: the Shopify backfill and reconciliation from the terminal.
 *
 *   sync start --shop <domain>         queue a backfill (resync) for the app's worker
 *   sync start --shop <domain> --now   queue it and run it here, in this process
 *   sync status --shop <domain>        one JSON object: backfill and reconciliation state per resource
 */
import prisma from "../../app/db.server";
import { requestShopifyResync, SHOPIFY_BACKFILL_JOB, shopifySyncStatus } from "../../app/modules/commerce";
import { type JobHandlers, runJobsOnce } from "../../app/modules/jobs";

async function findShop(domain: string) {
  return prisma.shop.findUnique({ where: { domain: domain.toLowerCase() }, select: { id: true, domain: true, uninstalledAt: true } });
}

async function status(shop: { id: string; domain: string }) {
  return { shop: shop.domain, ...(await shopifySyncStatus(prisma, shop.id)) };
}

/** `handlers` runs the backfill job for `--now` (the app's worker handlers unless a test passes its own). */
export async function runSyncStart(domain: string, options: { now: boolean; handlers?: () => Promise<JobHandlers> }, write = (line: string) => console.log(line)): Promise<number> {
  const shop = await findShop(domain);
  if (!shop || shop.uninstalledAt) {
    console.error(`sync start: ${domain} is not an installed shop (npm run cli -- shops lists them)`);
    return 1;
  }
  const jobId = await requestShopifyResync(prisma, shop.id);
  if (!jobId) {
    console.error(`sync start: a backfill of ${shop.domain} is already running; npm run cli -- sync status --shop ${shop.domain} shows its progress`);
    return 1;
  }
  if (!options.now) {
    write(JSON.stringify({ shop: shop.domain, queued: true, jobId }));
    return 0;
  }
  const handlers = options.handlers ? await options.handlers() : (await import("../../app/worker.server")).jobHandlers;
  const startedAt = new Date();
  await runJobsOnce(prisma, { [SHOPIFY_BACKFILL_JOB]: handlers[SHOPIFY_BACKFILL_JOB]! }, { shopId: shop.id, workerId: `cli-${process.pid}` });
  const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, lastError: true } });
  const report = await status(shop);
  write(JSON.stringify({ ...report, job: { status: job.status, lastError: job.lastError } }));
  const states = Object.values(report.backfill);
  // The handler skips shops with no Shopify behind them (the demo store): then nothing was read.
  if (job.status === "succeeded" && !states.some((state) => state.finishedAt && new Date(state.finishedAt) >= startedAt)) {
    console.error(`sync start: nothing was read; ${shop.domain} has no Shopify connection (the demo store?)`);
    return 1;
  }
  return job.status !== "succeeded" || states.some((state) => state.status === "failed") ? 1 : 0;
}

export async function runSyncStatus(domain: string, write = (line: string) => console.log(line)): Promise<number> {
  const shop = await findShop(domain);
  if (!shop) {
    console.error(`sync status: no shop ${domain} (npm run cli -- shops lists them)`);
    return 1;
  }
  write(JSON.stringify(await status(shop)));
  return 0;
}
