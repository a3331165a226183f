/**
 * `npm run worker`: a background job worker on its own (webhook processing, backfills, reconciliation,
 * write-backs to the platforms, knowledge indexing), for when the web process should only serve requests.
 * Any number may run beside `npm start` on one database: jobs are claimed with FOR UPDATE SKIP LOCKED and
 * each order is written under its own lock. SIGTERM/SIGINT finish the job in hand, put the rest of its batch
 * back, then exit; a second signal exits at once (the job in hand is then swept as stale and retried).
 */
import { getEnv } from "../app/env.server";
import { prepareDatabase } from "../app/lib/db/prepare.server";
import type { JobHandlers } from "../app/modules/jobs";

const env = getEnv();
const database = await prepareDatabase({ migrate: env.NODE_ENV !== "production" });
const { default: prisma, disconnectPrisma } = await import("../app/db.server");
const { startJobWorker } = await import("../app/modules/jobs");
const { jobHandlers, scheduleRecurringJobs } = await import("../app/worker.server");

await scheduleRecurringJobs();
const handlers: JobHandlers = { ...jobHandlers };
if (env.SHOPDESK_BENCH_JOBS) {
  // The reliability bench (bench/reliability-queue.ts) and the multi-worker test kill and restart real worker
  // processes; their probe job has to run inside this process to observe that. Never set in production.
  const { QUEUE_PROBE_JOB, queueProbeJob } = await import("../bench/support/queue-probe");
  handlers[QUEUE_PROBE_JOB] = queueProbeJob();
}
const stop = startJobWorker(prisma, handlers);
console.log(`Shopdesk worker ${process.pid} running ${Object.keys(handlers).length} job types (${database.embedded ? "embedded PGlite" : "DATABASE_URL"})`);
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) {
    console.log(`Shopdesk worker ${process.pid}: ${signal} again, exiting now`);
    process.exit(1);
  }
  stopping = true;
  console.log(`Shopdesk worker ${process.pid}: ${signal}, finishing the job in hand`);
  await stop();
  await disconnectPrisma();
  console.log(`Shopdesk worker ${process.pid} stopped`);
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
