import { z } from "zod";
import { type EditorResponse, type OpeningNotice, type Reply, SAVE_NOTICES } from "./admin-responses";
import { KnowledgeError } from "./errors";
import { deleteSource, getSource, restoreVersion, updateSource } from "./sources.server";
import { ArticleFormSchema } from "./validation";

/** The source editor page: what it shows of a source and its versions, and what its buttons do. */

export const SourceParamsSchema = z.object({ id: z.string().min(1).max(100) });

const OpeningNoticeSchema = z.enum(["created", "published"] satisfies OpeningNotice[]).optional().catch(undefined);

export const EditorActionSchema = z.discriminatedUnion("intent", [
  ArticleFormSchema.extend({ intent: z.enum(["save", "draft", "publish", "unpublish"]) }),
  z.object({ intent: z.literal("restore"), version: z.coerce.number().int().min(1) }),
  z.object({ intent: z.literal("delete") }),
]);
export type EditorAction = z.output<typeof EditorActionSchema>;

/** Throws KnowledgeError (404) when the shop has no such source. */
export async function loadSourceEditor(shopId: string, sourceId: string, searchParams: URLSearchParams) {
  const source = await getSource(shopId, sourceId);
  return {
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
    notice: OpeningNoticeSchema.parse(searchParams.get("notice") ?? undefined) ?? null,
  };
}
export type SourceEditorPage = Awaited<ReturnType<typeof loadSourceEditor>>;

/** A refused article change as the form shows it; anything but a KnowledgeError is a fault and is rethrown. */
export function articleFailure(error: unknown): Reply<EditorResponse> {
  if (!(error instanceof KnowledgeError)) throw error;
  return { status: error.status, body: { ok: false, notice: null, error: { message: error.message, field: error.field ?? null } } };
}

/** What an editor action did: the source is gone (its title, for the list's notice), or the page's answer. */
export type EditOutcome = { deleted: true; title: string } | ({ deleted: false } & Reply<EditorResponse>);

export async function editSource(shopId: string, sourceId: string, form: EditorAction, editor: string): Promise<EditOutcome> {
  try {
    if (form.intent === "delete") {
      const { title } = await getSource(shopId, sourceId);
      await deleteSource(shopId, sourceId);
      return { deleted: true, title };
    }
    if (form.intent === "restore") {
      const { source, changed } = await restoreVersion(shopId, sourceId, form.version, { editor });
      const notice = changed
        ? { title: `Version ${form.version} restored`, detail: `Its content is now version ${source.version}.` }
        : { title: "Nothing to restore", detail: `Version ${form.version} is the same as the current content.` };
      return { deleted: false, status: 200, body: { ok: true, notice, error: null } };
    }
    const { intent, ...content } = form;
    const status = intent === "publish" ? "published" : intent === "unpublish" || intent === "draft" ? "draft" : undefined;
    const { changed } = await updateSource(shopId, sourceId, { ...content, ...(status ? { status } : {}) }, { editor });
    const notice = changed ? SAVE_NOTICES[intent] : { title: "No changes to save", detail: "The content is the same as the saved version." };
    return { deleted: false, status: 200, body: { ok: true, notice, error: null } };
  } catch (error) {
    return { deleted: false, ...articleFailure(error) };
  }
}
