/** Time arithmetic of the generated history, in epoch milliseconds (UTC). */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

export function isWeekend(ms: number): boolean {
  const day = new Date(ms).getUTCDay();
  return day === 0 || day === 6;
}

export function addBusinessDays(ms: number, days: number): number {
  let t = ms;
  let added = 0;
  while (added < days) {
    t += DAY;
    if (!isWeekend(t)) added++;
  }
  return t;
}

export function previousBusinessDay(ms: number): number {
  let t = startOfUtcDay(ms) - DAY;
  while (isWeekend(t)) t -= DAY;
  return t;
}

export function nextBusinessDay(ms: number): number {
  let t = startOfUtcDay(ms) + DAY;
  while (isWeekend(t)) t += DAY;
  return t;
}

const dateFormat = new Intl.DateTimeFormat("en-US", { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" });

/** "Tuesday, November 3", as the assistant writes dates in the seeded conversations. */
export const formatDate = (ms: number) => dateFormat.format(new Date(ms));

export const iso = (ms: number) => new Date(ms).toISOString();
