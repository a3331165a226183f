-- match_knowledge computes each candidate's cosine distance once. The fused step used to recompute it for every
-- candidate (twice, reading its 6 kB vector each time) although the vector search had just computed it; now only a
-- full-text-only hit has its distance computed there. Same rows, same scores, same order (tests/integration/
-- knowledge-search.test.ts); measured on the assistant-turn bench's shop (246 chunks) with the function called
-- 300 times from Node: p50 3.0 → 2.0 ms, p95 4.3 → 2.5 ms. The top passages are ranked before their text and
-- titles are read, so only the returned rows are joined to their source.

CREATE OR REPLACE FUNCTION match_knowledge(
    p_shop_id text,
    p_query_embedding vector(1536),
    p_query_text text,
    p_language text DEFAULT NULL,
    p_match_count integer DEFAULT 5,
    p_kinds text[] DEFAULT NULL
)
RETURNS TABLE (
    chunk_id text,
    source_id text,
    external_id text,
    kind text,
    title text,
    heading text,
    content text,
    language text,
    vector_score double precision,
    text_score double precision,
    score double precision
)
LANGUAGE plpgsql STABLE
-- Keep scanning the HNSW graph until enough rows pass the shop/published filters (pgvector >= 0.8).
SET hnsw.iterative_scan = 'relaxed_order'
SET hnsw.ef_search = 40
-- Plan with the actual arguments every time: a generic plan cannot tell that the optional filters are off and
-- picks "sort every chunk of the shop" (1 s at 20,000 chunks) over the HNSW index (a few ms).
SET plan_cache_mode = 'force_custom_plan'
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH text_query AS (
        -- All of the question's words (English stemming, stop words dropped): precise and cheap. Matching any
        -- word ranked thousands of rows per query (110 ms at 20,000 chunks) for a signal that only breaks ties.
        SELECT nullif(plainto_tsquery('english', coalesce(p_query_text, '')), ''::tsquery) AS query
    ),
    vector_hits AS MATERIALIZED (
        SELECT c.id, c.embedding <=> p_query_embedding AS distance
        FROM "KnowledgeChunk" c
        WHERE c."shopId" = p_shop_id
          AND c.published
          AND c.embedding IS NOT NULL
          AND (p_language IS NULL OR c.language = p_language)
          AND (p_kinds IS NULL OR c.kind::text = ANY (p_kinds))
        ORDER BY c.embedding <=> p_query_embedding
        -- A constant: with a computed limit the planner cannot see that few rows are wanted and sorts every
        -- chunk of the shop instead of walking the HNSW index.
        LIMIT 40
    ),
    text_hits AS MATERIALIZED (
        SELECT c.id, ts_rank_cd(c."searchText", q.query, 32) AS rank_score
        FROM "KnowledgeChunk" c
        CROSS JOIN text_query q
        WHERE q.query IS NOT NULL
          AND c."searchText" @@ q.query
          AND c."shopId" = p_shop_id
          AND c.published
          AND (p_language IS NULL OR c.language = p_language)
          AND (p_kinds IS NULL OR c.kind::text = ANY (p_kinds))
        ORDER BY rank_score DESC
        LIMIT 40
    ),
    text_max AS (
        SELECT max(rank_score) AS top FROM text_hits
    ),
    candidates AS (
        -- A full-text-only hit's distance is the one computed here (NULL when the chunk has no embedding yet).
        SELECT coalesce(v.id, t.id) AS id,
               1 - coalesce(v.distance, (SELECT c.embedding <=> p_query_embedding FROM "KnowledgeChunk" c WHERE c.id = t.id)) AS vector_score,
               t.rank_score AS text_score
        FROM vector_hits v
        FULL JOIN text_hits t ON t.id = v.id
    ),
    ranked AS (
        -- Convex fusion: cosine similarity plus a small share of the normalised text rank. Measured with
        -- `npm run bench -- retrieval-quality` (346 paraphrased questions), reciprocal rank fusion with equal
        -- weights let keyword matches outrank better paraphrase matches: recall@3 0.85, against 0.96 for vectors
        -- alone; text shares of 0.25/0.1 gave 0.92/0.95. A 0.05 share keeps 0.96 while exact terms (SKUs,
        -- product names) still break ties and full-text-only hits still enter the candidate pool.
        SELECT k.id, k.vector_score, k.text_score,
               coalesce(k.vector_score, 0) + 0.05 * coalesce(k.text_score / nullif((SELECT top FROM text_max), 0), 0) AS score
        FROM candidates k
        ORDER BY score DESC, k.vector_score DESC NULLS LAST, k.id
        LIMIT greatest(least(coalesce(p_match_count, 5), 20), 1)
    )
    SELECT c.id, s.id, s."externalId", s.kind::text, s.title, c.heading, c.content, c.language,
           r.vector_score, r.text_score::double precision, r.score::double precision
    FROM ranked r
    JOIN "KnowledgeChunk" c ON c.id = r.id
    JOIN "KnowledgeSource" s ON s.id = c."sourceId"
    ORDER BY r.score DESC, r.vector_score DESC NULLS LAST, c.id;
END;
$$;
