import { useFetcher, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { Badge, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Link, Text } from "@shopify/polaris";
import { appPath } from "~/components/app-path";
import type { ModelSummary, PredictionsOverview } from "~/modules/predictions";
import { Factors, percent } from "./Factors";

export const RETRAIN_INTENT = "predictions_retrain";

/**
 * The dashboard's predictions: open conversations most likely to be rated low and customers most likely not to
 * order again, each with its top factors, the models' held-out quality, or why there is no prediction.
 */
export function PredictionsCard({ data, timeZone }: { data: PredictionsOverview; timeZone: string }) {
  const location = useLocation();
  const retrain = useFetcher<{ ok: boolean; message?: string; error?: string }>();
  const queued = data.refreshing || retrain.data?.ok === true;
  return (
    <section aria-label="Predictions">
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <BlockStack gap="050">
              <Text as="h2" variant="headingMd">
                Predictions
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                Logistic regressions trained on this shop's own history. A factor's effect is against the typical conversation or customer.
                {data.scoredAt ? ` Scored ${when(data.scoredAt, timeZone)}.` : ""}
              </Text>
            </BlockStack>
            <retrain.Form method="post">
              <input type="hidden" name="intent" value={RETRAIN_INTENT} />
              <InlineStack gap="200" blockAlign="center">
                {retrain.data ? (
                  <Text as="span" variant="bodySm" tone={retrain.data.ok ? "subdued" : "critical"}>
                    {retrain.data.ok ? retrain.data.message : retrain.data.error}
                  </Text>
                ) : data.refreshing ? (
                  <Text as="span" variant="bodySm" tone="subdued">
                    Retraining is queued.
                  </Text>
                ) : null}
                <Button submit loading={retrain.state !== "idle"} disabled={queued}>
                  Retrain now
                </Button>
              </InlineStack>
            </retrain.Form>
          </InlineStack>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <PredictionColumn title="Open conversations at risk of a low rating" model={data.csat} empty={data.conversations.length === 0 ? "No open conversations right now." : undefined}>
              {data.conversations.map((conversation) => (
                <PredictionRow
                  key={conversation.conversationId}
                  who={<Link url={appPath(`/app/inbox/${conversation.conversationId}`, location.search, { view: "all" })}>{conversation.shopper}</Link>}
                  badge={
                    <Badge tone={conversation.satisfied < 0.5 ? "critical" : conversation.satisfied < 0.75 ? "attention" : "success"}>{`${percent(conversation.satisfied)} likely to rate 4–5`}</Badge>
                  }
                  factors={<Factors factors={conversation.factors} label={`Why, for ${conversation.shopper}`} />}
                />
              ))}
            </PredictionColumn>
            <PredictionColumn title="Customers at churn risk" model={data.churn} empty={data.customers.length === 0 ? "No customers with orders yet." : undefined}>
              {data.customers.map((customer) => (
                <PredictionRow
                  key={customer.customerId}
                  who={
                    <Text as="span" fontWeight="semibold">
                      {customer.name}
                    </Text>
                  }
                  badge={<Badge tone={customer.churn >= 0.5 ? "critical" : "attention"}>{`${percent(customer.churn)} likely no order in ${data.churn.horizonDays} days`}</Badge>}
                  factors={<Factors factors={customer.factors} label={`Why, for ${customer.name}`} />}
                />
              ))}
            </PredictionColumn>
          </InlineGrid>
        </BlockStack>
      </Card>
    </section>
  );
}

/** One list of predictions under its model's quality line; `empty` says why a usable model lists nothing. */
function PredictionColumn({ title, model, empty, children }: { title: string; model: ModelSummary; empty?: string; children: ReactNode }) {
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      <ModelLine model={model} />
      {model.usable && empty ? (
        <Text as="p" tone="subdued">
          {empty}
        </Text>
      ) : null}
      {children}
    </BlockStack>
  );
}

function PredictionRow({ who, badge, factors }: { who: ReactNode; badge: ReactNode; factors: ReactNode }) {
  return (
    <Box padding="300" borderColor="border" borderWidth="025" borderRadius="200">
      <BlockStack gap="150">
        <InlineStack align="space-between" gap="200" blockAlign="center">
          {who}
          {badge}
        </InlineStack>
        {factors}
      </BlockStack>
    </Box>
  );
}

/** The model's held-out quality, or exactly why it gives no predictions. */
export function ModelLine({ model }: { model: ModelSummary }) {
  return (
    <Text as="p" variant="bodySm" tone={model.usable ? "subdued" : "caution"}>
      {model.summary}
    </Text>
  );
}

const when = (iso: string, timeZone: string) => new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
