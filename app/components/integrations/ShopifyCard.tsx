import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { IntegrationActionResult, ShopifyCardView } from "~/modules/integrations";
import { ActionResult, Activity, Failures, formatTime, StatusBadge, SyncProgress } from "./shared";

/**
 * Shopify is connected by installing the app: its card shows the sync and offers a resync. `seededDemo`: the demo
 * shop, whose data the seed wrote through the Shopify connector without any webhook delivery.
 */
export function ShopifyCard({ view, timeZone, seededDemo = false }: { view: ShopifyCardView; timeZone: string; seededDemo?: boolean }) {
  const fetcher = useFetcher<IntegrationActionResult>();
  return (
    <section aria-label="Shopify">
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Shopify
            </Text>
            <StatusBadge status={view.status} />
          </InlineStack>
          <Text as="p">{view.domain} · connected on install; orders, refunds, fulfilments, customers and products arrive by webhook.</Text>
          <SyncProgress progress={view.backfill} timeZone={timeZone} />
          {view.reconcile.lastSuccessAt ? (
            <Text as="p" tone="subdued">
              Last reconciliation {formatTime(view.reconcile.lastSuccessAt, timeZone)}: {view.reconcile.repaired} orders repaired.
            </Text>
          ) : null}
          {seededDemo && !view.activity.lastEventAt ? (
            <Text as="p" tone="subdued">
              No webhooks received yet — the demo's data was imported by the seed.
            </Text>
          ) : null}
          <Activity activity={view.activity} timeZone={timeZone} />
          <Failures failures={view.activity.failures} timeZone={timeZone} />
          <ActionResult result={fetcher.data} />
          <InlineStack>
            <Button loading={fetcher.state !== "idle"} onClick={() => fetcher.submit({ intent: "shopify.resync" }, { method: "post" })}>
              Resync
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </section>
  );
}
