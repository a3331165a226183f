/**
 * Prints a demo customer who has a shipped order and no conversation yet, for a test to shop as:
 * `node --import tsx/esm tests/e2e/support/demo-customer.ts [skip]` → `{ email, name, firstName, orderName }`.
 * `skip` passes over that many candidates (two tests in one run each get their own). Same database as the e2e server.
 */
import { testDatabaseEnv } from "../../setup/database";

Object.assign(process.env, testDatabaseEnv());
const skip = Number(process.argv[2] ?? 0);
const { prepareDatabase } = await import("../../../app/lib/db/prepare.server");
await prepareDatabase({ migrate: false });
const { default: prisma, disconnectPrisma } = await import("../../../app/db.server");
const domain = process.env.DEMO_SHOP ?? "shopdesk-demo.myshopify.com";
const customer = await prisma.customer.findFirstOrThrow({
  where: {
    shop: { domain },
    email: { not: null },
    firstName: { not: null },
    conversations: { none: {} },
    orders: { some: { shipments: { some: { trackingUrl: { not: null } } } } },
  },
  // From the end of the alphabet: the inbox fixture takes customers from its start.
  orderBy: { email: "desc" },
  skip,
  include: { orders: { where: { shipments: { some: { trackingUrl: { not: null } } } }, orderBy: { placedAt: "desc" }, take: 1, select: { name: true } } },
});
console.log(
  JSON.stringify({
    email: customer.email,
    name: `${customer.firstName} ${customer.lastName ?? ""}`.trim(),
    firstName: customer.firstName,
    orderName: customer.orders[0]?.name,
  }),
);
await disconnectPrisma();
