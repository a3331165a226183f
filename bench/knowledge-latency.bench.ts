/**
 * Hybrid search latency at scale: 100,000 chunks across 5 shops, 20,000 in the shop searched, on a real
 * PostgreSQL server with pgvector. Chunk texts are distinct passages built from the shared support corpora and
 * embedded with the offline embedder; queries are 200 shopper messages not used as passages.
 * The corpus is built once per database (kept for re-runs). Reports p50/p95/p99 of the SQL call
 * (match_knowledge) and of the whole searchKnowledge path (embed + SQL).
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import pg from "pg";
import { createOfflineEmbedder } from "~/modules/knowledge/embeddings/offline";
import { datasetsDir, stripPlaceholders } from "./retrieval-quality";
import { measure } from "./stats";

const SHOPS = 5;
const CHUNKS_PER_SHOP = 20_000;
const CHUNKS_PER_SOURCE = 20;
const BATCH = 250;

function corpusTexts() {
  const dir = datasetsDir();
  const responses = parse(readFileSync(path.join(dir, "bitext-cs-responses-4k/data.csv")), { columns: true }) as { instruction: string; response: string }[];
  const intents = parse(readFileSync(path.join(dir, "bitext-cs-27k/train.csv")), { columns: true }) as { instruction: string }[];
  const paragraphs = [
    ...new Set(responses.flatMap((row) => stripPlaceholders(row.response).split(/\n+/)).filter((text) => text.length > 60)),
  ];
  const queries = intents.filter((_, index) => index % 97 === 0).slice(0, 200).map((row) => stripPlaceholders(row.instruction));
  return { paragraphs, queries };
}

/** The i-th distinct passage: one paragraph, or a pair of paragraphs once single ones run out. */
function passage(paragraphs: string[], index: number) {
  const n = paragraphs.length;
  if (index < n) return paragraphs[index]!;
  const first = index % n;
  const second = (Math.floor(index / n) * 7919 + index * 31) % n;
  return `${paragraphs[first]}\n\n${paragraphs[second === first ? (second + 1) % n : second]}`;
}

async function buildCorpus(client: pg.Client, paragraphs: string[]) {
  const embedder = createOfflineEmbedder();
  const started = performance.now();
  await client.query(`DROP INDEX IF EXISTS "KnowledgeChunk_embedding_hnsw_idx"`);
  let global = 0;
  const shopIds: string[] = [];
  for (let shop = 0; shop < SHOPS; shop++) {
    const shopId = randomUUID();
    shopIds.push(shopId);
    await client.query(`INSERT INTO "Shop" (id, domain, name, "updatedAt") VALUES ($1, $2, $3, now())`, [shopId, `bench-${shop}.myshopify.com`, `Bench ${shop}`]);
    for (let start = 0; start < CHUNKS_PER_SHOP; start += BATCH) {
      const texts = Array.from({ length: BATCH }, (_, offset) => passage(paragraphs, global + start + offset));
      const vectors = await embedder.embed(texts);
      const sourceRows: unknown[] = [];
      const chunkRows: unknown[] = [];
      const sourceIds = new Map<number, string>();
      texts.forEach((text, offset) => {
        const ordinal = start + offset;
        const sourceIndex = Math.floor(ordinal / CHUNKS_PER_SOURCE);
        if (!sourceIds.has(sourceIndex)) {
          const id = randomUUID();
          sourceIds.set(sourceIndex, id);
          // One source in ten is a draft, so the published filter has work to do.
          sourceRows.push(id, shopId, `Passage group ${sourceIndex}`, text, sourceIndex % 10 === 9 ? "draft" : "published");
        }
        chunkRows.push(
          randomUUID(),
          shopId,
          sourceIds.get(sourceIndex),
          ordinal % CHUNKS_PER_SOURCE,
          text,
          `[${vectors[offset]!.map((value) => value.toFixed(5)).join(",")}]`,
          sourceIndex % 10 !== 9,
        );
      });
      const sourceValues = Array.from({ length: sourceRows.length / 5 }, (_, row) => `($${row * 5 + 1}, $${row * 5 + 2}, 'article', $${row * 5 + 3}, $${row * 5 + 4}, 'x', $${row * 5 + 5}::"PublishStatus", now())`);
      await client.query(`INSERT INTO "KnowledgeSource" (id, "shopId", kind, title, body, "contentHash", status, "updatedAt") VALUES ${sourceValues.join(",")}`, sourceRows);
      const chunkValues = Array.from(
        { length: texts.length },
        (_, row) => `($${row * 7 + 1}, $${row * 7 + 2}, $${row * 7 + 3}, 'article', $${row * 7 + 7}, $${row * 7 + 4}, $${row * 7 + 5}, 0, 'x', $${row * 7 + 6}::vector, now())`,
      );
      await client.query(
        `INSERT INTO "KnowledgeChunk" (id, "shopId", "sourceId", kind, published, ordinal, content, "tokenCount", "contentHash", embedding, "embeddedAt") VALUES ${chunkValues.join(",")}`,
        chunkRows,
      );
    }
    global += CHUNKS_PER_SHOP;
    process.stderr.write(`\r[bench] shop ${shop + 1}/${SHOPS} loaded (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  process.stderr.write("\n[bench] building the HNSW index…\n");
  const indexStarted = performance.now();
  await client.query(`SET maintenance_work_mem = '1GB'`);
  await client.query(`CREATE INDEX "KnowledgeChunk_embedding_hnsw_idx" ON "KnowledgeChunk" USING hnsw ("embedding" vector_cosine_ops)`);
  await client.query(`ANALYZE "KnowledgeChunk"; ANALYZE "KnowledgeSource"`);
  return { loadSeconds: (indexStarted - started) / 1000, indexSeconds: (performance.now() - indexStarted) / 1000, shopIds };
}

export async function run(context: { databaseUrl: string }) {
  const client = new pg.Client({ connectionString: context.databaseUrl });
  await client.connect();
  try {
    const { paragraphs, queries } = corpusTexts();
    const existing = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "KnowledgeChunk" c JOIN "Shop" s ON s.id = c."shopId" WHERE s.domain LIKE 'bench-%'`);
    let build: { loadSeconds: number; indexSeconds: number } | "reused" = "reused";
    if (existing.rows[0]!.n !== SHOPS * CHUNKS_PER_SHOP) {
      await client.query(`DELETE FROM "Shop" WHERE domain LIKE 'bench-%'`);
      build = await buildCorpus(client, paragraphs);
    }
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM "Shop" WHERE domain = 'bench-0.myshopify.com'`);
    const shopId = rows[0]!.id;
    const embedder = createOfflineEmbedder();
    const embedded = await embedder.embed(queries);
    const sql = `SELECT * FROM match_knowledge($1, $2::vector, $3, NULL, 5, NULL)`;
    const args = (index: number) => [shopId, `[${embedded[index % queries.length]!.join(",")}]`, queries[index % queries.length]];
    const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF, TIMING OFF) ${sql.replace("SELECT *", "SELECT chunk_id")}`, args(0));
    const sqlOnly = await measure(400, (index) => client.query({ name: "match", text: sql, values: args(index) }));
    const endToEnd = await measure(400, async (index) => {
      const [vector] = await embedder.embed([queries[index % queries.length]!]);
      await client.query({ name: "match", text: sql, values: [shopId, `[${vector!.join(",")}]`, queries[index % queries.length]] });
    });
    // How many of the exact 5 nearest published chunks the HNSW path returns (vector-only ranking).
    let overlap = 0;
    const sampled = 40;
    for (let index = 0; index < sampled; index++) {
      const [, vector] = args(index);
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_indexscan = off");
      const exact = await client.query<{ id: string }>(
        `SELECT id FROM "KnowledgeChunk" WHERE "shopId" = $1 AND published ORDER BY embedding <=> $2::vector LIMIT 5`,
        [shopId, vector],
      );
      await client.query("COMMIT");
      const approximate = await client.query<{ chunk_id: string }>(
        `SELECT chunk_id FROM match_knowledge($1, $2::vector, '', NULL, 5, NULL)`,
        [shopId, vector],
      );
      const found = new Set(approximate.rows.map((row) => row.chunk_id));
      overlap += exact.rows.filter((row) => found.has(row.id)).length;
    }
    const embedOnly = await measure(2000, (index) => embedder.embed([queries[index % queries.length]!]));
    const returned = await client.query(sql, args(1));
    const foreign = await client.query(`SELECT count(*)::int AS n FROM "KnowledgeChunk" WHERE id = ANY($1) AND "shopId" <> $2`, [returned.rows.map((row) => row.chunk_id), shopId]);
    return {
      chunks: { total: SHOPS * CHUNKS_PER_SHOP, inShop: CHUNKS_PER_SHOP, shops: SHOPS },
      build,
      "match_knowledge SQL, ms": sqlOnly,
      "searchKnowledge (offline embed + SQL), ms": endToEnd,
      "offline embedding of one question, ms": embedOnly,
      resultsPerQuery: returned.rowCount,
      "HNSW recall@5 against exact search": Math.round((overlap / (sampled * 5)) * 1000) / 1000,
      foreignResults: foreign.rows[0]!.n,
      plan: plan.rows.map((row) => row["QUERY PLAN"]).filter((line: string) => /Index|Scan|Limit/.test(line)).slice(0, 8),
    };
  } finally {
    await client.end();
  }
}
