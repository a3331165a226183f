/**
 * `npm run db:seed`: seeds the demo shop (DEMO_SHOP, default shopdesk-demo.myshopify.com) into DATABASE_URL or
 * the embedded database. Idempotent: running it again adds nothing. SEED_SCALE multiplies customers and orders.
 */
import prisma from "../app/db.server";
import { prepareDatabase } from "../app/lib/db/prepare.server";
import { seedDemoShop } from "../app/modules/demo";

const domain = process.env.DEMO_SHOP ?? "shopdesk-demo.myshopify.com";
const scale = Number(process.env.SEED_SCALE ?? 1);

const database = await prepareDatabase({ migrate: true, log: (line) => console.log(`[migrate] ${line}`) });
const started = performance.now();
try {
  const summary = await seedDemoShop(prisma, { domain, scale });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`[seed] ${domain} (${database.embedded ? "embedded PGlite" : "DATABASE_URL"}) seeded in ${seconds} s`);
  console.table(summary);
} finally {
  await prisma.$disconnect();
}
