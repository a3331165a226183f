import type { Prisma, PrismaClient } from "@prisma/client";
import { publishLive } from "~/lib/live/live-events.server";
import type { ChatMessage } from "./public-message";

/**
 * What happens in a conversation as it happens. The tab that sent a message receives every event through the
 * turn's `onEvent` (streamed reply text included); finished messages and handoffs are also published to every
 * app instance (~/lib/live), where the shopper's other tabs and the inbox hear of them.
 */
export type ConversationEvent =
  | { type: "message"; message: PublicMessage }
  | { type: "delta"; messageId: string; text: string }
  | { type: "reset"; messageId: string }
  | { type: "handoff"; reason: string; status: string }
  | { type: "typing"; author: "assistant" | "staff" };

/** A message as the shopper's widget sees it (the storefront API's ChatMessage). */
export type PublicMessage = ChatMessage;

/** Publishes a finished message or a handoff to every instance; streamed text stays with the tab that asked. */
export async function publishConversationEvent(
  shopId: string,
  conversationId: string,
  event: ConversationEvent,
  db?: PrismaClient | Prisma.TransactionClient,
): Promise<void> {
  if (event.type === "message") {
    await publishLive(shopId, { type: "message.created", conversationId, messageId: event.message.id, author: event.message.author, visibility: "public" }, db);
  } else if (event.type === "handoff") {
    await publishLive(shopId, { type: "handoff", conversationId, status: event.status }, db);
  }
}
