import { analyticsSegmentCondition, isAnalyticsSegment } from "~/modules/analytics";
import { InboxError } from "../errors";
import {
  decodeInboxCursor,
  encodeInboxCursor,
  INBOX_VIEWS,
  type InboxChannel,
  type InboxCursor,
  type InboxFilters,
  type InboxPriority,
  type InboxView,
  inboxSortOf,
  SENTIMENT_BAND,
  validateInboxFilters,
} from "./filters";
import { type InboxDb, inboxRead, iso, type RunSql, SqlParams } from "./sql.server";

/**
 * The inbox list: which conversations each view holds, in SLA order, a page at a time.
 *
 * Views (all scoped to the shop; "snoozed" means snoozedUntil > now):
 * - open: status open, waiting_on_staff or waiting_on_shopper (the "active" statuses), not snoozed, with at
 *   least one message (a chat the shopper only opened is not work).
 * - mine: open and assigned to the signed-in staff member.
 * - unassigned: open, nobody assigned, and a person is needed: the conversation waits on staff or a person
 *   already took it over (a conversation the assistant is handling is not "unassigned" work).
 * - waiting ("waiting on us"): status waiting_on_staff, not snoozed.
 * - snoozed: active status and snoozed.
 * - resolved: status resolved or closed, not merged into another conversation.
 * - all: every conversation with a message whatever its status, not merged into another (the dashboard's
 *   drill-downs open it with filters.metric).
 *
 * Order: the active views by SLA urgency (slaDueAt ascending, nulls last, so breached ones come first, the
 * most overdue on top), then priority (urgent first), then the latest activity, then id; Resolved by the
 * latest activity. Pages are keyset pages over that order (see InboxCursor).
 */

export const INBOX_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

export interface InboxRow {
  id: string;
  subject: string | null;
  customer: { id: string | null; name: string | null; email: string | null; verified: boolean; loggedIn: boolean };
  lastMessagePreview: string | null;
  lastMessageAuthor: "shopper" | "assistant" | "staff" | "system" | null;
  lastMessageAt: string;
  createdAt: string;
  waitingSince: string | null;
  slaDueAt: string | null;
  slaKind: string | null;
  /** Past its SLA due time while still open. */
  breached: boolean;
  priority: InboxPriority;
  status: "open" | "waiting_on_staff" | "waiting_on_shopper" | "resolved" | "closed";
  assignee: { id: string; name: string } | null;
  /** Something new since this staff member last read it (their own replies do not count). */
  unread: boolean;
  tags: string[];
  language: string;
  channel: InboxChannel;
  lastIntent: string | null;
  sentiment: number | null;
  snoozedUntil: string | null;
  handledByHuman: boolean;
}

export interface InboxPage {
  rows: InboxRow[];
  /** Pass as filters.cursor for the next page; null on the last page. */
  nextCursor: string | null;
}

interface Scope {
  shopId: string;
  staffId: string;
  now: Date;
  /** filters.from/to as instants: the start of the first day and the end of the last, in the shop's time zone. */
  createdFrom?: Date;
  createdBefore?: Date;
}

// A conversation nobody has written in yet (the shopper only opened the chat) is not inbox work; a public
// message sets lastMessageAuthor. The views' partial index has the same predicate.
const ACTIVE = `c."status" IN ('open', 'waiting_on_staff', 'waiting_on_shopper') AND c."lastMessageAuthor" IS NOT NULL`;

/** The WHERE clause of a view, with its parameters. */
function viewCondition(view: InboxView, sql: SqlParams, scope: Scope): string {
  const now = () => sql.param(scope.now, "timestamptz");
  const notSnoozed = () => `(c."snoozedUntil" IS NULL OR c."snoozedUntil" <= ${now()})`;
  switch (view) {
    case "open":
      return `${ACTIVE} AND ${notSnoozed()}`;
    case "mine":
      return `${ACTIVE} AND c."assigneeId" = ${sql.param(scope.staffId)} AND ${notSnoozed()}`;
    case "unassigned":
      return `${ACTIVE} AND c."assigneeId" IS NULL AND (c."status" = 'waiting_on_staff' OR c."handledByHuman") AND ${notSnoozed()}`;
    case "waiting":
      return `${ACTIVE} AND c."status" = 'waiting_on_staff' AND ${notSnoozed()}`;
    case "snoozed":
      return `${ACTIVE} AND c."snoozedUntil" > ${now()}`;
    case "resolved":
      return `c."status" IN ('resolved', 'closed') AND c."mergedIntoId" IS NULL`;
    case "all":
      return `c."lastMessageAuthor" IS NOT NULL AND c."mergedIntoId" IS NULL`;
  }
}

/** The filters' conditions (each fixed SQL with parameters), ANDed with the view's. */
function filterConditions(filters: InboxFilters, sql: SqlParams, scope: Scope): string[] {
  const conditions: string[] = [];
  if (filters.assignee === "me") conditions.push(`c."assigneeId" = ${sql.param(scope.staffId)}`);
  else if (filters.assignee === "none") conditions.push(`c."assigneeId" IS NULL`);
  else if (filters.assignee) conditions.push(`c."assigneeId" = ${sql.param(filters.assignee)}`);
  if (filters.priority?.length) conditions.push(`c."priority" = ANY(${sql.param(filters.priority, `"Priority"[]`)})`);
  if (filters.intent) conditions.push(`c."lastIntent" = ${sql.param(filters.intent)}`);
  if (filters.sentiment === "negative") conditions.push(`c."sentiment" <= ${-SENTIMENT_BAND}`);
  else if (filters.sentiment === "positive") conditions.push(`c."sentiment" >= ${SENTIMENT_BAND}`);
  else if (filters.sentiment === "neutral") conditions.push(`(c."sentiment" IS NULL OR (c."sentiment" > ${-SENTIMENT_BAND} AND c."sentiment" < ${SENTIMENT_BAND}))`);
  if (filters.language) conditions.push(`c."language" = ${sql.param(filters.language)}`);
  if (filters.channel) conditions.push(`c."channel" = ${sql.param(filters.channel, `"Channel"`)}`);
  if (filters.tag) conditions.push(`c."tags" @> ARRAY[${sql.param(filters.tag, "text")}]`);
  if (scope.createdFrom) conditions.push(`c."createdAt" >= ${sql.param(scope.createdFrom, "timestamptz")}`);
  if (scope.createdBefore) conditions.push(`c."createdAt" < ${sql.param(scope.createdBefore, "timestamptz")}`);
  if (filters.metric) {
    if (!isAnalyticsSegment(filters.metric)) throw new InboxError(`metric: "${filters.metric}" is not a dashboard figure`, 400, "metric");
    conditions.push(analyticsSegmentCondition(filters.metric, "c", (value, cast) => sql.param(value, cast), { now: scope.now }));
  }
  return conditions;
}

/**
 * The instants of filters.from/to in the shop's time zone, read first so the list's statement gets them as
 * constants (a bound computed inside it is unknown to the planner, which then walks the whole view).
 */
async function withDayBounds(run: RunSql, filters: InboxFilters, scope: Scope): Promise<Scope> {
  if (!filters.from && !filters.to) return scope;
  const [bounds] = await run<{ from: Date | null; before: Date | null }>(
    `SELECT ($1::date::timestamp AT TIME ZONE s."timezone") AS "from", (($2::date + 1)::timestamp AT TIME ZONE s."timezone") AS "before"
     FROM "Shop" s WHERE s."id" = $3`,
    [filters.from ?? null, filters.to ?? null, scope.shopId],
  );
  return { ...scope, createdFrom: bounds?.from ?? undefined, createdBefore: bounds?.before ?? undefined };
}

/**
 * What a search matches, as two alternatives the list unites (an OR of both would keep PostgreSQL from
 * planning either as a semi-join):
 * - the conversation's words: every word of the search occurs in the conversation (any of its messages,
 *   notes included), like a mail client searches threads. The words of each conversation are
 *   "ConversationSearch".lexemes (to_tsvector 'simple', as Message.searchText; GIN; kept by triggers on
 *   Message), so a common word costs a lookup per conversation of the list walked in order until the page is
 *   full, and a rare one a few GIN entries, never a read of every message holding it. A search with the
 *   operators of websearch_to_tsquery (a "quoted phrase", "or", an excluded -word) needs the words' order or
 *   absence in one message: it matches Message.searchText @@ websearch_to_tsquery('simple', q) instead.
 * - who: the customer's name or email (GIN "Customer_search_gin_idx"), an order name ("#1042" or "1042") of the
 *   customer, or the email an anonymous shopper left ("Conversation_shopperEmail_idx").
 */
function searchAlternatives(q: string, sql: SqlParams, scope: Scope): [text: string, who: string] {
  const shop = sql.param(scope.shopId);
  const text = sql.param(q, "text");
  const query = `websearch_to_tsquery('simple', ${text})`;
  const operators = q.includes('"') || /(^|\s)-\S/.test(q) || /(^|\s)or(\s|$)/i.test(q);
  const words = `tsvector_to_array(to_tsvector('simple', ${text}))`;
  return [
    operators
      ? `EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = c."id" AND m."shopId" = ${shop} AND m."searchText" @@ ${query})`
      : `c."id" IN (SELECT s."conversationId" FROM "ConversationSearch" s WHERE s."shopId" = ${shop} AND s."lexemes" @> ${words} AND cardinality(${words}) > 0)`,
    `c."id" IN (
    SELECT w."id" FROM "Conversation" w
    WHERE w."shopId" = ${shop} AND w."customerId" IN (
      SELECT cu."id" FROM "Customer" cu WHERE cu."shopId" = ${shop} AND ${CUSTOMER_SEARCH_VECTOR} @@ ${query}
      UNION
      SELECT o."customerId" FROM "Order" o
      WHERE o."shopId" = ${shop} AND o."name" IN (${text}, (SELECT s."orderNamePrefix" FROM "Shop" s WHERE s."id" = ${shop}) || ${text}))
    UNION ALL
    SELECT w."id" FROM "Conversation" w WHERE w."shopId" = ${shop} AND lower(w."shopperEmail") = lower(${text}))`,
  ];
}

/** Matches the expression of the GIN index "Customer_search_gin_idx" (migration 20261202017300_inbox_list). */
const CUSTOMER_SEARCH_VECTOR = `to_tsvector('simple'::regconfig, coalesce(cu."firstName", '') || ' ' || coalesce(cu."lastName", '') || ' ' || coalesce(cu."email", ''))`;

const SLA_ORDER = `c."slaDueAt" ASC NULLS LAST, c."priority" DESC, c."lastMessageAt" DESC, c."id" ASC`;
const RECENT_ORDER = `c."lastMessageAt" DESC, c."id" DESC`;

/** Rows after the cursor in the view's order. */
function afterCursor(cursor: InboxCursor, sql: SqlParams): string {
  if (cursor.sort === "recent") return `(c."lastMessageAt", c."id") < (${sql.param(cursor.lastMessageAt, "timestamptz")}, ${sql.param(cursor.id, "text")})`;
  const last = sql.param(cursor.lastMessageAt, "timestamptz");
  const priority = sql.param(cursor.priority, `"Priority"`);
  const id = sql.param(cursor.id, "text");
  // Same slaDueAt: lower priority, or same priority and older, or same instant and a greater id.
  const tail = `(c."priority" < ${priority} OR (c."priority" = ${priority} AND (c."lastMessageAt" < ${last} OR (c."lastMessageAt" = ${last} AND c."id" > ${id}))))`;
  if (cursor.slaDueAt === null) return `(c."slaDueAt" IS NULL AND ${tail})`;
  const due = sql.param(cursor.slaDueAt, "timestamptz");
  return `(c."slaDueAt" > ${due} OR c."slaDueAt" IS NULL OR (c."slaDueAt" = ${due} AND ${tail}))`;
}

interface ListRecord {
  id: string;
  subject: string | null;
  customerId: string | null;
  customerFirstName: string | null;
  customerLastName: string | null;
  customerEmail: string | null;
  shopperName: string | null;
  shopperEmail: string | null;
  verified: boolean;
  lastMessagePreview: string | null;
  lastMessageAuthor: InboxRow["lastMessageAuthor"];
  lastMessageAt: Date;
  createdAt: Date;
  waitingSince: Date | null;
  slaDueAt: Date | null;
  slaKind: string | null;
  breached: boolean;
  priority: InboxPriority;
  status: InboxRow["status"];
  assigneeId: string | null;
  assigneeName: string | null;
  unread: boolean;
  tags: string[] | null;
  language: string;
  channel: InboxChannel;
  lastIntent: string | null;
  sentiment: number | null;
  snoozedUntil: Date | null;
  handledByHuman: boolean;
}

function toRow(record: ListRecord): InboxRow {
  const name = [record.customerFirstName, record.customerLastName].filter(Boolean).join(" ") || record.shopperName;
  return {
    id: record.id,
    subject: record.subject,
    customer: { id: record.customerId, name: name || null, email: record.customerEmail ?? record.shopperEmail, verified: record.verified, loggedIn: record.customerId !== null },
    lastMessagePreview: record.lastMessagePreview,
    lastMessageAuthor: record.lastMessageAuthor,
    lastMessageAt: iso(record.lastMessageAt)!,
    createdAt: iso(record.createdAt)!,
    waitingSince: iso(record.waitingSince),
    slaDueAt: iso(record.slaDueAt),
    slaKind: record.slaKind,
    breached: record.breached,
    priority: record.priority,
    status: record.status,
    assignee: record.assigneeId && record.assigneeName !== null ? { id: record.assigneeId, name: record.assigneeName } : null,
    unread: record.unread,
    tags: record.tags ?? [],
    language: record.language,
    channel: record.channel,
    lastIntent: record.lastIntent,
    sentiment: record.sentiment,
    snoozedUntil: iso(record.snoozedUntil),
    handledByHuman: record.handledByHuman,
  };
}

function cursorOf(view: InboxView, row: ListRecord): string {
  const lastMessageAt = iso(row.lastMessageAt)!;
  return encodeInboxCursor(
    inboxSortOf(view) === "recent" ? { sort: "recent", lastMessageAt, id: row.id } : { sort: "sla", slaDueAt: iso(row.slaDueAt), priority: row.priority, lastMessageAt, id: row.id },
  );
}

/**
 * The ids and sort keys of the conversations a view with filters holds, in list order, from `after` on, at most
 * `limit`: a statement on Conversation alone (its partial indexes follow the list order), or with a search, the
 * union of the two search alternatives, each in list order and limited.
 */
function selectKeys(filters: InboxFilters, scope: Scope, sql: SqlParams, limit: number, after: InboxCursor | null): string {
  const order = inboxSortOf(filters.view) === "recent" ? RECENT_ORDER : SLA_ORDER;
  const branch = (extra: string | null) => {
    const conditions = [`c."shopId" = ${sql.param(scope.shopId)}`, viewCondition(filters.view, sql, scope), ...filterConditions(filters, sql, scope)];
    if (after) conditions.push(afterCursor(after, sql));
    if (extra) conditions.push(extra);
    return `SELECT c."id", c."slaDueAt", c."priority", c."lastMessageAt" FROM "Conversation" c
  WHERE ${conditions.join("\n    AND ")}
  ORDER BY ${order} LIMIT ${sql.param(limit, "int")}`;
  };
  if (!filters.q) return branch(null);
  const [words, who] = searchAlternatives(filters.q, sql, scope);
  return `SELECT c.* FROM ((${branch(words)}) UNION (${branch(who)})) c ORDER BY ${order} LIMIT ${sql.param(limit, "int")}`;
}

export interface ListInboxInput {
  shopId: string;
  /** The signed-in staff member: "mine", assignee "me" and unread state are theirs. */
  staffId: string;
  filters: InboxFilters;
  now?: Date;
  limit?: number;
}

/** One page of a view (with filters), in list order; `nextCursor` continues it. */
export async function listInbox(db: InboxDb, input: ListInboxInput): Promise<InboxPage> {
  const filters = validateInboxFilters(input.filters);
  const limit = input.limit ?? INBOX_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new InboxError(`limit must be 1 to ${MAX_PAGE_SIZE}`, 400, "limit");
  const scope: Scope = { shopId: input.shopId, staffId: input.staffId, now: input.now ?? new Date() };
  const after = filters.cursor ? decodeInboxCursor(filters.cursor, filters.view) : null;
  const records = await inboxRead(db, async (run) => {
    const sql = new SqlParams();
    const keys = selectKeys(filters, await withDayBounds(run, filters, scope), sql, limit + 1, after);
    return run<ListRecord>(pageStatement(keys, inboxSortOf(filters.view) === "recent" ? RECENT_ORDER : SLA_ORDER, sql, scope), sql.values);
  });
  const more = records.length > limit;
  const page = more ? records.slice(0, limit) : records;
  return { rows: page.map(toRow), nextCursor: more ? cursorOf(filters.view, page.at(-1)!) : null };
}

/** The page's rows: chosen first by `keys` (index order, LIMIT), then joined to what the rows show. */
function pageStatement(keys: string, order: string, sql: SqlParams, scope: Scope): string {
  const now = sql.param(scope.now, "timestamptz");
  return `
SELECT c."id", c."subject", c."customerId", cu."firstName" AS "customerFirstName", cu."lastName" AS "customerLastName",
  cu."email" AS "customerEmail", c."shopperName", c."shopperEmail", cardinality(c."verifiedOrderIds") > 0 AS "verified",
  c."lastMessagePreview", c."lastMessageAuthor"::text AS "lastMessageAuthor", c."lastMessageAt", c."createdAt",
  c."waitingSince", c."slaDueAt", c."slaKind",
  (c."slaDueAt" IS NOT NULL AND c."slaDueAt" <= ${now} AND ${ACTIVE}) AS "breached",
  c."priority"::text AS "priority", c."status"::text AS "status", c."assigneeId", st."name" AS "assigneeName",
  (c."lastMessageAuthor" IS DISTINCT FROM 'staff' AND (r."lastReadAt" IS NULL OR r."lastReadAt" < c."lastMessageAt")) AS "unread",
  c."tags", c."language", c."channel"::text AS "channel", c."lastIntent", c."sentiment"::float8 AS "sentiment", c."snoozedUntil", c."handledByHuman"
FROM (${keys}) k
JOIN "Conversation" c ON c."id" = k."id"
LEFT JOIN "Customer" cu ON cu."id" = c."customerId"
LEFT JOIN "StaffMember" st ON st."id" = c."assigneeId"
LEFT JOIN "ConversationRead" r ON r."conversationId" = c."id" AND r."staffId" = ${sql.param(scope.staffId)}
ORDER BY ${order}`;
}

/** Conversation counts of every view in one statement (the view tabs' badges). */
export async function countInboxViews(db: InboxDb, input: { shopId: string; staffId: string; now?: Date }): Promise<Record<InboxView, number>> {
  const sql = new SqlParams();
  const shop = sql.param(input.shopId);
  const staff = sql.param(input.staffId);
  const now = sql.param(input.now ?? new Date(), "timestamptz");
  const snoozed = `(c."snoozedUntil" IS NOT NULL AND c."snoozedUntil" > ${now})`;
  // Every view but Resolved lies within the active statuses: one pass over those (an index-only scan of
  // "Conversation_inbox_counts_idx"), Resolved and All counted beside it from their own partial indexes.
  const text = `SELECT
  count(*) FILTER (WHERE c."assigneeId" = ${staff} AND NOT ${snoozed})::int AS "mine",
  count(*) FILTER (WHERE c."assigneeId" IS NULL AND (c."status" = 'waiting_on_staff' OR c."handledByHuman") AND NOT ${snoozed})::int AS "unassigned",
  count(*) FILTER (WHERE c."status" = 'waiting_on_staff' AND NOT ${snoozed})::int AS "waiting",
  count(*) FILTER (WHERE NOT ${snoozed})::int AS "open",
  count(*) FILTER (WHERE ${snoozed})::int AS "snoozed",
  (SELECT count(*) FROM "Conversation" c WHERE c."shopId" = ${shop} AND c."status" IN ('resolved', 'closed') AND c."mergedIntoId" IS NULL)::int AS "resolved",
  (SELECT count(*) FROM "Conversation" c WHERE c."shopId" = ${shop} AND c."lastMessageAuthor" IS NOT NULL AND c."mergedIntoId" IS NULL)::int AS "all"
FROM "Conversation" c
WHERE c."shopId" = ${shop} AND ${ACTIVE}`;
  const [counts] = await inboxRead(db, (run) => run<Record<InboxView, number>>(text, sql.values));
  return Object.fromEntries(INBOX_VIEWS.map((view) => [view, counts?.[view] ?? 0])) as Record<InboxView, number>;
}

export const MAX_BULK_SELECTION = 50_000;

/** Ids of every conversation a view with filters holds (in list order, at most `max`): bulk select across pages. */
export async function selectConversationIds(
  db: InboxDb,
  input: { shopId: string; staffId: string; filters: InboxFilters; now?: Date; max?: number },
): Promise<{ ids: string[]; truncated: boolean }> {
  const filters = validateInboxFilters({ ...input.filters, cursor: undefined });
  const max = input.max ?? 5_000;
  if (!Number.isInteger(max) || max < 1 || max > MAX_BULK_SELECTION) throw new InboxError(`max must be 1 to ${MAX_BULK_SELECTION}`, 400, "max");
  const scope: Scope = { shopId: input.shopId, staffId: input.staffId, now: input.now ?? new Date() };
  const rows = await inboxRead(db, async (run) => {
    const sql = new SqlParams();
    const text = selectKeys(filters, await withDayBounds(run, filters, scope), sql, max + 1, null);
    return run<{ id: string }>(text, sql.values);
  });
  return { ids: rows.slice(0, max).map((row) => row.id), truncated: rows.length > max };
}
