import { z } from "zod";

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

function validTimeZone(zone: string | undefined, fallback: string): string {
  for (const candidate of [zone, fallback, "UTC"]) {
    if (!candidate) continue;
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: candidate });
      return candidate;
    } catch {
      // Unknown zone: try the next one.
    }
  }
  return "UTC";
}

/** Weekday and minutes since midnight of `at` in `timeZone`. */
function localClock(at: Date, timeZone: string): { weekday: Weekday; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? "";
  return { weekday: get("weekday").toLowerCase() as Weekday, minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

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
  const today = days[weekday];
  if (today && minutes >= toMinutes(today.open) && minutes < toMinutes(today.close)) return { configured: true, open: true, expectedResponse, timeZone };
  const start = WEEKDAYS.indexOf(weekday);
  for (let offset = 0; offset < 8; offset++) {
    const day = WEEKDAYS[(start + offset) % 7]!;
    const slot = days[day];
    if (!slot) continue;
    if (offset === 0 && minutes >= toMinutes(slot.open)) continue;
    return { configured: true, open: false, nextOpening: { weekday: day, time: slot.open }, expectedResponse, timeZone };
  }
  return { configured: true, open: false, expectedResponse, timeZone };
}
