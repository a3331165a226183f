import { DAY_RECORD, type DaysRead, type Run } from "./days.server";
import type { AnalyticsSummary, Spread, UnansweredQuestion } from "./summary";

/**
 * A period's figures from its days, in SQL: the rollups of closed days and the days computed now (passed as JSON)
 * are one set of rows, so a period's medians and percentiles are taken over every conversation's time (exact, not
 * an average of daily ones) without sending those times to the app.
 */

type Source = Pick<DaysRead, "rollupDays" | "live"> & { shopId: string; timeZone: string };

/** The `d` rows: the stored rollups of `rollupDays`, then the live days. */
function daysCte(source: Source): { text: string; values: unknown[] } {
  return {
    text: `d AS (
      SELECT to_char(r."day", 'YYYY-MM-DD') AS "day", r."conversations", r."automated", r."pending", r."handedOff", r."reachedStaff", r."firstResponseSeconds",
        r."resolutionSeconds", r."csatCounts", r."byIntent", r."byLanguage", r."byChannel", r."sentimentSum", r."sentimentCount", r."unanswered",
        r."unansweredQuestions", r."influencedOrders", r."influencedRevenue"
      FROM "AnalyticsDailyRollup" r
      WHERE r."shopId" = $1 AND r."timeZone" = $2 AND r."day" = ANY($3::date[])
      UNION ALL
      SELECT l."day", l."conversations", l."automated", l."pending", l."handedOff", l."reachedStaff", l."firstResponseSeconds", l."resolutionSeconds",
        l."csatCounts", l."byIntent", l."byLanguage", l."byChannel", l."sentimentSum", l."sentimentCount", l."unanswered", l."unansweredQuestions",
        l."influencedOrders", l."influencedRevenue"
      FROM jsonb_to_recordset($4::jsonb) AS l${DAY_RECORD})`,
    // The live days' question lists are not needed here (newestUnanswered reads them), nor sent twice.
    values: [source.shopId, source.timeZone, source.rollupDays, JSON.stringify(source.live)],
  };
}

const spreadOf = (column: string) =>
  `(SELECT jsonb_build_object('median', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY v)::numeric, 3), 'p90', round(percentile_cont(0.9) WITHIN GROUP (ORDER BY v)::numeric, 3), 'count', count(v))
    FROM d, unnest(d."${column}") v)`;
const countsOf = (column: string) =>
  `(SELECT coalesce(jsonb_object_agg("key", "n"), '{}'::jsonb) FROM (SELECT e."key", sum(e."value"::int)::int AS "n" FROM d, jsonb_each_text(d."${column}") e GROUP BY 1) x)`;

interface SummaryRow {
  conversations: number;
  automated: number;
  pending: number;
  handedOff: number;
  reachedStaff: number;
  unanswered: number;
  influencedOrders: number;
  ratings: number[];
  sentimentSum: number;
  sentimentCount: number;
  firstResponse: { median: string | number | null; p90: string | number | null; count: number };
  resolution: { median: string | number | null; p90: string | number | null; count: number };
  byIntent: Record<string, number>;
  byLanguage: Record<string, number>;
  byChannel: Record<string, number>;
  revenue: Record<string, string | number>;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const spread = (value: SummaryRow["firstResponse"]): Spread => ({
  median: value.median === null ? null : Number(value.median),
  p90: value.p90 === null ? null : Number(value.p90),
  count: value.count,
});

/** Largest first, then by name: the order every "by …" list is shown and printed in. */
function sortByCount(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}

export async function summarizeDays(run: Run, source: Source): Promise<AnalyticsSummary> {
  const cte = daysCte(source);
  const [row] = await run<SummaryRow>(
    `WITH ${cte.text}
     SELECT coalesce(sum(d."conversations"), 0)::int AS "conversations", coalesce(sum(d."automated"), 0)::int AS "automated",
       coalesce(sum(d."pending"), 0)::int AS "pending", coalesce(sum(d."handedOff"), 0)::int AS "handedOff",
       coalesce(sum(d."reachedStaff"), 0)::int AS "reachedStaff", coalesce(sum(d."unanswered"), 0)::int AS "unanswered",
       coalesce(sum(d."influencedOrders"), 0)::int AS "influencedOrders",
       ARRAY[coalesce(sum(d."csatCounts"[1]), 0), coalesce(sum(d."csatCounts"[2]), 0), coalesce(sum(d."csatCounts"[3]), 0),
             coalesce(sum(d."csatCounts"[4]), 0), coalesce(sum(d."csatCounts"[5]), 0)]::int[] AS "ratings",
       coalesce(sum(d."sentimentSum"), 0)::float8 AS "sentimentSum", coalesce(sum(d."sentimentCount"), 0)::int AS "sentimentCount",
       ${spreadOf("firstResponseSeconds")} AS "firstResponse", ${spreadOf("resolutionSeconds")} AS "resolution",
       ${countsOf("byIntent")} AS "byIntent", ${countsOf("byLanguage")} AS "byLanguage", ${countsOf("byChannel")} AS "byChannel",
       (SELECT coalesce(jsonb_object_agg("key", "amount"), '{}'::jsonb)
          FROM (SELECT e."key", round(sum(e."value"::numeric), 2) AS "amount" FROM d, jsonb_each_text(d."influencedRevenue") e GROUP BY 1) x) AS "revenue"
     FROM d`,
    cte.values,
  );
  const r = row!;
  const responses = r.ratings.reduce((sum, count) => sum + count, 0);
  return {
    conversations: r.conversations,
    automated: r.automated,
    pending: r.pending,
    automatedRate: ratio(r.automated, r.conversations - r.pending),
    handedOff: r.handedOff,
    handoffRate: ratio(r.handedOff, r.conversations),
    reachedStaff: r.reachedStaff,
    firstResponseSeconds: spread(r.firstResponse),
    resolutionSeconds: spread(r.resolution),
    csat: {
      average: ratio(
        r.ratings.reduce((sum, count, index) => sum + count * (index + 1), 0),
        responses,
      ),
      responses,
      distribution: { "1": r.ratings[0]!, "2": r.ratings[1]!, "3": r.ratings[2]!, "4": r.ratings[3]!, "5": r.ratings[4]! },
    },
    byIntent: sortByCount(r.byIntent),
    byLanguage: sortByCount(r.byLanguage),
    byChannel: sortByCount(r.byChannel),
    sentiment: { average: r.sentimentCount > 0 ? r.sentimentSum / r.sentimentCount : null, scored: r.sentimentCount },
    unanswered: r.unanswered,
    influenced: { orders: r.influencedOrders, revenue: Object.fromEntries(Object.entries(r.revenue).map(([currency, amount]) => [currency, Number(amount)])) },
  };
}

/** One day of the dashboard's charts. */
export interface DayPoint {
  day: string;
  conversations: number;
  automated: number;
  pending: number;
  handedOff: number;
  /** Null while any of the day's conversations is still within its 72-hour window (the rate would count only failures). */
  automatedRate: number | null;
  firstResponseMedian: number | null;
  csatAverage: number | null;
  sentimentAverage: number | null;
}

/** The days' chart points (days without a row are the caller's to fill). */
export async function dayPoints(run: Run, source: Source): Promise<DayPoint[]> {
  const cte = daysCte(source);
  const rows = await run<{
    day: string;
    conversations: number;
    automated: number;
    pending: number;
    handedOff: number;
    firstResponseMedian: string | number | null;
    ratings: number;
    ratingSum: number;
    sentimentSum: number;
    sentimentCount: number;
  }>(
    `WITH ${cte.text}
     SELECT d."day", d."conversations", d."automated", d."pending", d."handedOff",
       (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY v)::numeric, 3) FROM unnest(d."firstResponseSeconds") v) AS "firstResponseMedian",
       (SELECT coalesce(sum(n), 0)::int FROM unnest(d."csatCounts") n) AS "ratings",
       (SELECT coalesce(sum(n * i), 0)::int FROM unnest(d."csatCounts") WITH ORDINALITY AS u(n, i)) AS "ratingSum",
       d."sentimentSum", d."sentimentCount"
     FROM d ORDER BY d."day"`,
    cte.values,
  );
  return rows.map((row) => {
    const decided = row.conversations - row.pending;
    return {
      day: row.day,
      conversations: row.conversations,
      automated: row.automated,
      pending: row.pending,
      handedOff: row.handedOff,
      automatedRate: decided > 0 && row.pending === 0 ? row.automated / decided : null,
      firstResponseMedian: row.firstResponseMedian === null ? null : Number(row.firstResponseMedian),
      csatAverage: row.ratings > 0 ? row.ratingSum / row.ratings : null,
      sentimentAverage: row.sentimentCount > 0 ? row.sentimentSum / row.sentimentCount : null,
    };
  });
}

/**
 * The period's newest unanswered questions (at most `limit`) with their words, read from the messages: one deleted
 * since is gone, one erased for a customer (its body the privacy module's "[redacted]") is left out.
 */
export async function newestUnanswered(run: Run, source: Source, limit: number): Promise<UnansweredQuestion[]> {
  const cte = daysCte(source);
  return run<UnansweredQuestion>(
    `WITH ${cte.text}
     SELECT x."conversationId", m."body" AS "text", x."language", x."at"
     FROM (
       SELECT q->>'messageId' AS "messageId", q->>'conversationId' AS "conversationId", q->>'language' AS "language", q->>'at' AS "at"
       FROM d, jsonb_array_elements(d."unansweredQuestions") q
       ORDER BY q->>'at' DESC LIMIT ${Number(limit)}
     ) x
     JOIN "Message" m ON m."id" = x."messageId" AND m."shopId" = $1
     WHERE m."body" <> '[redacted]'
     ORDER BY x."at" DESC`,
    cte.values,
  );
}
