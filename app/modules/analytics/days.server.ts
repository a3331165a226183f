import pg from "pg";
import { getPool, withTransaction } from "~/lib/db/pool.server";
import { UNANSWERED_KEPT_PER_DAY } from "./definitions";
import { conversationFactsSelect, noAnswerPatterns, SqlParams } from "./facts.server";
import { addDays, eachDay, localDay, type Period, validTimeZone } from "./period";
import { type DayFigures, emptyDay, type UnansweredQuestion } from "./summary";

/**
 * Per-day figures of a shop: computed from conversations and messages (computeDays), kept as daily rollups
 * ("AnalyticsDailyRollup", one row per shop and day, written by the refresh job), and read back (readDays: the
 * rollups for closed days, the rest computed). A conversation belongs to the day it started in the shop's zone.
 */

/** Where statements run: the app's pg pool (the default), or a client inside the caller's transaction. */
export type AnalyticsDb = pg.Pool | pg.PoolClient | pg.Client;

// Aggregations over a few thousand rows: parallel workers and JIT cost more than they save (as in the inbox).
const READ_SETTINGS = ["max_parallel_workers_per_gather = 0", "jit = off"];

type Run = <T>(text: string, values: unknown[]) => Promise<T[]>;

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

type DayRecord = Omit<DayFigures, "unansweredQuestions">;

/**
 * Every day of `period` computed from the stored conversations, messages, action log and orders (days without
 * conversations included, as zeros).
 */
export async function computeDays(run: Run, input: { shopId: string; timeZone: string; period: Period; now: Date }): Promise<DayFigures[]> {
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
  SELECT to_char((c."createdAt" AT TIME ZONE ${tz})::date, 'YYYY-MM-DD') AS "day",
    coalesce(c."lastIntent", 'unknown') AS "intent", c."language", c."channel"::text AS "channel", c."sentiment"::float8 AS "sentiment", c."csatScore", f.*
  FROM "Conversation" c
  CROSS JOIN LATERAL (${facts}) f
  WHERE c."shopId" = ${shop} AND c."createdAt" >= ${from} AND c."createdAt" < ${before} AND f."counted"
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
), revenue AS (
  SELECT "day", jsonb_object_agg("currency", "amount") AS "amounts"
  FROM (SELECT f."day", r."key" AS "currency", sum(r."value"::numeric)::float8 AS "amount" FROM facts f, jsonb_each_text(f."influencedRevenue") r GROUP BY 1, 2) s
  GROUP BY "day"
)
SELECT d."day", p."conversations", p."automated", p."pending", p."handedOff", p."reachedStaff", p."firstResponseSeconds", p."resolutionSeconds",
  p."csatCounts", p."sentimentSum", p."sentimentCount", p."unanswered", p."influencedOrders", i."counts" AS "byIntent", l."counts" AS "byLanguage", ch."counts" AS "byChannel", r."amounts" AS "influencedRevenue"
FROM (SELECT to_char(g, 'YYYY-MM-DD') AS "day" FROM generate_series(${p(input.period.from, "date")}, ${p(input.period.to, "date")}, interval '1 day') g) d
LEFT JOIN per_day p ON p."day" = d."day"
LEFT JOIN ${byKey(`"intent"`)} i ON i."day" = d."day"
LEFT JOIN ${byKey(`"language"`)} l ON l."day" = d."day"
LEFT JOIN ${byKey(`"channel"`)} ch ON ch."day" = d."day"
LEFT JOIN revenue r ON r."day" = d."day"
ORDER BY d."day"`;
  const [rows, questions] = await Promise.all([
    run<Partial<DayRecord> & { day: string }>(text, sql.values),
    unansweredQuestions(run, { shopId: input.shopId, timeZone: input.timeZone, from: range.from, before: range.before }),
  ]);
  return rows.map((row) => ({
    ...emptyDay(row.day),
    ...(row.conversations === null || row.conversations === undefined ? {} : (withoutNulls(row) as DayRecord)),
    day: row.day,
    unansweredQuestions: questions.get(row.day) ?? [],
  }));
}

function withoutNulls<T extends object>(row: T): Partial<T> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) as Partial<T>;
}

/**
 * The shopper questions the assistant answered with "I couldn't find an answer" (the question is the shopper
 * message just before that reply), by the day their conversation started, newest first, at most
 * UNANSWERED_KEPT_PER_DAY a day.
 */
async function unansweredQuestions(run: Run, input: { shopId: string; timeZone: string; from: Date; before: Date }): Promise<Map<string, UnansweredQuestion[]>> {
  const sql = new SqlParams();
  const p = sql.param;
  const shop = p(input.shopId);
  const tz = p(input.timeZone, "text");
  const rows = await run<{ day: string; conversationId: string; language: string; text: string; at: Date }>(
    `SELECT "day", "conversationId", "language", "text", "at" FROM (
       SELECT to_char((c."createdAt" AT TIME ZONE ${tz})::date, 'YYYY-MM-DD') AS "day", c."id" AS "conversationId", c."language", q."body" AS "text", q."createdAt" AS "at",
         row_number() OVER (PARTITION BY (c."createdAt" AT TIME ZONE ${tz})::date ORDER BY q."createdAt" DESC, a."id") AS "rank"
       FROM "Conversation" c
       JOIN "Message" a ON a."conversationId" = c."id" AND a."shopId" = c."shopId" AND a."author" = 'assistant' AND a."visibility" = 'public'
         AND a."body" LIKE ANY(${noAnswerPatterns(p)})
       CROSS JOIN LATERAL (
         SELECT q."body", q."createdAt" FROM "Message" q
         WHERE q."conversationId" = c."id" AND q."shopId" = c."shopId" AND q."author" = 'shopper' AND q."visibility" = 'public' AND q."createdAt" <= a."createdAt"
         ORDER BY q."createdAt" DESC LIMIT 1) q
       WHERE c."shopId" = ${shop} AND c."createdAt" >= ${p(input.from, "timestamptz")} AND c."createdAt" < ${p(input.before, "timestamptz")}
     ) s WHERE "rank" <= ${UNANSWERED_KEPT_PER_DAY} ORDER BY "day", "at" DESC`,
    sql.values,
  );
  const byDay = new Map<string, UnansweredQuestion[]>();
  for (const row of rows) {
    const list = byDay.get(row.day) ?? [];
    list.push({ conversationId: row.conversationId, text: row.text, language: row.language, at: new Date(row.at).toISOString() });
    byDay.set(row.day, list);
  }
  return byDay;
}

// ---------------------------------------------------------------- rollups

const ROLLUP_COLUMNS = `"day", "conversations", "automated", "pending", "handedOff", "reachedStaff", "firstResponseSeconds", "resolutionSeconds",
  "csatCounts", "byIntent", "byLanguage", "byChannel", "sentimentSum", "sentimentCount", "unanswered", "unansweredQuestions",
  "influencedOrders", "influencedRevenue"`;

/** The stored rollups of the period's days cut in `timeZone` (a day cut in another zone is not the same day). */
export async function readRollups(run: Run, input: { shopId: string; timeZone: string; period: Period }): Promise<DayFigures[]> {
  const rows = await run<DayFigures>(
    `SELECT to_char("day", 'YYYY-MM-DD') AS "day", "conversations", "automated", "pending", "handedOff", "reachedStaff",
       "firstResponseSeconds", "resolutionSeconds", "csatCounts", "byIntent", "byLanguage", "byChannel", "sentimentSum", "sentimentCount",
       "unanswered", "unansweredQuestions", "influencedOrders", "influencedRevenue"
     FROM "AnalyticsDailyRollup" WHERE "shopId" = $1 AND "timeZone" = $2 AND "day" BETWEEN $3::date AND $4::date ORDER BY "day"`,
    [input.shopId, input.timeZone, input.period.from, input.period.to],
  );
  return rows.map((row) => ({ ...row, firstResponseSeconds: row.firstResponseSeconds.map(Number), resolutionSeconds: row.resolutionSeconds.map(Number) }));
}

/** Stores (or replaces) the rollups of these days, stamped `computedAt`. */
export async function writeRollups(db: AnalyticsDb, input: { shopId: string; timeZone: string; days: DayFigures[]; computedAt: Date }) {
  if (input.days.length === 0) return;
  const updates = ROLLUP_COLUMNS.split(",")
    .map((column) => column.trim())
    .filter((column) => column !== `"day"`)
    .map((column) => `${column} = EXCLUDED.${column}`)
    .join(", ");
  await db.query(
    `INSERT INTO "AnalyticsDailyRollup" ("shopId", "timeZone", "computedAt", ${ROLLUP_COLUMNS})
     SELECT $1, $2, $3, r."day"::date, r."conversations", r."automated", r."pending", r."handedOff", r."reachedStaff", r."firstResponseSeconds", r."resolutionSeconds",
       r."csatCounts", r."byIntent", r."byLanguage", r."byChannel", r."sentimentSum", r."sentimentCount", r."unanswered", r."unansweredQuestions",
       r."influencedOrders", r."influencedRevenue"
     FROM jsonb_to_recordset($4::jsonb) AS r("day" text, "conversations" int, "automated" int, "pending" int, "handedOff" int, "reachedStaff" int,
       "firstResponseSeconds" float8[], "resolutionSeconds" float8[], "csatCounts" int[], "byIntent" jsonb, "byLanguage" jsonb, "byChannel" jsonb,
       "sentimentSum" float8, "sentimentCount" int, "unanswered" int, "unansweredQuestions" jsonb, "influencedOrders" int, "influencedRevenue" jsonb)
     ON CONFLICT ("shopId", "day") DO UPDATE SET "timeZone" = EXCLUDED."timeZone", "computedAt" = EXCLUDED."computedAt", ${updates}`,
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
  days: DayFigures[];
  /** Closed days that had no rollup (computed now; the refresh job should store them). */
  missing: string[];
  fromRollups: number;
  computed: number;
}

/**
 * The period's days: closed days (before today in the shop's zone) from their rollups, today and any closed day
 * without a rollup computed now; days after today hold nothing yet.
 */
export async function readDays(run: Run, input: { clock: ShopClock; period: Period; now: Date }): Promise<DaysRead> {
  const { clock, period } = input;
  const closedEnd = period.to < clock.today ? period.to : addDays(clock.today, -1);
  const rollups = period.from <= closedEnd ? await readRollups(run, { shopId: clock.shopId, timeZone: clock.timeZone, period: { from: period.from, to: closedEnd } }) : [];
  const stored = new Map(rollups.map((day) => [day.day, day]));
  const all = eachDay(period);
  const missing = all.filter((day) => day < clock.today && !stored.has(day));
  const live = [...missing, ...(period.from <= clock.today && clock.today <= period.to ? [clock.today] : [])];
  const computed = new Map<string, DayFigures>();
  for (const run_ of runsOf(live)) {
    for (const day of await computeDays(run, { shopId: clock.shopId, timeZone: clock.timeZone, period: run_, now: input.now })) computed.set(day.day, day);
  }
  return {
    days: all.map((day) => stored.get(day) ?? computed.get(day) ?? emptyDay(day)),
    missing,
    fromRollups: stored.size,
    computed: computed.size,
  };
}
