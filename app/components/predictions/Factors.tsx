import { Text } from "@shopify/polaris";
import type { FactorView } from "~/modules/predictions";

/** A prediction's top factors in plain words, the ones that make it worse marked as such. */
export function Factors({ factors, label }: { factors: FactorView[]; label: string }) {
  if (factors.length === 0) return null;
  return (
    <ul aria-label={label} style={{ margin: 0, paddingInlineStart: "var(--p-space-500)" }}>
      {factors.map((factor) => (
        <li key={factor.text}>
          <Text as="span" variant="bodySm" tone={factor.worsens ? "critical" : "success"}>
            {factor.worsens ? "▼ " : "▲ "}
          </Text>
          <Text as="span" variant="bodySm">
            {factor.text}
          </Text>
        </li>
      ))}
    </ul>
  );
}

export const percent = (probability: number) => `${Math.round(probability * 100)}%`;
