import type { PrismaClient } from "@prisma/client";
import { handleShopperMessage, hashConversationToken, requestHandoff } from "~/modules/conversations";
import { saveMacro } from "~/modules/inbox";
import { stableId } from "./stable-id";

/**
 * Conversations waiting in the inbox when the demo opens, played through the real shopper path: each shopper
 * message goes through the assistant's turn (offline NLU, tools, escalation rules) and "Talk to a person" through
 * the real handoff, so routing, priorities and SLA timers are what a live store would show. Times are relative
 * to the wall clock at first seed (minutes ago); a conversation that exists already is left as it is.
 */

interface LiveSpec {
  key: string;
  /** Minutes before the seed that the shopper started. */
  startedMinutesAgo: number;
  customerEmail?: string;
  shopper: { name: string; email: string | null };
  language: string;
  messages: string[];
  /** Press "Talk to a person" after the messages. */
  handoff: boolean;
}

function specs(vip: { email: string; firstName: string; lastName: string; orderName: string } | null): LiveSpec[] {
  const list: LiveSpec[] = [
    {
      key: "live-guest-gift",
      startedMinutesAgo: 35,
      shopper: { name: "Jordan Ellis", email: "jordan.ellis@example.net" },
      language: "en",
      messages: ["Hi, can I still add gift wrapping to an order I placed this morning?", "Can I talk to a real person please?"],
      handoff: false,
    },
    {
      key: "live-de-delay",
      startedMinutesAgo: 90,
      shopper: { name: "Lena Hoffmann", email: "lena.hoffmann@example.de" },
      language: "de",
      messages: ["Hallo, meine Bestellung ist seit zwei Wochen unterwegs und es gibt keine Neuigkeiten. Das ist wirklich ärgerlich!"],
      handoff: true,
    },
  ];
  if (vip) {
    list.unshift({
      key: "live-vip-refund",
      startedMinutesAgo: 12,
      customerEmail: vip.email,
      shopper: { name: `${vip.firstName} ${vip.lastName}`, email: vip.email },
      language: "en",
      messages: [`Hi, I returned two items from order ${vip.orderName} last week and I still haven't seen the refund.`],
      handoff: true,
    });
  }
  return list;
}

export async function seedLiveConversations(prisma: PrismaClient, shopId: string, nowMs = Date.now()) {
  const vipCustomer = await prisma.customer.findFirst({
    where: { shopId, tags: { has: "VIP" }, orders: { some: {} } },
    orderBy: { email: "asc" },
    select: { id: true, email: true, firstName: true, lastName: true, orders: { orderBy: { placedAt: "desc" }, take: 1, select: { name: true } } },
  });
  const vip =
    vipCustomer?.email && vipCustomer.orders[0]
      ? { email: vipCustomer.email, firstName: vipCustomer.firstName ?? "", lastName: vipCustomer.lastName ?? "", orderName: vipCustomer.orders[0].name }
      : null;
  let created = 0;
  for (const spec of specs(vip)) {
    const id = stableId(shopId, `conversation:${spec.key}`);
    const existing = await prisma.conversation.findUnique({ where: { id }, select: { _count: { select: { messages: true } } } });
    if (existing && existing._count.messages > 0) continue;
    // An interrupted run left it empty: play it again.
    if (existing) await prisma.conversation.delete({ where: { id } });
    const startedAt = new Date(nowMs - spec.startedMinutesAgo * 60_000);
    await prisma.conversation.create({
      data: {
        id,
        shopId,
        customerId: spec.customerEmail ? (vipCustomer?.id ?? null) : null,
        language: spec.language,
        tokenHash: hashConversationToken(`${shopId}:demo-conversation:${spec.key}`),
        shopperName: spec.shopper.name,
        shopperEmail: spec.shopper.email,
        createdAt: startedAt,
        lastMessageAt: startedAt,
      },
    });
    let at = startedAt.getTime();
    // Seeded replies come from the offline responder, so the demo reads the same with or without a model key.
    for (const text of spec.messages) {
      await handleShopperMessage(prisma, { shopId, conversationId: id, text }, { now: new Date(at), chatModel: null });
      at += 2 * 60_000;
    }
    if (spec.handoff) await requestHandoff(prisma, { shopId, conversationId: id, now: new Date(at) });
    created++;
  }
  return created;
}

/** Saved replies the demo team uses, with variables the inbox fills from the conversation. */
const DEMO_MACROS = [
  {
    name: "Tracking link",
    body: "Hi {{customer.first_name}}, your order {{order.name}} is on its way. You can follow it here: {{order.tracking_url}}\n\n{{agent.first_name}} at {{shop.name}}",
  },
  {
    name: "Refund confirmed",
    body: "Hi {{customer.first_name}}, the refund of {{refund.amount}} for order {{order.name}} has been issued to your original payment method. Banks usually show it within 5–10 business days.\n\n{{agent.first_name}}",
  },
  {
    name: "Photos of the damage",
    body: "Hi {{customer.first_name}}, I'm sorry your order {{order.name}} arrived damaged. Could you send a photo of the item and of the shipping box? Then I can sort out a replacement or a refund for you.",
  },
];

/** Saved through the inbox's own command (variables validated), once; a merchant's later edits are kept. */
export async function seedMacros(prisma: PrismaClient, shopId: string, authorEmail: string) {
  if ((await prisma.macro.count({ where: { shopId } })) > 0) return;
  const author = await prisma.staffMember.findFirstOrThrow({ where: { shopId, email: authorEmail }, select: { id: true } });
  for (const macro of DEMO_MACROS) await saveMacro(prisma, { shopId, staffId: author.id, ...macro });
}
