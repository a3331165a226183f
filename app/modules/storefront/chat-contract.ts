/**
 * The storefront chat API as the widget sees it (`/apps/shopdesk/*` on the shop's domain, forwarded by
 * Shopify's app proxy to `/proxy/*` with a signature). Shared by the server routes and the widget bundle,
 * so it holds types and constants only.
 *
 * Every request but `POST conversations` carries the conversation token in the `X-Shopdesk-Conversation`
 * header; the token is the only way to reach a conversation (no ids in URLs), and it is never sent to any
 * other origin. Errors are JSON `{ error, field? }` with a proper status; 429 carries `Retry-After` (seconds).
 *
 * POST conversations        body { token?, locale? }            → ConversationSnapshot (resumes a valid token, else starts a new one)
 * POST messages             body { text }                       → text/event-stream of StreamEvent, ending with `done` or `error`
 * GET  messages?after=<id>                                      → { messages: ChatMessage[], status } (catch-up / polling fallback)
 * GET  events[?after=<id>]                                      → text/event-stream of live StreamEvent (staff replies, handoff), heartbeats as SSE comments;
 *                                                                 with `after`, messages since that id are sent first; the stream ends after 5 minutes (reconnect)
 * POST verify               body { orderNumber, email }         → { verified: true, message: ChatMessage } | 422 { error } (no match) | 429 { error } + Retry-After (locked)
 * POST handoff              body {}                             → { message: ChatMessage, status }
 * POST rating               body { score: 1..5, comment? }      → { ok: true }
 */

export const CONVERSATION_HEADER = "X-Shopdesk-Conversation";
export const MAX_MESSAGE_CHARS = 2000;
export const MAX_COMMENT_CHARS = 1000;

export interface OrderCard {
  name: string;
  placedAt: string;
  status: string;
  fulfillmentStatus: string;
  financialStatus: string;
  currency: string;
  total: string;
  items: { title: string; variantTitle: string | null; quantity: number }[];
  shipments: { carrier: string | null; trackingNumber: string | null; trackingUrl: string | null; status: string; estimatedDeliveryAt: string | null; deliveredAt: string | null }[];
}

export interface ChatMessage {
  id: string;
  author: "shopper" | "assistant" | "staff" | "system";
  body: string;
  createdAt: string;
  /** Staff member's first name. */
  authorName?: string;
  quickReplies?: string[];
  citations?: { sourceId: string; title: string }[];
  orderCard?: OrderCard;
  /** The assistant asked for the order number and email: the widget shows the verification form. */
  needsVerification?: boolean;
  /** The conversation was handed to a person with this message. */
  handoff?: boolean;
}

export type ConversationStatus = "open" | "waiting_on_staff" | "waiting_on_shopper" | "resolved" | "closed";

export interface ConversationSnapshot {
  token: string;
  /** True when this request started a new conversation (the old token was missing, invalid or closed). */
  started: boolean;
  status: ConversationStatus;
  /** A person has taken over: replies come from staff, live. */
  handledByHuman: boolean;
  rated: boolean;
  assistant: { name: string; greeting: string };
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
