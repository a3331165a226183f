/**
 * Wall-clock time in an IANA time zone with nothing but Intl, DST included: which local date and time an
 * instant is, and which instant a local date and time is.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

export interface WallClock {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The local date and time of `at` in `timeZone`. */
export function wallClockAt(at: number, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(at)) if (part.type !== "literal") fields[part.type] = Number(part.value);
  return { year: fields.year!, month: fields.month!, day: fields.day!, hour: fields.hour! % 24, minute: fields.minute!, second: fields.second! };
}

/** The zone's offset from UTC at `at`, in ms (e.g. -4 h for New York in summer). */
function offsetAt(at: number, timeZone: string): number {
  const local = wallClockAt(at, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The instant at which the clocks in `timeZone` show `minutes` past midnight of the given local date
 * (minutes may exceed a day: 1560 is 02:00 the next day). A time the clocks skip (spring forward) is
 * moved on by the jump, 02:30 becoming 03:30; a time they show twice (fall back) is its first occurrence.
 */
export function localTimeToInstant(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day) + minutes * MINUTE;
  // Offsets a day either side bracket any transition near this time (zones change offset at most once a day).
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const valid = [wall - before, wall - after].filter((instant) => offsetAt(instant, timeZone) === wall - instant);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}

/** Whether the runtime knows `zone` as an IANA time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
