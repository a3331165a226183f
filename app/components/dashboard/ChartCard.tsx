import { BlockStack, Card, InlineStack, SkeletonBodyText, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/** A titled card around one chart, with skeletons in its place while a new period loads. */
export function ChartCard({ title, loading, note, children }: { title: string; loading: boolean; note?: string; children: ReactNode }) {
  return (
    <section aria-label={title}>
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="baseline">
            <Text as="h2" variant="headingMd">
              {title}
            </Text>
            {note ? (
              <Text as="span" tone="subdued" variant="bodySm">
                {note}
              </Text>
            ) : null}
          </InlineStack>
          {loading ? (
            <div style={{ minHeight: 160 }}>
              <SkeletonBodyText lines={6} />
            </div>
          ) : (
            children
          )}
        </BlockStack>
      </Card>
    </section>
  );
}
