import { BlockStack, Card, List, Page, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/** A section whose screens are still to be built: says plainly what is coming, after what already exists (children). */
export function PlannedFeature({ title, summary, items, children }: { title: string; summary: string; items: string[]; children?: ReactNode }) {
  return (
    <Page title={title}>
      <BlockStack gap="400">
        {children}
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Coming next
            </Text>
            <Text as="p">{summary}</Text>
            <List type="bullet">
              {items.map((item) => (
                <List.Item key={item}>{item}</List.Item>
              ))}
            </List>
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
