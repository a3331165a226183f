/**
 * `npm run bench`: benchmarks on BENCH_DATABASE_URL (or DATABASE_URL, or the embedded database). Seeds the
 * demo shop when missing and prints one JSON line per benchmark with percentiles.
 * Example: BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/shopdesk_bench npm run bench
 */
export {};

if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
process.env.PGLITE_DATA_DIR ??= ".data/pglite-bench";

const { prepareDatabase } = await import("../app/lib/db/prepare.server");
const database = await prepareDatabase({ migrate: true });
const { default: prisma } = await import("../app/db.server");
const { closePool } = await import("../app/lib/db/pool.server");
const { stopLive } = await import("../app/lib/live/live-events.server");
const { seedDemoShop } = await import("../app/modules/demo");
const shopDomain = "shopdesk-bench.myshopify.com";
await seedDemoShop(prisma, { domain: shopDomain });

const benchmarks: Record<string, () => Promise<{ run: (context: { shopDomain: string; databaseUrl: string }) => Promise<unknown>; jsonLine?: boolean }>> = {
  foundation: () => import("../bench/foundation.bench"),
  "retrieval-quality": () => import("../bench/retrieval-quality.db.bench"),
  "knowledge-latency": () => import("../bench/knowledge-latency.bench"),
  "assistant-turn": () => import("../bench/assistant-turn.bench"),
  "storefront-impact": () => import("../bench/storefront-impact.bench"),
  webhooks: () => import("../bench/webhooks.bench"),
  inbox: () => import("../bench/inbox.bench"),
  dashboard: () => import("../bench/dashboard.bench"),
  reliability: () => import("../bench/reliability.bench"),
};
// These need a real PostgreSQL server: 100k chunks (PGlite would take hours to load them), a scale-10 shop,
// thousands of concurrent webhook deliveries, 2,000,000 inbox messages, a database restarted under load, 1,000,000
// dashboard messages.
const needsPostgres = new Set(["knowledge-latency", "assistant-turn", "webhooks", "inbox", "reliability", "dashboard"]);
// Run only when named (`npm run bench -- storefront-impact`): 12 Lighthouse runs in Chromium take minutes; the
// inbox's first run seeds 2,000,000 messages; reliability runs 200 shoppers for a minute and restarts a database;
// the dashboard's seeds 1,000,000 messages (once a day) and loads the page in Chromium.
const onlyWhenNamed = new Set(["storefront-impact", "inbox", "reliability", "dashboard"]);
const only = process.argv[2];
if (only && !(only in benchmarks)) {
  console.error(`Unknown benchmark "${only}". Choose one of: ${Object.keys(benchmarks).join(", ")}`);
  process.exit(2);
}
for (const [name, load] of Object.entries(benchmarks)) {
  if (only ? only !== name : onlyWhenNamed.has(name)) continue;
  if (needsPostgres.has(name) && database.embedded) {
    console.log(JSON.stringify({ benchmark: name, skipped: "needs BENCH_DATABASE_URL (PostgreSQL with pgvector)" }));
    continue;
  }
  const bench = await load();
  const results = await bench.run({ shopDomain, databaseUrl: database.url });
  // A bench may ask for its figures on one line (`jsonLine`); the others print indented.
  console.log(JSON.stringify({ benchmark: name, database: database.embedded ? "embedded PGlite" : "PostgreSQL", results }, null, bench.jsonLine ? undefined : 2));
}
// The dashboard's live figures subscribe to the shop's events: that LISTEN connection would keep the process alive.
await stopLive();
await closePool();
await prisma.$disconnect();
