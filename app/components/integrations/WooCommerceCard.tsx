import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { IntegrationActionResult, WooCommerceCardView } from "~/modules/integrations";
import { ActionResult, Activity, ConfirmButton, Failures, formatTime, StatusBadge, SyncProgress } from "./shared";

/**
 * The WooCommerce card: the connect form (store address, consumer key and secret, errors inline), or the
 * connected store with its webhooks, activity, failures, backfill progress, resync and disconnect.
 */

function ConnectForm({ view }: { view: WooCommerceCardView }) {
  const fetcher = useFetcher<IntegrationActionResult>();
  const [storeUrl, setStoreUrl] = useState(view.storeUrl ?? "");
  const [consumerKey, setConsumerKey] = useState("");
  const [consumerSecret, setConsumerSecret] = useState("");
  const result = fetcher.data?.intent === "woocommerce.connect" ? fetcher.data : undefined;
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" aria-label="Connect WooCommerce">
      <input type="hidden" name="intent" value="woocommerce.connect" />
      <FormLayout>
        <Text as="p">
          In WordPress, create REST API keys with <strong>Read/Write</strong> permission (WooCommerce → Settings → Advanced → REST API) and
          enter them here. Shopdesk checks them with a test call, registers its webhooks on the store and reads your customers and orders.
        </Text>
        {result && !result.ok && !result.fieldErrors ? <Banner tone="critical">{result.message}</Banner> : null}
        <TextField
          label="Store address"
          name="storeUrl"
          value={storeUrl}
          onChange={setStoreUrl}
          placeholder="https://shop.example.com"
          autoComplete="url"
          error={errors.storeUrl}
        />
        <TextField label="Consumer key" name="consumerKey" value={consumerKey} onChange={setConsumerKey} autoComplete="off" placeholder="ck_…" error={errors.consumerKey} />
        <TextField
          label="Consumer secret"
          name="consumerSecret"
          type="password"
          value={consumerSecret}
          onChange={setConsumerSecret}
          autoComplete="off"
          placeholder="cs_…"
          error={errors.consumerSecret}
        />
        <Button submit variant="primary" loading={busy}>
          Connect WooCommerce
        </Button>
      </FormLayout>
    </fetcher.Form>
  );
}

function Webhooks({ view, timeZone }: { view: WooCommerceCardView; timeZone: string }) {
  const fetcher = useFetcher<IntegrationActionResult>();
  const inactive = view.webhooks.filter((webhook) => webhook.status !== "active");
  const incident = view.webhookIncident;
  return (
    <section aria-label="Webhooks">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingSm">
            Webhooks
          </Text>
          <Button size="slim" loading={fetcher.state !== "idle"} onClick={() => fetcher.submit({ intent: "woocommerce.check-webhooks" }, { method: "post" })}>
            {inactive.length ? "Re-enable webhooks" : "Check webhooks"}
          </Button>
        </InlineStack>
        {inactive.length ? (
          <Banner tone="warning">
            WooCommerce stopped delivering {inactive.map((webhook) => webhook.topic).join(", ")} ({inactive.map((webhook) => webhook.status).join(", ")}). It does not retry
            failed deliveries, so changes made meanwhile were not sent; re-enabling also re-reads the orders changed since the last sync.
          </Banner>
        ) : null}
        <InlineStack gap="200" wrap>
          {view.webhooks.map((webhook) => (
            <Badge key={webhook.topic} tone={webhook.status === "active" ? "success" : "critical"}>
              {`${webhook.topic}: ${webhook.status}`}
            </Badge>
          ))}
        </InlineStack>
        {incident ? (
          <Text as="p" tone="subdued">
            {formatTime(incident.at, timeZone)}: WooCommerce had stopped delivering {incident.topics.join(", ")}.{" "}
            {incident.reenabled ? "Shopdesk re-enabled them and re-read the orders changed meanwhile." : `They could not be re-enabled${incident.error ? `: ${incident.error}` : "."}`}
          </Text>
        ) : null}
        <Text as="p" tone="subdued" variant="bodySm">
          Checked {formatTime(view.webhooksCheckedAt, timeZone)}; checked again with every reconciliation (every 15 minutes).
        </Text>
        <ActionResult result={fetcher.data} />
      </BlockStack>
    </section>
  );
}

function Connected({ view, timeZone }: { view: WooCommerceCardView; timeZone: string }) {
  const fetcher = useFetcher<IntegrationActionResult>();
  const busy = (intent: string) => fetcher.state !== "idle" && fetcher.formData?.get("intent") === intent;
  return (
    <BlockStack gap="400">
      <Text as="p">
        {view.storeUrl} · connected {formatTime(view.connectedAt, timeZone)} · last sync {formatTime(view.lastSyncAt, timeZone)}
      </Text>
      {view.status === "error" && view.lastError ? <Banner tone="critical">{view.lastError}</Banner> : null}
      <SyncProgress progress={view.backfill} timeZone={timeZone} />
      {view.reconcile.lastSuccessAt ? (
        <Text as="p" tone="subdued">
          Last reconciliation {formatTime(view.reconcile.lastSuccessAt, timeZone)}: {view.reconcile.repaired} orders repaired.
        </Text>
      ) : null}
      <Activity activity={view.activity} timeZone={timeZone} />
      <Webhooks view={view} timeZone={timeZone} />
      <Failures failures={view.activity.failures} timeZone={timeZone} />
      <ActionResult result={fetcher.data} />
      <InlineStack gap="200">
        <Button loading={busy("woocommerce.resync")} onClick={() => fetcher.submit({ intent: "woocommerce.resync" }, { method: "post" })}>
          Resync
        </Button>
        <ConfirmButton
          label="Disconnect"
          title="Disconnect WooCommerce?"
          body={`Shopdesk deletes the stored API keys and removes its webhooks from ${view.storeUrl ?? "the store"}. Orders already synced stay; new orders and changes stop arriving.`}
          confirmLabel="Disconnect"
          loading={busy("woocommerce.disconnect")}
          onConfirm={() => fetcher.submit({ intent: "woocommerce.disconnect" }, { method: "post" })}
        />
      </InlineStack>
    </BlockStack>
  );
}

export function WooCommerceCard({ view, timeZone }: { view: WooCommerceCardView; timeZone: string }) {
  const connected = view.status === "connected" || view.status === "error";
  return (
    <section aria-label="WooCommerce">
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              WooCommerce
            </Text>
            <StatusBadge status={view.status} />
          </InlineStack>
          {connected ? <Connected view={view} timeZone={timeZone} /> : <ConnectForm view={view} />}
          {!connected && view.cleanupError ? (
            <Banner tone="warning">Some of Shopdesk's webhooks could not be removed from the store: delete them under WooCommerce → Settings → Advanced → Webhooks.</Banner>
          ) : null}
        </BlockStack>
      </Card>
    </section>
  );
}
