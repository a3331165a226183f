import { useLocation, useMatches } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Button, Card, Checkbox, DropZone, Icon, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { FileIcon } from "@shopify/polaris-icons";
import { useEffect, useRef, useState } from "react";
import { IMPORT_EXTENSIONS, IMPORT_TOO_LARGE, type ImportResponse, MAX_IMPORT_BYTES, unsupportedImportType } from "~/modules/knowledge";
import { formatBytes } from "./format";
import { ImportSummary } from "./ImportSummary";

type Phase = { name: "idle" } | { name: "uploading"; percent: number } | { name: "processing" };

/**
 * Sends one file to the import route's action with upload progress (XMLHttpRequest, which fetch cannot report),
 * authenticated with App Bridge's session token. Whatever goes wrong ends as a result with a message.
 */
function useImportUpload(publish: boolean) {
  const shopify = useAppBridge();
  const location = useLocation();
  const routeId = useMatches().at(-1)?.id ?? "routes/app.knowledge.import";
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const [result, setResult] = useState<ImportResponse | null>(null);
  const request = useRef<XMLHttpRequest | null>(null);

  useEffect(() => () => request.current?.abort(), []);

  const fail = (message: string, fileName: string | null) =>
    setResult({ ok: false, fileName, published: publish, report: null, error: { message, field: "file" } });

  const upload = async (file: File, onImported: () => void) => {
    setResult(null);
    setPhase({ name: "uploading", percent: 0 });
    let token: string;
    try {
      token = await shopify.idToken();
    } catch {
      setPhase({ name: "idle" });
      fail("Your session could not be confirmed. Reload the page and try again.", file.name);
      return;
    }
    const body = new FormData();
    body.set("file", file, file.name);
    body.set("publish", String(publish));
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    // A Remix data request: the route's action answers with JSON instead of a page.
    xhr.open("POST", `${location.pathname}?_data=${encodeURIComponent(routeId)}`);
    xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) setPhase({ name: "uploading", percent: Math.round((event.loaded / event.total) * 100) });
    };
    xhr.upload.onload = () => setPhase({ name: "processing" });
    xhr.onload = () => {
      request.current = null;
      setPhase({ name: "idle" });
      let response: ImportResponse | null = null;
      try {
        response = JSON.parse(xhr.responseText) as ImportResponse;
      } catch {
        response = null;
      }
      if (response && typeof response.ok === "boolean") {
        setResult(response);
        if (response.ok) onImported();
      } else if (xhr.status === 401 || xhr.status === 403) {
        fail("Your session has expired. Reload the page and try again.", file.name);
      } else if (xhr.status === 413) {
        fail(IMPORT_TOO_LARGE, file.name);
      } else {
        fail(`The import failed (HTTP ${xhr.status}). Try again in a moment.`, file.name);
      }
    };
    xhr.onerror = () => {
      request.current = null;
      setPhase({ name: "idle" });
      fail("The upload was interrupted. Check your connection and try again.", file.name);
    };
    xhr.send(body);
  };

  return { phase, result, setResult, fail, upload };
}

/** The import form: a file (checked here for type and size first; the server has the last word), publish or draft, progress, then the report. */
export function ImportUploader({ listUrl }: { listUrl: string }) {
  const [file, setFile] = useState<File | null>(null);
  const [publish, setPublish] = useState(true);
  const { phase, result, setResult, fail, upload } = useImportUpload(publish);
  const busy = phase.name !== "idle";

  const onDrop = (_files: File[], accepted: File[], rejected: File[]) => {
    const chosen = accepted[0];
    if (!chosen) {
      setFile(null);
      const refused = rejected[0];
      if (refused) fail(unsupportedImportType(/\.[^.]+$/.exec(refused.name)?.[0]?.toLowerCase() ?? refused.name), refused.name);
      return;
    }
    setFile(chosen);
    if (chosen.size > MAX_IMPORT_BYTES) fail(IMPORT_TOO_LARGE, chosen.name);
    else setResult(null);
  };

  const report = result?.ok ? result.report : null;

  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="400">
          <DropZone label="File" accept={IMPORT_EXTENSIONS.join(",")} type="file" allowMultiple={false} onDrop={onDrop} disabled={busy} variableHeight>
            {file ? (
              <Box padding="600">
                <InlineStack gap="300" align="center" blockAlign="center">
                  <Icon source={FileIcon} tone="subdued" />
                  <BlockStack gap="050">
                    <Text as="span" fontWeight="semibold">
                      {file.name}
                    </Text>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {formatBytes(file.size)} · drop another file to replace it
                    </Text>
                  </BlockStack>
                </InlineStack>
              </Box>
            ) : (
              <Box padding="600">
                <DropZone.FileUpload actionTitle="Add file" actionHint="CSV, JSON, JSONL or Markdown, up to 5 MB" />
              </Box>
            )}
          </DropZone>
          <Checkbox
            label="Publish imported articles"
            helpText="When off, new and updated articles are saved as drafts for you to review first."
            checked={publish}
            onChange={setPublish}
            disabled={busy}
          />
          <Box minHeight="40px">
            {phase.name === "idle" ? (
              <InlineStack align="end">
                <Button variant="primary" onClick={() => file && upload(file, () => setFile(null))} disabled={!file || file.size > MAX_IMPORT_BYTES}>
                  Import
                </Button>
              </InlineStack>
            ) : (
              <BlockStack gap="200">
                <InlineStack align="space-between">
                  <Text as="span" variant="bodySm">
                    {phase.name === "uploading" ? `Uploading ${file?.name ?? "file"}…` : "Importing articles…"}
                  </Text>
                  <Text as="span" variant="bodySm" tone="subdued" numeric>
                    {phase.name === "uploading" ? `${phase.percent}%` : "100%"}
                  </Text>
                </InlineStack>
                <ProgressBar progress={phase.name === "uploading" ? phase.percent : 100} size="small" tone={phase.name === "processing" ? "success" : "highlight"} />
              </BlockStack>
            )}
          </Box>
        </BlockStack>
      </Card>
      {result?.error ? (
        <Banner tone="critical" title={result.fileName ? `${result.fileName} was not imported` : "The file was not imported"}>
          <p>{result.error.message}</p>
        </Banner>
      ) : null}
      {report ? <ImportSummary fileName={result?.fileName ?? "The file"} published={result?.published ?? true} report={report} listUrl={listUrl} /> : null}
    </BlockStack>
  );
}
