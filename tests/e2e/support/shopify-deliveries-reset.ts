/**
 * Forgets the Shopify webhook deliveries recorded for the demo shop (an earlier run's compliance webhooks), so the
 * Integrations screen shows the demo as the seed leaves it:
 *   node --import tsx/esm tests/e2e/support/shopify-deliveries-reset.ts
 * Prints JSON. Same database as the e2e demo server (tests/setup/database.ts).
 */
import { testDatabaseEnv } from "../../setup/database";

Object.assign(process.env, testDatabaseEnv());
const { prepareDatabase } = await import("../../../app/lib/db/prepare.server");
await prepareDatabase({ migrate: false });
const { getEnv } = await import("../../../app/env.server");
const { default: prisma, disconnectPrisma } = await import("../../../app/db.server");
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: getEnv().DEMO_SHOP } });
const { count } = await prisma.webhookEvent.deleteMany({ where: { shopId: shop.id, platform: "shopify" } });
console.log(JSON.stringify({ deleted: count }));
await disconnectPrisma();
