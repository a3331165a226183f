import { getEmbedder } from "./embeddings/index.server";
import type { Embedder } from "./embeddings/types";
import { KnowledgeError } from "./errors";
import { expandQuery, expansionLanguage } from "./query-expansion";
import { getSearchStore } from "./store/index.server";
import type { KnowledgeMatch, KnowledgeSearchStore } from "./store/types";
import { firstIssue, SearchQuerySchema } from "./validation";

export interface SearchKnowledgeInput {
  shopId: string;
  query: string;
  /** Only passages in this language (the knowledge's language filter). */
  language?: string;
  /**
   * The language the query is written in (the shopper's message, e.g. "de"). French, German and Spanish
   * queries are expanded into English commerce terms before both the embedding and the full-text search, so
   * they find English passages; unset or English leaves the query as it is, and so does a `language` filter
   * equal to it (passages in the shopper's own language).
   */
  queryLanguage?: string;
  limit?: number;
  kinds?: string[];
}

/** Hybrid search over one shop's published knowledge: the passages the assistant may answer from, best first. */
export async function searchKnowledge(
  input: SearchKnowledgeInput,
  options: { embedder?: Embedder; store?: KnowledgeSearchStore } = {},
): Promise<KnowledgeMatch[]> {
  const parsed = SearchQuerySchema.safeParse(input);
  if (!parsed.success) {
    const { message, field } = firstIssue(parsed.error);
    throw new KnowledgeError(message, 400, field);
  }
  const embedder = options.embedder ?? getEmbedder();
  // Searching passages in the query's own language needs no translation.
  const sameLanguage = parsed.data.language && expansionLanguage(parsed.data.language) === expansionLanguage(parsed.data.queryLanguage);
  const expanded = expandQuery(parsed.data.query, sameLanguage ? undefined : parsed.data.queryLanguage);
  const [embedding] = await embedder.embed([expanded.embeddingText]);
  return (options.store ?? getSearchStore()).match({
    shopId: input.shopId,
    embedding: embedding!,
    queryText: expanded.keywordText,
    language: parsed.data.language ?? null,
    limit: parsed.data.limit,
    kinds: input.kinds ?? null,
  });
}
