import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs, type MetaFunction,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { useLocation, useMatches } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  DataTable,
  DropZone,
  Icon,
  InlineCode,
  InlineStack,
  Layout,
  List,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { FileIcon } from "@shopify/polaris-icons";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { importArticles, KnowledgeError, MAX_IMPORT_BYTES, parseImportFile } from "~/modules/knowledge";
import { authenticate } from "~/shopify.server";
import { appPath } from "~/components/knowledge/ArticleForm";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";

// ---------------------------------------------------------------- Server

const TOO_LARGE = "The file is larger than 5 MB; split it into smaller files";

const ImportFormSchema = z.object({
  file: z.custom<File>(
    (value) => typeof value === "object" && value !== null && "arrayBuffer" in value && "name" in value,
    "Choose a file to import",
  ),
  publish: z.enum(["true", "false"]).default("true"),
});

export interface ImportResponse {
  ok: boolean;
  fileName: string | null;
  published: boolean;
  report: { created: number; updated: number; unchanged: number; errors: { row: number; message: string; field: string | null }[] } | null;
  error: { message: string; field: string | null } | null;
}

function failure(status: number, message: string, fileName: string | null = null, field: string | null = null) {
  return json<ImportResponse>({ ok: false, fileName, published: false, report: null, error: { message, field } }, { status });
}

export const meta: MetaFunction = () => [{ title: "Import articles · Shopdesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  // Authenticated before the body is read: nobody else gets to upload 5 MB into the server's memory.
  const { shop, staff } = await authenticateStaff(request);
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMPORT_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return failure(413, TOO_LARGE, null, "file");
    throw error;
  }
  const parsed = ImportFormSchema.safeParse({ file: form.get("file"), publish: form.get("publish") ?? undefined });
  if (!parsed.success) return failure(400, parsed.error.issues[0]?.message ?? "This request is not understood", null, "file");
  const { file, publish } = parsed.data;
  try {
    const rows = parseImportFile(file.name, Buffer.from(await file.arrayBuffer()));
    const status = publish === "true" ? "published" : "draft";
    const report = await importArticles(shop.id, rows, { status, editor: staff.name });
    return json<ImportResponse>({
      ok: true,
      fileName: file.name,
      published: status === "published",
      report: {
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        errors: report.errors.map((error) => ({ row: error.row, message: error.message, field: error.field ?? null })),
      },
      error: null,
    });
  } catch (error) {
    if (!(error instanceof KnowledgeError)) throw error;
    return failure(error.status, error.message, file.name, "file");
  }
}

// ---------------------------------------------------------------- Page

/** What the file picker offers; the server checks again (parseImportFile) and has the last word. */
const ACCEPT = ".csv,.json,.jsonl,.ndjson,.md,.markdown";
const CLIENT_MAX_BYTES = 5 * 1024 * 1024;

const SAMPLE_CSV = [
  "id,title,body,tags,language",
  'gift-wrap,Gift wrapping,"Gift wrapping costs $5 per order and includes a handwritten card.",gifts,en',
  'store-hours,Store hours,"Our Portland store is open 10am to 6pm, Monday to Saturday.",stores,en',
].join("\n");
const SAMPLE_CSV_URL = `data:text/csv;charset=utf-8,${encodeURIComponent(SAMPLE_CSV)}`;

function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function unsupportedType(name: string) {
  const extension = /\.[^.]+$/.exec(name)?.[0]?.toLowerCase();
  return `Unsupported file type "${extension ?? name}": use CSV, JSON, JSONL or Markdown`;
}

type Phase = { name: "idle" } | { name: "uploading"; percent: number } | { name: "processing" };

export default function ImportKnowledge() {
  const shopify = useAppBridge();
  const location = useLocation();
  const routeId = useMatches().at(-1)?.id ?? "routes/app.knowledge.import";
  const [file, setFile] = useState<File | null>(null);
  const [publish, setPublish] = useState(true);
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const [result, setResult] = useState<ImportResponse | null>(null);
  const request = useRef<XMLHttpRequest | null>(null);
  const busy = phase.name !== "idle";

  useEffect(() => () => request.current?.abort(), []);

  const localError = (message: string, fileName: string | null) =>
    setResult({ ok: false, fileName, published: publish, report: null, error: { message, field: "file" } });

  const onDrop = (_files: File[], accepted: File[], rejected: File[]) => {
    const chosen = accepted[0];
    if (!chosen) {
      setFile(null);
      if (rejected[0]) localError(unsupportedType(rejected[0].name), rejected[0].name);
      return;
    }
    setFile(chosen);
    setResult(chosen.size > CLIENT_MAX_BYTES ? { ok: false, fileName: chosen.name, published: publish, report: null, error: { message: TOO_LARGE, field: "file" } } : null);
  };

  const upload = async () => {
    if (!file || busy) return;
    setResult(null);
    setPhase({ name: "uploading", percent: 0 });
    let token: string;
    try {
      token = await shopify.idToken();
    } catch {
      setPhase({ name: "idle" });
      localError("Your session could not be confirmed. Reload the page and try again.", file.name);
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
        if (response.ok) setFile(null);
      } else if (xhr.status === 401 || xhr.status === 403) {
        localError("Your session has expired. Reload the page and try again.", file.name);
      } else if (xhr.status === 413) {
        localError(TOO_LARGE, file.name);
      } else {
        localError(`The import failed (HTTP ${xhr.status}). Try again in a moment.`, file.name);
      }
    };
    xhr.onerror = () => {
      request.current = null;
      setPhase({ name: "idle" });
      localError("The upload was interrupted. Check your connection and try again.", file.name);
    };
    xhr.send(body);
  };

  const listUrl = appPath("/app/knowledge", location.search);
  const report = result?.ok ? result.report : null;

  return (
    <Page title="Import articles" backAction={{ content: "Knowledge", url: listUrl }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="400">
                <DropZone
                  label="File"
                  accept={ACCEPT}
                  type="file"
                  allowMultiple={false}
                  onDrop={onDrop}
                  disabled={busy}
                  variableHeight
                >
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
                      <Button variant="primary" onClick={upload} disabled={!file || file.size > CLIENT_MAX_BYTES}>
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
                      <ProgressBar
                        progress={phase.name === "uploading" ? phase.percent : 100}
                        size="small"
                        tone={phase.name === "processing" ? "success" : "highlight"}
                      />
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
            {report ? (
              <ImportSummary fileName={result?.fileName ?? "The file"} published={result?.published ?? true} report={report} listUrl={listUrl} />
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                File formats
              </Text>
              <List type="bullet">
                <List.Item>
                  <b>CSV</b> with a header row: <InlineCode>title</InlineCode> and <InlineCode>body</InlineCode> are
                  required; <InlineCode>tags</InlineCode>, <InlineCode>language</InlineCode> and{" "}
                  <InlineCode>id</InlineCode> are optional.
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
                Give each article an <InlineCode>id</InlineCode> to update it by importing again; rows with errors are
                skipped and reported by row number.
              </Text>
              <InlineStack>
                <Button url={SAMPLE_CSV_URL} download="knowledge-sample.csv" variant="plain">
                  Download a sample CSV
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function ImportSummary({
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
                  Fix these rows in the file and import it again. Rows are numbered as in the file, not counting the
                  CSV header.
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
