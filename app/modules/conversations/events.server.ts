import { EventEmitter } from "node:events";
import type { ChatMessage } from "~/modules/storefront/chat-contract";

/**
 * Live updates for one conversation (new messages, streamed reply text, handoff), in this process. The
 * storefront stream and the inbox subscribe; the turn pipeline and staff replies publish.
 */
export type ConversationEvent =
  | { type: "message"; message: PublicMessage }
  | { type: "delta"; messageId: string; text: string }
  | { type: "reset"; messageId: string }
  | { type: "handoff"; reason: string; status: string }
  | { type: "typing"; author: "assistant" | "staff" };

/** A message as the shopper's widget sees it (the storefront API's ChatMessage). */
export type PublicMessage = ChatMessage;

const bus = new EventEmitter();
bus.setMaxListeners(0);

export function publishConversationEvent(conversationId: string, event: ConversationEvent) {
  bus.emit(conversationId, event);
}

export function subscribeToConversation(conversationId: string, listener: (event: ConversationEvent) => void): () => void {
  bus.on(conversationId, listener);
  return () => bus.off(conversationId, listener);
}
