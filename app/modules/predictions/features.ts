/**
 * What each model looks at, in the order of its weights, with how a raw value becomes the model's input and how a
 * factor is said in plain words. Durations and counts enter as log(1 + x): the tenth hour of waiting or the tenth
 * order matters less than the first.
 */

export type PredictionKind = "csat" | "churn";

export interface FeatureSpec {
  key: string;
  /** The model's input from the raw value (default: the raw value). */
  input?: (raw: number) => number;
  /** The fact in plain words ("waited 3 h for a first reply from the team"). */
  describe: (raw: number, context: DescribeContext) => string;
}

export interface DescribeContext {
  currency: string;
}

const log1p = (value: number) => Math.log1p(Math.max(0, value));
const hours = (seconds: number) => seconds / 3600;

/** "45 min", "3 h", "2 d": how long, as a person would say it. */
function spokenDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

const CSAT_FEATURES: FeatureSpec[] = [
  {
    key: "sentiment",
    describe: (raw) => `shopper's tone is ${raw <= -0.25 ? "negative" : raw >= 0.25 ? "positive" : "neutral"} (${raw.toFixed(2)})`,
  },
  { key: "shopperMessages", input: log1p, describe: (raw) => `shopper wrote ${plural(raw, "message")}` },
  { key: "handedOff", describe: (raw) => (raw ? "handed to a person" : "not handed to a person") },
  {
    key: "teamWaitSeconds",
    input: (raw) => log1p(hours(raw)),
    describe: (raw) => (raw > 0 ? `shopper waited ${spokenDuration(raw)} for a first reply from the team` : "no wait for the team"),
  },
  { key: "durationSeconds", input: (raw) => log1p(hours(raw)), describe: (raw) => `conversation has run ${spokenDuration(raw)}` },
  { key: "assistantNoAnswer", describe: (raw) => (raw ? "the assistant said it found no answer" : "the assistant had answers") },
  { key: "cameBack", describe: (raw) => (raw ? "shopper came back after a pause" : "shopper did not have to come back") },
  { key: "complaint", describe: (raw) => (raw ? "it is a complaint" : "not a complaint") },
  { key: "aboutAnOrder", describe: (raw) => (raw ? "about an existing order (tracking, refund, cancellation, address)" : "not about an existing order") },
  { key: "otherLanguage", describe: (raw) => (raw ? "written in another language than the shop's" : "in the shop's language") },
  { key: "lateDelivery", describe: (raw) => (raw ? "customer had a late delivery in the last 60 days" : "no late delivery lately") },
  { key: "refundOrCancellation", describe: (raw) => (raw ? "customer had a refund or cancellation in the last 60 days" : "no refund or cancellation lately") },
];

const CHURN_FEATURES: FeatureSpec[] = [
  { key: "daysSinceLastOrder", input: log1p, describe: (raw) => `last order ${plural(Math.round(raw), "day")} ago` },
  { key: "orders", input: log1p, describe: (raw) => plural(raw, "order") },
  {
    key: "spent",
    input: log1p,
    describe: (raw, { currency }) => `spent ${new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 0 }).format(raw)} in all`,
  },
  { key: "refunds", input: log1p, describe: (raw) => (raw ? plural(raw, "refund") : "no refunds") },
  { key: "cancelledOrders", input: log1p, describe: (raw) => (raw ? plural(raw, "cancelled order") : "no cancelled orders") },
  { key: "lateDeliveries", input: log1p, describe: (raw) => (raw ? plural(raw, "late delivery", "late deliveries") : "no late deliveries") },
  { key: "conversations", input: log1p, describe: (raw) => `${plural(raw, "support conversation")} in the 90 days before` },
  {
    key: "negativeConversations",
    input: log1p,
    describe: (raw) => (raw ? `${plural(raw, "conversation")} in a negative tone` : "no conversations in a negative tone"),
  },
  {
    key: "unresolvedHandoffs",
    describe: (raw) => (raw ? `${plural(raw, "handoff")} to the team not resolved` : "no unresolved handoffs"),
  },
];

export const FEATURES: Record<PredictionKind, FeatureSpec[]> = { csat: CSAT_FEATURES, churn: CHURN_FEATURES };

/** The model's inputs from a row of raw values keyed by feature. */
export function modelInputs(kind: PredictionKind, raw: Record<string, number>): number[] {
  return FEATURES[kind].map((feature) => {
    const value = Number(raw[feature.key] ?? 0);
    return feature.input ? feature.input(value) : value;
  });
}
