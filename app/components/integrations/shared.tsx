import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, InlineStack, Modal, ProgressBar, Text } from "@shopify/polaris";
import { useId, useState } from "react";
import type { ActivityView, FailureView, IntegrationActionResult, ProgressView } from "~/modules/integrations";

/* Pieces every platform card shows: status, webhook activity, failures with Retry, sync progress. Times are
   shown in the shop's time zone, so the server's render and the browser's agree. */

export function formatTime(iso: string | null, timeZone: string): string {
  if (!iso) return "never";
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
}

const STATUS: Record<string, { label: string; tone?: "success" | "critical" | "attention" | "info" }> = {
  connected: { label: "Connected", tone: "success" },
  error: { label: "Needs attention", tone: "critical" },
  disconnected: { label: "Disconnected" },
  not_connected: { label: "Not connected" },
  uninstalled: { label: "Uninstalled", tone: "attention" },
};

export function StatusBadge({ status }: { status: string }) {
  const shown = STATUS[status] ?? { label: status };
  return <Badge tone={shown.tone}>{shown.label}</Badge>;
}

/** The answer of the last action posted through `fetcher`, as a banner. */
export function ActionResult({ result }: { result: IntegrationActionResult | undefined }) {
  if (!result || "fieldErrors" in result) return null;
  return <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner>;
}

export function Activity({ activity, timeZone }: { activity: ActivityView; timeZone: string }) {
  return (
    <InlineStack gap="600" wrap>
      <BlockStack gap="050">
        <Text as="span" tone="subdued">
          Last event received
        </Text>
        <Text as="span" fontWeight="semibold">
          {activity.lastEventAt ? formatTime(activity.lastEventAt, timeZone) : "None yet"}
        </Text>
      </BlockStack>
      <BlockStack gap="050">
        <Text as="span" tone="subdued">
          Events in the last 24 h
        </Text>
        <Text as="span" fontWeight="semibold">
          {activity.eventsLast24h.toLocaleString("en-US")}
        </Text>
      </BlockStack>
      <BlockStack gap="050">
        <Text as="span" tone="subdued">
          Failures
        </Text>
        <Text as="span" fontWeight="semibold" tone={activity.failures.length ? "critical" : undefined}>
          {activity.failures.length}
        </Text>
      </BlockStack>
    </InlineStack>
  );
}

/**
 * A failure with its error and a Retry button. `retry` is what Retry posts, and where (default: this page's
 * action with intent "retry").
 */
export function FailureRow({
  failure,
  timeZone,
  retry,
}: {
  failure: FailureView;
  timeZone: string;
  retry?: { data: Record<string, string>; action: string };
}) {
  const fetcher = useFetcher<IntegrationActionResult>();
  const busy = fetcher.state !== "idle";
  return (
    <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
      <BlockStack gap="100">
        <InlineStack align="space-between" blockAlign="center" gap="300">
          <Text as="span" fontWeight="semibold">
            {failure.what}
          </Text>
          <Button
            size="slim"
            loading={busy}
            accessibilityLabel={`Retry ${failure.what} from ${formatTime(failure.at, timeZone)}`}
            onClick={() => fetcher.submit(retry?.data ?? { intent: "retry", kind: failure.kind, id: failure.id }, { method: "post", ...(retry ? { action: retry.action } : {}) })}
          >
            Retry
          </Button>
        </InlineStack>
        <Text as="p" tone="critical">
          {failure.error}
        </Text>
        <Text as="p" tone="subdued" variant="bodySm">
          {formatTime(failure.at, timeZone)} · {failure.attempts} {failure.attempts === 1 ? "attempt" : "attempts"}
          {failure.retryRunning ? " · being retried now" : failure.retryingAt ? ` · next try ${formatTime(failure.retryingAt, timeZone)}` : ""}
        </Text>
        {fetcher.data ? (
          <Text as="p" tone={fetcher.data.ok ? "success" : "critical"} variant="bodySm">
            {fetcher.data.message}
          </Text>
        ) : null}
      </BlockStack>
    </Box>
  );
}

export function Failures({ failures, timeZone }: { failures: FailureView[]; timeZone: string }) {
  if (failures.length === 0) return null;
  return (
    <section aria-label="Failures">
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Failures
        </Text>
        {failures.map((failure) => (
          <FailureRow key={`${failure.kind}:${failure.id}`} failure={failure} timeZone={timeZone} />
        ))}
      </BlockStack>
    </section>
  );
}

const RESOURCE_LABELS: Record<string, string> = { customers: "customers", products: "products", orders: "orders" };

export function SyncProgress({ progress, timeZone }: { progress: ProgressView; timeZone: string }) {
  const summaryId = useId();
  const parts = progress.resources.map((row) => `${RESOURCE_LABELS[row.resource] ?? row.resource} ${row.done}${row.total !== null ? `/${row.total}` : ""}`).join(", ");
  const percent = progress.total ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : progress.status === "done" ? 100 : 0;
  const summary =
    progress.status === "done"
      ? `Backfill finished ${formatTime(progress.finishedAt, timeZone)}: ${progress.done.toLocaleString("en-US")} records (${parts})`
      : progress.status === "failed"
        ? `Backfill stopped at ${progress.done.toLocaleString("en-US")} records (${parts})`
        : progress.status === "running"
          ? `Backfill: ${progress.done.toLocaleString("en-US")}${progress.total !== null ? ` of ${progress.total.toLocaleString("en-US")}` : ""} records (${parts})`
          : "Backfill not started yet";
  return (
    <section aria-label="Backfill progress">
      <BlockStack gap="150">
        <ProgressBar
          progress={percent}
          size="small"
          ariaLabelledBy={summaryId}
          tone={progress.status === "failed" ? "critical" : progress.status === "done" ? "success" : "highlight"}
        />
        <Text as="p" tone="subdued" id={summaryId}>
          {summary}
        </Text>
        {progress.status === "failed" && progress.lastError ? <Text as="p" tone="critical">{progress.lastError}</Text> : null}
      </BlockStack>
    </section>
  );
}

/** A destructive action behind a Polaris modal: nothing happens until it is confirmed. */
export function ConfirmButton({
  label,
  title,
  body,
  confirmLabel,
  onConfirm,
  loading,
}: {
  label: string;
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => void;
  loading: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button tone="critical" variant="secondary" onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={title}
        primaryAction={{
          content: confirmLabel,
          destructive: true,
          loading,
          onAction: () => {
            onConfirm();
            setOpen(false);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setOpen(false) }]}
      >
        <Modal.Section>
          <Text as="p">{body}</Text>
        </Modal.Section>
      </Modal>
    </>
  );
}
