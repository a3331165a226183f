/**
 * What each analytics figure means. Shared by the SQL (facts.server.ts), the dashboard (which shows these
 * sentences next to the figures), the CLI and the README, so a definition is written once. Not server-only.
 */

/** A shopper who writes again within this long after the assistant's last answer "came back": not automated. */
export const RETURN_WINDOW_HOURS = 72;
/**
 * Messages closer than this belong to one visit: a follow-up 5 minutes after the answer is part of the chat, a
 * message after a longer silence (up to RETURN_WINDOW_HOURS) is the shopper coming back.
 */
export const VISIT_GAP_MINUTES = 30;
/** Orders a chatting customer places up to this long after the conversation's last message count as influenced. */
export const INFLUENCE_WINDOW_HOURS = 24;
/** Unanswered questions kept per day in a rollup (the dashboard groups at most a few hundred). */
export const UNANSWERED_KEPT_PER_DAY = 200;

/**
 * A shopper message that only says thanks (any mix of "ok", "great", "perfect"… and a thanks, in English,
 * French, German or Spanish), after lower-casing and turning everything but letters into single spaces (THANKS_NORMALISE). Such a reply
 * is not a new question and not a shopper coming back.
 */
export const THANKS_ONLY_PATTERN =
  "^((ok|okay|oki|great|perfect|awesome|cool|nice|super|wonderful|brilliant|got it|all good|alright|that helps|that helped|parfait|genial|génial|merci bien|top|prima|klasse|super danke|alles klar|perfecto|vale|genial|estupendo|muy bien)\\s+)*(thanks|thank you|thank u|thanks a lot|thanks so much|thank you so much|thank you very much|many thanks|thx|ty|tysm|cheers|merci|merci beaucoup|merci bien|mille mercis|danke|danke schön|danke schoen|danke sehr|vielen dank|herzlichen dank|gracias|muchas gracias|mil gracias)(\\s+(again|so much|a lot|very much|for your help|for the help|beaucoup|encore|nochmal|sehr|de nuevo|otra vez))*$";

/** What the text is matched in: lower case, runs of anything but (Latin) letters as one space, trimmed. */
export const THANKS_NORMALISE = "[^a-zà-öø-ÿß]+";

/** The figures a drill-down can list, each naming the conversations behind one figure. */
export const ANALYTICS_SEGMENTS = [
  "conversations",
  "automated",
  "pending",
  "handed_off",
  "reached_staff",
  "first_response",
  "resolved",
  "rated",
  "csat_1",
  "csat_2",
  "csat_3",
  "csat_4",
  "csat_5",
  "unanswered",
  "influenced",
] as const;
export type AnalyticsSegment = (typeof ANALYTICS_SEGMENTS)[number];

export function isAnalyticsSegment(value: string): value is AnalyticsSegment {
  return (ANALYTICS_SEGMENTS as readonly string[]).includes(value);
}

/** How a drill-down names its list ("Automated conversations"). */
export const SEGMENT_LABELS: Record<AnalyticsSegment, string> = {
  conversations: "Conversations",
  automated: "Automated conversations",
  pending: "Conversations still within the 72-hour window",
  handed_off: "Handed-off conversations",
  reached_staff: "Conversations that reached your team",
  first_response: "Conversations your team answered",
  resolved: "Resolved conversations",
  rated: "Rated conversations",
  csat_1: "Rated 1",
  csat_2: "Rated 2",
  csat_3: "Rated 3",
  csat_4: "Rated 4",
  csat_5: "Rated 5",
  unanswered: "Conversations with an unanswered question",
  influenced: "Conversations followed by an order",
};

/** The definitions as the dashboard and the README state them. */
export const METRIC_DEFINITIONS = {
  period:
    "Days run midnight to midnight in the shop's time zone. A conversation belongs to the day it started; conversations merged into another count once, as the one they were merged into.",
  conversation: "A conversation counts once the shopper has written at least one message in it (a chat that was only opened does not).",
  automated: `Resolved by the assistant: the assistant answered the shopper's last question, nobody from your team wrote in it, it was never handed off, and the shopper did not come back within ${RETURN_WINDOW_HOURS} hours of the assistant's last answer — neither in the same conversation (a message after more than ${VISIT_GAP_MINUTES} minutes of silence) nor in a new one (same customer or e-mail). A reply that only says thanks does not count as coming back. Until ${RETURN_WINDOW_HOURS} hours have passed since the assistant's last answer a conversation is "pending", whatever happened so far, and left out of the rate (counting only the recent failures would bias it down): automated ÷ (conversations − pending).`,
  handoff: "Conversations handed to a person (by the assistant's rules, at the shopper's request, or after an assistant error) ÷ conversations. Handing back to the assistant later does not undo it.",
  firstResponse:
    "From the shopper's first message to the first reply from your team, for conversations that reached your team (handed off, or a team member wrote). The assistant's replies and internal notes do not count. Median and 90th percentile (linear interpolation).",
  resolution:
    "From the shopper's first message until the conversation was resolved — marked resolved or closed by your team or by the shopper's rating, or, for an automated conversation, the assistant's last answer. Conversations still open have none yet. Median and 90th percentile.",
  csat: "The shoppers' ratings (1–5) of the conversations, averaged, with how many rated and how often each score was given.",
  volume: "Volume by intent (the conversation's latest intent), language and channel.",
  sentiment: "Sentiment is the average of the conversations' sentiment scores (−1 negative … +1 positive) per day.",
  unanswered:
    "Shopper questions your help center did not answer: the search found no passage relevant enough, or the AI model said it did not know. Each reply is marked when it is written, in any language. Grouped by similar wording.",
  revenue: `Orders (not cancelled) the chatting customer placed between the start of the conversation and ${INFLUENCE_WINDOW_HOURS} hours after its last message, matched by customer account or e-mail. An order counts once, for the latest such conversation.`,
} as const;
