import type { SerializeFrom } from "@remix-run/node";
import { Banner, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { SourceEditorPage } from "~/modules/knowledge";
import { FormattedDate } from "~/components/FormattedDate";
import { languageName, originLabel, plural } from "./format";

export type EditedSource = SerializeFrom<SourceEditorPage>["source"];

/** The editor's side card: what the source is, and whether the assistant can already find it. */
export function SourceDetails({ source }: { source: EditedSource }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Details
        </Text>
        <DetailRow label="Type" value={originLabel(source.kind)} />
        <DetailRow label="Language" value={languageName(source.language)} />
        <DetailRow label="Search index" value={source.indexed ? plural(source.passages, "passage", "passages") : "Waiting for the indexer"} />
        <DetailRow label="Last updated" value={<FormattedDate iso={source.updatedAt} withTime />} />
        {source.publishedAt ? <DetailRow label="Published" value={<FormattedDate iso={source.publishedAt} />} /> : null}
      </BlockStack>
    </Card>
  );
}

function DetailRow({ label, value }: { label: string; value: ReactNode }) {
  return (
    <InlineStack align="space-between" gap="200" wrap={false}>
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" alignment="end">
        {value}
      </Text>
    </InlineStack>
  );
}

/** Where a source that no one wrote here comes from, and what a later sync or import does to edits made here. */
export function OriginNotice({ source }: { source: EditedSource }) {
  if (source.kind === "policy") {
    return (
      <Banner tone="info" title="Synced from your store policies">
        <p>
          This is your store's {source.title.toLowerCase()} as set in Shopify. Edits here change what the assistant says; a later policy sync from Shopify may
          replace them, so make lasting changes in your store settings.
        </p>
      </Banner>
    );
  }
  if (source.kind === "product") {
    return (
      <Banner tone="info" title="Generated from your product catalogue">
        <p>
          The assistant reads this to answer questions about the product (ID {source.externalId ?? "unknown"}). The next product sync rewrites it from the
          product's title, description, price and variants; to add lasting information, write an article instead.
        </p>
      </Banner>
    );
  }
  if (source.externalId) {
    return (
      <Banner tone="info" title="Imported">
        <p>Imported with the id “{source.externalId}”. Importing a file with the same id again updates this article.</p>
      </Banner>
    );
  }
  return null;
}
