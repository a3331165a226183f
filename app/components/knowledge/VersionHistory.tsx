import type { SerializeFrom } from "@remix-run/node";
import { Badge, BlockStack, Box, Button, Card, Divider, InlineStack, Modal, Text } from "@shopify/polaris";
import { useState } from "react";
import type { SourceEditorPage } from "~/modules/knowledge";
import { FormattedDate } from "~/components/FormattedDate";
import { plural } from "./format";

export type Version = SerializeFrom<SourceEditorPage>["versions"][number];

const SHOWN_AT_FIRST = 8;

/** A source's versions, newest first: each can be viewed in full and restored (as a new version). */
export function VersionHistory({
  versions,
  currentVersion,
  onView,
  onRestore,
  restoring,
  submitting,
}: {
  versions: Version[];
  currentVersion: number;
  onView: (version: Version) => void;
  onRestore: (version: number) => void;
  /** The version whose restore is being submitted. */
  restoring: number | null;
  submitting: boolean;
}) {
  const [showAll, setShowAll] = useState(false);
  const visible = showAll ? versions : versions.slice(0, SHOWN_AT_FIRST);

  return (
    <section aria-label="Version history">
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Version history
            </Text>
            <Text as="span" tone="subdued" variant="bodySm">
              {plural(versions.length, "version", "versions")}
            </Text>
          </InlineStack>
          <ul aria-label="Versions" style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {visible.map((version, index) => (
              <li key={version.version} aria-label={`Version ${version.version}`}>
                {index > 0 ? <Divider /> : null}
                <Box paddingBlock="200">
                  <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
                    <BlockStack gap="050">
                      <InlineStack gap="150" blockAlign="center" wrap={false}>
                        <Text as="span" fontWeight="semibold">
                          Version {version.version}
                        </Text>
                        {version.version === currentVersion ? <Badge size="small">Current</Badge> : null}
                      </InlineStack>
                      <Text as="span" variant="bodySm" tone="subdued">
                        <FormattedDate iso={version.createdAt} withTime />
                      </Text>
                      <Text as="span" variant="bodySm" tone="subdued">
                        {version.editedBy ?? "Unknown editor"}
                      </Text>
                    </BlockStack>
                    <InlineStack gap="100" wrap={false}>
                      <Button size="slim" variant="tertiary" onClick={() => onView(version)} accessibilityLabel={`View version ${version.version}`}>
                        View
                      </Button>
                      {version.version !== currentVersion ? (
                        <Button
                          size="slim"
                          onClick={() => onRestore(version.version)}
                          loading={restoring === version.version}
                          disabled={submitting}
                          accessibilityLabel={`Restore version ${version.version}`}
                        >
                          Restore
                        </Button>
                      ) : null}
                    </InlineStack>
                  </InlineStack>
                </Box>
              </li>
            ))}
          </ul>
          {versions.length > visible.length ? (
            <InlineStack>
              <Button variant="plain" onClick={() => setShowAll(true)}>
                {`Show ${versions.length - visible.length} older versions`}
              </Button>
            </InlineStack>
          ) : null}
        </BlockStack>
      </Card>
    </section>
  );
}

/** One version's full text, with a way to restore it unless it is the current one. */
export function VersionViewer({
  viewing,
  currentVersion,
  onClose,
  onRestore,
}: {
  viewing: Version | null;
  currentVersion: number;
  onClose: () => void;
  onRestore: (version: number) => void;
}) {
  return (
    <Modal
      open={viewing !== null}
      onClose={onClose}
      title={viewing ? `Version ${viewing.version}: ${viewing.title}` : ""}
      size="large"
      primaryAction={
        viewing && viewing.version !== currentVersion ? { content: `Restore version ${viewing.version}`, onAction: () => onRestore(viewing.version) } : undefined
      }
      secondaryActions={[{ content: "Close", onAction: onClose }]}
    >
      {viewing ? (
        <Modal.Section>
          <BlockStack gap="300">
            <Text as="p" tone="subdued" variant="bodySm">
              <FormattedDate iso={viewing.createdAt} withTime />
              {` · ${viewing.editedBy ?? "Unknown editor"}`}
              {viewing.tags.length > 0 ? ` · Tags: ${viewing.tags.join(", ")}` : ""}
            </Text>
            <Box background="bg-surface-secondary" padding="400" borderRadius="200">
              <pre style={{ margin: 0, whiteSpace: "pre-wrap", wordBreak: "break-word", fontFamily: "var(--p-font-family-mono)", fontSize: 13 }}>{viewing.body}</pre>
            </Box>
          </BlockStack>
        </Modal.Section>
      ) : null}
    </Modal>
  );
}
