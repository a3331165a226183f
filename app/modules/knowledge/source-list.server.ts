import { z } from "zod";
import { NOT_UNDERSTOOD, type Reply, type SearchResponse } from "./admin-responses";
import { KnowledgeError } from "./errors";
import { searchKnowledge } from "./search.server";
import { listSources } from "./sources.server";
import { KNOWLEDGE_KINDS, LANGUAGE_CODE } from "./validation";

/** The knowledge list page: the sources its URL asks for, and its "Try a question" search. */

const PAGE_SIZE = 25;

/** The list's URL parameters. Anything unusable in a shared or hand-edited URL is ignored rather than refused. */
const ListQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  kind: z.enum(KNOWLEDGE_KINDS).optional().catch(undefined),
  language: z.string().regex(LANGUAGE_CODE).optional().catch(undefined),
  status: z.enum(["published", "draft"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  deleted: z.string().max(300).optional().catch(undefined),
});

export async function loadSourceList(shopId: string, searchParams: URLSearchParams) {
  const query = ListQuerySchema.parse(Object.fromEntries(searchParams));
  const list = await listSources(shopId, {
    query: query.q || undefined,
    kind: query.kind,
    language: query.language,
    status: query.status,
    page: query.page,
    pageSize: PAGE_SIZE,
  });
  // The title of a source just deleted from its editor, for the list's notice.
  return { ...list, deleted: query.deleted ?? null };
}
export type SourceListPage = Awaited<ReturnType<typeof loadSourceList>>;

export const SearchFormSchema = z.object({
  intent: z.literal("search"),
  question: z.string().max(2000).default(""),
  language: z.union([z.literal(""), z.string().regex(LANGUAGE_CODE)]).default(""),
});

export const SEARCH_NOT_UNDERSTOOD: SearchResponse = { intent: "search", question: "", matches: null, error: { message: NOT_UNDERSTOOD, field: null } };

/** The passages the assistant would answer a merchant's test question from; a refused question says why, on its field. */
export async function tryQuestion(shopId: string, form: z.output<typeof SearchFormSchema>): Promise<Reply<SearchResponse>> {
  const { question, language } = form;
  try {
    const matches = await searchKnowledge({ shopId, query: question, language: language || undefined, limit: 5 });
    return { status: 200, body: { intent: "search", question, matches, error: null } };
  } catch (error) {
    if (!(error instanceof KnowledgeError)) throw error;
    const field = error.field === "query" ? "question" : (error.field ?? null);
    return { status: error.status, body: { intent: "search", question, matches: null, error: { message: error.message, field } } };
  }
}
