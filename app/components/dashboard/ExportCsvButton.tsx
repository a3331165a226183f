import { Button, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";

/** The period's conversations as CSV. A fetch, not a link: App Bridge adds the session token to fetches only. */
export function ExportCsvButton({ period, disabled }: { period: { from: string; to: string }; disabled: boolean }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setFailed(null);
    try {
      const response = await fetch(`/app/analytics/export?${new URLSearchParams(period)}`);
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: string } | null;
        setFailed(body?.error ?? `The export failed (HTTP ${response.status}).`);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = `conversations-${period.from}-to-${period.to}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setFailed("The export failed: the app could not be reached.");
    } finally {
      setBusy(false);
    }
  };
  return (
    <InlineStack gap="200" blockAlign="center">
      {failed ? (
        <Text as="span" tone="critical">
          {failed}
        </Text>
      ) : null}
      <Button variant="primary" onClick={download} loading={busy} disabled={disabled}>
        Export CSV
      </Button>
    </InlineStack>
  );
}
