/**
 * Retrieval quality benchmark for the knowledge base.
 *
 * Corpora (built from ../shared/datasets, override with SHOPDESK_DATASETS_DIR):
 *  - faq: the 22 ecommerce-faq-openai-demo documents; queries are the hand-written paraphrased shopper questions
 *    in bench/data/faq-questions.json (a hit on any listed doc counts).
 *  - bitext: one article per Bitext intent (27) made of 3 of that intent's example answers from
 *    bitext-cs-responses-4k (placeholders removed); queries are 10 other instructions per intent (270).
 *
 * `evaluateRetrieval(search, setup)` runs any search implementation (e.g. the real database hybrid search);
 * run this file directly for the in-memory default (cosine over the offline embedder), which prints JSON
 * for lexical-only, semantic-only and the full embedder:
 *   node --import tsx/esm bench/retrieval-quality.ts [--misses] [--model other-model.json]
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "csv-parse/sync";
import {
  createOfflineEmbedder,
  loadOfflineModel,
  type OfflineModelFile,
  parseOfflineModel,
} from "../app/modules/knowledge/embeddings/offline";
import type { Embedder } from "../app/modules/knowledge/embeddings/types";

export interface BenchDoc {
  id: string;
  title: string;
  body: string;
}

export interface BenchQuery {
  query: string;
  /** Ids of the docs that answer it; a hit on any of them counts. */
  relevant: string[];
}

export interface BenchCorpus {
  id: string;
  docs: BenchDoc[];
  queries: BenchQuery[];
}

export interface CorpusResult {
  corpus: string;
  queries: number;
  recallAt1: number;
  recallAt3: number;
  mrr: number;
}

export type SearchFn = (corpusId: string, query: string) => Promise<string[]>;
export type SetupFn = (corpusId: string, docs: BenchDoc[]) => Promise<void>;

export function datasetsDir(): string {
  return process.env.SHOPDESK_DATASETS_DIR ?? path.resolve(process.cwd(), "../shared/datasets");
}

/** Bitext-style `{{Order Number}}` placeholders removed, whitespace collapsed. */
export function stripPlaceholders(text: string): string {
  return text
    .replace(/\{\{[^}]*\}\}/g, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/ ([.,!?;:])/g, "$1")
    .replace(/ *\n */g, "\n")
    .trim();
}

/** Key for de-duplication: placeholders removed, NFKC, lower-case, punctuation ignored, whitespace collapsed. */
export function textKey(text: string): string {
  return (
    stripPlaceholders(text)
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.join(" ") ?? ""
  );
}

function sha256(text: string) {
  return createHash("sha256").update(text).digest("hex");
}

interface FaqDocument {
  id: string;
  collection: string;
  topic: string;
  title: string;
  text: string;
}

export function readFaqDocuments(dir = datasetsDir()): FaqDocument[] {
  return readFileSync(path.join(dir, "ecommerce-faq-openai-demo/documents.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as FaqDocument);
}

export function faqQuestions(file = fileURLToPath(new URL("./data/faq-questions.json", import.meta.url))): BenchQuery[] {
  return (JSON.parse(readFileSync(file, "utf8")) as { questions: BenchQuery[] }).questions;
}

export function buildFaqCorpus(dir = datasetsDir()): BenchCorpus {
  const docs = readFaqDocuments(dir).map((doc) => ({ id: doc.id, title: doc.title, body: doc.text }));
  const ids = new Set(docs.map((doc) => doc.id));
  const queries = faqQuestions();
  for (const query of queries) {
    for (const id of query.relevant) if (!ids.has(id)) throw new Error(`faq-questions.json: unknown doc id ${id}`);
  }
  return { id: "faq", docs, queries };
}

/**
 * The same 22 documents with held-out questions written after the model (and its synonym table) was finished,
 * by an author who had not read them: the unbiased paraphrase measure.
 */
export function buildFaqHoldoutCorpus(dir = datasetsDir()): BenchCorpus {
  const corpus = buildFaqCorpus(dir);
  const queries = faqQuestions(fileURLToPath(new URL("./data/faq-questions-holdout.json", import.meta.url)));
  const ids = new Set(corpus.docs.map((doc) => doc.id));
  for (const query of queries) {
    for (const id of query.relevant) if (!ids.has(id)) throw new Error(`faq-questions-holdout.json: unknown doc id ${id}`);
  }
  return { id: "faq-holdout", docs: corpus.docs, queries };
}

interface ResponseRow {
  instruction: string;
  intent: string;
  response: string;
}

export function readBitextResponses(dir = datasetsDir()): ResponseRow[] {
  return parse(readFileSync(path.join(dir, "bitext-cs-responses-4k/data.csv"), "utf8"), {
    columns: true,
    skip_empty_lines: true,
  }) as ResponseRow[];
}

export const BITEXT_RESPONSES_PER_ARTICLE = 3;
export const BITEXT_QUERIES_PER_INTENT = 10;

/**
 * Per intent: distinct instructions (by textKey) ordered by the SHA-256 of the key; the first 3 give the
 * article's answers, the next 10 are the queries (so no query's own answer is in the article).
 */
export function buildBitextCorpus(dir = datasetsDir()): BenchCorpus {
  const byIntent = new Map<string, { key: string; hash: string; row: ResponseRow }[]>();
  for (const row of readBitextResponses(dir)) {
    const key = textKey(row.instruction);
    if (!key) continue;
    const list = byIntent.get(row.intent) ?? [];
    if (!list.some((entry) => entry.key === key)) list.push({ key, hash: sha256(key), row });
    byIntent.set(row.intent, list);
  }
  const docs: BenchDoc[] = [];
  const queries: BenchQuery[] = [];
  for (const intent of [...byIntent.keys()].sort()) {
    const entries = byIntent.get(intent)!.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    const article = entries.slice(0, BITEXT_RESPONSES_PER_ARTICLE);
    docs.push({
      id: intent,
      title: intent.replace(/_/g, " "),
      body: article.map((entry) => stripPlaceholders(entry.row.response)).join("\n\n"),
    });
    for (const entry of entries.slice(BITEXT_RESPONSES_PER_ARTICLE, BITEXT_RESPONSES_PER_ARTICLE + BITEXT_QUERIES_PER_INTENT)) {
      queries.push({ query: stripPlaceholders(entry.row.instruction), relevant: [intent] });
    }
  }
  return { id: "bitext", docs, queries };
}

export function buildCorpora(dir = datasetsDir()): BenchCorpus[] {
  return [buildFaqCorpus(dir), buildFaqHoldoutCorpus(dir), buildBitextCorpus(dir)];
}

/** Every text the benchmark uses as a query (training must exclude these). */
export function benchmarkQueryTexts(dir = datasetsDir()): string[] {
  return buildCorpora(dir).flatMap((corpus) => corpus.queries.map((query) => query.query));
}

function round(value: number) {
  return Math.round(value * 1000) / 1000;
}

function score(corpus: string, ranks: (number | null)[]): CorpusResult {
  const n = ranks.length || 1;
  return {
    corpus,
    queries: ranks.length,
    recallAt1: round(ranks.filter((rank) => rank !== null && rank < 1).length / n),
    recallAt3: round(ranks.filter((rank) => rank !== null && rank < 3).length / n),
    mrr: round(ranks.reduce<number>((sum, rank) => sum + (rank === null ? 0 : 1 / (rank + 1)), 0) / n),
  };
}

/**
 * Sets up each corpus, runs its queries through `search` (ranked doc ids, best first) and scores them:
 * recall@k = share of queries with a relevant doc in the top k; MRR over the first relevant doc.
 * `overall` pools all queries (micro average).
 */
export async function evaluateRetrieval(
  search: SearchFn,
  setup: SetupFn,
  corpora: BenchCorpus[] = buildCorpora(),
): Promise<{ corpora: CorpusResult[]; overall: CorpusResult; misses: Record<string, { query: string; got: string[] }[]> }> {
  const results: CorpusResult[] = [];
  const all: (number | null)[] = [];
  const misses: Record<string, { query: string; got: string[] }[]> = {};
  for (const corpus of corpora) {
    await setup(corpus.id, corpus.docs);
    const ranks: (number | null)[] = [];
    for (const query of corpus.queries) {
      const got = await search(corpus.id, query.query);
      const index = got.findIndex((id) => query.relevant.includes(id));
      ranks.push(index >= 0 ? index : null);
      if (index < 0 || index >= 3) {
        misses[corpus.id] = [...(misses[corpus.id] ?? []), { query: query.query, got: got.slice(0, 3) }];
      }
    }
    results.push(score(corpus.id, ranks));
    all.push(...ranks);
  }
  return { corpora: results, overall: score("overall", all), misses };
}

/** In-memory search: cosine between the embedder's vectors of the query and of `title\nbody` of each doc. */
export function inMemorySearch(embedder: Embedder): { search: SearchFn; setup: SetupFn } {
  const indexes = new Map<string, { id: string; vector: number[] }[]>();
  return {
    async setup(corpusId, docs) {
      const vectors = await embedder.embed(docs.map((doc) => `${doc.title}\n${doc.body}`));
      indexes.set(
        corpusId,
        docs.map((doc, index) => ({ id: doc.id, vector: vectors[index]! })),
      );
    },
    async search(corpusId, query) {
      const [vector] = await embedder.embed([query]);
      const scored = (indexes.get(corpusId) ?? []).map((entry) => {
        let dot = 0;
        for (let index = 0; index < entry.vector.length; index++) dot += entry.vector[index]! * vector![index]!;
        return { id: entry.id, dot };
      });
      return scored.sort((a, b) => b.dot - a.dot || (a.id < b.id ? -1 : 1)).map((entry) => entry.id);
    },
  };
}

async function main() {
  const modelArg = process.argv.indexOf("--model");
  const model =
    modelArg > 0
      ? parseOfflineModel(JSON.parse(readFileSync(process.argv[modelArg + 1]!, "utf8")) as OfflineModelFile)
      : loadOfflineModel();
  const corpora = buildCorpora();
  const variants: [string, number][] = [
    ["lexical-only", 0],
    ["semantic-only", 1],
    ["full", model.semanticWeight],
  ];
  const showMisses = process.argv.includes("--misses");
  for (const [name, semanticWeight] of variants) {
    const { search, setup } = inMemorySearch(createOfflineEmbedder(model, { semanticWeight }));
    const result = await evaluateRetrieval(search, setup, corpora);
    for (const row of [...result.corpora, result.overall]) console.log(JSON.stringify({ embedder: name, semanticWeight, ...row }));
    if (showMisses && name === "full") console.log(JSON.stringify(result.misses.faq ?? [], null, 1));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
