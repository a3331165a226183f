import { useEffect, useState } from "react";

/* Presentation helpers shared by the inbox components. Dates are formatted in the shop's time zone so the
   server's render and the browser's agree (no hydration mismatch) and every agent sees the same clock. */

const MINUTE = 60_000;

/** "45 s", "12 min", "3 h 05 min", "2 d 4 h": compact durations for wait times and SLA clocks. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return `${Math.max(0, Math.round(abs / 1000))} s`;
  const minutes = Math.floor(abs / MINUTE);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  const days = Math.floor(hours / 24);
  return `${days} d ${hours % 24} h`;
}

export interface SlaClock {
  label: string;
  breached: boolean;
  /** Due within the next 15 minutes. */
  soon: boolean;
}

export function slaClock(slaDueAt: string | null | undefined, now: number): SlaClock | null {
  if (!slaDueAt) return null;
  const left = new Date(slaDueAt).getTime() - now;
  if (left < 0) return { label: `SLA breached ${formatDuration(left)} ago`, breached: true, soon: false };
  return { label: `SLA due in ${formatDuration(left)}`, breached: false, soon: left < 15 * MINUTE };
}

export function formatDateTime(iso: string, timeZone: string, options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" }) {
  return new Intl.DateTimeFormat("en-US", { ...options, timeZone }).format(new Date(iso));
}

/** "14:05" today, "Mar 3" this year, "Mar 3, 2025" before. */
export function formatWhen(iso: string, timeZone: string, now: number) {
  const date = new Date(iso);
  const day = (value: Date) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(value);
  if (day(date) === day(new Date(now))) return formatDateTime(iso, timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const sameYear = day(date).slice(0, 4) === day(new Date(now)).slice(0, 4);
  return formatDateTime(iso, timeZone, sameYear ? { month: "short", day: "numeric" } : { dateStyle: "medium" });
}

export function formatMoney(amount: string | number, currency: string) {
  const value = typeof amount === "string" ? Number(amount) : amount;
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

export const PRIORITIES = ["urgent", "high", "normal", "low"] as const;

export function priorityTone(priority: string): "critical" | "warning" | "info" | undefined {
  if (priority === "urgent") return "critical";
  if (priority === "high") return "warning";
  if (priority === "low") return "info";
  return undefined;
}

export const capitalise = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text);

export const STATUS_LABELS: Record<string, string> = {
  open: "Open",
  waiting_on_staff: "Waiting on us",
  waiting_on_shopper: "Waiting on shopper",
  resolved: "Resolved",
  closed: "Closed",
};

export const CHANNEL_LABELS: Record<string, string> = { web_chat: "Web chat", email: "Email", admin: "Admin" };

export function sentimentLabel(score: number | null | undefined): { label: string; tone: "critical" | "success" | undefined } | null {
  if (score === null || score === undefined) return null;
  if (score <= -0.3) return { label: "Negative", tone: "critical" };
  if (score >= 0.3) return { label: "Positive", tone: "success" };
  return { label: "Neutral", tone: undefined };
}

/** "now", ticking every `everyMs` on the client; starts at the server's `initial` so the first render hydrates cleanly. */
export function useNow(initial: string | number, everyMs = 30_000): number {
  const [now, setNow] = useState(() => (typeof initial === "number" ? initial : new Date(initial).getTime()));
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** `<input type="datetime-local">` value for a moment in the browser's zone, and back. */
export function toLocalInputValue(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
