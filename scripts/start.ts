/**
 * `npm start`: serves the built app (run `npm run build` first). Uses DATABASE_URL or the embedded database,
 * applies pending migrations outside production (production runs `prisma migrate deploy`), and runs the
 * background job worker in the same process.
 */
import { getEnv } from "../app/env.server";
import { prepareDatabase } from "../app/lib/db/prepare.server";
import { startHttpServer } from "../app/lib/server/http.server";

const env = getEnv();
const database = await prepareDatabase({ migrate: env.NODE_ENV !== "production" });
const { default: prisma } = await import("../app/db.server");
const { startJobWorker } = await import("../app/modules/jobs");
const { jobHandlers } = await import("../app/worker.server");

const server = await startHttpServer({ port: env.PORT, host: env.HOST });
const stopWorker = startJobWorker(prisma, jobHandlers);
console.log(`Shopdesk listening on http://${env.HOST}:${server.port} (${database.embedded ? "embedded PGlite" : "DATABASE_URL"})`);

const shutdown = async () => {
  stopWorker();
  await server.close();
  await prisma.$disconnect();
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
