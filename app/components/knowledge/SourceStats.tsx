import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import { formatCount, plural } from "./format";

/** The knowledge list's headline figures: what is published, and where the sources come from. */
export function SourceStats({ counts }: { counts: { kind: Record<string, number>; status: Record<string, number> } }) {
  return (
    <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
      <Stat label="Published" value={counts.status.published ?? 0} detail={plural(counts.status.draft ?? 0, "draft", "drafts")} />
      <Stat label="Articles" value={counts.kind.article ?? 0} detail="written by your team" />
      <Stat label="Policies" value={counts.kind.policy ?? 0} detail="from your store settings" />
      <Stat label="Products" value={counts.kind.product ?? 0} detail="synced from your catalogue" />
    </InlineGrid>
  );
}

function Stat({ label, value, detail }: { label: string; value: number; detail: string }) {
  return (
    <section aria-label={label}>
      <Card>
        <BlockStack gap="100">
          <Text as="h2" variant="headingSm" tone="subdued">
            {label}
          </Text>
          <Text as="p" variant="headingXl">
            {formatCount(value)}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {detail}
          </Text>
        </BlockStack>
      </Card>
    </section>
  );
}
