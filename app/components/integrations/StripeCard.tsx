import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, FormLayout, InlineStack, List, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { StripeActionResult, StripeCardData } from "~/modules/commerce";
import { Activity, ConfirmButton, FailureRow, formatTime, StatusBadge } from "./shared";

/**
 * The Stripe card: how to create the webhook endpoint and the restricted key, the connect form (errors inline), or
 * the connected account with its events, failures (Retry), payments no order was found for, disputes, and
 * disconnect behind a confirmation. Its form posts to /app/integrations/stripe; no secret is ever sent here.
 */

const ACTION = "/app/integrations/stripe";

function money(amount: string, currency: string) {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(Number(amount));
}

const humanise = (value: string) => value.replace(/_/g, " ").replace(/^./, (char) => char.toUpperCase());

function Setup({ view }: { view: StripeCardData }) {
  return (
    <BlockStack gap="200">
      <Text as="p">In your Stripe Dashboard (Developers):</Text>
      <List type="number">
        <List.Item>
          Webhooks → Add endpoint, with this URL and these events; then reveal its <strong>signing secret</strong> (whsec_…).
        </List.Item>
        <List.Item>
          API keys → Create restricted key with Charges (read), Refunds (write), Disputes (read) and PaymentIntents (read); copy the key (rk_…).
        </List.Item>
      </List>
      <TextField label="Endpoint URL" value={view.webhookUrl} readOnly autoComplete="off" onChange={() => {}} selectTextOnFocus />
      <Text as="p" tone="subdued" variant="bodySm">
        Events: {view.webhookEvents.join(", ")}
      </Text>
    </BlockStack>
  );
}

function ConnectForm({ view }: { view: StripeCardData }) {
  const fetcher = useFetcher<StripeActionResult>();
  const [apiKey, setApiKey] = useState("");
  const [webhookSecret, setWebhookSecret] = useState("");
  const result = fetcher.data?.intent === "stripe.connect" ? fetcher.data : undefined;
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return (
    <fetcher.Form method="post" action={ACTION} aria-label="Connect Stripe">
      <input type="hidden" name="intent" value="stripe.connect" />
      <FormLayout>
        <Setup view={view} />
        {result && !result.ok && !result.fieldErrors ? <Banner tone="critical">{result.message}</Banner> : null}
        <TextField label="Restricted key" name="apiKey" type="password" value={apiKey} onChange={setApiKey} autoComplete="off" placeholder="rk_live_…" error={errors.apiKey} />
        <TextField
          label="Signing secret"
          name="webhookSecret"
          type="password"
          value={webhookSecret}
          onChange={setWebhookSecret}
          autoComplete="off"
          placeholder="whsec_…"
          error={errors.webhookSecret}
        />
        <Button submit variant="primary" loading={fetcher.state !== "idle"}>
          Connect Stripe
        </Button>
      </FormLayout>
    </fetcher.Form>
  );
}

function Connected({ view, timeZone }: { view: StripeCardData; timeZone: string }) {
  const fetcher = useFetcher<StripeActionResult>();
  const failures = view.activity.failures;
  return (
    <BlockStack gap="400">
      <Text as="p">
        {view.mode === "live" ? "Live mode" : "Test mode"} · connected {formatTime(view.connectedAt, timeZone)}
      </Text>
      {view.status === "error" && view.lastError ? <Banner tone="critical">{`${view.lastError} Reconnect with a key that has the permissions listed below.`}</Banner> : null}
      <Activity activity={view.activity} timeZone={timeZone} />
      {failures.length ? (
        <section aria-label="Stripe failures">
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Failures{view.failureCount > failures.length ? ` (latest ${failures.length} of ${view.failureCount})` : ""}
            </Text>
            {failures.map((failure) => (
              <FailureRow key={failure.id} failure={failure} timeZone={timeZone} retry={{ data: { intent: "stripe.retry", id: failure.id }, action: ACTION }} />
            ))}
          </BlockStack>
        </section>
      ) : null}
      {view.disputes.length ? (
        <section aria-label="Disputes">
          <BlockStack gap="150">
            <Text as="h3" variant="headingSm">
              Disputes
            </Text>
            {view.disputes.map((dispute) => (
              <InlineStack key={dispute.id} gap="200" blockAlign="center" wrap>
                <Badge tone={dispute.open ? "critical" : "info"}>{humanise(dispute.status)}</Badge>
                <Text as="span">
                  {`${money(dispute.amount, dispute.currency)} · ${humanise(dispute.reason)} · ${dispute.orderName ?? "no order found"}`}
                  {dispute.open && dispute.evidenceDueBy ? ` · evidence due ${formatTime(dispute.evidenceDueBy, timeZone)}` : ""}
                </Text>
              </InlineStack>
            ))}
          </BlockStack>
        </section>
      ) : null}
      {view.unmatchedPayments.length ? (
        <section aria-label="Payments without an order">
          <BlockStack gap="150">
            <Text as="h3" variant="headingSm">
              Payments without an order ({view.unmatchedCount})
            </Text>
            <Text as="p" tone="subdued" variant="bodySm">
              No order carries their id in Stripe's metadata, and no single order has their e-mail and amount within a day. They are linked when a later event of theirs finds one.
            </Text>
            {view.unmatchedPayments.map((payment) => (
              <Text as="p" key={payment.id}>
                {`${payment.reference} · ${money(payment.amount, payment.currency)} · ${humanise(payment.status)} · ${payment.email ?? "no e-mail"} · ${formatTime(payment.occurredAt, timeZone)}`}
                {payment.failureMessage ? ` · ${payment.failureMessage}` : ""}
              </Text>
            ))}
          </BlockStack>
        </section>
      ) : null}
      <Setup view={view} />
      {fetcher.data ? <Banner tone={fetcher.data.ok ? "success" : "critical"}>{fetcher.data.message}</Banner> : null}
      <InlineStack gap="200">
        <ConfirmButton
          label="Disconnect"
          title="Disconnect Stripe?"
          body="Shopdesk deletes the stored key and signing secret. Payments, refunds and disputes already synced stay; new events are refused until you connect again, and refunds of Stripe-paid orders go to the order's own platform."
          confirmLabel="Disconnect"
          loading={fetcher.state !== "idle"}
          onConfirm={() => fetcher.submit({ intent: "stripe.disconnect" }, { method: "post", action: ACTION })}
        />
      </InlineStack>
    </BlockStack>
  );
}

export function StripeCard({ view, timeZone }: { view: StripeCardData; timeZone: string }) {
  const connected = view.status !== "not_connected";
  return (
    <section aria-label="Stripe">
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Stripe
            </Text>
            <StatusBadge status={view.status} />
          </InlineStack>
          <Text as="p" tone="subdued">
            Refunds, disputes and failed payments from Stripe, linked to their orders; refunds of Stripe-paid orders are made in Stripe.
          </Text>
          {connected ? <Connected view={view} timeZone={timeZone} /> : <ConnectForm view={view} />}
        </BlockStack>
      </Card>
    </section>
  );
}
