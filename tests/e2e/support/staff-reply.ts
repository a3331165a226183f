/**
 * Posts a staff reply into the conversation a storefront token belongs to, through the inbox's command: `node --import tsx/esm tests/e2e/support/staff-reply.ts <token> <text>`.
 * Runs against the same database as the e2e demo server (tests/setup/database.ts).
 */
import { testDatabaseEnv } from "../../setup/database";

Object.assign(process.env, testDatabaseEnv());
const [token, text] = process.argv.slice(2);
if (!token || !text) {
  console.error("usage: staff-reply.ts <conversation token> <text>");
  process.exit(2);
}
const { prepareDatabase } = await import("../../../app/lib/db/prepare.server");
await prepareDatabase({ migrate: false });
const { default: prisma, disconnectPrisma } = await import("../../../app/db.server");
const { hashConversationToken } = await import("../../../app/modules/conversations");
const { sendStaffReply } = await import("../../../app/modules/inbox");
const conversation = await prisma.conversation.findUniqueOrThrow({ where: { tokenHash: hashConversationToken(token) } });
const staff = await prisma.staffMember.findFirstOrThrow({ where: { shopId: conversation.shopId }, orderBy: { createdAt: "asc" } });
const { message } = await sendStaffReply(prisma, { shopId: conversation.shopId, conversationId: conversation.id, staffId: staff.id, body: text, lastSeenMessageId: null, force: true });
console.log(JSON.stringify({ messageId: message.id, staff: staff.name }));
await disconnectPrisma();
