import { z } from "zod";
import type { Priority } from "./priority";

/**
 * ShopSettings.routing and ShopSettings.sla. Unknown keys are ignored and a bad value falls back to its
 * default on its own, so a half-edited settings row never stops handoffs from being routed.
 */

export const ASSIGNMENT_STRATEGIES = ["round_robin", "least_busy", "manual"] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

export const RoutingSettingsSchema = z.object({
  /** Who gets a new handoff: the one assigned longest ago, the one with the fewest open conversations, or nobody. */
  assignment: z.enum(ASSIGNMENT_STRATEGIES).catch("round_robin").default("round_robin"),
  /** Customers with this tag (Customer.tags) are VIPs: their handoffs are one priority level higher. */
  vipTag: z.string().trim().min(1).max(60).catch("VIP").default("VIP"),
  /** Assign on handoff; off leaves every handoff in "Unassigned" whatever the strategy. */
  autoAssign: z.boolean().catch(true).default(true),
});
export type RoutingSettings = z.infer<typeof RoutingSettingsSchema>;

export function parseRoutingSettings(value: unknown): RoutingSettings {
  return RoutingSettingsSchema.parse(value && typeof value === "object" && !Array.isArray(value) ? value : {});
}

export interface SlaTarget {
  /** Business minutes from the handoff (or the shopper's first unanswered message) to a person's first reply. */
  firstResponseMinutes: number;
  /** Business minutes from a shopper's message to the next reply once a person has answered. */
  nextResponseMinutes: number;
}
export type SlaPolicy = Record<Priority, SlaTarget>;

/**
 * Response targets (first / next) in business minutes, i.e. minutes the shop is open: urgent 15 / 30,
 * high 60 / 120, normal 240 / 480, low 1440 / 1440.
 */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  urgent: { firstResponseMinutes: 15, nextResponseMinutes: 30 },
  high: { firstResponseMinutes: 60, nextResponseMinutes: 120 },
  normal: { firstResponseMinutes: 240, nextResponseMinutes: 480 },
  low: { firstResponseMinutes: 1440, nextResponseMinutes: 1440 },
};

/** At most 30 days of round-the-clock business time: more is a typo, not a target. */
const MAX_SLA_MINUTES = 43_200;

const minutes = (fallback: number) => z.number().int().min(1).max(MAX_SLA_MINUTES).catch(fallback).default(fallback);

const target = (defaults: SlaTarget) =>
  z
    .object({ firstResponseMinutes: minutes(defaults.firstResponseMinutes), nextResponseMinutes: minutes(defaults.nextResponseMinutes) })
    .catch(defaults)
    .default(defaults);

const SlaPolicySchema = z.object({
  low: target(DEFAULT_SLA_POLICY.low),
  normal: target(DEFAULT_SLA_POLICY.normal),
  high: target(DEFAULT_SLA_POLICY.high),
  urgent: target(DEFAULT_SLA_POLICY.urgent),
});

export function parseSlaPolicy(value: unknown): SlaPolicy {
  return SlaPolicySchema.parse(value && typeof value === "object" && !Array.isArray(value) ? value : {});
}
