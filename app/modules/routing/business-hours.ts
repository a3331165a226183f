import { z } from "zod";
import { isTimeZone, localTimeToInstant, wallClockAt } from "./zoned-time";

/** ShopSettings.businessHours: opening hours per weekday in the shop's time zone. */
const DaySchema = z.object({ open: z.string().regex(/^\d{2}:\d{2}$/), close: z.string().regex(/^\d{2}:\d{2}$/) }).nullable();
export const BusinessHoursSchema = z.object({
  timezone: z.string().optional(),
  days: z
    .object({
      monday: DaySchema.optional(),
      tuesday: DaySchema.optional(),
      wednesday: DaySchema.optional(),
      thursday: DaySchema.optional(),
      friday: DaySchema.optional(),
      saturday: DaySchema.optional(),
      sunday: DaySchema.optional(),
    })
    .optional(),
  expectedResponse: z.string().max(200).optional(),
});
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
type Weekday = (typeof WEEKDAYS)[number];

export function parseBusinessHours(value: unknown): BusinessHours {
  const parsed = BusinessHoursSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

/** The hours' own zone, else the shop's, else UTC: an unknown zone never stops the clock. */
function validTimeZone(zone: string | undefined, fallback: string): string {
  return [zone, fallback].find((candidate): candidate is string => !!candidate && isTimeZone(candidate)) ?? "UTC";
}

/** Weekday and minutes since midnight of `at` in `timeZone`. */
function localClock(at: Date, timeZone: string): { weekday: Weekday; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? "";
  return { weekday: get("weekday").toLowerCase() as Weekday, minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

const toMinutes = (hhmm: string) => Math.min(24 * 60, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)));

/**
 * A day's opening as minutes after that day's midnight. A closing time at or before the opening time is on
 * the next day (22:00–02:00 is overnight; 00:00–00:00 is the whole day).
 */
function slotRange(slot: { open: string; close: string } | null | undefined): { open: number; close: number } | null {
  if (!slot) return null;
  const open = toMinutes(slot.open);
  const close = toMinutes(slot.close);
  return { open, close: close > open ? close : close + 24 * 60 };
}

export interface Availability {
  /** No hours configured: the team's availability is unknown, so promise nothing. */
  configured: boolean;
  open: boolean;
  /** When closed: the next opening as weekday + local time, e.g. { weekday: "monday", time: "08:00" }. */
  nextOpening?: { weekday: Weekday; time: string };
  expectedResponse?: string;
  timeZone: string;
}

/** Whether the support team is in now, and if not, when it next is. */
export function availabilityAt(hours: BusinessHours, at: Date, shopTimeZone = "UTC"): Availability {
  const timeZone = validTimeZone(hours.timezone, shopTimeZone);
  const days = hours.days;
  const expectedResponse = hours.expectedResponse;
  if (!days || Object.keys(days).length === 0) return { configured: false, open: false, expectedResponse, timeZone };
  const { weekday, minutes } = localClock(at, timeZone);
  const start = WEEKDAYS.indexOf(weekday);
  const today = slotRange(days[weekday]);
  // Yesterday's overnight opening may still be running.
  const yesterday = slotRange(days[WEEKDAYS[(start + 6) % 7]!]);
  if ((today && minutes >= today.open && minutes < today.close) || (yesterday && minutes + 24 * 60 < yesterday.close)) {
    return { configured: true, open: true, expectedResponse, timeZone };
  }
  for (let offset = 0; offset < 8; offset++) {
    const day = WEEKDAYS[(start + offset) % 7]!;
    const slot = days[day];
    if (!slot) continue;
    if (offset === 0 && minutes >= toMinutes(slot.open)) continue;
    return { configured: true, open: false, nextOpening: { weekday: day, time: slot.open }, expectedResponse, timeZone };
  }
  return { configured: true, open: false, expectedResponse, timeZone };
}

const MINUTE = 60_000;
/** Past this the hours are too sparse to matter; the remaining time then runs on the plain clock. */
const MAX_DAYS_WALKED = 3_660;

/**
 * `start` plus `minutes` of business time: the clock only runs while the shop is open (its hours in its
 * IANA zone, DST included, so a 09:00 opening is 09:00 local all year). No hours configured, or none with
 * any length, means always open.
 */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHours, shopTimeZone = "UTC"): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`business minutes must be a non-negative number, got ${minutes}`);
  const slots = WEEKDAYS.map((day) => slotRange(hours.days?.[day]));
  let remaining = minutes * MINUTE;
  if (!slots.some((slot) => slot !== null && slot.close > slot.open)) return new Date(start.getTime() + remaining);
  const timeZone = validTimeZone(hours.timezone, shopTimeZone);
  const local = wallClockAt(start.getTime(), timeZone);
  let cursor = start.getTime();
  // From the day before: its overnight opening may run into today. Openings come in order, so each stretch
  // of open time is counted once even where one day's hours run into the next day's.
  for (let offset = -1; offset < MAX_DAYS_WALKED; offset++) {
    const date = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
    const slot = slots[date.getUTCDay()];
    if (!slot) continue;
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const close = localTimeToInstant(year, month, day, slot.close, timeZone);
    if (close <= cursor) continue;
    const from = Math.max(cursor, localTimeToInstant(year, month, day, slot.open, timeZone));
    // An opening inside the hour the clocks skip can end up with no length at all.
    if (from > close) continue;
    if (from + remaining <= close) return new Date(from + remaining);
    remaining -= close - from;
    cursor = close;
  }
  return new Date(cursor + remaining);
}
