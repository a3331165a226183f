import pg from "pg";
import { getPool, withTransaction } from "~/lib/db/pool.server";
import { subscribeLive } from "~/lib/live/live-events.server";
import { UNANSWERED_KEPT_PER_DAY } from "./definitions";
import { conversationFactsSelect, SqlParams, unansweredReply } from "./facts.server";
import { addDays, eachDay, localDay, type Period, validTimeZone } from "./period";
import { type DayFigures, emptyDay } from "./summary";

/**
 * Per-day figures of a shop: computed from conversations and messages (computeDays), kept as daily rollups
 * ("AnalyticsDailyRollup", one row per shop and day, written by the refresh job), and read back (readDays: the
 * rollups for closed days, the rest computed). A conversation belongs to the day it started in the shop's zone.
 */

/** Where statements run: the app's pg pool (the default), or a client inside the caller's transaction. */
export type AnalyticsDb = pg.Pool | pg.PoolClient | pg.Client;

// Aggregations over a few thousand rows: parallel workers and JIT cost more than they save (as in the inbox).
const READ_SETTINGS = ["max_parallel_workers_per_gather = 0", "jit = off"];

export type Run = <T>(text: string, values: unknown[]) => Promise<T[]>;

/** Runs reads on one connection in a short read transaction with the settings above. */
export async function analyticsRead<T>(work: (run: Run) => Promise<T>, db?: AnalyticsDb): Promise<T> {
  const on = (client: pg.PoolClient | pg.Client): Run => async (text, values) => (await client.query(text, values)).rows;
  if (!db || db instanceof pg.Pool) return withTransaction((client) => work(on(client)), db ?? getPool(), READ_SETTINGS);
  return work(on(db));
}

export interface ShopClock {
  shopId: string;
  /** The shop's IANA zone (UTC when it has none the runtime knows). */
  timeZone: string;
  /** Today's date in that zone. */
  today: string;
  currency: string;
}

export async function shopClock(run: Run, shopId: string, now: Date): Promise<ShopClock | null> {
  const [shop] = await run<{ timezone: string; currency: string }>(`SELECT "timezone", "currency" FROM "Shop" WHERE "id" = $1`, [shopId]);
  if (!shop) return null;
  const timeZone = validTimeZone(shop.timezone);
  return { shopId, timeZone, today: localDay(now, timeZone), currency: shop.currency };
}

/** The instants a period covers: from the start of its first day to the start of the day after its last. */
async function bounds(run: Run, period: Period, timeZone: string): Promise<{ from: Date; before: Date }> {
  const [row] = await run<{ from: Date; before: Date }>(
    `SELECT ($1::date::timestamp AT TIME ZONE $3) AS "from", (($2::date + 1)::timestamp AT TIME ZONE $3) AS "before"`,
    [period.from, period.to, timeZone],
  );
  return row!;
}

/**
 * Every day of `period` computed from the stored conversations, messages, action log and orders (days without
 * conversations included, as zeros).
 */
export async function computeDays(
  run: Run,
  input: { shopId: string; timeZone: string; period: Period; now: Date; /** Only these conversations (all the shop's by default). */ conversationIds?: string[] },
): Promise<DayFigures[]> {
  const range = await bounds(run, input.period, input.timeZone);
  const sql = new SqlParams();
  const p = sql.param;
  const shop = p(input.shopId);
  const tz = p(input.timeZone, "text");
  const from = p(range.from, "timestamptz");
  const before = p(range.before, "timestamptz");
  const facts = conversationFactsSelect("c", p, { now: input.now });
  const byKey = (column: string) =>
    `(SELECT "day", jsonb_object_agg("key", "n") AS "counts" FROM (SELECT "day", ${column} AS "key", count(*)::int AS "n" FROM facts GROUP BY 1, 2) s GROUP BY "day")`;
  const text = `
WITH facts AS (
  SELECT to_char((c."createdAt" AT TIME ZONE ${tz})::date, 'YYYY-MM-DD') AS "day", c."id" AS "conversationId",
    coalesce(c."lastIntent", 'unknown') AS "intent", c."language", c."channel"::text AS "channel", c."sentiment"::float8 AS "sentiment", c."csatScore", f.*
  FROM "Conversation" c
  CROSS JOIN LATERAL (${facts}) f
  WHERE c."shopId" = ${shop} AND c."createdAt" >= ${from} AND c."createdAt" < ${before} AND f."counted"
    ${input.conversationIds ? `AND c."id" = ANY(${p(input.conversationIds, "text[]")})` : ""}
), per_day AS (
  SELECT "day",
    count(*)::int AS "conversations",
    count(*) FILTER (WHERE "outcome" = 'automated')::int AS "automated",
    count(*) FILTER (WHERE "outcome" = 'pending')::int AS "pending",
    count(*) FILTER (WHERE "handedOff")::int AS "handedOff",
    count(*) FILTER (WHERE "reachedStaff")::int AS "reachedStaff",
    coalesce(array_agg("firstResponseSeconds" ORDER BY "firstResponseSeconds") FILTER (WHERE "firstResponseSeconds" IS NOT NULL), '{}')::float8[] AS "firstResponseSeconds",
    coalesce(array_agg("resolutionSeconds" ORDER BY "resolutionSeconds") FILTER (WHERE "resolutionSeconds" IS NOT NULL), '{}')::float8[] AS "resolutionSeconds",
    ARRAY[count(*) FILTER (WHERE "csatScore" = 1), count(*) FILTER (WHERE "csatScore" = 2), count(*) FILTER (WHERE "csatScore" = 3),
          count(*) FILTER (WHERE "csatScore" = 4), count(*) FILTER (WHERE "csatScore" = 5)]::int[] AS "csatCounts",
    coalesce(sum("sentiment"), 0)::float8 AS "sentimentSum",
    count("sentiment")::int AS "sentimentCount",
    sum("unanswered")::int AS "unanswered",
    sum("influencedOrders")::int AS "influencedOrders"
  FROM facts GROUP BY "day"
), questions AS (
  -- The question is the shopper message just before an assistant reply marked unanswered; newest first.
  SELECT "day", jsonb_agg(jsonb_build_object('messageId', "messageId", 'conversationId', "conversationId", 'language', "language", 'at', "at") ORDER BY "at" DESC) AS "list"
  FROM (
    SELECT f."day", f."conversationId", f."language", q."id" AS "messageId", q."createdAt" AS "at",
      row_number() OVER (PARTITION BY f."day" ORDER BY q."createdAt" DESC, a."id") AS "rank"
    FROM facts f
    JOIN "Message" a ON a."conversationId" = f."conversationId" AND a."shopId" = ${shop} AND a."visibility" = 'public' AND ${unansweredReply("a")}
    CROSS JOIN LATERAL (
      SELECT q."id", q."createdAt" FROM "Message" q
      WHERE q."conversationId" = f."conversationId" AND q."shopId" = ${shop} AND q."author" = 'shopper' AND q."visibility" = 'public' AND q."createdAt" <= a."createdAt"
      ORDER BY q."createdAt" DESC LIMIT 1) q
    WHERE f."unanswered" > 0
  ) s WHERE "rank" <= ${UNANSWERED_KEPT_PER_DAY}
  GROUP BY "day"
), revenue AS (
  SELECT "day", jsonb_object_agg("currency", "amount") AS "amounts"
  FROM (SELECT f."day", r."key" AS "currency", sum(r."value"::numeric)::float8 AS "amount" FROM facts f, jsonb_each_text(f."influencedRevenue") r GROUP BY 1, 2) s
  GROUP BY "day"
)
SELECT d."day", p."conversations", p."automated", p."pending", p."handedOff", p."reachedStaff", p."firstResponseSeconds", p."resolutionSeconds",
  p."csatCounts", p."sentimentSum", p."sentimentCount", p."unanswered", p."influencedOrders", q."list" AS "unansweredQuestions", i."counts" AS "byIntent", l."counts" AS "byLanguage", ch."counts" AS "byChannel", r."amounts" AS "influencedRevenue"
FROM (SELECT to_char(g, 'YYYY-MM-DD') AS "day" FROM generate_series(${p(input.period.from, "date")}, ${p(input.period.to, "date")}, interval '1 day') g) d
LEFT JOIN per_day p ON p."day" = d."day"
LEFT JOIN ${byKey(`"intent"`)} i ON i."day" = d."day"
LEFT JOIN ${byKey(`"language"`)} l ON l."day" = d."day"
LEFT JOIN ${byKey(`"channel"`)} ch ON ch."day" = d."day"
LEFT JOIN revenue r ON r."day" = d."day"
LEFT JOIN questions q ON q."day" = d."day"
ORDER BY d."day"`;
  const rows = await run<Partial<DayFigures> & { day: string }>(text, sql.values);
  return rows.map((row) => ({
    ...emptyDay(row.day),
    ...(row.conversations === null || row.conversations === undefined ? {} : (withoutNulls(row) as DayFigures)),
    day: row.day,
    unansweredQuestions: (row.unansweredQuestions ?? []).map((question) => ({ ...question, at: new Date(question.at).toISOString() })),
  }));
}

function withoutNulls<T extends object>(row: T): Partial<T> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) as Partial<T>;
}

// ---------------------------------------------------------------- rollups

export const ROLLUP_COLUMNS = `"day", "conversations", "automated", "pending", "handedOff", "reachedStaff", "firstResponseSeconds", "resolutionSeconds",
  "csatCounts", "byIntent", "byLanguage", "byChannel", "sentimentSum", "sentimentCount", "unanswered", "unansweredQuestions",
  "influencedOrders", "influencedRevenue"`;

/** A day's figures as a record of jsonb_to_recordset (the rollup's columns): days passed to SQL as JSON. */
export const DAY_RECORD = `("day" text, "conversations" int, "automated" int, "pending" int, "handedOff" int, "reachedStaff" int,
  "firstResponseSeconds" float8[], "resolutionSeconds" float8[], "csatCounts" int[], "byIntent" jsonb, "byLanguage" jsonb, "byChannel" jsonb,
  "sentimentSum" float8, "sentimentCount" int, "unanswered" int, "unansweredQuestions" jsonb, "influencedOrders" int, "influencedRevenue" jsonb)`;

/** The rollup's columns from a record `r` of DAY_RECORD, in ROLLUP_COLUMNS order. */
const ROLLUP_VALUES = `r."day"::date, r."conversations", r."automated", r."pending", r."handedOff", r."reachedStaff", r."firstResponseSeconds", r."resolutionSeconds",
  r."csatCounts", r."byIntent", r."byLanguage", r."byChannel", r."sentimentSum", r."sentimentCount", r."unanswered", r."unansweredQuestions",
  r."influencedOrders", r."influencedRevenue"`;

/**
 * Stores (or replaces) the rollups of these days, stamped `computedAt`. A day's `deletedFigures` (conversation
 * retention's) are left as they are: the caller has added them to `days` (refreshRollups).
 */
export async function writeRollups(db: AnalyticsDb, input: { shopId: string; timeZone: string; days: DayFigures[]; computedAt: Date }) {
  if (input.days.length === 0) return;
  const updates = ROLLUP_COLUMNS.split(",")
    .map((column) => column.trim())
    .filter((column) => column !== `"day"`)
    .map((column) => `${column} = EXCLUDED.${column}`)
    .join(", ");
  await db.query(
    `INSERT INTO "AnalyticsDailyRollup" ("shopId", "timeZone", "computedAt", ${ROLLUP_COLUMNS})
     SELECT $1, $2, $3, ${ROLLUP_VALUES}
     FROM jsonb_to_recordset($4::jsonb) AS r${DAY_RECORD}
     ON CONFLICT ("shopId", "day") DO UPDATE SET "timeZone" = EXCLUDED."timeZone", "computedAt" = EXCLUDED."computedAt", ${updates}`,
    [input.shopId, input.timeZone, input.computedAt, JSON.stringify(input.days)],
  );
}

/** The days' figures of conversations that retention deleted, by day (days without any are absent). */
export async function readDeletedFigures(run: Run, input: { shopId: string; days: string[]; lock?: boolean }): Promise<Map<string, DayFigures>> {
  if (input.days.length === 0) return new Map();
  const rows = await run<{ day: string; figures: Partial<DayFigures> }>(
    `SELECT to_char("day", 'YYYY-MM-DD') AS "day", "deletedFigures" AS "figures" FROM "AnalyticsDailyRollup"
     WHERE "shopId" = $1 AND "day" = ANY($2::date[]) AND "deletedFigures" IS NOT NULL ${input.lock ? "FOR UPDATE" : ""}`,
    [input.shopId, input.days],
  );
  return new Map(rows.map((row) => [row.day, { ...emptyDay(row.day), ...row.figures, day: row.day, unansweredQuestions: [] }]));
}

/**
 * Adds figures to the days' `deletedFigures` (`days` holds each day's new total). A day without a rollup gets one
 * holding just these figures until the refresh that follows the deletion adds the kept conversations'.
 */
export async function writeDeletedFigures(db: AnalyticsDb, input: { shopId: string; timeZone: string; days: DayFigures[]; computedAt: Date }) {
  if (input.days.length === 0) return;
  await db.query(
    `INSERT INTO "AnalyticsDailyRollup" ("shopId", "timeZone", "computedAt", ${ROLLUP_COLUMNS}, "deletedFigures")
     SELECT $1, $2, $3, ${ROLLUP_VALUES}, e."value"
     FROM jsonb_array_elements($4::jsonb) AS e("value"), jsonb_to_record(e."value") AS r${DAY_RECORD}
     ON CONFLICT ("shopId", "day") DO UPDATE SET "deletedFigures" = EXCLUDED."deletedFigures"`,
    [input.shopId, input.timeZone, input.computedAt, JSON.stringify(input.days)],
  );
}

/** Consecutive runs of days, as periods (so a set of days is computed in as few statements as possible). */
export function runsOf(days: string[]): Period[] {
  const sorted = [...new Set(days)].sort();
  const runs: Period[] = [];
  for (const day of sorted) {
    const last = runs.at(-1);
    if (last && addDays(last.to, 1) === day) last.to = day;
    else runs.push({ from: day, to: day });
  }
  return runs;
}

export interface DaysRead {
  period: Period;
  /** Closed days read from rollups (the rest of the period's closed days are computed). */
  rollupDays: string[];
  /** Days computed from the conversations: today, and closed days without a rollup. */
  live: DayFigures[];
  /** Closed days that had no rollup (computed now; the refresh job should store them). */
  missing: string[];
}

/** Today's figures, computed at most once a minute per shop unless the shop's conversations change (the dashboard's live part on a busy shop). */
const LIVE_TTL_MS = 60_000;
const liveCache = new Map<string, { at: number; day: DayFigures }>();

/**
 * The period's days: closed days (before today in the shop's zone) from their rollups, today and any closed day
 * without a rollup computed now; days after today hold nothing yet. With `liveCache`, today's figures may be up
 * to a minute old (computed once a minute per shop and process).
 */
export async function readDays(run: Run, input: { clock: ShopClock; period: Period; now: Date; liveCache?: boolean }): Promise<DaysRead> {
  const { clock, period } = input;
  const closedEnd = period.to < clock.today ? period.to : addDays(clock.today, -1);
  const stored =
    period.from <= closedEnd
      ? (
          await run<{ day: string }>(
            `SELECT to_char("day", 'YYYY-MM-DD') AS "day" FROM "AnalyticsDailyRollup" WHERE "shopId" = $1 AND "timeZone" = $2 AND "day" BETWEEN $3::date AND $4::date`,
            [clock.shopId, clock.timeZone, period.from, closedEnd],
          )
        ).map((row) => row.day)
      : [];
  const storedSet = new Set(stored);
  const missing = eachDay(period).filter((day) => day < clock.today && !storedSet.has(day));
  const live: DayFigures[] = [];
  for (const days of runsOf(missing)) live.push(...(await computeDays(run, { shopId: clock.shopId, timeZone: clock.timeZone, period: days, now: input.now })));
  if (period.from <= clock.today && clock.today <= period.to) live.push(await today(run, clock, input.now, input.liveCache ?? false));
  return { period, rollupDays: stored, live, missing };
}

/** Shops whose cached figures are dropped on their live events (a subscription per shop, for the process's life). */
const watchedShops = new Set<string>();

/**
 * A new conversation, message or handoff changes today's figures: the next read recomputes them instead of
 * showing a count that lags the conversations list and the CSV (the events reach every instance by NOTIFY).
 */
function dropTodayOnChange(shopId: string) {
  if (watchedShops.has(shopId)) return;
  watchedShops.add(shopId);
  subscribeLive({ shopId }, ({ event }) => {
    if (event.type !== "conversation.created" && event.type !== "message.created" && event.type !== "handoff" && event.type !== "conversation.updated") return;
    for (const key of liveCache.keys()) if (key.startsWith(`${shopId}|`)) liveCache.delete(key);
  });
}

async function today(run: Run, clock: ShopClock, now: Date, cached: boolean): Promise<DayFigures> {
  const key = `${clock.shopId}|${clock.timeZone}|${clock.today}`;
  if (cached) dropTodayOnChange(clock.shopId);
  const hit = cached ? liveCache.get(key) : undefined;
  if (hit && now.getTime() - hit.at < LIVE_TTL_MS) return hit.day;
  const [day] = await computeDays(run, { shopId: clock.shopId, timeZone: clock.timeZone, period: { from: clock.today, to: clock.today }, now });
  if (cached) {
    for (const [stale, entry] of liveCache) if (now.getTime() - entry.at >= LIVE_TTL_MS) liveCache.delete(stale);
    liveCache.set(key, { at: now.getTime(), day: day! });
  }
  return day!;
}
