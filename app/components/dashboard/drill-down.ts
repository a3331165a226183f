import { appPath } from "~/components/app-path";
import type { AnalyticsSegment } from "~/modules/analytics";

export interface Days {
  from: string;
  to: string;
}

/** The inbox listing the conversations behind a figure (All view, these days, plus any filter). */
export type InboxLink = (metric: AnalyticsSegment, extra?: Record<string, string>, days?: Days) => string;

/** Drill-down links for a period, keeping the embedded admin's parameters of the current page. */
export function inboxLinks(currentSearch: string, period: Days): InboxLink {
  return (metric, extra = {}, days = period) => appPath("/app/inbox", currentSearch, { view: "all", metric, from: days.from, to: days.to, ...extra });
}
