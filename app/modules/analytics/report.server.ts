import { type AnalyticsDb, analyticsRead, computeDays, type DaysRead, readDays, type ShopClock, shopClock } from "./days.server";
import { eachDay, type Period, previousPeriod } from "./period";
import type { AnalyticsSummary } from "./summary";
import { type DayPoint, dayPoints, newestUnanswered, summarizeDays } from "./summary.server";
import { groupUnansweredQuestions, type UnansweredGroup } from "./unanswered.server";

/** The newest unanswered questions grouped (older ones are not what the help center misses now). */
const QUESTIONS_GROUPED = 600;

export interface AnalyticsReport {
  timeZone: string;
  today: string;
  currency: string;
  period: Period;
  previousPeriod: Period;
  summary: AnalyticsSummary;
  previous: AnalyticsSummary;
  days: DayPoint[];
  unanswered: UnansweredGroup[];
  /** Closed days read from rollups, days computed now, and closed days that had no rollup (queue a refresh). */
  source: { fromRollups: number; computed: number; missing: string[] };
}

const emptyPoint = (day: string): DayPoint => ({
  day,
  conversations: 0,
  automated: 0,
  pending: 0,
  handedOff: 0,
  automatedRate: null,
  firstResponseMedian: null,
  csatAverage: null,
  sentimentAverage: null,
});

const sourceOf = (clock: ShopClock, read: DaysRead) => ({ shopId: clock.shopId, timeZone: clock.timeZone, rollupDays: read.rollupDays, live: read.live });

/**
 * The dashboard's figures for a period and the one before it: closed days from the rollups, today (and closed
 * days without a rollup) computed from the conversations. Without an explicit `now`, today's figures may come from
 * a computation up to a minute old (see readDays). Null when the shop does not exist.
 */
export async function getAnalyticsReport(input: { shopId: string; period: Period; now?: Date; db?: AnalyticsDb }): Promise<AnalyticsReport | null> {
  const now = input.now ?? new Date();
  const liveCache = input.now === undefined;
  const before = previousPeriod(input.period);
  const read = await analyticsRead(async (run) => {
    const clock = await shopClock(run, input.shopId, now);
    if (!clock) return null;
    return { clock, current: await readDays(run, { clock, period: input.period, now, liveCache }), previous: await readDays(run, { clock, period: before, now, liveCache }) };
  }, input.db);
  if (!read) return null;
  const { clock, current, previous } = read;
  // Four independent reads: on the pool, each on its own connection at once; in a caller's client, one after another.
  const [points, summary, previousSummary, questions] = await Promise.all([
    analyticsRead((run) => dayPoints(run, sourceOf(clock, current)), input.db),
    analyticsRead((run) => summarizeDays(run, sourceOf(clock, current)), input.db),
    analyticsRead((run) => summarizeDays(run, sourceOf(clock, previous)), input.db),
    analyticsRead((run) => newestUnanswered(run, sourceOf(clock, current), QUESTIONS_GROUPED), input.db),
  ]);
  const byDay = new Map(points.map((point) => [point.day, point]));
  return {
    timeZone: clock.timeZone,
    today: clock.today,
    currency: clock.currency,
    period: input.period,
    previousPeriod: before,
    summary,
    previous: previousSummary,
    days: eachDay(input.period).map((day) => byDay.get(day) ?? emptyPoint(day)),
    unanswered: groupUnansweredQuestions(questions),
    source: {
      fromRollups: current.rollupDays.length + previous.rollupDays.length,
      computed: current.live.length + previous.live.length,
      missing: [...new Set([...current.missing, ...previous.missing])].sort(),
    },
  };
}

/** A period's figures as the CLI prints them (`npm run -s cli -- metrics`), computed as the dashboard's. */
export async function getPeriodMetrics(input: { shopId: string; period: Period; now?: Date; db?: AnalyticsDb }) {
  const now = input.now ?? new Date();
  return analyticsRead(async (run) => {
    const clock = await shopClock(run, input.shopId, now);
    if (!clock) return null;
    const read = await readDays(run, { clock, period: input.period, now });
    return { clock, summary: await summarizeDays(run, sourceOf(clock, read)) };
  }, input.db);
}

/** A period's figures computed from the conversations alone, ignoring any rollup (what rollups must agree with). */
export async function computePeriodSummary(input: { shopId: string; period: Period; now: Date; db?: AnalyticsDb }) {
  return analyticsRead(async (run) => {
    const clock = await shopClock(run, input.shopId, input.now);
    if (!clock) return null;
    const live = await computeDays(run, { shopId: clock.shopId, timeZone: clock.timeZone, period: input.period, now: input.now });
    return summarizeDays(run, { shopId: clock.shopId, timeZone: clock.timeZone, rollupDays: [], live });
  }, input.db);
}
