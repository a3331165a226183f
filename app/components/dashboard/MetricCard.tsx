import { Badge, BlockStack, Card, InlineStack, Link, SkeletonBodyText, SkeletonDisplayText, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export interface Change {
  text: string;
  tone: "success" | "critical" | "neutral";
}

/**
 * One figure: its value links to the conversations behind it (the inbox, filtered), with the change against the
 * previous period and a line of detail. While a new period loads, skeletons hold the same space (no layout shift).
 */
export function MetricCard({
  label,
  value,
  href,
  detail,
  change,
  loading,
}: {
  label: string;
  value: string;
  href: string | null;
  detail?: ReactNode;
  change?: Change | null;
  loading: boolean;
}) {
  return (
    <section aria-label={label}>
      <Card>
        <div className="dash-card-body">
          <BlockStack gap="150">
            <Text as="h3" variant="headingSm" tone="subdued">
              {label}
            </Text>
            {loading ? (
              <>
                <SkeletonDisplayText size="medium" />
                <SkeletonBodyText lines={1} />
              </>
            ) : (
              <>
                <Text as="p" variant="headingXl">
                  {href ? (
                    <Link url={href} removeUnderline monochrome accessibilityLabel={`${label}: ${value}. Show these conversations`}>
                      {value}
                    </Link>
                  ) : (
                    value
                  )}
                </Text>
                <InlineStack gap="200" blockAlign="center">
                  {change ? (
                    <Badge tone={change.tone === "neutral" ? undefined : change.tone} size="small">
                      {`${change.text} vs previous`}
                    </Badge>
                  ) : (
                    <Badge size="small">no comparison</Badge>
                  )}
                </InlineStack>
                {detail ? (
                  <Text as="p" variant="bodySm" tone="subdued">
                    {detail}
                  </Text>
                ) : null}
              </>
            )}
          </BlockStack>
        </div>
      </Card>
    </section>
  );
}
