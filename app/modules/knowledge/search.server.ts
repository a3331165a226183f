import { getEmbedder } from "./embeddings/index.server";
import type { Embedder } from "./embeddings/types";
import { KnowledgeError } from "./errors";
import { getSearchStore } from "./store/index.server";
import type { KnowledgeMatch, KnowledgeSearchStore } from "./store/types";
import { firstIssue, SearchQuerySchema } from "./validation";

export interface SearchKnowledgeInput {
  shopId: string;
  query: string;
  language?: string;
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
  const [embedding] = await embedder.embed([parsed.data.query]);
  return (options.store ?? getSearchStore()).match({
    shopId: input.shopId,
    embedding: embedding!,
    queryText: parsed.data.query,
    language: parsed.data.language ?? null,
    limit: parsed.data.limit,
    kinds: input.kinds ?? null,
  });
}
