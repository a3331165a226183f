import { BlockStack, Box, InlineGrid, Text } from "@shopify/polaris";
import type { ShopOverview } from "~/modules/shops";

/** What is happening now, whatever the period: open work, synced orders, knowledge. */
export function RightNow({ overview }: { overview: ShopOverview }) {
  const figure = (label: string, value: number, detail: string) => (
    <section aria-label={label}>
      <Box padding="300" background="bg-surface" borderRadius="300" shadow="100">
        <BlockStack gap="050">
          <Text as="p" variant="headingLg">
            {value.toLocaleString("en-US")}
          </Text>
          <Text as="h3" variant="bodySm" tone="subdued">
            {label} · {detail}
          </Text>
        </BlockStack>
      </Box>
    </section>
  );
  return (
    <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
      {figure("Open conversations", overview.conversations.open + overview.conversations.waitingOnStaff, `${overview.conversations.waitingOnStaff} waiting on your team`)}
      {figure("Orders synced", overview.orders.total, `${overview.orders.last30Days} in the last 30 days`)}
      {figure("Knowledge sources", overview.knowledge.published, `published · ${overview.knowledge.drafts} drafts · ${overview.products} products`)}
    </InlineGrid>
  );
}
