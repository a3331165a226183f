-- Chunk embeddings are kept in the chunk's row instead of the TOAST table. A 1536-dimension vector is 6 kB, over
-- the 2 kB at which PostgreSQL moves values out of line, so every distance match_knowledge computed first fetched
-- the vector's four TOAST pieces through the TOAST index. With STORAGE MAIN and a tuple target of a whole page
-- the vector stays in the row (text and search text still go out of line first when a chunk is long). Measured
-- on the assistant-turn bench's shop (246 chunks, match_knowledge called 300 times from Node): p50 2.6-2.9 ms
-- → 1.9-2.0 ms. Rows are one per page instead of many, which is what the vectors already cost in TOAST.
ALTER TABLE "KnowledgeChunk" SET (toast_tuple_target = 8160);
ALTER TABLE "KnowledgeChunk" ALTER COLUMN "embedding" SET STORAGE MAIN;
-- Existing vectors move into their rows (a new value is re-stored; the same TOAST pointer would be kept).
UPDATE "KnowledgeChunk" SET "embedding" = "embedding"::real[]::vector WHERE "embedding" IS NOT NULL;
