/**
 * Analytics: what the assistant and the team achieve, computed in SQL from the stored conversations, messages,
 * action log and orders, per day in the shop's time zone, with daily rollups (refreshed by a job) so the
 * dashboard stays fast at scale. Definitions: ./definitions.ts (shown in the dashboard and the README).
 */
export {
  ANALYTICS_SEGMENTS,
  type AnalyticsSegment,
  INFLUENCE_WINDOW_HOURS,
  isAnalyticsSegment,
  METRIC_DEFINITIONS,
  RETURN_WINDOW_HOURS,
  SEGMENT_LABELS,
  VISIT_GAP_MINUTES,
} from "./definitions";
export { type DashboardReport, getDashboardReport } from "./dashboard.server";
export { type AnalyticsDb, computeDays } from "./days.server";
export { CSV_COLUMNS, exportConversationsCsv } from "./export.server";
export { analyticsSegmentCondition, type FactsContext, type Param } from "./facts.server";
export {
  addDays,
  DEFAULT_PRESET,
  eachDay,
  IsoDay,
  localDay,
  MAX_PERIOD_DAYS,
  type Period,
  type PeriodChoice,
  PeriodError,
  PERIOD_PRESETS,
  type PeriodPreset,
  parsePeriodQuery,
  PRESET_LABELS,
  presetPeriod,
  previousPeriod,
  resolvePeriod,
} from "./period";
export { type AnalyticsReport, computePeriodSummary, getAnalyticsReport, getPeriodMetrics } from "./report.server";
export {
  ANALYTICS_ROLLUP_JOB,
  ANALYTICS_TICK_JOB,
  analyticsJobs,
  keepFiguresOfDeletedConversations,
  queueRollupRefresh,
  type RefreshReport,
  refreshRollups,
  scheduleAnalyticsTick,
} from "./rollups.server";
export type { AnalyticsSummary, DayFigures, Spread, UnansweredQuestion, UnansweredRef } from "./summary";
export { type DayPoint, summarizeDays } from "./summary.server";
export { groupUnansweredQuestions, type UnansweredGroup } from "./unanswered.server";
