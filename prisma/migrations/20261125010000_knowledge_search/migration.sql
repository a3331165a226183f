-- Hybrid knowledge retrieval: pgvector cosine (HNSW) and full-text rank, fused by reciprocal rank fusion.
-- One function for both paths: the app calls it through Prisma, and through supabase.rpc('match_knowledge')
-- when Supabase is configured. Always filtered by shop and published state; optionally by language and kind.

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
LANGUAGE sql STABLE
-- Keep scanning the HNSW graph until enough rows pass the shop/published filters (pgvector >= 0.8).
SET hnsw.iterative_scan = 'relaxed_order'
SET hnsw.ef_search = 100
AS $$
    WITH candidates AS (
        SELECT greatest(least(coalesce(p_match_count, 5), 50), 1) AS match_count,
               greatest(least(coalesce(p_match_count, 5), 50), 1) * 8 + 20 AS pool
    ),
    text_query AS (
        -- Any of the question's words (English stemming, stop words dropped), not all of them.
        SELECT CASE WHEN words = '' THEN NULL ELSE to_tsquery('english', words) END AS query
        FROM (
            SELECT array_to_string(
                       array(SELECT quote_literal(lexeme) FROM unnest(tsvector_to_array(to_tsvector('english', coalesce(p_query_text, '')))) AS lexeme),
                       ' | ') AS words
        ) terms
    ),
    vector_hits AS (
        SELECT c.id, c.embedding <=> p_query_embedding AS distance
        FROM "KnowledgeChunk" c
        JOIN "KnowledgeSource" s ON s.id = c."sourceId"
        WHERE c."shopId" = p_shop_id
          AND s."shopId" = p_shop_id
          AND s.status = 'published'
          AND c.embedding IS NOT NULL
          AND (p_language IS NULL OR c.language = p_language)
          AND (p_kinds IS NULL OR s.kind::text = ANY (p_kinds))
        ORDER BY c.embedding <=> p_query_embedding
        LIMIT (SELECT pool FROM candidates)
    ),
    vector_ranked AS (
        SELECT id, distance, row_number() OVER (ORDER BY distance) AS rank FROM vector_hits
    ),
    text_hits AS (
        SELECT c.id, ts_rank_cd(c."searchText", q.query, 32) AS rank_score
        FROM "KnowledgeChunk" c
        JOIN "KnowledgeSource" s ON s.id = c."sourceId"
        CROSS JOIN text_query q
        WHERE q.query IS NOT NULL
          AND c."searchText" @@ q.query
          AND c."shopId" = p_shop_id
          AND s."shopId" = p_shop_id
          AND s.status = 'published'
          AND (p_language IS NULL OR c.language = p_language)
          AND (p_kinds IS NULL OR s.kind::text = ANY (p_kinds))
        ORDER BY rank_score DESC
        LIMIT (SELECT pool FROM candidates)
    ),
    text_ranked AS (
        SELECT id, rank_score, row_number() OVER (ORDER BY rank_score DESC) AS rank FROM text_hits
    ),
    fused AS (
        SELECT coalesce(v.id, t.id) AS id,
               1 - v.distance AS vector_score,
               t.rank_score AS text_score,
               coalesce(1.0 / (60 + v.rank), 0) + coalesce(1.0 / (60 + t.rank), 0) AS score
        FROM vector_ranked v
        FULL OUTER JOIN text_ranked t ON t.id = v.id
    )
    SELECT c.id, s.id, s."externalId", s.kind::text, s.title, c.heading, c.content, c.language,
           f.vector_score, f.text_score, f.score::double precision
    FROM fused f
    JOIN "KnowledgeChunk" c ON c.id = f.id
    JOIN "KnowledgeSource" s ON s.id = c."sourceId"
    ORDER BY f.score DESC, f.vector_score DESC NULLS LAST, c.id
    LIMIT (SELECT match_count FROM candidates);
$$;
