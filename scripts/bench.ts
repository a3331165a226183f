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
const { seedDemoShop } = await import("../app/modules/demo");
const shopDomain = "shopdesk-bench.myshopify.com";
await seedDemoShop(prisma, { domain: shopDomain });

const benchmarks = { foundation: await import("../bench/foundation.bench") };
const only = process.argv[2];
for (const [name, benchmark] of Object.entries(benchmarks)) {
  if (only && only !== name) continue;
  const results = await benchmark.run({ shopDomain });
  console.log(JSON.stringify({ benchmark: name, database: database.embedded ? "embedded PGlite" : "PostgreSQL", results }, null, 2));
}
await prisma.$disconnect();
