/**
 * `npm run cli -- jobs failed|retry|retry-all --shop <domain>`: the job queue's dead letter from the terminal.
 *
 *   jobs failed --shop <domain> [--limit N]   dead-lettered jobs, newest first, one JSON object per line
 *   jobs retry <id> --shop <domain>           put one back in the queue with a fresh set of attempts
 *   jobs retry-all --shop <domain>            put back every dead-lettered job of the shop
 *
 * A job of another shop is not found; errors go to stderr with exit 1.
 */
import prisma from "../../app/db.server";
import { listFailedJobs, retryFailedJob, retryFailedJobs } from "../../app/modules/jobs";

async function findShop(command: string, domain: string) {
  const shop = await prisma.shop.findUnique({ where: { domain: domain.toLowerCase() }, select: { id: true, domain: true } });
  if (!shop) console.error(`${command}: no shop ${domain} (npm run cli -- shops lists them)`);
  return shop;
}

export async function runJobsFailed(domain: string, options: { limit?: number } = {}, write = (line: string) => console.log(line)): Promise<number> {
  const shop = await findShop("jobs failed", domain);
  if (!shop) return 1;
  const jobs = await listFailedJobs(prisma, shop.id, { limit: options.limit });
  for (const job of jobs) write(JSON.stringify(job));
  if (jobs.length === 0) console.error(`jobs failed: no dead-lettered jobs in ${shop.domain}`);
  return 0;
}

export async function runJobsRetry(domain: string, jobId: string, write = (line: string) => console.log(line)): Promise<number> {
  const shop = await findShop("jobs retry", domain);
  if (!shop) return 1;
  const outcome = await retryFailedJob(prisma, shop.id, jobId);
  switch (outcome.status) {
    case "retried":
      write(JSON.stringify({ id: outcome.id, name: outcome.name, status: "queued" }));
      return 0;
    case "not_found":
      console.error(`jobs retry: no job ${jobId} in ${shop.domain} (npm run cli -- jobs failed --shop ${shop.domain} lists them)`);
      return 1;
    case "not_failed":
      console.error(`jobs retry: job ${jobId} is ${outcome.current}, not failed; only dead-lettered jobs are retried`);
      return 1;
    case "duplicate":
      console.error(`jobs retry: job ${jobId} was not retried: job ${outcome.waitingJobId ?? "(finished meanwhile)"} with the same dedupe key is already waiting or running`);
      return 1;
  }
}

export async function runJobsRetryAll(domain: string, write = (line: string) => console.log(line)): Promise<number> {
  const shop = await findShop("jobs retry-all", domain);
  if (!shop) return 1;
  const { retried, skipped } = await retryFailedJobs(prisma, shop.id);
  for (const job of skipped) console.error(`jobs retry-all: skipped ${job.id}: ${job.reason}${job.waitingJobId ? ` (job ${job.waitingJobId})` : ""}`);
  write(JSON.stringify({ shop: shop.domain, retried: retried.length, skipped: skipped.length, ids: retried }));
  return 0;
}
