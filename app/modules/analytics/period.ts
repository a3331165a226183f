import { z } from "zod";

/**
 * Report periods: calendar days (YYYY-MM-DD) in the shop's time zone, both ends included. Not server-only: the
 * dashboard's period picker builds its links with these.
 */

export const MAX_PERIOD_DAYS = 366;
export const PERIOD_PRESETS = ["today", "7d", "30d", "90d"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export const DEFAULT_PRESET: PeriodPreset = "30d";
export const PRESET_LABELS: Record<PeriodPreset, string> = { today: "Today", "7d": "Last 7 days", "30d": "Last 30 days", "90d": "Last 90 days" };
const PRESET_DAYS: Record<PeriodPreset, number> = { today: 1, "7d": 7, "30d": 30, "90d": 90 };

export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

export const IsoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "use a date like 2026-12-01")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "not a real date");

/** `day` moved by `days` (negative: earlier). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Every day of a period, in order. */
export function eachDay(period: Period): string[] {
  const count = daysBetween(period.from, period.to);
  return Array.from({ length: Math.max(0, count) }, (_, index) => addDays(period.from, index));
}

/** The period of equal length just before `period` (the comparison). */
export function previousPeriod(period: Period): Period {
  const length = daysBetween(period.from, period.to);
  return { from: addDays(period.from, -length), to: addDays(period.from, -1) };
}

/** A preset's days ending today. */
export function presetPeriod(preset: PeriodPreset, today: string): Period {
  return { from: addDays(today, 1 - PRESET_DAYS[preset]), to: today };
}

/** The calendar date of `at` in `timeZone` (UTC when the zone is unknown). */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: validTimeZone(timeZone), year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** The zone if the runtime knows it, else UTC (a stored zone that went bad never stops the dashboard). */
export function validTimeZone(zone: string | null | undefined): string {
  if (!zone) return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}

const PeriodQuery = z
  .object({
    period: z.enum(PERIOD_PRESETS, { error: `period must be one of ${PERIOD_PRESETS.join(", ")}` }).optional(),
    from: IsoDay.optional(),
    to: IsoDay.optional(),
  })
  .refine((value) => (value.from === undefined) === (value.to === undefined), { message: "give both from and to", path: ["from"] })
  .refine((value) => !value.from || !value.to || value.from <= value.to, { message: "to must not be before from", path: ["to"] })
  .refine((value) => !value.from || !value.to || daysBetween(value.from, value.to) <= MAX_PERIOD_DAYS, {
    message: `a period is at most ${MAX_PERIOD_DAYS} days`,
    path: ["to"],
  });

export type PeriodChoice = { kind: "preset"; preset: PeriodPreset } | { kind: "custom"; period: Period };

export class PeriodError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Reads `?period=7d` or `?from=…&to=…` (the default: the last 30 days); PeriodError names the bad parameter. */
export function parsePeriodQuery(params: URLSearchParams): PeriodChoice {
  const raw = (name: string) => params.get(name) || undefined;
  const parsed = PeriodQuery.safeParse({ period: raw("period"), from: raw("from"), to: raw("to") });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "period");
    throw new PeriodError(`${field}: ${issue?.message ?? "invalid period"}`, field);
  }
  if (parsed.data.from && parsed.data.to) return { kind: "custom", period: { from: parsed.data.from, to: parsed.data.to } };
  return { kind: "preset", preset: parsed.data.period ?? DEFAULT_PRESET };
}

/** The days a choice means today (a custom period is not moved; days after today simply hold nothing yet). */
export function resolvePeriod(choice: PeriodChoice, today: string): Period {
  return choice.kind === "preset" ? presetPeriod(choice.preset, today) : choice.period;
}
