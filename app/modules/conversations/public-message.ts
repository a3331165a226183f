/**
 * A message as the shopper sees it: no internal ids beyond the message's own, no notes, amounts as strings.
 * Types and limits only, shared with the storefront widget bundle (through storefront/chat-contract.ts).
 */

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

