import { BlockStack, Button, Card, InlineCode, InlineStack, List, Text } from "@shopify/polaris";

const SAMPLE_CSV = [
  "id,title,body,tags,language",
  'gift-wrap,Gift wrapping,"Gift wrapping costs $5 per order and includes a handwritten card.",gifts,en',
  'store-hours,Store hours,"Our Portland store is open 10am to 6pm, Monday to Saturday.",stores,en',
].join("\n");
const SAMPLE_CSV_URL = `data:text/csv;charset=utf-8,${encodeURIComponent(SAMPLE_CSV)}`;

/** The file formats an import reads (parseImportFile's rules), with a sample CSV to start from. */
export function ImportFormats() {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          File formats
        </Text>
        <List type="bullet">
          <List.Item>
            <b>CSV</b> with a header row: <InlineCode>title</InlineCode> and <InlineCode>body</InlineCode> are required; <InlineCode>tags</InlineCode>,{" "}
            <InlineCode>language</InlineCode> and <InlineCode>id</InlineCode> are optional.
          </List.Item>
          <List.Item>
            <b>JSON</b>: an array of articles with the same fields, or <InlineCode>{'{ "articles": [...] }'}</InlineCode>.
          </List.Item>
          <List.Item>
            <b>JSONL</b>: one article object per line.
          </List.Item>
          <List.Item>
            <b>Markdown</b>: one article; its first <InlineCode>#</InlineCode> heading is the title.
          </List.Item>
        </List>
        <Text as="p" tone="subdued" variant="bodySm">
          Give each article an <InlineCode>id</InlineCode> to update it by importing again; rows with errors are skipped and reported by row number.
        </Text>
        <InlineStack>
          <Button url={SAMPLE_CSV_URL} download="knowledge-sample.csv" variant="plain">
            Download a sample CSV
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
