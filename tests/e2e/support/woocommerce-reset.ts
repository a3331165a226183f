/**
 * Forgets the demo shop's WooCommerce connection and everything it synced (orders, customers, sync progress,
 * deliveries and their jobs), so the WooCommerce spec starts from "Not connected" on a database an earlier run
 * used: `node --import tsx/esm tests/e2e/support/woocommerce-reset.ts`. Same database as the e2e demo server.
 */
import { testDatabaseEnv } from "../../setup/database";

Object.assign(process.env, testDatabaseEnv());
const { prepareDatabase } = await import("../../../app/lib/db/prepare.server");
await prepareDatabase({ migrate: false });
const { default: prisma, disconnectPrisma } = await import("../../../app/db.server");
const domain = process.env.DEMO_SHOP ?? "shopdesk-demo.myshopify.com";
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain }, select: { id: true } });
const where = { shopId: shop.id, platform: "woocommerce" as const };
const removed = {
  jobs: (await prisma.job.deleteMany({ where: { shopId: shop.id, name: { startsWith: "commerce.woocommerce" } } })).count,
  events: (await prisma.webhookEvent.deleteMany({ where })).count,
  syncStates: (await prisma.syncState.deleteMany({ where })).count,
  orders: (await prisma.order.deleteMany({ where })).count,
  customers: (await prisma.customer.deleteMany({ where })).count,
  integrations: (await prisma.integration.deleteMany({ where })).count,
};
console.log(JSON.stringify(removed));
await disconnectPrisma();
