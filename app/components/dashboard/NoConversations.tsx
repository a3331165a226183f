import { BlockStack, Card, Text } from "@shopify/polaris";

/** The dashboard's empty state: a period without a conversation, and how one comes to count. */
export function NoConversations() {
  return (
    <section aria-label="No conversations">
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            No conversations in this period
          </Text>
          <Text as="p" tone="subdued">
            Figures appear once shoppers write to the assistant: turn on the chat bubble in your theme, or pick a longer period. A conversation counts
            when the shopper has written at least one message.
          </Text>
        </BlockStack>
      </Card>
    </section>
  );
}
