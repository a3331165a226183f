import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { ensureShop, getShopOverview } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  return getShopOverview(shop.id);
}

function Metric({ label, value, detail }: { label: string; value: number; detail: string }) {
  return (
    <section aria-label={label}>
      <Card>
        <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value.toLocaleString("en-US")}
        </Text>
        <Text as="p" tone="subdued">
          {detail}
        </Text>
        </BlockStack>
      </Card>
    </section>
  );
}

export default function Dashboard() {
  const overview = useLoaderData<typeof loader>();
  return (
    <Page title="Dashboard" subtitle={overview.shop.name}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <Metric
              label="Open conversations"
              value={overview.conversations.open + overview.conversations.waitingOnStaff}
              detail={`${overview.conversations.waitingOnStaff} waiting on your team`}
            />
            <Metric
              label="Resolved conversations"
              value={overview.conversations.resolved}
              detail="all time"
            />
            <Metric label="Orders synced" value={overview.orders.total} detail={`${overview.orders.last30Days} in the last 30 days`} />
            <Metric
              label="Knowledge sources"
              value={overview.knowledge.published}
              detail={`published · ${overview.knowledge.drafts} drafts · ${overview.products} products`}
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Analytics
              </Text>
              <Text as="p" tone="subdued">
                Automation rate, first response time, CSAT, volume by intent and sentiment trends will appear here as
                shoppers talk to the assistant.
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
