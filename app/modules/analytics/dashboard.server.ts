import type { PrismaClient } from "@prisma/client";
import { DEFAULT_PRESET, localDay, type PeriodChoice, PeriodError, parsePeriodQuery, resolvePeriod } from "./period";
import { type AnalyticsReport, getAnalyticsReport } from "./report.server";
import { queueRollupRefresh } from "./rollups.server";

export interface DashboardReport {
  report: AnalyticsReport;
  /** The period shown: the one asked for, or the default when that could not be read. */
  choice: PeriodChoice;
  /** Why the period asked for was not shown. */
  periodError: string | null;
}

/**
 * The dashboard's report for the period in its URL. A hand-edited or stale period gives the default one with the
 * reason, rather than an error page. Today's figures may come from a computation up to a minute old (no `now`, see
 * getAnalyticsReport). Null when the shop does not exist.
 */
export async function getDashboardReport(db: PrismaClient, input: { shopId: string; timeZone: string; query: URLSearchParams }): Promise<DashboardReport | null> {
  let choice: PeriodChoice;
  let periodError: string | null = null;
  try {
    choice = parsePeriodQuery(input.query);
  } catch (error) {
    if (!(error instanceof PeriodError)) throw error;
    periodError = error.message;
    choice = { kind: "preset", preset: DEFAULT_PRESET };
  }
  const report = await getAnalyticsReport({ shopId: input.shopId, period: resolvePeriod(choice, localDay(new Date(), input.timeZone)) });
  if (!report) return null;
  // Closed days without a rollup were computed for this page; the refresh job stores them for the next one.
  if (report.source.missing.length > 0) await queueRollupRefresh(db, input.shopId);
  return { report, choice, periodError };
}
