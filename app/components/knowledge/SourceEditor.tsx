import type { SerializeFrom } from "@remix-run/node";
import { useActionData, useLocation, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import { Badge, BlockStack, InlineStack, Layout, Modal, Page, PageActions, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { type EditorResponse, OPENING_NOTICES, type SourceEditorPage } from "~/modules/knowledge";
import { type ArticleDraft, ArticleFields, FloatingNotice, FormError, WritingTips } from "./ArticleForm";
import { appPath } from "~/components/app-path";
import { type EditedSource, OriginNotice, SourceDetails } from "./SourceDetails";
import { type Version, VersionHistory, VersionViewer } from "./VersionHistory";
import { originLabel, plural } from "./format";

type EditorPage = SerializeFrom<SourceEditorPage>;

const toDraft = (source: EditedSource): ArticleDraft => ({
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

function isDirty(draft: ArticleDraft, source: EditedSource) {
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

/** The editor of one source: its content form, publishing, details, version history and deletion. */
export function SourceEditor({ source, versions, loaderNotice }: { source: EditedSource; versions: EditorPage["versions"]; loaderNotice: EditorPage["notice"] }) {
  const actionData = useActionData<EditorResponse>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const location = useLocation();
  const [draft, setDraft] = useState<ArticleDraft>(() => toDraft(source));
  const [dismissed, setDismissed] = useState<unknown>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [viewing, setViewing] = useState<Version | null>(null);
  const gaveUp = useIndexingPoll(source.indexed);

  const submitting = navigation.state === "submitting" || (navigation.state === "loading" && navigation.formMethod === "POST");
  const busyIntent = submitting ? String(navigation.formData?.get("intent") ?? "") : null;
  const dirty = isDirty(draft, source);
  const published = source.status === "published";
  const error = actionData && !actionData.ok ? actionData.error : null;

  const save = (intent: "save" | "draft" | "publish" | "unpublish") => submit({ intent, ...draft }, { method: "post" });
  const restore = (version: number) => {
    setViewing(null);
    submit({ intent: "restore", version: String(version) }, { method: "post" });
  };

  const noticeKey: unknown = actionData?.ok ? actionData : !actionData && loaderNotice ? loaderNotice : null;
  const notice = actionData?.ok ? actionData.notice : !actionData && loaderNotice ? OPENING_NOTICES[loaderNotice] : null;

  const indexBadge = source.indexed ? (
    <Badge tone="success">Indexed</Badge>
  ) : gaveUp ? (
    <Badge tone="warning">Not indexed yet</Badge>
  ) : (
    <Badge tone="attention" progress="partiallyComplete">
      Indexing…
    </Badge>
  );

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
      subtitle={`${originLabel(source.kind)}${source.externalId ? ` · ${source.externalId}` : ""} · version ${source.version}`}
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
        <FormError error={error} title="The change was not saved" />
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
            <SourceDetails source={source} />
            <VersionHistory
              versions={versions}
              currentVersion={source.version}
              onView={setViewing}
              onRestore={restore}
              restoring={busyIntent === "restore" ? Number(navigation.formData?.get("version")) : null}
              submitting={submitting}
            />
            {source.kind === "article" ? <WritingTips /> : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <PageActions secondaryActions={[{ content: "Delete", destructive: true, onAction: () => setConfirmingDelete(true), disabled: submitting }]} />
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
        primaryAction={{ content: "Delete", destructive: true, loading: busyIntent === "delete", onAction: () => submit({ intent: "delete" }, { method: "post" }) }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmingDelete(false) }]}
      >
        <Modal.Section>
          <Text as="p">
            The {originLabel(source.kind).toLowerCase()}, its {plural(versions.length, "version", "versions")} and its indexed passages are removed, and the assistant
            stops using it. This cannot be undone.
          </Text>
        </Modal.Section>
      </Modal>

      <VersionViewer viewing={viewing} currentVersion={source.version} onClose={() => setViewing(null)} onRestore={restore} />
    </Page>
  );
}
