import { type AnalyticsDb, analyticsRead, readDays, type ShopClock, shopClock } from "./days.server";
import { type Period, previousPeriod } from "./period";
import { type AnalyticsSummary, type DayFigures, percentile, summarize } from "./summary";
import { groupUnansweredQuestions, type UnansweredGroup } from "./unanswered.server";

/** One day of the dashboard's charts. */
export interface DayPoint {
  day: string;
  conversations: number;
  automated: number;
  pending: number;
  handedOff: number;
  automatedRate: number | null;
  firstResponseMedian: number | null;
  csatAverage: number | null;
  sentimentAverage: number | null;
}

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

function point(day: DayFigures): DayPoint {
  const decided = day.conversations - day.pending;
  const ratings = day.csatCounts.reduce((sum, count) => sum + count, 0);
  return {
    day: day.day,
    conversations: day.conversations,
    automated: day.automated,
    pending: day.pending,
    handedOff: day.handedOff,
    // A day with conversations still in their 72-hour window has no rate yet (it would only count the failures).
    automatedRate: decided > 0 && day.pending === 0 ? day.automated / decided : null,
    firstResponseMedian: percentile(day.firstResponseSeconds, 0.5),
    csatAverage: ratings > 0 ? day.csatCounts.reduce((sum, count, index) => sum + count * (index + 1), 0) / ratings : null,
    sentimentAverage: day.sentimentCount > 0 ? day.sentimentSum / day.sentimentCount : null,
  };
}

/**
 * The dashboard's figures for a period and the one before it: closed days from the rollups, today (and closed
 * days without a rollup) computed from the conversations. Null when the shop does not exist.
 */
export async function getAnalyticsReport(input: { shopId: string; period: Period; now?: Date; db?: AnalyticsDb }): Promise<AnalyticsReport | null> {
  const now = input.now ?? new Date();
  const before = previousPeriod(input.period);
  const read = await analyticsRead(async (run) => {
    const clock = await shopClock(run, input.shopId, now);
    if (!clock) return null;
    const current = await readDays(run, { clock, period: input.period, now });
    const previous = await readDays(run, { clock, period: before, now });
    return { clock, current, previous };
  }, input.db);
  if (!read) return null;
  const { clock, current, previous } = read;
  return {
    timeZone: clock.timeZone,
    today: clock.today,
    currency: clock.currency,
    period: input.period,
    previousPeriod: before,
    summary: summarize(current.days),
    previous: summarize(previous.days),
    days: current.days.map(point),
    unanswered: groupUnansweredQuestions(current.days.flatMap((day) => day.unansweredQuestions)),
    source: {
      fromRollups: current.fromRollups + previous.fromRollups,
      computed: current.computed + previous.computed,
      missing: [...new Set([...current.missing, ...previous.missing])].sort(),
    },
  };
}

/** A period's figures as the CLI prints them (`npm run -s cli -- metrics`). */
export async function getPeriodMetrics(input: { shopId: string; period: Period; now?: Date; db?: AnalyticsDb }) {
  const now = input.now ?? new Date();
  const read = await analyticsRead(async (run) => {
    const clock = await shopClock(run, input.shopId, now);
    return clock ? { clock, days: await readDays(run, { clock, period: input.period, now }) } : null;
  }, input.db);
  if (!read) return null;
  const summary = summarize(read.days.days);
  return { clock: read.clock satisfies ShopClock, summary };
}
