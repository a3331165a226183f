import type { SerializeFrom } from "@remix-run/node";
import { InlineGrid } from "@shopify/polaris";
import type { AnalyticsSegment, AnalyticsSummary } from "~/modules/analytics";
import { ChartCard } from "./ChartCard";
import { BarList, volumeRows } from "./charts";
import type { InboxLink } from "./drill-down";
import { CHANNEL_NAMES, humanise, languageName } from "./format";

/** The period's conversations by intent, rating, language and channel; each bar links to its conversations. */
export function Breakdowns({ summary, inbox, loading }: { summary: SerializeFrom<AnalyticsSummary>; inbox: InboxLink; loading: boolean }) {
  return (
    <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
      <ChartCard title="By intent" loading={loading}>
        <BarList
          name="Conversations by intent"
          rows={volumeRows(
            summary.byIntent,
            (key) => (key === "unknown" ? "Not classified" : humanise(key)),
            (key) => (key === "unknown" ? undefined : inbox("conversations", { intent: key })),
            8,
          )}
        />
      </ChartCard>
      <ChartCard title="CSAT ratings" loading={loading}>
        <BarList
          name="Ratings"
          rows={(["5", "4", "3", "2", "1"] as const).map((score) => ({
            key: score,
            label: `${score} ★`,
            value: summary.csat.distribution[score],
            href: inbox(`csat_${score}` as AnalyticsSegment),
          }))}
        />
      </ChartCard>
      <ChartCard title="By language" loading={loading}>
        <BarList name="Conversations by language" rows={volumeRows(summary.byLanguage, languageName, (key) => inbox("conversations", { language: key }), 6)} />
      </ChartCard>
      <ChartCard title="By channel" loading={loading}>
        <BarList name="Conversations by channel" rows={volumeRows(summary.byChannel, (key) => CHANNEL_NAMES[key] ?? humanise(key), (key) => inbox("conversations", { channel: key }), 3)} />
      </ChartCard>
    </InlineGrid>
  );
}
