/**
 * Creates a conversation waiting in the inbox, through the real shopper path (assistant turn, then handoff),
 * for a demo customer who has orders: `node --import tsx/esm tests/e2e/support/inbox-fixture.ts [text] [same-customer-as-conversation-id]`.
 * Prints `{ conversationId, token, customerName, email, orderName }`. Same database as the e2e demo server.
 */
import { testDatabaseEnv } from "../../setup/database";

Object.assign(process.env, testDatabaseEnv());
const text = process.argv[2] || "Hi, where is my order? It has been a while.";
const sameCustomerAs = process.argv[3];
const { prepareDatabase } = await import("../../../app/lib/db/prepare.server");
await prepareDatabase({ migrate: false });
const { default: prisma, disconnectPrisma } = await import("../../../app/db.server");
const { handleShopperMessage, requestHandoff, startConversation } = await import("../../../app/modules/conversations");
const { stopLive } = await import("../../../app/lib/live/live-events.server");
const domain = process.env.DEMO_SHOP ?? "shopdesk-demo.myshopify.com";
const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
// A customer with shipped orders and no conversation yet, so each run gets a fresh, recognisable row (or the
// customer of a given conversation, for a second conversation to merge).
const sameCustomerId = sameCustomerAs ? (await prisma.conversation.findUniqueOrThrow({ where: { id: sameCustomerAs } })).customerId : null;
const customer = await prisma.customer.findFirstOrThrow({
  where: sameCustomerId
    ? { id: sameCustomerId, shopId: shop.id }
    : {
        shopId: shop.id,
        email: { not: null },
        firstName: { not: null },
        orders: { some: { shipments: { some: { trackingNumber: { not: null } } } } },
        conversations: { none: {} },
      },
  orderBy: { email: "asc" },
  include: { orders: { orderBy: { placedAt: "desc" }, take: 1, select: { name: true } } },
});
const { conversation, token } = await startConversation(prisma, { shopId: shop.id, customerId: customer.id, language: "en" });
await handleShopperMessage(prisma, { shopId: shop.id, conversationId: conversation.id, text });
await requestHandoff(prisma, { shopId: shop.id, conversationId: conversation.id });
console.log(
  JSON.stringify({
    conversationId: conversation.id,
    token,
    customerName: `${customer.firstName} ${customer.lastName ?? ""}`.trim(),
    email: customer.email,
    orderName: customer.orders[0]?.name ?? null,
  }),
);
await stopLive();
await disconnectPrisma();
