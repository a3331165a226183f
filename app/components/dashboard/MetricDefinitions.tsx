import { BlockStack, Card, Text } from "@shopify/polaris";
import type { METRIC_DEFINITIONS } from "~/modules/analytics";

/** How each figure is counted, in the analytics module's own words. */
export function MetricDefinitions({ definitions, rollupNote }: { definitions: typeof METRIC_DEFINITIONS; rollupNote: string }) {
  const rows: [string, string][] = [
    ["Days", definitions.period],
    ["Conversation", definitions.conversation],
    ["Automated", definitions.automated],
    ["Handoff rate", definitions.handoff],
    ["First response time", definitions.firstResponse],
    ["Resolution time", definitions.resolution],
    ["CSAT", definitions.csat],
    ["Volume and sentiment", `${definitions.volume} ${definitions.sentiment}`],
    ["Unanswered questions", definitions.unanswered],
    ["Revenue influenced", definitions.revenue],
  ];
  return (
    <section aria-label="How these figures are counted">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            How these figures are counted
          </Text>
          <BlockStack gap="200">
            {rows.map(([term, text]) => (
              <Text as="p" key={term}>
                <Text as="span" fontWeight="semibold">
                  {term}:
                </Text>{" "}
                {text}
              </Text>
            ))}
            <Text as="p" tone="subdued">
              {rollupNote} Every figure links to the conversations behind it; Export CSV gives one row per conversation.
            </Text>
          </BlockStack>
        </BlockStack>
      </Card>
    </section>
  );
}
