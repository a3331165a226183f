import { Banner, BlockStack, Box, Card, DataTable, Text } from "@shopify/polaris";
import type { ImportResponse } from "~/modules/knowledge";

/** What an import did: counts, and the rows it skipped with the reason for each. */
export function ImportSummary({
  fileName,
  published,
  report,
  listUrl,
}: {
  fileName: string;
  published: boolean;
  report: NonNullable<ImportResponse["report"]>;
  listUrl: string;
}) {
  const failed = report.errors.length;
  const written = report.created + report.updated;
  return (
    <BlockStack gap="400">
      <Banner
        tone={failed === 0 ? "success" : "warning"}
        title={failed === 0 ? `${fileName} imported` : `${fileName} imported with ${failed} ${failed === 1 ? "row" : "rows"} skipped`}
        action={{ content: "View knowledge", url: listUrl }}
      >
        <p>
          {report.created} created · {report.updated} updated · {report.unchanged} unchanged
          {failed > 0 ? ` · ${failed} with errors` : ""}.
          {written > 0 ? (published ? " New content is published once indexed." : " New content is saved as drafts.") : ""}
        </p>
      </Banner>
      {failed > 0 ? (
        <section aria-label="Rows not imported">
          <Card padding="0">
            <Box padding="400" paddingBlockEnd="200">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  Rows not imported
                </Text>
                <Text as="p" tone="subdued">
                  Fix these rows in the file and import it again. Rows are numbered as in the file, not counting the CSV header.
                </Text>
              </BlockStack>
            </Box>
            <DataTable
              columnContentTypes={["text", "text", "text"]}
              headings={["Row", "Field", "Message"]}
              rows={report.errors.map((error) => [String(error.row), error.field ?? "—", error.message])}
              verticalAlign="top"
            />
          </Card>
        </section>
      ) : null}
    </BlockStack>
  );
}
