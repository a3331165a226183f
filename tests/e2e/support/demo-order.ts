/**
 * Prints an in-transit demo order the e2e tests can verify: `{ name, email, trackingNumber }`.
 * `node --import tsx/esm tests/e2e/support/demo-order.ts`, on the e2e demo server's database.
 */
import { testDatabaseEnv } from "../../setup/database";

Object.assign(process.env, testDatabaseEnv());
const { prepareDatabase } = await import("../../../app/lib/db/prepare.server");
await prepareDatabase({ migrate: false });
const { default: prisma, disconnectPrisma } = await import("../../../app/db.server");
const domain = process.env.DEMO_SHOP ?? "shopdesk-demo.myshopify.com";
const shipment = await prisma.shipment.findFirstOrThrow({
  where: { status: "in_transit", trackingNumber: { not: null }, order: { shop: { domain }, email: { not: null }, status: "open" } },
  orderBy: { createdAt: "desc" },
  include: { order: { select: { name: true, email: true } } },
});
console.log(JSON.stringify({ name: shipment.order.name, email: shipment.order.email, trackingNumber: shipment.trackingNumber }));
await disconnectPrisma();
