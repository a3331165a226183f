/**
 * Shopper-facing strings. The theme's locale files (extensions/chat-bubble/locales/*.json, `chat.*`) are the
 * source of truth: the block renders them into `<script type="application/json" id="shopdesk-chat-strings">`
 * with the same keys (without `chat.`). These English values are the fallback for a key the block did not
 * pass (an older block, a missing translation). Placeholders are `{name}`: the block passes them through
 * Liquid as literal `{name}` values (`| t: seconds: '{seconds}'`) so the widget fills them in.
 */
export const DEFAULT_STRINGS = {
  launcher_label: "Chat with us",
  greeting: "Hi there! How can we help you today?",
  panel_label: "Customer support chat",
  close: "Close chat",
  error: "We couldn't load the chat right now. Please try again later.",
  retry: "Try again",
  status_assistant: "Replies instantly",
  status_team: "A team member will reply here",
  handoff: "Talk to a person",
  end_chat: "End chat",
  check_order: "Check an order",
  messages_label: "Conversation",
  you: "You",
  team_member: "Team member",
  typing: "Typing…",
  composer_label: "Your message",
  composer_placeholder: "Type your message…",
  send: "Send",
  chars_left: "{remaining} characters left",
  rate_limited: "You're sending messages quickly — try again in {seconds} s.",
  send_failed: "Your message couldn't be sent. Please try again.",
  reply_failed: "Sorry, something went wrong on our side. Your message was received; our team will follow up.",
  offline: "You seem to be offline. Check your connection and try again.",
  suggestions_label: "Suggested replies",
  source: "Source: {title}",
  order_label: "Order {name}",
  order_placed: "Placed {date}",
  order_items: "Items",
  order_total: "Total",
  order_expected: "Expected {date}",
  order_delivered_on: "Delivered {date}",
  track_package: "Track package",
  new_tab: "(opens in a new tab)",
  order_status_processing: "Processing",
  order_status_cancelled: "Cancelled",
  order_status_refunded: "Refunded",
  order_status_partial: "Partly shipped",
  order_status_fulfilled: "Shipped",
  order_status_label_printed: "Preparing to ship",
  order_status_in_transit: "In transit",
  order_status_out_for_delivery: "Out for delivery",
  order_status_delivered: "Delivered",
  order_status_attempted_delivery: "Delivery attempted",
  order_status_failure: "Delivery problem",
  verify_title: "Check an order",
  verify_intro: "Enter your order number and the email address you used at checkout.",
  verify_order_number: "Order number",
  verify_order_hint: "For example #1042",
  verify_email: "Email address",
  verify_submit: "Check order",
  verify_order_required: "Enter your order number, like #1042.",
  verify_email_invalid: "Enter the email address you used at checkout.",
  verify_failed: "We couldn't find an order with those details. Check them and try again.",
  verify_locked: "Too many attempts. Please wait a while and try again.",
  cancel: "Cancel",
  csat_title: "How did we do?",
  csat_score_1: "Very poor",
  csat_score_2: "Poor",
  csat_score_3: "Okay",
  csat_score_4: "Good",
  csat_score_5: "Excellent",
  csat_comment: "Anything you'd like to add? (optional)",
  csat_submit: "Send feedback",
  csat_skip: "Not now",
  csat_required: "Choose a rating from 1 to 5.",
  csat_thanks: "Thanks for your feedback!",
  new_chat: "Start a new chat",
} as const;

export type StringKey = keyof typeof DEFAULT_STRINGS;
export type Strings = Record<StringKey, string>;

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/**
 * Shopify's `t` filter HTML-escapes translations (keys not ending in `_html`), and `| json` keeps the
 * escapes, so the JSON holds `Vous n&#39;avez`. The widget shows text with textContent: decode first.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The strings the block passed (unknown shape: it is page content), over the English defaults. */
export function resolveStrings(given: unknown): Strings {
  const strings: Strings = { ...DEFAULT_STRINGS };
  if (!given || typeof given !== "object") return strings;
  const record = given as Record<string, unknown>;
  for (const key of Object.keys(DEFAULT_STRINGS) as StringKey[]) {
    const value = record[key];
    // A missing translation renders as "translation missing: fr.chat.x" on Shopify: keep the fallback.
    if (typeof value === "string" && value.trim() && !value.startsWith("translation missing")) strings[key] = decodeEntities(value);
  }
  return strings;
}

/** Parses the block's JSON strings element; anything unreadable falls back to English. */
export function parseStrings(json: string | null | undefined): Strings {
  if (!json) return resolveStrings(null);
  try {
    return resolveStrings(JSON.parse(json));
  } catch {
    return resolveStrings(null);
  }
}

/** Fills `{name}` placeholders; unknown ones stay as they are. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
