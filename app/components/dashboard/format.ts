/** How the dashboard writes its figures (en-US, as the rest of the admin). */

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export const formatCount = (value: number) => integer.format(value);

export function formatPercent(value: number | null): string {
  return value === null ? "—" : `${(value * 100).toFixed(1)}%`;
}

/** "45s", "12m 5s", "3h 20m", "2d 4h". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? ` ${s % 60}s` : ""}`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)}m` : ""}`;
  return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600) ? ` ${Math.floor((s % 86_400) / 3600)}h` : ""}`;
}

export function formatMoney(amounts: Record<string, number>, preferred: string): string {
  const entries = Object.entries(amounts);
  if (entries.length === 0) return new Intl.NumberFormat("en-US", { style: "currency", currency: preferred }).format(0);
  // The shop's currency first; orders in others are listed after it.
  entries.sort(([a], [b]) => (a === preferred ? -1 : b === preferred ? 1 : a.localeCompare(b)));
  return entries.map(([currency, amount]) => new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount)).join(" + ");
}

const dayFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const dayYearFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

/** "Nov 3" for a YYYY-MM-DD day. */
export const formatDay = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`));

/** "Nov 3 – Dec 2, 2026" (or one day). */
export function formatPeriod(period: { from: string; to: string }): string {
  if (period.from === period.to) return dayYearFormat.format(new Date(`${period.from}T00:00:00Z`));
  return `${formatDay(period.from)} – ${dayYearFormat.format(new Date(`${period.to}T00:00:00Z`))}`;
}

/** "Order status" for order_status. */
export const humanise = (key: string) => (key ? key[0]!.toUpperCase() + key.slice(1).replace(/_/g, " ") : key);

const LANGUAGE_NAMES = new Intl.DisplayNames(["en"], { type: "language" });
export function languageName(code: string): string {
  try {
    return LANGUAGE_NAMES.of(code) ?? code;
  } catch {
    return code;
  }
}

export const CHANNEL_NAMES: Record<string, string> = { web_chat: "Chat widget", email: "E-mail", admin: "Admin" };

/**
 * The change against the previous period, as words and a tone: rates in percentage points, counts and times in
 * percent. `better` says which direction is good for this figure.
 */
export function describeChange(current: number | null, previous: number | null, kind: "rate" | "relative", better: "higher" | "lower") {
  if (current === null || previous === null) return null;
  const diff = kind === "rate" ? (current - previous) * 100 : previous === 0 ? null : ((current - previous) / previous) * 100;
  if (diff === null) return null;
  const rounded = Math.round(diff * 10) / 10;
  if (rounded === 0) return { text: kind === "rate" ? "no change" : "no change", tone: "neutral" as const };
  const sign = rounded > 0 ? "+" : "−";
  const text = `${sign}${Math.abs(rounded).toFixed(1)}${kind === "rate" ? " pts" : "%"}`;
  const good = better === "higher" ? rounded > 0 : rounded < 0;
  return { text, tone: good ? ("success" as const) : ("critical" as const) };
}
