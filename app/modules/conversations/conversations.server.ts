import { createHash, randomBytes } from "node:crypto";
import type { Message, Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { previewOf } from "~/lib/text";
import { awaitsVerification, type OrderView, readDialogueState } from "~/modules/assistant";
import { MAX_COMMENT_CHARS, MAX_MESSAGE_CHARS, type OrderCard } from "./public-message";
import type { PublicMessage } from "./events.server";

/** Conversations as the shopper and the staff see them: start/resume by token, messages, rating. Staff write through the inbox's commands. */

export class ConversationError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 413,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ConversationError";
  }
}

export const MessageTextSchema = z
  .string({ error: "text must be a string" })
  .transform((value) => value.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().min(1, "Type a message first.").max(MAX_MESSAGE_CHARS, `Messages can be at most ${MAX_MESSAGE_CHARS} characters.`));

export function parseMessageText(value: unknown): string {
  const parsed = MessageTextSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConversationError(issue?.message ?? "invalid message", issue?.code === "too_big" ? 413 : 400, "text");
  }
  return parsed.data;
}

export function hashConversationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface StartConversationInput {
  shopId: string;
  /** Only from a verified app-proxy request. */
  customerId?: string | null;
  language?: string;
  channel?: "web_chat" | "email" | "admin";
}

/** A new conversation and the bearer token the shopper's browser keeps; only its hash is stored. */
export async function startConversation(db: PrismaClient, input: StartConversationInput) {
  const token = randomBytes(32).toString("base64url");
  let shopperEmail: string | null = null;
  let shopperName: string | null = null;
  if (input.customerId) {
    const customer = await db.customer.findFirst({ where: { id: input.customerId, shopId: input.shopId }, select: { email: true, firstName: true } });
    if (!customer) throw new ConversationError("unknown customer", 403);
    shopperEmail = customer.email;
    shopperName = customer.firstName;
  }
  const conversation = await db.conversation.create({
    data: {
      shopId: input.shopId,
      customerId: input.customerId ?? null,
      channel: input.channel ?? "web_chat",
      language: (input.language ?? "en").slice(0, 2).toLowerCase(),
      tokenHash: hashConversationToken(token),
      shopperEmail,
      shopperName,
    },
  });
  return { conversation, token };
}

/** The conversation a token belongs to, within this shop only. */
export async function findConversationByToken(db: PrismaClient, shopId: string, token: string) {
  if (typeof token !== "string" || token.length < 20 || token.length > 200) return null;
  return db.conversation.findFirst({ where: { shopId, tokenHash: hashConversationToken(token) } });
}

export async function getConversation(db: PrismaClient, shopId: string, conversationId: string) {
  const conversation = await db.conversation.findFirst({ where: { id: conversationId, shopId } });
  if (!conversation) throw new ConversationError("conversation not found", 404);
  return conversation;
}

interface MessageMetadata {
  quickReplies?: string[];
  citations?: { sourceId: string; title: string }[];
  orderCard?: OrderView;
  memory?: unknown;
  handoff?: unknown;
}

/** What the shopper's order card shows: no internal ids, amounts as strings. */
export function toOrderCard(order: OrderView): OrderCard {
  return {
    name: order.name,
    placedAt: order.placedAt,
    status: order.status,
    fulfillmentStatus: order.fulfillmentStatus,
    financialStatus: order.financialStatus,
    currency: order.currency,
    total: order.total,
    items: order.items.map((item) => ({ title: item.title, variantTitle: item.variantTitle, quantity: item.quantity })),
    shipments: order.shipments.map((shipment) => ({
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      trackingUrl: shipment.trackingUrl,
      status: shipment.status,
      estimatedDeliveryAt: shipment.estimatedDeliveryAt,
      deliveredAt: shipment.deliveredAt,
    })),
  };
}

export function toPublicMessage(message: Message & { staff?: { name: string } | null }): PublicMessage {
  const metadata = (message.metadata ?? {}) as MessageMetadata;
  return {
    id: message.id,
    author: message.author,
    body: message.body,
    createdAt: message.createdAt.toISOString(),
    ...(message.staff ? { authorName: message.staff.name.split(" ")[0] } : {}),
    ...(metadata.quickReplies?.length ? { quickReplies: metadata.quickReplies } : {}),
    ...(metadata.citations?.length ? { citations: metadata.citations.map(({ sourceId, title }) => ({ sourceId, title })) } : {}),
    ...(metadata.orderCard ? { orderCard: toOrderCard(metadata.orderCard) } : {}),
    ...(awaitsVerification(readDialogueState(metadata.memory)) ? { needsVerification: true } : {}),
    ...(metadata.handoff ? { handoff: true } : {}),
  };
}

/** Public messages after the one with `afterId` (all when it is unknown), oldest first: the widget's catch-up. */
export async function listPublicMessagesAfter(db: PrismaClient, shopId: string, conversationId: string, afterId: string | null) {
  const after = afterId ? await db.message.findFirst({ where: { id: afterId, shopId, conversationId }, select: { createdAt: true, id: true } }) : null;
  const messages = await db.message.findMany({
    where: { shopId, conversationId, visibility: "public", ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 200,
    include: { staff: { select: { name: true } } },
  });
  return messages.map(toPublicMessage);
}

/** What the shopper may see: public messages only, oldest first. */
export async function listPublicMessages(db: PrismaClient, shopId: string, conversationId: string, options: { limit?: number } = {}) {
  const messages = await db.message.findMany({
    where: { shopId, conversationId, visibility: "public" },
    orderBy: { createdAt: "desc" },
    take: options.limit ?? 200,
    include: { staff: { select: { name: true } } },
  });
  return messages.reverse().map(toPublicMessage);
}

/**
 * Stores a message; a public one also becomes the conversation's list preview, unless the caller sets the
 * preview in its own conversation update (`preview: false`).
 */
export async function addMessage(
  db: PrismaClient | Prisma.TransactionClient,
  input: {
    shopId: string;
    conversationId: string;
    author: Message["author"];
    body: string;
    visibility?: Message["visibility"];
    staffId?: string;
    metadata?: Prisma.InputJsonValue;
    intent?: string;
    confidence?: number;
    createdAt?: Date;
    preview?: boolean;
  },
) {
  if ((input.visibility ?? "public") === "public" && input.preview !== false) {
    await db.conversation.update({
      where: { id: input.conversationId },
      data: { lastMessagePreview: previewOf(input.body), lastMessageAuthor: input.author },
      select: { id: true },
    });
  }
  return db.message.create({
    data: {
      shopId: input.shopId,
      conversationId: input.conversationId,
      author: input.author,
      body: input.body,
      visibility: input.visibility ?? "public",
      staffId: input.staffId,
      metadata: input.metadata ?? {},
      intent: input.intent,
      confidence: input.confidence,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    },
    // Only staff messages carry an author name; skipping the join saves round trips on every shopper turn.
    include: { staff: input.staffId ? { select: { name: true } } : false },
  });
}

export const RatingSchema = z.object({
  score: z.number({ error: "score must be a number from 1 to 5" }).int("score must be a whole number").min(1, "score must be 1 to 5").max(5, "score must be 1 to 5"),
  comment: z.string({ error: "comment must be text" }).trim().max(MAX_COMMENT_CHARS, `Comments can be at most ${MAX_COMMENT_CHARS} characters.`).optional(),
});

export async function rateConversation(db: PrismaClient, shopId: string, conversationId: string, rating: unknown) {
  const parsed = RatingSchema.safeParse(rating);
  if (!parsed.success) throw new ConversationError(parsed.error.issues[0]?.message ?? "invalid rating", 400, String(parsed.error.issues[0]?.path[0] ?? "score"));
  const conversation = await getConversation(db, shopId, conversationId);
  return db.conversation.update({
    where: { id: conversation.id },
    data: {
      csatScore: parsed.data.score,
      csatComment: parsed.data.comment || null,
      // Rating ends the chat from the shopper's side, unless the team still owes an answer.
      ...(conversation.status === "open" || conversation.status === "waiting_on_shopper" ? { status: "resolved", resolvedAt: new Date() } : {}),
    },
  });
}
