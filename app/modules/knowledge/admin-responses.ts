import type { KnowledgeMatch } from "./store/types";

/** What the knowledge admin pages' actions answer; the routes send `body` with `status`, the pages read `body`. */
export interface Reply<T> {
  status: number;
  body: T;
}

/** A refusal, on the form field it concerns (null: the request as a whole). */
export interface FieldProblem {
  message: string;
  field: string | null;
}

export const NOT_UNDERSTOOD = "This request is not understood";

export interface Notice {
  title: string;
  detail: string;
}

/** The new-article and editor pages' answer: a notice when the change was made, the problem when it was not. */
export type EditorResponse = { ok: true; notice: Notice; error: null } | { ok: false; notice: null; error: FieldProblem };

export const EDITOR_NOT_UNDERSTOOD: EditorResponse = { ok: false, notice: null, error: { message: NOT_UNDERSTOOD, field: null } };

export const SAVE_NOTICES = {
  save: { title: "Saved", detail: "The assistant uses the new text as soon as it is indexed." },
  draft: { title: "Draft saved", detail: "Drafts are not used in answers until you publish them." },
  publish: { title: "Published", detail: "The assistant can use it as soon as it is indexed." },
  unpublish: { title: "Unpublished", detail: "The assistant no longer uses it. It is kept as a draft." },
} as const satisfies Record<string, Notice>;

/** What the editor says when it opens on an article just created (`?notice=` from the new-article page). */
export const OPENING_NOTICES = { created: SAVE_NOTICES.draft, published: SAVE_NOTICES.publish } as const;
export type OpeningNotice = keyof typeof OPENING_NOTICES;

/** The list page's "Try a question". */
export interface SearchResponse {
  intent: "search";
  question: string;
  matches: KnowledgeMatch[] | null;
  error: FieldProblem | null;
}

export interface ImportResponse {
  ok: boolean;
  fileName: string | null;
  published: boolean;
  report: { created: number; updated: number; unchanged: number; errors: { row: number; message: string; field: string | null }[] } | null;
  error: FieldProblem | null;
}
