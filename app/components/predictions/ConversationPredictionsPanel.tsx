import { Badge, BlockStack, InlineStack, Text } from "@shopify/polaris";
import type { ConversationPredictions } from "~/modules/predictions";
import { Factors, percent } from "./Factors";
import { ModelLine } from "./PredictionsCard";

/** Beside a conversation: its predicted CSAT and the customer's churn risk, with their top factors, or why not. */
export function ConversationPredictionsPanel({ data }: { data: ConversationPredictions }) {
  const { csat, churn } = data;
  return (
    <section aria-label="Predictions">
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">
          Predictions
        </Text>
        <BlockStack gap="150">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h4" variant="bodyMd" fontWeight="semibold">
              Predicted CSAT
            </Text>
            {csat.satisfied !== null ? (
              <Badge tone={csat.satisfied < 0.5 ? "critical" : csat.satisfied < 0.75 ? "attention" : "success"}>{`${percent(csat.satisfied)} likely to rate 4–5`}</Badge>
            ) : null}
          </InlineStack>
          {csat.note ? (
            <Text as="p" variant="bodySm" tone="subdued">
              {csat.note}
            </Text>
          ) : csat.satisfied === null ? (
            <ModelLine model={csat.model} />
          ) : (
            <Factors factors={csat.factors} label="Why this CSAT prediction" />
          )}
        </BlockStack>
        <BlockStack gap="150">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h4" variant="bodyMd" fontWeight="semibold">
              Churn risk
            </Text>
            {churn.churn !== null ? <Badge tone={churn.churn >= 0.5 ? "critical" : "attention"}>{`${percent(churn.churn)} likely no order in ${churn.model.horizonDays} days`}</Badge> : null}
          </InlineStack>
          {churn.note ? (
            <Text as="p" variant="bodySm" tone="subdued">
              {churn.note}
            </Text>
          ) : churn.churn === null ? (
            <ModelLine model={churn.model} />
          ) : (
            <Factors factors={churn.factors} label="Why this churn risk" />
          )}
        </BlockStack>
      </BlockStack>
    </section>
  );
}
