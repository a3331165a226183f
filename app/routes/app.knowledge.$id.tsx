import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction, redirect, type SerializeFrom } from "@remix-run/node";
import {
  isRouteErrorResponse,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useRevalidator,
  useRouteError,
  useSubmit,
} from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  InlineStack,
  Layout,
  Modal,
  Page,
  PageActions,
  Text,
} from "@shopify/polaris";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { deleteSource, getSource, KnowledgeError, restoreVersion, updateSource } from "~/modules/knowledge";
import { ensureShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";
import { appPath, type ArticleDraft, ArticleFields, ArticleFormSchema, FloatingNotice, FormattedDate, LANGUAGE_OPTIONS, WritingTips } from "~/components/knowledge/ArticleForm";
import { errorResponse } from "~/components/knowledge/actions.server";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";

// ---------------------------------------------------------------- Server

const ParamsSchema = z.object({ id: z.string().min(1).max(100) });
const NoticeParamSchema = z.enum(["created", "published"]).optional().catch(undefined);

const EditorActionSchema = z.discriminatedUnion("intent", [
  ArticleFormSchema.extend({ intent: z.enum(["save", "draft", "publish", "unpublish"]) }),
  z.object({ intent: z.literal("restore"), version: z.coerce.number().int().min(1) }),
  z.object({ intent: z.literal("delete") }),
]);

function notFound(error: unknown): never {
  if (error instanceof KnowledgeError) throw json({ message: error.message }, { status: error.status });
  throw error;
}

export const meta: MetaFunction = () => [{ title: "Article · Shopdesk" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw json({ message: "This knowledge source does not exist" }, { status: 404 });
  const notice = NoticeParamSchema.parse(new URL(request.url).searchParams.get("notice") ?? undefined);
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  const source = await getSource(shop.id, parsed.data.id).catch(notFound);
  return json({
    source: {
      id: source.id,
      kind: source.kind,
      externalId: source.externalId,
      title: source.title,
      body: source.body,
      tags: source.tags,
      language: source.language,
      status: source.status,
      version: source.version,
      publishedAt: source.publishedAt,
      updatedAt: source.updatedAt,
      indexed: source.indexed,
      passages: source._count.chunks,
    },
    versions: source.versions.map((version) => ({
      version: version.version,
      title: version.title,
      body: version.body,
      tags: version.tags,
      editedBy: version.editedBy,
      createdAt: version.createdAt,
    })),
    notice: notice ?? null,
  });
}

const SAVE_NOTICES = {
  save: { title: "Saved", detail: "The assistant uses the new text as soon as it is indexed." },
  draft: { title: "Draft saved", detail: "Drafts are not used in answers until you publish them." },
  publish: { title: "Published", detail: "The assistant can use it as soon as it is indexed." },
  unpublish: { title: "Unpublished", detail: "The assistant no longer uses it. It is kept as a draft." },
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const parsedParams = ParamsSchema.safeParse(params);
  const parsed = EditorActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsedParams.success || !parsed.success) {
    return json({ ok: false as const, notice: null, error: { message: "This request is not understood", field: null } }, { status: 400 });
  }
  const { shop, staff } = await authenticateStaff(request);
  const sourceId = parsedParams.data.id;
  const form = parsed.data;
  const editor = staff.name;
  try {
    if (form.intent === "delete") {
      const { title } = await getSource(shop.id, sourceId);
      await deleteSource(shop.id, sourceId);
      return redirect(appPath("/app/knowledge", new URL(request.url).search, { deleted: title }));
    }
    if (form.intent === "restore") {
      const { source, changed } = await restoreVersion(shop.id, sourceId, form.version, { editor });
      const notice = changed
        ? { title: `Version ${form.version} restored`, detail: `Its content is now version ${source.version}.` }
        : { title: "Nothing to restore", detail: `Version ${form.version} is the same as the current content.` };
      return json({ ok: true as const, notice, error: null });
    }
    const { intent, ...content } = form;
    const status = intent === "publish" ? "published" : intent === "unpublish" || intent === "draft" ? "draft" : undefined;
    const { changed } = await updateSource(shop.id, sourceId, { ...content, ...(status ? { status } : {}) }, { editor });
    const notice = changed ? SAVE_NOTICES[intent] : { title: "No changes to save", detail: "The content is the same as the saved version." };
    return json({ ok: true as const, notice, error: null });
  } catch (error) {
    return errorResponse(error);
  }
}

// ---------------------------------------------------------------- Presentation helpers

type EditorData = SerializeFrom<typeof loader>;
type Source = EditorData["source"];
type Version = EditorData["versions"][number];

const ORIGINS: Record<string, string> = {
  article: "Article",
  policy: "Store policy",
  product: "Product",
  faq: "FAQ",
};

const toDraft = (source: Pick<Source, "title" | "body" | "tags" | "language">): ArticleDraft => ({
  title: source.title,
  body: source.body,
  tags: source.tags.join(", "),
  language: source.language,
});

const normaliseTags = (tags: string) =>
  tags
    .split(/[,;|]/)
    .map((tag) => tag.trim().toLowerCase())
    .filter(Boolean)
    .join(",");

function isDirty(draft: ArticleDraft, source: Source) {
  return (
    draft.title.trim() !== source.title ||
    draft.body !== source.body ||
    draft.language !== source.language ||
    normaliseTags(draft.tags) !== source.tags.join(",")
  );
}

/** A stable key per object (a new action result is a new notice, even with the same text). */
const identities = new WeakMap<object, string>();
function identity(value: unknown) {
  if (typeof value !== "object" || value === null) return String(value);
  let id = identities.get(value);
  if (!id) {
    id = `notice-${Math.random().toString(36).slice(2)}`;
    identities.set(value, id);
  }
  return id;
}

const POLL_INTERVAL_MS = 2_000;
const POLL_LIMIT_MS = 120_000;

/** Re-reads the page every 2 s while the source is being indexed (the job worker picks it up within seconds). */
function useIndexingPoll(indexed: boolean) {
  const revalidator = useRevalidator();
  const revalidatorRef = useRef(revalidator);
  revalidatorRef.current = revalidator;
  const [gaveUp, setGaveUp] = useState(false);
  useEffect(() => {
    if (indexed) return;
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > POLL_LIMIT_MS) {
        clearInterval(timer);
        setGaveUp(true);
        return;
      }
      if (document.visibilityState === "visible" && revalidatorRef.current.state === "idle") revalidatorRef.current.revalidate();
    }, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [indexed]);
  return gaveUp;
}

// ---------------------------------------------------------------- Page

export default function EditSource() {
  const { source, versions, notice: loaderNotice } = useLoaderData<typeof loader>();
  // A content change is a new version: the form then starts again from what was saved.
  return <SourceEditor key={`${source.id}:${source.version}`} source={source} versions={versions} loaderNotice={loaderNotice} />;
}

function SourceEditor({ source, versions, loaderNotice }: { source: Source; versions: Version[]; loaderNotice: EditorData["notice"] }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const location = useLocation();
  const [draft, setDraft] = useState<ArticleDraft>(() => toDraft(source));
  const [dismissed, setDismissed] = useState<unknown>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [viewing, setViewing] = useState<Version | null>(null);
  const [showAllVersions, setShowAllVersions] = useState(false);
  const gaveUp = useIndexingPoll(source.indexed);

  const submitting = navigation.state === "submitting" || (navigation.state === "loading" && navigation.formMethod === "POST");
  const busyIntent = submitting ? String(navigation.formData?.get("intent") ?? "") : null;
  const busyVersion = busyIntent === "restore" ? Number(navigation.formData?.get("version")) : null;
  const dirty = isDirty(draft, source);
  const published = source.status === "published";
  const error = actionData && !actionData.ok ? actionData.error : null;

  const save = (intent: "save" | "draft" | "publish" | "unpublish") => submit({ intent, ...draft }, { method: "post" });
  const restore = (version: number) => {
    setViewing(null);
    submit({ intent: "restore", version: String(version) }, { method: "post" });
  };

  const noticeKey: unknown = actionData?.ok ? actionData : !actionData && loaderNotice ? loaderNotice : null;
  const notice =
    actionData?.ok && actionData.notice
      ? actionData.notice
      : !actionData && loaderNotice === "published"
        ? { title: "Published", detail: "The assistant can use it as soon as it is indexed." }
        : !actionData && loaderNotice === "created"
          ? { title: "Draft saved", detail: "Drafts are not used in answers until you publish them." }
          : null;

  const indexBadge = source.indexed ? (
    <Badge tone="success">Indexed</Badge>
  ) : gaveUp ? (
    <Badge tone="warning">Not indexed yet</Badge>
  ) : (
    <Badge tone="attention" progress="partiallyComplete">
      Indexing…
    </Badge>
  );

  const visibleVersions = showAllVersions ? versions : versions.slice(0, 8);

  return (
    <Page
      title={source.title}
      backAction={{ content: "Knowledge", url: appPath("/app/knowledge", location.search) }}
      titleMetadata={
        <InlineStack gap="200">
          {published ? <Badge tone="success">Published</Badge> : <Badge tone="info">Draft</Badge>}
          {indexBadge}
          {dirty ? <Badge>Unsaved changes</Badge> : null}
        </InlineStack>
      }
      subtitle={`${ORIGINS[source.kind] ?? source.kind}${source.externalId ? ` · ${source.externalId}` : ""} · version ${source.version}`}
      primaryAction={
        published
          ? { content: "Save", onAction: () => save("save"), disabled: !dirty || submitting, loading: busyIntent === "save" }
          : { content: "Publish", onAction: () => save("publish"), disabled: submitting, loading: busyIntent === "publish" }
      }
      secondaryActions={[
        published
          ? { content: "Unpublish", onAction: () => save("unpublish"), disabled: submitting, loading: busyIntent === "unpublish" }
          : { content: "Save draft", onAction: () => save("draft"), disabled: !dirty || submitting, loading: busyIntent === "draft" },
      ]}
    >
      <Layout>
        {error && !error.field ? (
          <Layout.Section>
            <Banner tone="critical" title="The change was not saved">
              <p>{error.message}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <OriginNotice source={source} />
            <form
              onSubmit={(event) => {
                event.preventDefault();
                save(published ? "save" : "draft");
              }}
            >
              <ArticleFields value={draft} onChange={setDraft} error={error} />
            </form>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Details
                </Text>
                <DetailRow label="Type" value={ORIGINS[source.kind] ?? source.kind} />
                <DetailRow label="Language" value={LANGUAGE_OPTIONS.find((option) => option.value === source.language)?.label ?? source.language} />
                <DetailRow
                  label="Search index"
                  value={source.indexed ? `${source.passages} ${source.passages === 1 ? "passage" : "passages"}` : "Waiting for the indexer"}
                />
                <DetailRow label="Last updated" value={<FormattedDate iso={source.updatedAt} withTime />} />
                {source.publishedAt ? <DetailRow label="Published" value={<FormattedDate iso={source.publishedAt} />} /> : null}
              </BlockStack>
            </Card>
            <section aria-label="Version history">
              <Card>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      Version history
                    </Text>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {versions.length} {versions.length === 1 ? "version" : "versions"}
                    </Text>
                  </InlineStack>
                  <ul aria-label="Versions" style={{ listStyle: "none", margin: 0, padding: 0 }}>
                    {visibleVersions.map((version, index) => (
                      <li key={version.version} aria-label={`Version ${version.version}`}>
                        {index > 0 ? <Divider /> : null}
                        <Box paddingBlock="200">
                          <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
                            <BlockStack gap="050">
                              <InlineStack gap="150" blockAlign="center" wrap={false}>
                                <Text as="span" fontWeight="semibold">
                                  Version {version.version}
                                </Text>
                                {version.version === source.version ? <Badge size="small">Current</Badge> : null}
                              </InlineStack>
                              <Text as="span" variant="bodySm" tone="subdued">
                                <FormattedDate iso={version.createdAt} withTime />
                              </Text>
                              <Text as="span" variant="bodySm" tone="subdued">
                                {version.editedBy ?? "Unknown editor"}
                              </Text>
                            </BlockStack>
                            <InlineStack gap="100" wrap={false}>
                              <Button size="slim" variant="tertiary" onClick={() => setViewing(version)} accessibilityLabel={`View version ${version.version}`}>
                                View
                              </Button>
                              {version.version !== source.version ? (
                                <Button
                                  size="slim"
                                  onClick={() => restore(version.version)}
                                  loading={busyVersion === version.version}
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
                  {versions.length > visibleVersions.length ? (
                    <InlineStack>
                      <Button variant="plain" onClick={() => setShowAllVersions(true)}>
                        {`Show ${versions.length - visibleVersions.length} older versions`}
                      </Button>
                    </InlineStack>
                  ) : null}
                </BlockStack>
              </Card>
            </section>
            {source.kind === "article" ? <WritingTips /> : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <PageActions
            secondaryActions={[
              { content: "Delete", destructive: true, onAction: () => setConfirmingDelete(true), disabled: submitting },
            ]}
          />
        </Layout.Section>
      </Layout>

      {notice && dismissed !== noticeKey ? (
        <FloatingNotice key={identity(noticeKey)} title={notice.title} onDismiss={() => setDismissed(noticeKey)}>
          <p>{notice.detail}</p>
        </FloatingNotice>
      ) : null}

      <Modal
        open={confirmingDelete}
        onClose={() => setConfirmingDelete(false)}
        title={`Delete “${source.title}”?`}
        primaryAction={{
          content: "Delete",
          destructive: true,
          loading: busyIntent === "delete",
          onAction: () => submit({ intent: "delete" }, { method: "post" }),
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmingDelete(false) }]}
      >
        <Modal.Section>
          <Text as="p">
            The {ORIGINS[source.kind]?.toLowerCase() ?? "source"}, its {versions.length}{" "}
            {versions.length === 1 ? "version" : "versions"} and its indexed passages are removed, and the assistant stops
            using it. This cannot be undone.
          </Text>
        </Modal.Section>
      </Modal>

      <Modal
        open={viewing !== null}
        onClose={() => setViewing(null)}
        title={viewing ? `Version ${viewing.version}: ${viewing.title}` : ""}
        size="large"
        primaryAction={
          viewing && viewing.version !== source.version
            ? { content: `Restore version ${viewing.version}`, onAction: () => restore(viewing.version) }
            : undefined
        }
        secondaryActions={[{ content: "Close", onAction: () => setViewing(null) }]}
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
                <pre
                  style={{ margin: 0, whiteSpace: "pre-wrap", wordBreak: "break-word", fontFamily: "var(--p-font-family-mono)", fontSize: 13 }}
                >
                  {viewing.body}
                </pre>
              </Box>
            </BlockStack>
          </Modal.Section>
        ) : null}
      </Modal>
    </Page>
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

function OriginNotice({ source }: { source: Source }) {
  if (source.kind === "policy") {
    return (
      <Banner tone="info" title="Synced from your store policies">
        <p>
          This is your store's {source.title.toLowerCase()} as set in Shopify. Edits here change what the assistant says;
          a later policy sync from Shopify may replace them, so make lasting changes in your store settings.
        </p>
      </Banner>
    );
  }
  if (source.kind === "product") {
    return (
      <Banner tone="info" title="Generated from your product catalogue">
        <p>
          The assistant reads this to answer questions about the product (ID {source.externalId ?? "unknown"}). The next
          product sync rewrites it from the product's title, description, price and variants; to add lasting
          information, write an article instead.
        </p>
      </Banner>
    );
  }
  if (source.externalId) {
    return (
      <Banner tone="info" title="Imported">
        <p>
          Imported with the id “{source.externalId}”. Importing a file with the same id again updates this article.
        </p>
      </Banner>
    );
  }
  return null;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page title="Not found" backAction={{ content: "Knowledge", url: appPath("/app/knowledge", location.search) }}>
        <Banner tone="warning" title="This knowledge source does not exist">
          <p>It may have been deleted, or the product it came from was removed from your store.</p>
        </Banner>
      </Page>
    );
  }
  // Anything else (Shopify's auth responses included) is for the app layout's boundary.
  throw error;
}
