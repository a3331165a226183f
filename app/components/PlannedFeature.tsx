import { BlockStack, Card, List, Page, Text } from "@shopify/polaris";

/** A section whose screens are still to be built: says plainly what is coming. */
export function PlannedFeature({ title, summary, items }: { title: string; summary: string; items: string[] }) {
  return (
    <Page title={title}>
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
    </Page>
  );
}
