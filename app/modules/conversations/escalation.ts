import { computePriority, type EscalationReason } from "~/modules/routing";

/** How a handoff lands in the inbox: when, why, how urgent, and a summary so staff need not read back. */

export interface HandoffFacts {
  reason: EscalationReason;
  detail: string;
  intent: string;
  /** The shopper's latest message. */
  text: string;
  orderName?: string;
  sentiment: number;
  frustration: number;
  /** The shopper's earlier messages, oldest first. */
  history: string[];
  now: Date;
}

/** The conversation fields a new handoff sets. */
export function escalationFields(facts: HandoffFacts) {
  const earlier = facts.history.slice(-3).map((body) => `“${body.slice(0, 160)}”`);
  const summary = [
    `Handoff: ${facts.detail}`,
    `Topic: ${facts.intent.replace(/_/g, " ")}${facts.orderName ? `, order ${facts.orderName}` : ""}.`,
    `Mood: sentiment ${facts.sentiment.toFixed(2)}, frustration ${facts.frustration.toFixed(2)}.`,
    `Latest message: “${facts.text.slice(0, 300)}”`,
    ...(earlier.length > 0 ? [`Before that: ${earlier.join(" · ")}`] : []),
  ].join("\n");
  return {
    escalatedAt: facts.now,
    escalationReason: `${facts.reason}: ${facts.detail}`.slice(0, 500),
    // What the turn knows; routing raises it with the order value and VIP tag right after.
    priority: computePriority({ reason: facts.reason, frustration: facts.frustration, intent: facts.intent }),
    summary,
  };
}
