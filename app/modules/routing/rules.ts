import { z } from "zod";

/**
 * A merchant's escalation rules (ShopSettings.escalationRules). Unknown keys are ignored and bad values fall
 * back to defaults, so a half-edited settings row never stops the assistant from escalating.
 */
export const EscalationRulesSchema = z.object({
  /** Orders worth more than this (shop currency) always go to a person for refunds, returns and changes. */
  orderValueThreshold: z.number().positive().nullable().catch(null).default(null),
  /** Words that always hand off (legal threats, safety). Matched case-insensitively on word boundaries. */
  keywords: z.array(z.string().trim().min(1).max(60)).max(100).catch([]).default([]),
  /** Frustration score (0..1) at or above which a person takes over. */
  frustrationThreshold: z.number().min(0).max(1).catch(0.75).default(0.75),
  /** Consecutive turns the assistant could not help with before it offers a person. */
  maxFailedTurns: z.number().int().min(1).max(10).catch(2).default(2),
});
export type EscalationRules = z.infer<typeof EscalationRulesSchema>;

export function parseEscalationRules(value: unknown): EscalationRules {
  const parsed = EscalationRulesSchema.safeParse(value && typeof value === "object" ? value : {});
  return parsed.success ? parsed.data : EscalationRulesSchema.parse({});
}

export const ESCALATION_REASONS = ["requested", "frustration", "keyword", "repeated_failure", "order_value", "low_confidence", "policy", "verification_locked"] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export interface EscalationSignals {
  text: string;
  /** The shopper asked for a person (intent contact_human_agent / contact_customer_service). */
  askedForHuman: boolean;
  frustration: number;
  /** Turns in a row (including this one) the assistant could not answer. */
  failedTurns: number;
}

export interface EscalationDecision {
  escalate: boolean;
  reason?: EscalationReason;
  detail?: string;
}

/** A keyword as a whole-word pattern, compiled once: a Unicode pattern costs more to compile than to run. */
const keywordPatterns = new Map<string, RegExp>();

function keywordPattern(keyword: string): RegExp {
  let pattern = keywordPatterns.get(keyword);
  if (!pattern) {
    const escaped = keyword.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    pattern = new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, "u");
    // Merchants edit their keywords: the cache is bounded, not a record of every keyword ever saved.
    if (keywordPatterns.size >= 1000) keywordPatterns.clear();
    keywordPatterns.set(keyword, pattern);
  }
  return pattern;
}

function keywordHit(text: string, keywords: string[]): string | undefined {
  const lower = text.toLowerCase();
  return keywords.find((keyword) => keywordPattern(keyword).test(lower));
}

/** Whether this turn hands the conversation to a person, and why. The first matching rule wins. */
export function decideEscalation(rules: EscalationRules, signals: EscalationSignals): EscalationDecision {
  if (signals.askedForHuman) return { escalate: true, reason: "requested", detail: "The shopper asked for a person." };
  const keyword = keywordHit(signals.text, rules.keywords);
  if (keyword) return { escalate: true, reason: "keyword", detail: `The message mentions "${keyword}".` };
  if (signals.frustration >= rules.frustrationThreshold) {
    return { escalate: true, reason: "frustration", detail: `Frustration ${signals.frustration.toFixed(2)} reached the threshold ${rules.frustrationThreshold}.` };
  }
  if (signals.failedTurns >= rules.maxFailedTurns) {
    return { escalate: true, reason: "repeated_failure", detail: `${signals.failedTurns} turns in a row without an answer.` };
  }
  return { escalate: false };
}

/** True when an order's value puts it beyond what the assistant may decide alone. */
export function exceedsOrderValueThreshold(rules: EscalationRules, orderTotal: number): boolean {
  return rules.orderValueThreshold !== null && orderTotal > rules.orderValueThreshold;
}
