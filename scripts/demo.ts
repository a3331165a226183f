/**
 * `npm run demo`: the whole product on this machine with no Shopify account and no network. Migrates,
 * seeds the demo shop, installs its offline session, serves the app (built by the npm script first) and
 * prints where to go. Data lives in the embedded database (.data/pglite) unless DATABASE_URL is set.
 */
export {};

process.env.DEMO_MODE ??= "1";
process.env.NODE_ENV ??= "development";

const { getEnv } = await import("../app/env.server");
const { prepareDatabase } = await import("../app/lib/db/prepare.server");
const env = getEnv();
const database = await prepareDatabase({ migrate: true, log: (line) => console.log(`[migrate] ${line}`) });

const { default: prisma } = await import("../app/db.server");
const { demoOrdersToTry, seedDemoShop } = await import("../app/modules/demo");
const { installDemoSession } = await import("../app/modules/demo");
const { APP_SCOPES } = await import("../app/lib/shopify/config");
const { serveUntilStopped } = await import("../app/lib/server/http.server");
const { startJobWorker } = await import("../app/modules/jobs");
const { indexPendingSources, queueUnindexedSources, syncProductKnowledge } = await import("../app/modules/knowledge");
const { jobHandlers, scheduleRecurringJobs } = await import("../app/worker.server");

const started = Date.now();
const summary = await seedDemoShop(prisma, { domain: env.DEMO_SHOP });
await installDemoSession(prisma, env.DEMO_SHOP, env.SCOPES?.split(",") ?? APP_SCOPES);
// Products become knowledge the assistant can answer from; the worker embeds whatever is not indexed yet.
const products = await syncProductKnowledge(summary.shopId);
const queued = await queueUnindexedSources(summary.shopId);
console.log(
  `[demo] ${env.DEMO_SHOP}: ${summary.products} products, ${summary.orders} orders, ${summary.articles} articles, ` +
    `${summary.conversations} conversations (${((Date.now() - started) / 1000).toFixed(1)} s); ` +
    `${products.changed} product sources updated, ${queued} sources queued for indexing`,
);

// Index before serving, so the assistant can answer from the help centre from the first message.
const indexingStarted = Date.now();
const indexed = await indexPendingSources(summary.shopId);
if (indexed > 0) console.log(`[demo] indexed ${indexed} knowledge sources (${((Date.now() - indexingStarted) / 1000).toFixed(1)} s)`);

await scheduleRecurringJobs();
const server = await serveUntilStopped({
  port: env.PORT,
  host: env.HOST,
  prisma,
  startWorker: () => startJobWorker(prisma, jobHandlers),
});
const base = `http://localhost:${server.port}`;
// Seeded orders to ask the assistant about: the chat verifies an order by its number and the email it was placed with.
const toTry = await demoOrdersToTry(prisma, summary.shopId);
const tryBlock =
  toTry.length > 0
    ? [
        "",
        "  Try in the chat (order number and the email it was placed with):",
        ...toTry.map((entry) => `    ${entry.order} with ${entry.email} (${entry.customer}), ${entry.suggestion}`),
        `  or sign in as one of them: ${base}/demo/storefront?customer=${encodeURIComponent(toTry[0]?.email ?? "")}`,
      ].join("\n")
    : "";
console.log(`
Shopdesk demo is running (${database.embedded ? "embedded PGlite database" : "DATABASE_URL"}).

  Merchant admin (embedded app, signed session token):  ${base}/demo/admin
  Demo storefront with the chat bubble:                 ${base}/demo/storefront
  Storefront as a logged-in customer:                   ${base}/demo/storefront?customer=<email>
${tryBlock}
Press Ctrl+C to stop.`);
