import type { Prisma, PrismaClient } from "@prisma/client";
import { previewOf } from "~/lib/text";
import { startWaiting } from "~/modules/routing";
import type { ConvSpec } from "./conversations";
import type { GenCustomer, GenOrder } from "./model";
import { at } from "./random";
import { sha256, stableId } from "./stable-id";

/** How conversations refer to stored rows: orders and customers by the ids the sync writers gave them. */
export interface ConversationRefs {
  orderId: (order: GenOrder) => string;
  customerId: (customer: GenCustomer) => string | null;
  staffIds: Map<string, string>;
}

/**
 * Conversations are written directly (they are Shopdesk's own data) and as units: one with messages is complete
 * and kept; one an interrupted run left without messages is rebuilt.
 */
export async function seedConversations(prisma: PrismaClient, shopId: string, conversations: ConvSpec[], refs: ConversationRefs) {
  const conversationRows: Prisma.ConversationCreateManyInput[] = [];
  const messageRows: Prisma.MessageCreateManyInput[] = [];
  for (const spec of conversations) {
    const conversationId = stableId(shopId, `conversation:${spec.key}`);
    const first = at(spec.messages, 0);
    const last = at(spec.messages, spec.messages.length - 1);
    const lastPublic = spec.messages.filter((m) => m.visibility !== "internal").at(-1);
    const firstResponse = spec.messages.find((m) => m.author !== "shopper" && m.author !== "system" && m.visibility !== "internal");
    conversationRows.push({
      id: conversationId,
      shopId,
      customerId: spec.customer ? refs.customerId(spec.customer) : null,
      assigneeId: spec.assigneeEmail ? (refs.staffIds.get(spec.assigneeEmail) ?? null) : null,
      channel: "web_chat",
      status: spec.status,
      priority: spec.priority,
      handledByHuman: spec.handledByHuman,
      subject: spec.subject,
      language: spec.language,
      tokenHash: sha256(`${shopId}:demo-conversation:${spec.key}`),
      shopperEmail: spec.shopperEmail,
      shopperName: spec.shopperName,
      verifiedOrderIds: spec.verified.map(refs.orderId),
      lastIntent: spec.lastIntent,
      sentiment: spec.sentiment,
      summary: spec.summary ?? null,
      escalatedAt: spec.escalatedAt === undefined ? null : new Date(spec.escalatedAt),
      escalationReason: spec.escalationReason ?? null,
      firstResponseAt: firstResponse ? new Date(firstResponse.at) : null,
      lastMessageAt: new Date(last.at),
      lastMessagePreview: lastPublic ? previewOf(lastPublic.body) : null,
      lastMessageAuthor: lastPublic?.author ?? null,
      resolvedAt: spec.resolvedAt === undefined ? null : new Date(spec.resolvedAt),
      csatScore: spec.csatScore ?? null,
      csatComment: spec.csatComment ?? null,
      createdAt: new Date(first.at),
    });
    spec.messages.forEach((message, i) => {
      messageRows.push({
        id: stableId(shopId, `message:${spec.key}:${i}`),
        shopId,
        conversationId,
        author: message.author,
        visibility: message.visibility ?? "public",
        staffId: message.staffEmail ? (refs.staffIds.get(message.staffEmail) ?? null) : null,
        body: message.body,
        metadata: message.metadata ?? {},
        intent: message.intent ?? null,
        confidence: message.confidence ?? null,
        createdAt: new Date(message.at),
      });
    });
  }
  const existingConversations = await prisma.conversation.findMany({
    where: { shopId, id: { in: conversationRows.map((c) => c.id ?? "") } },
    select: { id: true, _count: { select: { messages: true } } },
  });
  const completeConversations = new Set(existingConversations.filter((c) => c._count.messages > 0).map((c) => c.id));
  const incompleteConversations = existingConversations.filter((c) => c._count.messages === 0).map((c) => c.id);
  if (incompleteConversations.length > 0) await prisma.conversation.deleteMany({ where: { shopId, id: { in: incompleteConversations } } });
  const newConversationRows = conversationRows.filter((c) => !completeConversations.has(c.id ?? ""));
  await prisma.conversation.createMany({ data: newConversationRows, skipDuplicates: true });
  const storedConversations = new Set(
    (await prisma.conversation.findMany({ where: { shopId, id: { in: newConversationRows.map((c) => c.id ?? "") } }, select: { id: true } })).map(
      (row) => row.id,
    ),
  );
  await prisma.message.createMany({ data: messageRows.filter((m) => storedConversations.has(m.conversationId)), skipDuplicates: true });
  // An escalated shopper still waiting gets the SLA clock routing would have started at the handoff.
  for (const spec of conversations) {
    const conversationId = stableId(shopId, `conversation:${spec.key}`);
    if (spec.status === "waiting_on_staff" && spec.escalatedAt !== undefined && storedConversations.has(conversationId)) {
      await startWaiting(prisma, { shopId, conversationId, now: new Date(spec.escalatedAt) });
    }
  }
}
