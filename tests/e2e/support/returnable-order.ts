/**
 * Prints a demo order its customer can return under the demo's rules — delivered within the return window, one
 * returnable item, nothing refunded or returned yet, paid less than the auto-approve limit — and its customer's
 * email: `node --import tsx/esm tests/e2e/support/returnable-order.ts` → `{ email, orderName }`. A run asks for a
 * return of it, so the next run gets another order. Same database as the e2e server.
 */
import { testDatabaseEnv } from "../../setup/database";

Object.assign(process.env, testDatabaseEnv());
const { prepareDatabase } = await import("../../../app/lib/db/prepare.server");
await prepareDatabase({ migrate: false });
const { default: prisma, disconnectPrisma } = await import("../../../app/db.server");
const domain = process.env.DEMO_SHOP ?? "shopdesk-demo.myshopify.com";
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain }, include: { settings: true } });
const settings = shop.settings!;
const windowStart = new Date(Date.now() - (settings.returnWindowDays - 3) * 86_400_000);
const candidates = await prisma.order.findMany({
  where: {
    shopId: shop.id,
    status: { not: "cancelled" },
    total: { gte: 10, lt: settings.autoApproveRefundLimit },
    refunds: { none: {} },
    returnRequests: { none: {} },
    shipments: { some: { status: "delivered", deliveredAt: { gte: windowStart } } },
    customer: { email: { not: null } },
  },
  include: { lineItems: true, customer: { select: { email: true } } },
  orderBy: { placedAt: "desc" },
  take: 200,
});
const excluded = new Set(settings.nonReturnableTags.map((tag) => tag.toLowerCase()));
for (const order of candidates) {
  if (order.lineItems.length !== 1 || order.lineItems[0]!.quantity !== 1 || !order.lineItems[0]!.productExternalId) continue;
  const product = await prisma.product.findFirst({ where: { shopId: shop.id, externalId: order.lineItems[0]!.productExternalId } });
  if (!product || product.productType === "Gift Card" || product.tags.some((tag) => excluded.has(tag.toLowerCase()))) continue;
  console.log(JSON.stringify({ email: order.customer!.email, orderName: order.name }));
  break;
}
await disconnectPrisma();
