/**
 * The conversation suite's case format. Cases are data: what the shopper says, turn by turn, and what must hold
 * after each reply. Facts that depend on the seeded data (order numbers, e-mails, tracking numbers, amounts) are
 * written as {{placeholders}} the runner fills from the shop's fixture (see fixtures/facts.ts).
 */

export type Locale = "en" | "fr" | "de" | "es";
export type ShopKey = "demo" | "bergfink";
export type Split = "dev" | "holdout";
export type Category = "knowledge" | "routing" | "orders" | "consent" | "dialogue" | "privacy" | "product";

/**
 * A RegExp, or a string read as a case-insensitive regular expression after filling placeholders:
 * - `{{o.<role>.<field>}}` an order fact, escaped (name, number, email, carrier, tracking, item0, item1, ...);
 *   amount fields (total, refundAll, refundItem0, ...) become a number pattern that accepts 1,234.50 / 1.234,50 / 1 234,50;
 *   `eta` becomes the expected delivery date in the case's locale (day + month name, numeric date or weekday).
 * - a whole string `@name` is a lexicon entry for the case's locale (lexicon.ts), e.g. "@requested".
 */
export type Pattern = RegExp | string;

/** What a reply can ask the shopper for. */
export type Ask = "email" | "orderNumber" | "items" | "confirmation";

/** Kinds of order action a turn can cause (OrderAction.kind, ReturnRequest, or the action log). */
export type ActionKind = "return" | "cancel" | "address";

export interface TurnExpectation {
  /** Every pattern must match the reply. */
  mentions?: Pattern[];
  /** No pattern may match the reply. */
  mustNotMention?: Pattern[];
  /** The reply asks for each of these. */
  asksFor?: Ask[];
  /** The reply asks for none of these (e.g. a logged-in customer is never asked to verify their own order). */
  notAsksFor?: Ask[];
  /** true: this turn handed the conversation to a person; false: it did not, and the conversation is not escalated. */
  handoff?: boolean;
  /**
   * After this turn, an order action started in this conversation exists (true, or that kind) or none does (false).
   * Rows: OrderAction, ReturnRequest, and action-log entries ending in "requested".
   */
  requested?: boolean | ActionKind;
  /** The return requested in this conversation is for exactly this amount (a placeholder naming an amount). */
  requestedAmount?: string;
  /**
   * false: no order flow started — no order tool ran, no verification form, no order card, no request for an
   * order number. For questions that knowledge answers.
   */
  orderFlow?: false;
  /** Every money amount in the reply is at most this (a placeholder naming an amount). */
  amountsAtMost?: string;
  /** This Luhn-valid card number (any spacing) is not in the stored message, nor in the subject, nor in the reply. */
  maskedCard?: string;
  /** These patterns must not appear in the stored shopper message (e.g. a CVC). */
  storedMustNotMention?: Pattern[];
  /** false: skip the automatic language checks for this reply (they run on every fr/de/es reply otherwise). */
  language?: false;
}

export interface Turn {
  /** The shopper's message (placeholders filled). */
  say?: string;
  /** The widget's order-verification form instead of a message. */
  verify?: { orderNumber: string; email: string };
  expect: TurnExpectation;
}

export interface ConversationCase {
  id: string;
  shop: ShopKey;
  split: Split;
  locale: Locale;
  category: Category;
  /** Logged in (signed app-proxy request) as the customer who placed the order in this role; omitted: a guest. */
  customer?: string;
  /** What the case checks, for the report. */
  about: string;
  turns: Turn[];
}
