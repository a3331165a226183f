/**
 * Acts in a conversation as someone other than the signed-in demo staff member, through the same modules the
 * app uses, so the open inbox must learn of it live:
 *   node --import tsx/esm tests/e2e/support/inbox-actor.ts shopper <conversationId> <text>
 *   node --import tsx/esm tests/e2e/support/inbox-actor.ts colleague <conversationId> viewing|typing|leave
 *   node --import tsx/esm tests/e2e/support/inbox-actor.ts macro <conversationId> <body>   (saves the macro "E2E macro")
 * Prints JSON. Same database as the e2e demo server (tests/setup/database.ts).
 */
import { testDatabaseEnv } from "../../setup/database";

Object.assign(process.env, testDatabaseEnv());
const [role, conversationId, argument] = process.argv.slice(2);
if (!role || !conversationId || !argument) {
  console.error("usage: inbox-actor.ts shopper <conversationId> <text> | colleague <conversationId> viewing|typing|leave | macro <conversationId> <body>");
  process.exit(2);
}
const { prepareDatabase } = await import("../../../app/lib/db/prepare.server");
await prepareDatabase({ migrate: false });
const { default: prisma, disconnectPrisma } = await import("../../../app/db.server");
const { stopLive } = await import("../../../app/lib/live/live-events.server");
const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });

if (role === "shopper") {
  const { handleShopperMessage } = await import("../../../app/modules/conversations");
  const result = await handleShopperMessage(prisma, { shopId: conversation.shopId, conversationId, text: argument });
  console.log(JSON.stringify({ status: result.status }));
} else if (role === "macro") {
  const { listMacros, saveMacro } = await import("../../../app/modules/inbox");
  const author = await prisma.staffMember.findFirstOrThrow({ where: { shopId: conversation.shopId, active: true }, orderBy: { name: "asc" } });
  const scope = { shopId: conversation.shopId, staffId: author.id };
  const existing = (await listMacros(prisma, scope)).find((macro) => macro.name === "E2E macro");
  const macro = await saveMacro(prisma, { ...scope, ...(existing ? { id: existing.id } : {}), name: "E2E macro", body: argument });
  console.log(JSON.stringify({ id: macro.id, name: macro.name }));
} else {
  const { heartbeatPresence, leaveConversation } = await import("../../../app/modules/inbox");
  // A colleague of the demo's signed-in staff member (anyone but the first Shopify-linked one).
  const colleague = await prisma.staffMember.findFirstOrThrow({
    where: { shopId: conversation.shopId, active: true, shopifyUserId: null },
    orderBy: { name: "asc" },
  });
  const scope = { shopId: conversation.shopId, staffId: colleague.id, conversationId };
  if (argument === "leave") await leaveConversation(prisma, scope);
  else await heartbeatPresence(prisma, { ...scope, typing: argument === "typing" });
  console.log(JSON.stringify({ name: colleague.name }));
}
await stopLive();
await disconnectPrisma();
