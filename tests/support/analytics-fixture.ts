import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";

/**
 * A shop's conversations written as data for the analytics tests: each conversation's messages at exact instants,
 * so every figure can be worked out by hand.
 */

export interface FixtureMessage {
  author: "shopper" | "assistant" | "staff";
  at: string;
  body?: string;
  internal?: boolean;
  /** As the turn pipeline stores it on a reply (e.g. `{ unanswered: { reason: "no_good_match" } }`). */
  metadata?: Prisma.InputJsonValue;
}

export interface FixtureConversation {
  key: string;
  createdAt: string;
  messages: FixtureMessage[];
  customerId?: string | null;
  email?: string | null;
  channel?: "web_chat" | "email" | "admin";
  language?: string;
  intent?: string;
  status?: "open" | "waiting_on_staff" | "waiting_on_shopper" | "resolved" | "closed";
  resolvedAt?: string;
  escalatedAt?: string;
  handledByHuman?: boolean;
  csat?: number;
  sentiment?: number;
  /** Action log entries (handoff routing, hand back). */
  actions?: { action: string; at: string }[];
}

/** Writes the conversations; returns their ids by key. */
export async function writeConversations(shopId: string, specs: FixtureConversation[], staffId: string | null = null): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const conversations: Prisma.ConversationCreateManyInput[] = [];
  const messages: Prisma.MessageCreateManyInput[] = [];
  const actions: Prisma.ActionLogCreateManyInput[] = [];
  for (const spec of specs) {
    const id = randomUUID();
    ids[spec.key] = id;
    const ordered = [...spec.messages].sort((a, b) => a.at.localeCompare(b.at));
    const lastPublic = ordered.filter((message) => !message.internal).at(-1);
    conversations.push({
      id,
      shopId,
      customerId: spec.customerId ?? null,
      shopperEmail: spec.email ?? null,
      channel: spec.channel ?? "web_chat",
      language: spec.language ?? "en",
      lastIntent: spec.intent ?? null,
      status: spec.status ?? "waiting_on_shopper",
      resolvedAt: spec.resolvedAt ? new Date(spec.resolvedAt) : null,
      escalatedAt: spec.escalatedAt ? new Date(spec.escalatedAt) : null,
      handledByHuman: spec.handledByHuman ?? false,
      csatScore: spec.csat ?? null,
      sentiment: spec.sentiment ?? null,
      tokenHash: randomUUID(),
      createdAt: new Date(spec.createdAt),
      lastMessageAt: new Date(ordered.at(-1)?.at ?? spec.createdAt),
      lastMessageAuthor: lastPublic?.author ?? null,
      lastMessagePreview: lastPublic?.body?.slice(0, 100) ?? null,
    });
    ordered.forEach((message, index) => {
      messages.push({
        id: randomUUID(),
        shopId,
        conversationId: id,
        author: message.author,
        visibility: message.internal ? "internal" : "public",
        staffId: message.author === "staff" ? staffId : null,
        body: message.body ?? `${message.author} message ${index + 1}`,
        ...(message.metadata ? { metadata: message.metadata } : {}),
        createdAt: new Date(message.at),
      });
    });
    for (const [index, entry] of (spec.actions ?? []).entries()) {
      actions.push({
        shopId,
        conversationId: id,
        actor: "system",
        action: entry.action,
        targetType: "conversation",
        targetId: id,
        idempotencyKey: `fixture:${id}:${index}`,
        createdAt: new Date(entry.at),
      });
    }
  }
  await prisma.conversation.createMany({ data: conversations });
  await prisma.message.createMany({ data: messages });
  if (actions.length > 0) await prisma.actionLog.createMany({ data: actions });
  return ids;
}

/** An order of the shop placed at `placedAt` (the fields analytics reads, the rest plausible). */
export async function writeOrder(
  shopId: string,
  input: { customerId?: string | null; email?: string | null; placedAt: string; total: string; currency?: string; status?: "open" | "closed" | "cancelled" },
) {
  const number = 5000 + Math.floor(Math.random() * 1_000_000);
  return prisma.order.create({
    data: {
      shopId,
      customerId: input.customerId ?? null,
      platform: "shopify",
      externalId: `fixture-${randomUUID()}`,
      name: `#${number}`,
      number,
      email: input.email ?? null,
      currency: input.currency ?? "USD",
      subtotal: input.total,
      total: input.total,
      status: input.status ?? "open",
      placedAt: new Date(input.placedAt),
      sourceUpdatedAt: new Date(input.placedAt),
    },
  });
}

export async function writeCustomer(shopId: string, email: string) {
  return prisma.customer.create({ data: { shopId, platform: "shopify", externalId: `fixture-${randomUUID()}`, email, firstName: email.split("@")[0] } });
}
