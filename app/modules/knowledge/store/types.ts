/** One retrieved passage, as the SQL function match_knowledge returns it (camel-cased). */
export interface KnowledgeMatch {
  chunkId: string;
  sourceId: string;
  externalId: string | null;
  kind: string;
  title: string;
  heading: string | null;
  content: string;
  language: string;
  /** Cosine similarity (1 - distance), null when only full-text found it. */
  vectorScore: number | null;
  /** ts_rank_cd, null when only the vector search found it. */
  textScore: number | null;
  /** Reciprocal-rank-fusion score; results are ordered by it. */
  score: number;
}

export interface MatchParams {
  shopId: string;
  embedding: number[];
  queryText: string;
  language?: string | null;
  limit?: number;
  kinds?: string[] | null;
}

/** Where hybrid search runs: directly in PostgreSQL, or through Supabase's PostgREST RPC. Same SQL function. */
export interface KnowledgeSearchStore {
  readonly name: "postgres" | "supabase";
  match(params: MatchParams): Promise<KnowledgeMatch[]>;
}

/** The named arguments of match_knowledge, as both paths send them. */
export function matchArguments(params: MatchParams) {
  return {
    p_shop_id: params.shopId,
    p_query_embedding: `[${params.embedding.join(",")}]`,
    p_query_text: params.queryText,
    p_language: params.language ?? null,
    p_match_count: params.limit ?? 5,
    p_kinds: params.kinds ?? null,
  };
}

export interface MatchRow {
  chunk_id: string;
  source_id: string;
  external_id: string | null;
  kind: string;
  title: string;
  heading: string | null;
  content: string;
  language: string;
  vector_score: number | null;
  text_score: number | null;
  score: number;
}

export function toMatch(row: MatchRow): KnowledgeMatch {
  return {
    chunkId: row.chunk_id,
    sourceId: row.source_id,
    externalId: row.external_id,
    kind: row.kind,
    title: row.title,
    heading: row.heading,
    content: row.content,
    language: row.language,
    vectorScore: row.vector_score === null ? null : Number(row.vector_score),
    textScore: row.text_score === null ? null : Number(row.text_score),
    score: Number(row.score),
  };
}
