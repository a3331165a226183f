import type { SerializeFrom } from "@remix-run/node";
import { InlineGrid, Link } from "@shopify/polaris";
import type { AnalyticsReport } from "~/modules/analytics";
import type { InboxLink } from "./drill-down";
import { describeChange, formatCount, formatDuration, formatMoney, formatPercent } from "./format";
import { MetricCard } from "./MetricCard";

/** The period's headline figures, each against the period before and linked to its conversations. */
export function PeriodMetrics({ report, inbox, loading }: { report: SerializeFrom<AnalyticsReport>; inbox: InboxLink; loading: boolean }) {
  const { summary, previous } = report;
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
      <MetricCard
        label="Conversations"
        value={formatCount(summary.conversations)}
        href={inbox("conversations")}
        change={describeChange(summary.conversations, previous.conversations, "relative", "higher")}
        detail={`${formatCount(summary.reachedStaff)} reached your team`}
        loading={loading}
      />
      <MetricCard
        label="Automated"
        value={formatPercent(summary.automatedRate)}
        href={inbox("automated")}
        change={describeChange(summary.automatedRate, previous.automatedRate, "rate", "higher")}
        detail={
          <>
            {formatCount(summary.automated)} resolved by the assistant
            {summary.pending > 0 ? (
              <>
                {" · "}
                <Link url={inbox("pending")} monochrome>
                  {`${formatCount(summary.pending)} pending`}
                </Link>
              </>
            ) : null}
          </>
        }
        loading={loading}
      />
      <MetricCard
        label="Handoff rate"
        value={formatPercent(summary.handoffRate)}
        href={inbox("handed_off")}
        change={describeChange(summary.handoffRate, previous.handoffRate, "rate", "lower")}
        detail={`${formatCount(summary.handedOff)} handed to a person`}
        loading={loading}
      />
      <MetricCard
        label="CSAT"
        value={summary.csat.average === null ? "—" : `${summary.csat.average.toFixed(2)} / 5`}
        href={inbox("rated")}
        change={describeChange(summary.csat.average, previous.csat.average, "relative", "higher")}
        detail={`${formatCount(summary.csat.responses)} ${summary.csat.responses === 1 ? "rating" : "ratings"}`}
        loading={loading}
      />
      <MetricCard
        label="First response time"
        value={formatDuration(summary.firstResponseSeconds.median)}
        href={inbox("first_response")}
        change={describeChange(summary.firstResponseSeconds.median, previous.firstResponseSeconds.median, "relative", "lower")}
        detail={`median · p90 ${formatDuration(summary.firstResponseSeconds.p90)} · ${formatCount(summary.firstResponseSeconds.count)} answered by your team`}
        loading={loading}
      />
      <MetricCard
        label="Resolution time"
        value={formatDuration(summary.resolutionSeconds.median)}
        href={inbox("resolved")}
        change={describeChange(summary.resolutionSeconds.median, previous.resolutionSeconds.median, "relative", "lower")}
        detail={`median · p90 ${formatDuration(summary.resolutionSeconds.p90)} · ${formatCount(summary.resolutionSeconds.count)} resolved`}
        loading={loading}
      />
      <MetricCard
        label="Revenue influenced"
        value={formatMoney(summary.influenced.revenue, report.currency)}
        href={inbox("influenced")}
        change={describeChange(summary.influenced.revenue[report.currency] ?? 0, previous.influenced.revenue[report.currency] ?? 0, "relative", "higher")}
        detail={`${formatCount(summary.influenced.orders)} ${summary.influenced.orders === 1 ? "order" : "orders"} within 24 h of a conversation`}
        loading={loading}
      />
      <MetricCard
        label="Unanswered questions"
        value={formatCount(summary.unanswered)}
        href={inbox("unanswered")}
        change={describeChange(summary.unanswered, previous.unanswered, "relative", "lower")}
        detail="the assistant found no answer in your help center"
        loading={loading}
      />
    </InlineGrid>
  );
}
