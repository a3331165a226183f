/**
 * `npm run worker`: a background job worker on its own (webhook processing, backfills, reconciliation,
 * write-backs to the platforms, knowledge indexing), for when the web process should only serve requests.
 * Any number may run beside `npm start` on one database: jobs are claimed with FOR UPDATE SKIP LOCKED and
 * each order is written under its own lock. SIGTERM/SIGINT finish the batch in hand, then exit.
 */
import { getEnv } from "../app/env.server";
import { prepareDatabase } from "../app/lib/db/prepare.server";

const env = getEnv();
const database = await prepareDatabase({ migrate: env.NODE_ENV !== "production" });
const { default: prisma } = await import("../app/db.server");
const { startJobWorker } = await import("../app/modules/jobs");
const { jobHandlers, scheduleRecurringJobs } = await import("../app/worker.server");

await scheduleRecurringJobs();
const stop = startJobWorker(prisma, jobHandlers);
console.log(`Shopdesk worker ${process.pid} running ${Object.keys(jobHandlers).length} job types (${database.embedded ? "embedded PGlite" : "DATABASE_URL"})`);
const shutdown = async () => {
  await stop();
  await prisma.$disconnect();
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
