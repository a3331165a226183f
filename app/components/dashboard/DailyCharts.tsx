import type { SerializeFrom } from "@remix-run/node";
import { Layout } from "@shopify/polaris";
import type { AnalyticsReport } from "~/modules/analytics";
import { ChartCard } from "./ChartCard";
import { DailyColumns, TrendLine } from "./charts";
import type { InboxLink } from "./drill-down";
import { formatCount, formatPercent } from "./format";

/** The period day by day: volume, automated rate and sentiment; each day links to its conversations. */
export function DailyCharts({ report, inbox, loading }: { report: SerializeFrom<AnalyticsReport>; inbox: InboxLink; loading: boolean }) {
  const { summary } = report;
  const onDay = (day: string) => ({ from: day, to: day });
  return (
    <>
      <Layout.Section>
        <ChartCard title="Conversations per day" loading={loading}>
          <DailyColumns
            days={report.days.map((day) => ({
              day: day.day,
              conversations: day.conversations,
              automated: day.automated,
              handedOff: day.handedOff,
              href: inbox("conversations", {}, onDay(day.day)),
            }))}
          />
        </ChartCard>
      </Layout.Section>

      <Layout.Section variant="oneHalf">
        <ChartCard title="Automated rate per day" loading={loading}>
          <TrendLine
            name="Automated rate per day"
            min={0}
            max={1}
            points={report.days.map((day) => ({
              day: day.day,
              value: day.automatedRate,
              label: day.automatedRate === null && day.pending > 0 ? `${formatCount(day.pending)} still within 72 hours` : `${formatPercent(day.automatedRate)} automated`,
              href: inbox("automated", {}, onDay(day.day)),
            }))}
          />
        </ChartCard>
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <ChartCard title="Sentiment per day" loading={loading} note={summary.sentiment.average === null ? undefined : `average ${summary.sentiment.average.toFixed(2)} (−1 … +1)`}>
          <TrendLine
            name="Sentiment per day"
            min={-1}
            max={1}
            zero={0}
            points={report.days.map((day) => ({
              day: day.day,
              value: day.sentimentAverage,
              label: day.sentimentAverage === null ? "no sentiment" : `sentiment ${day.sentimentAverage.toFixed(2)}`,
              href: inbox("conversations", {}, onDay(day.day)),
            }))}
          />
        </ChartCard>
      </Layout.Section>
    </>
  );
}
