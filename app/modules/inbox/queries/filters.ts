import { z } from "zod";
import { InboxError } from "../errors";

/**
 * The inbox list's view and filters as they live in the URL. Not server-only: the UI builds its links with
 * `inboxFiltersToSearchParams`. Unknown parameters (Shopify's `shop`, `host`, `embedded`…) are ignored.
 */

export const INBOX_VIEWS = ["mine", "unassigned", "waiting", "open", "snoozed", "resolved", "all"] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
export const DEFAULT_INBOX_VIEW: InboxView = "open";

/** Most urgent first: the order the list sorts by after the SLA. */
export const INBOX_PRIORITIES = ["urgent", "high", "normal", "low"] as const;
export type InboxPriority = (typeof INBOX_PRIORITIES)[number];
export const INBOX_CHANNELS = ["web_chat", "email", "admin"] as const;
export type InboxChannel = (typeof INBOX_CHANNELS)[number];
export const INBOX_SENTIMENTS = ["negative", "neutral", "positive"] as const;
export type InboxSentiment = (typeof INBOX_SENTIMENTS)[number];

/**
 * Conversation.sentiment (-1..1) at or beyond ±0.4 is negative/positive, like the NLU's own labels (its model
 * wanders up to about ±0.4 on plain questions). A conversation never scored counts as neutral.
 */
export const SENTIMENT_BAND = 0.4;

export const MAX_SEARCH_CHARS = 200;
const MAX_CURSOR_CHARS = 400;

export interface InboxFilters {
  view: InboxView;
  /** A staff member's id, "me" (the signed-in staff member) or "none" (unassigned). */
  assignee?: string;
  /** Any of these priorities. */
  priority?: InboxPriority[];
  intent?: string;
  sentiment?: InboxSentiment;
  language?: string;
  channel?: InboxChannel;
  tag?: string;
  /** Conversations started on or after this day (YYYY-MM-DD, in the shop's time zone). */
  from?: string;
  /** Conversations started on or before this day (YYYY-MM-DD, in the shop's time zone). */
  to?: string;
  /**
   * The conversations behind a dashboard figure (an analytics segment such as "automated"; see the analytics
   * module), usually with from/to and the "all" view: the dashboard's drill-down.
   */
  metric?: string;
  /** Full-text search over the messages (and the customer's name, email and order names). */
  q?: string;
  /** Where the next page starts (from listInbox's nextCursor). */
  cursor?: string;
}

const optionalText = (schema: z.ZodType<string>) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "use a date like 2026-12-01")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "not a real date");

const FiltersSchema = z
  .object({
    view: z.preprocess((value) => (value === "" || value === undefined ? DEFAULT_INBOX_VIEW : value), z.enum(INBOX_VIEWS, { error: `view must be one of ${INBOX_VIEWS.join(", ")}` })),
    assignee: optionalText(
      z.string().refine((value) => value === "me" || value === "none" || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value), 'assignee must be a staff id, "me" or "none"'),
    ),
    priority: z.array(z.enum(INBOX_PRIORITIES, { error: `priority must be any of ${INBOX_PRIORITIES.join(", ")}` })).optional(),
    intent: optionalText(z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, "intent must be an intent name like order_status")),
    sentiment: optionalText(z.enum(INBOX_SENTIMENTS, { error: `sentiment must be one of ${INBOX_SENTIMENTS.join(", ")}` })),
    language: optionalText(z.string().regex(/^[a-z]{2}$/, "language must be a two-letter code like en")),
    channel: optionalText(z.enum(INBOX_CHANNELS, { error: `channel must be one of ${INBOX_CHANNELS.join(", ")}` })),
    tag: optionalText(z.string().trim().min(1).max(50, "tags are at most 50 characters")),
    from: optionalText(isoDay),
    to: optionalText(isoDay),
    // Which names exist is the analytics module's to say (checked when the list is read); here only their form.
    metric: optionalText(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "metric must name a dashboard figure, like automated")),
    q: z.preprocess(
      (value) => (typeof value === "string" ? value.trim() || undefined : value),
      z.string().max(MAX_SEARCH_CHARS, `search is at most ${MAX_SEARCH_CHARS} characters`).optional(),
    ),
    cursor: optionalText(z.string().max(MAX_CURSOR_CHARS, "cursor is too long")),
  })
  .refine((filters) => !filters.from || !filters.to || filters.from <= filters.to, { message: "to must not be before from", path: ["to"] });

function firstIssue(error: z.ZodError): InboxError {
  const issue = error.issues[0];
  const field = issue?.path[0] === undefined ? undefined : String(issue.path[0]);
  return new InboxError(issue ? `${field ?? "filters"}: ${issue.message}` : "invalid filters", 400, field);
}

/** Validates filters given as an object (e.g. a bulk action's body); 400 InboxError naming the field at fault. */
export function validateInboxFilters(input: unknown): InboxFilters {
  const parsed = FiltersSchema.safeParse(input ?? {});
  if (!parsed.success) throw firstIssue(parsed.error);
  const { priority, ...rest } = parsed.data;
  const filters: InboxFilters = { view: rest.view };
  for (const key of ["assignee", "intent", "sentiment", "language", "channel", "tag", "from", "to", "metric", "q", "cursor"] as const) {
    if (rest[key] !== undefined) Object.assign(filters, { [key]: rest[key] });
  }
  // One canonical form (most urgent first, no repeats), so equal filters give equal URLs.
  if (priority?.length) filters.priority = INBOX_PRIORITIES.filter((value) => priority.includes(value));
  if (filters.cursor) decodeInboxCursor(filters.cursor, filters.view);
  return filters;
}

/** Reads the list's filters from the URL (repeated or comma-separated priorities both work). */
export function parseInboxFilters(searchParams: URLSearchParams): InboxFilters {
  const single = (name: string) => {
    const values = searchParams.getAll(name);
    if (values.length > 1) throw new InboxError(`${name}: give it once`, 400, name);
    return values[0];
  };
  const priorities = searchParams
    .getAll("priority")
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);
  return validateInboxFilters({
    view: single("view"),
    assignee: single("assignee"),
    priority: priorities.length ? [...new Set(priorities)] : undefined,
    intent: single("intent"),
    sentiment: single("sentiment"),
    language: single("language"),
    channel: single("channel"),
    tag: single("tag"),
    from: single("from"),
    to: single("to"),
    metric: single("metric"),
    q: single("q"),
    cursor: single("cursor"),
  });
}

/** The URL form of `filters`: parseInboxFilters(inboxFiltersToSearchParams(f)) gives f back. */
export function inboxFiltersToSearchParams(filters: InboxFilters): URLSearchParams {
  const params = new URLSearchParams();
  params.set("view", filters.view);
  if (filters.assignee) params.set("assignee", filters.assignee);
  if (filters.priority?.length) params.set("priority", filters.priority.join(","));
  for (const key of ["intent", "sentiment", "language", "channel", "tag", "from", "to", "metric", "q", "cursor"] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}

// ---------------------------------------------------------------- cursor

/**
 * Where a page ends, as the sort key of its last row. The open views sort by SLA urgency
 * (slaDueAt asc nulls last, priority desc, lastMessageAt desc, id); Resolved and All by most recent activity
 * (lastMessageAt desc, id desc), since nothing there waits on an SLA.
 */
export type InboxCursor =
  | { sort: "sla"; slaDueAt: string | null; priority: InboxPriority; lastMessageAt: string; id: string }
  | { sort: "recent"; lastMessageAt: string; id: string };

const isoInstant = z.string().refine((value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value));
const cursorId = z.string().min(1).max(64);
const CursorSchema = z.discriminatedUnion("sort", [
  z.object({ sort: z.literal("sla"), slaDueAt: isoInstant.nullable(), priority: z.enum(INBOX_PRIORITIES), lastMessageAt: isoInstant, id: cursorId }).strict(),
  z.object({ sort: z.literal("recent"), lastMessageAt: isoInstant, id: cursorId }).strict(),
]);

export function inboxSortOf(view: InboxView): InboxCursor["sort"] {
  return view === "resolved" || view === "all" ? "recent" : "sla";
}

// btoa/atob rather than Buffer: this module also runs in the browser.
export function encodeInboxCursor(cursor: InboxCursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify(cursor));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(value: string): string {
  const binary = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** 400 InboxError (field "cursor") unless `value` is a cursor this view's sort produced. */
export function decodeInboxCursor(value: string, view: InboxView): InboxCursor {
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new Error("not base64url");
    decoded = JSON.parse(fromBase64url(value));
  } catch {
    throw new InboxError("cursor: not a cursor from this list", 400, "cursor");
  }
  const parsed = CursorSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.sort !== inboxSortOf(view)) throw new InboxError("cursor: not a cursor from this list", 400, "cursor");
  return parsed.data;
}
