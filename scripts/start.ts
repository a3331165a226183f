/**
 * `npm start`: serves the built app (run `npm run build` first). Uses DATABASE_URL or the embedded database,
 * applies pending migrations outside production (production runs `prisma migrate deploy`), and runs the
 * background job worker in the same process.
 */
import { getEnv } from "../app/env.server";
import { prepareDatabase } from "../app/lib/db/prepare.server";
import { serveUntilStopped } from "../app/lib/server/http.server";

const env = getEnv();
const database = await prepareDatabase({ migrate: env.NODE_ENV !== "production" });
const { default: prisma } = await import("../app/db.server");
const { startJobWorker } = await import("../app/modules/jobs");
const { jobHandlers, scheduleRecurringJobs } = await import("../app/worker.server");

await scheduleRecurringJobs();
const server = await serveUntilStopped({
  port: env.PORT,
  host: env.HOST,
  prisma,
  startWorker: () => startJobWorker(prisma, jobHandlers),
});
console.log(`Shopdesk listening on http://${env.HOST}:${server.port} (${database.embedded ? "embedded PGlite" : "DATABASE_URL"})`);
