import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { appPath } from "~/components/app-path";
import { FormattedDate } from "~/components/FormattedDate";
import prisma from "~/db.server";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import {
  DATA_REQUEST_EXPORT_DAYS,
  type DataRequestExportRow,
  listDataRequestExports,
  listRedactions,
  webhookPayloadRetentionDays,
} from "~/modules/privacy";

export const meta: MetaFunction = () => [{ title: "Privacy · Shopdesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await authenticateStaff(request);
  const [exports, redactions, payloadRetentionDays] = await Promise.all([
    listDataRequestExports(prisma, shop.id),
    listRedactions(prisma, shop.id),
    webhookPayloadRetentionDays(prisma, shop.id),
  ]);
  return json({ exports, redactions, exportDays: DATA_REQUEST_EXPORT_DAYS, payloadRetentionDays });
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function customerLabel(row: DataRequestExportRow) {
  if (row.customerEmail) return row.customerEmail;
  if (row.state === "erased") return "Erased customer";
  return row.customerExternalId ? `Shopify customer ${row.customerExternalId}` : "Unnamed customer";
}

function ExportState({ row }: { row: DataRequestExportRow }) {
  if (row.state === "erased") return <Badge tone="info">Erased</Badge>;
  if (row.state === "expired") return <Badge>Expired</Badge>;
  return (
    <InlineStack gap="200" blockAlign="center">
      <Badge tone="success">Ready</Badge>
      <Text as="span" tone="subdued">
        until <FormattedDate iso={row.expiresAt} />
      </Text>
    </InlineStack>
  );
}

function fileNameOf(response: Response, fallback: string) {
  return response.headers.get("Content-Disposition")?.match(/filename="([^"]+)"/)?.[1] ?? fallback;
}

export default function PrivacyPage() {
  const { exports, redactions, exportDays, payloadRetentionDays } = useLoaderData<typeof loader>();
  const location = useLocation();
  const revalidator = useRevalidator();
  const [downloading, setDownloading] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  // A fetch rather than a link: App Bridge adds the session token to the app's own fetches, not to navigations.
  async function download(row: DataRequestExportRow) {
    setDownloading(row.id);
    setFailure(null);
    try {
      const response = await fetch(`/app/settings/privacy/exports/${row.id}`);
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: string } | null;
        setFailure(body?.error ?? `The download failed (HTTP ${response.status}).`);
        revalidator.revalidate();
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = fileNameOf(response, `data-request-${row.id}.json`);
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      revalidator.revalidate();
    } catch {
      setFailure("The download failed: the app could not be reached.");
    } finally {
      setDownloading(null);
    }
  }

  return (
    <Page title="Privacy" backAction={{ content: "Settings", url: appPath("/app/settings", location.search) }}>
      <Layout>
        {failure ? (
          <Layout.Section>
            <Banner tone="critical" title="The export could not be downloaded" onDismiss={() => setFailure(null)}>
              <p>{failure}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Customer data requests
                </Text>
                <Text as="p" tone="subdued">
                  When a customer asks your store for the data it holds about them, Shopify sends Shopdesk a data request. Shopdesk
                  gathers their customer record, orders and conversations into a JSON file for you to send them. Each file can be
                  downloaded for {exportDays} days, then it is deleted.
                </Text>
                {exports.length === 0 ? <Text as="p">No data requests yet.</Text> : null}
              </BlockStack>
            </Box>
            {exports.length === 0 ? null : (
                <IndexTable
                  resourceName={{ singular: "data request", plural: "data requests" }}
                  itemCount={exports.length}
                  selectable={false}
                  headings={[{ title: "Requested" }, { title: "Customer" }, { title: "Contents" }, { title: "Status" }, { title: "Download", hidden: true }]}
                >
                  {exports.map((row, index) => (
                    <IndexTable.Row id={row.id} key={row.id} position={index}>
                      <IndexTable.Cell>
                        <FormattedDate iso={row.requestedAt} withTime />
                      </IndexTable.Cell>
                      <IndexTable.Cell>{customerLabel(row)}</IndexTable.Cell>
                      <IndexTable.Cell>
                        {[plural(row.customerCount, "customer record", "customer records"), plural(row.orderCount, "order", "orders"), plural(row.conversationCount, "conversation", "conversations")].join(", ")}
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <ExportState row={row} />
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        {row.state === "ready" ? (
                          <Button onClick={() => download(row)} loading={downloading === row.id} accessibilityLabel={`Download the export for ${customerLabel(row)}`}>
                            Download
                          </Button>
                        ) : null}
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Erasure requests
              </Text>
              <Text as="p" tone="subdued">
                When a customer asks to be forgotten, Shopify sends an erasure request. Shopdesk removes their e-mail, name, phone
                and addresses from orders, conversations, action logs, notifications, data-request files and stored webhooks, and
                keeps the orders' amounts and the conversations' counts.
              </Text>
              {redactions.length === 0 ? (
                <Text as="p">No erasure requests yet.</Text>
              ) : (
                <BlockStack gap="100">
                  {redactions.map((redaction) => (
                    <Text as="p" key={redaction.id}>
                      <FormattedDate iso={redaction.at} withTime />:{" "}
                      {[
                        plural(redaction.customers, "customer record", "customer records"),
                        plural(redaction.orders, "order", "orders"),
                        plural(redaction.conversations, "conversation", "conversations"),
                        plural(redaction.webhookPayloads, "webhook payload", "webhook payloads"),
                        plural(redaction.exports, "data-request file", "data-request files"),
                      ].join(", ")}{" "}
                      erased
                    </Text>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Webhook payloads
              </Text>
              <Text as="p">
                Shopdesk keeps the raw content of each webhook Shopify sends for {plural(payloadRetentionDays, "day", "days")}, then deletes
                it. The delivery's record (topic, time, status) stays, so a repeated delivery is still recognized.
              </Text>
              <InlineStack>
                <Button variant="plain" url={appPath("/app/settings", location.search)}>
                  Change the retention period in Settings
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
