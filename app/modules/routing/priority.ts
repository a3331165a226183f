import type { Priority } from "@prisma/client";
import type { EscalationReason } from "./rules";

export type { Priority };

/** Lowest first. */
export const PRIORITIES = ["low", "normal", "high", "urgent"] as const satisfies readonly Priority[];

export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

export function higherPriority(a: Priority, b: Priority): Priority {
  return priorityRank(a) >= priorityRank(b) ? a : b;
}

/** Frustration (0..1) at or above which a handoff is high priority. */
export const FRUSTRATION_HIGH = 0.6;

/** Intents that cannot wait: the order may ship or the money is wrong before anyone answers. */
const PRESSING_INTENTS = new Set(["cancel_order", "change_order", "change_shipping_address", "payment_issue", "complaint"]);

export interface PrioritySignals {
  reason?: EscalationReason | null;
  /** The shopper's latest frustration score, 0..1. */
  frustration?: number | null;
  intent?: string | null;
  /** The value of the order the conversation is about (the largest verified one), in the shop's currency. */
  orderValue?: number | null;
  /** Orders above this are high priority (the escalation rules' order value threshold); null: no threshold. */
  orderValueThreshold?: number | null;
  customerTags?: readonly string[];
  /** The tag that marks a VIP customer (routing settings), matched case-insensitively. */
  vipTag?: string;
}

/**
 * How urgent a handoff is. A person was asked for, so it is at least normal (low is only ever set by staff).
 * High: frustration ≥ 0.6, an order above the threshold, a pressing intent (cancel, change, payment,
 * complaint), or a frustration / order-value escalation. Urgent: a keyword escalation (the merchant's legal
 * and safety words). A VIP customer's handoff is one level higher than it would otherwise be, so an upset
 * VIP is urgent.
 */
export function computePriority(signals: PrioritySignals): Priority {
  let priority: Priority = "normal";
  const raise = (to: Priority) => {
    priority = higherPriority(priority, to);
  };
  if (signals.reason === "keyword") raise("urgent");
  if (signals.reason === "frustration" || signals.reason === "order_value") raise("high");
  if ((signals.frustration ?? 0) >= FRUSTRATION_HIGH) raise("high");
  if (signals.orderValue != null && signals.orderValueThreshold != null && signals.orderValue > signals.orderValueThreshold) raise("high");
  if (signals.intent && PRESSING_INTENTS.has(signals.intent)) raise("high");
  if (isVip(signals.customerTags ?? [], signals.vipTag ?? "VIP")) priority = PRIORITIES[Math.min(priorityRank(priority) + 1, PRIORITIES.length - 1)]!;
  return priority;
}

export function isVip(tags: readonly string[], vipTag: string): boolean {
  const wanted = vipTag.trim().toLowerCase();
  return wanted.length > 0 && tags.some((tag) => tag.trim().toLowerCase() === wanted);
}
