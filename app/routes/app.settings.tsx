import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLocation } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { appPath } from "~/components/knowledge/ArticleForm";
import { PlannedFeature } from "~/components/PlannedFeature";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
}

export default function SettingsPage() {
  const location = useLocation();
  return (
    <PlannedFeature
      title="Settings"
      summary="How the assistant speaks and what it may do on its own."
      items={[
        "Assistant name, greeting and brand voice",
        "Return window, refund auto-approval limit and cancellation rules",
        "Escalation rules and business hours",
      ]}
    >
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Privacy
          </Text>
          <Text as="p">Customer data requests and their downloadable files, erasure requests, and how long webhook payloads are kept.</Text>
          <InlineStack>
            <Button url={appPath("/app/settings/privacy", location.search)}>Open privacy</Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </PlannedFeature>
  );
}
