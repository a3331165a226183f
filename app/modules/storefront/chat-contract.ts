/**
 * The storefront chat API as the widget sees it (`/apps/shopdesk/*` on the shop's domain, forwarded by
 * Shopify's app proxy to `/proxy/*` with a signature). Shared by the server routes and the widget bundle,
 * so it holds types and constants only.
 *
 * Every request but `POST conversations` carries the conversation token in the `X-Shopdesk-Conversation`
 * header; the token is the only way to reach a conversation (no ids in URLs), and it is never sent to any
 * other origin. Errors are JSON `{ error, field? }` with a proper status; 429 carries `Retry-After` (seconds).
 *
 * POST conversations        body { token?, locale? }            → ConversationSnapshot (resumes a valid token, else starts a new one; `locale` is the
 *                                                                 storefront's: the greeting and starter chips come in its language, and a conversation
 *                                                                 starts in it, following a switch until the shopper has written)
 * POST messages             body { text }                       → text/event-stream of StreamEvent, ending with `done` or `error`
 * GET  messages?after=<id>                                      → { messages: ChatMessage[], status } (catch-up / polling fallback)
 * GET  events[?after=<id>]                                      → text/event-stream of live StreamEvent (staff replies, handoff), heartbeats as SSE comments;
 *                                                                 with `after`, messages since that id are sent first; the stream ends after 5 minutes (reconnect)
 * POST verify               body { orderNumber, email }         → { verified: true, message: ChatMessage } | 422 { error } (no match) | 429 { error } + Retry-After (locked)
 * POST handoff              body {}                             → { message: ChatMessage, status }
 * POST rating               body { score: 1..5, comment? }      → { ok: true }
 * POST read                 body { upTo: <message id> }         → { at } (read receipt; never moves back; 404 for a message not in this conversation)
 */

export const CONVERSATION_HEADER = "X-Shopdesk-Conversation";
// What a shopper may see of a message is the conversations module's; the API hands it out as is.
export { type ChatMessage, MAX_COMMENT_CHARS, MAX_MESSAGE_CHARS, type OrderCard } from "../conversations/public-message";
import type { ChatMessage } from "../conversations/public-message";

export type ConversationStatus = "open" | "waiting_on_staff" | "waiting_on_shopper" | "resolved" | "closed";

export interface ConversationSnapshot {
  token: string;
  /** True when this request started a new conversation (the old token was missing, invalid or closed). */
  started: boolean;
  status: ConversationStatus;
  /** A person has taken over: replies come from staff, live. */
  handledByHuman: boolean;
  rated: boolean;
  /**
   * The greeting in the shopper's language (the merchant's, or the app's default naming the assistant and the
   * shop), and the merchant's avatar image (an https URL) when there is one.
   */
  assistant: { name: string; greeting: string; avatarUrl?: string };
  /** Starter chips in the shopper's language, until the shopper writes. */
  quickReplies: string[];
  messages: ChatMessage[];
}

/** Events on `POST messages` and `GET events` streams (SSE `event:` name = `type`, `data:` = JSON). */
export type StreamEvent =
  | { type: "message"; message: ChatMessage }
  | { type: "delta"; messageId: string; text: string }
  | { type: "reset"; messageId: string }
  | { type: "handoff"; status: ConversationStatus }
  | { type: "typing"; author: "assistant" | "staff" }
  | { type: "done"; message: ChatMessage | null; status: ConversationStatus }
  | { type: "error"; error: string };
