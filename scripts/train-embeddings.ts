/**
 * Trains the offline embedding model (app/modules/knowledge/embeddings/offline-model.json) from the shared
 * customer-support corpora in ../shared/datasets (override with SHOPDESK_DATASETS_DIR):
 *
 *   node --import tsx/esm scripts/train-embeddings.ts
 *
 * What it learns (deterministic: fixed orderings, seeded PRNG for the randomized SVD):
 *  1. IDF of every stem (document frequency over the training texts).
 *  2. Word vectors: PPMI of word co-occurrence (±window content words, 1/distance weighting, context
 *     distribution smoothing 0.75) factorised by randomized truncated SVD (U·√Σ, rows L2-normalised).
 *  3. Retrofitting (Faruqui et al. 2015) of those vectors to the small commerce synonym table below, which also
 *     gives vectors to table words the corpora never use.
 *  4. The common direction of sentence vectors (removed at embed time, as in SIF).
 *
 * Honesty rules:
 *  - Every text that bench/retrieval-quality.ts uses as a QUERY (the hand-written FAQ questions and the 270
 *    Bitext instructions) is excluded from training, matched by normalised text (placeholders, case,
 *    punctuation and spacing ignored) in every source; for a bitext-cs-responses-4k row this drops the row's
 *    response as well.
 *  - The ecommerce-faq-openai-demo documents (the FAQ benchmark's knowledge base) are not used for training at
 *    all, so that benchmark measures an unseen knowledge base.
 *  - No dataset text is written to the model file except single words (stems) with their IDF and vector.
 *
 * Experiment knobs (env): EMB_DIMS, EMB_VOCAB, EMB_WINDOW, EMB_SYNONYMS=0, EMB_SENTIMENT=0, EMB_OUT.
 */
import { mulberry32 } from "../app/lib/random";
import { createHash } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { benchmarkQueryTexts, datasetsDir, readBitextResponses, stripPlaceholders, textKey } from "../bench/retrieval-quality";
import {
  contentTokens,
  embedOffline,
  OFFLINE_MODEL_FILE,
  type OfflineModelFile,
  parseOfflineModel,
  stem,
} from "../app/modules/knowledge/embeddings/offline";
import { EMBEDDING_DIMENSIONS } from "../app/modules/knowledge/embeddings/types";

const started = performance.now();
const env = process.env;
const SEMANTIC_DIMS = Number(env.EMB_DIMS ?? 256);
const VECTOR_VOCAB = Number(env.EMB_VOCAB ?? 6000);
const IDF_VOCAB = 20_000;
const MIN_COUNT = Number(env.EMB_MINCOUNT ?? 2);
/** Weight of the label pseudo-context (intent / ABCD subflow) co-occurring with every word of a labelled text; 0 = off. */
const LABEL_WEIGHT = Number(env.EMB_LABEL ?? 0);
const WINDOW = Number(env.EMB_WINDOW ?? 5);
const OVERSAMPLE = 16;
const POWER_ITERATIONS = 3;
const SEED = 20261125;
const USE_SYNONYMS = env.EMB_SYNONYMS !== "0";
const USE_SENTIMENT = env.EMB_SENTIMENT !== "0";
const SEMANTIC_WEIGHT = Number(env.EMB_WEIGHT ?? 0.6);

/**
 * Hand-curated commerce synonym/near-synonym groups (single words; stemmed like everything else). Written as
 * general shop-support vocabulary; its effect is measured separately (EMB_SYNONYMS=0).
 */
const SYNONYM_GROUPS: string[][] = [
  ["broken", "damaged", "damage", "cracked", "shattered", "smashed", "dented", "defective", "faulty", "crushed", "torn", "ripped", "scratched", "busted", "chipped", "pieces"],
  ["parcel", "package", "shipment", "delivery", "consignment"],
  ["refund", "reimbursement", "reimburse", "reimbursed", "repayment", "repay", "chargeback", "money"],
  ["return", "returning", "back"],
  ["exchange", "swap", "replace", "replacement", "trade"],
  ["cancel", "cancellation", "abort", "revoke", "withdraw"],
  ["password", "passcode", "passphrase", "pin", "credentials", "login"],
  ["username", "login", "handle", "signin"],
  ["account", "profile"],
  ["email", "inbox", "mail", "e-mail"],
  ["address", "location", "moved", "relocated", "house"],
  ["phone", "mobile", "cell", "telephone"],
  ["late", "delayed", "delay", "overdue", "slow", "missing", "lost"],
  ["arrive", "arrived", "arrival", "received", "receive", "came", "showed"],
  ["ship", "shipping", "dispatch", "dispatched", "sent", "send"],
  ["fast", "faster", "quick", "quicker", "express", "expedite", "expedited", "rush", "urgent"],
  ["pay", "payment", "checkout", "card", "visa", "mastercard", "paypal", "wallet", "debit"],
  ["agent", "representative", "rep", "human", "person", "staff", "operator", "advisor", "assistant", "someone"],
  ["chat", "message", "talk", "speak", "contact", "reach"],
  ["complaint", "complain", "grievance", "dissatisfied", "unhappy", "angry", "upset", "disappointed", "terrible", "awful"],
  ["hours", "available", "availability", "open", "times", "schedule"],
  ["size", "small", "large", "bigger", "smaller", "fit", "medium", "tight", "loose"],
  ["color", "colour", "shade"],
  ["voucher", "coupon", "discount", "promo", "credit"],
  ["track", "tracking", "trace", "status", "whereabouts"],
  ["forgot", "forget", "forgotten", "remember", "recover", "recovery", "regain"],
  ["tone", "polite", "friendly", "empathetic", "courteous", "manners", "respectful", "greet", "greeting"],
  ["receipt", "invoice", "bill"],
  ["weekend", "saturday", "sunday", "holiday", "holidays"],
  ["photo", "photos", "picture", "pictures", "photograph", "image", "pics"],
  ["item", "product", "thing", "stuff", "purchase", "order"],
  ["shopper", "customer", "buyer", "client"],
];

// ---------------------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------------------

const dir = datasetsDir();
const excluded = new Set(benchmarkQueryTexts(dir).map(textKey));
let excludedHits = 0;
const seen = new Set<string>();
const texts: string[] = [];
const labels: (string | null)[] = [];
const sourceCounts: Record<string, number> = {};

/** Adds a training text unless it is a benchmark query (or a duplicate). Returns false when excluded. */
function add(source: string, raw: string, label: string | null = null): boolean {
  const text = stripPlaceholders(raw);
  const key = textKey(text);
  if (!key) return true;
  if (excluded.has(key)) {
    excludedHits++;
    return false;
  }
  if (seen.has(key)) return true;
  seen.add(key);
  texts.push(text);
  labels.push(label);
  sourceCounts[source] = (sourceCounts[source] ?? 0) + 1;
  return true;
}

function csv(file: string): Record<string, string>[] {
  return parse(readFileSync(path.join(dir, file), "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

for (const row of csv("bitext-cs-27k/train.csv")) add("bitext-27k", row.instruction ?? "", row.intent ?? null);
for (const file of ["bitext-cs-intent-8k/train.csv", "bitext-cs-intent-8k/dev.csv"]) {
  for (const row of csv(file)) add("bitext-8k", row.utterance ?? "", row.intent ?? null);
}
for (const row of readBitextResponses(dir)) {
  // A benchmark query row is dropped whole (instruction and its response).
  if (add("bitext-responses:instruction", row.instruction, row.intent)) add("bitext-responses:response", row.response, row.intent);
}
{
  type Action = { text?: string; subtext?: string[] };
  const guidelines = JSON.parse(readFileSync(path.join(dir, "abcd-guidelines/guidelines.json"), "utf8")) as Record<
    string,
    { description?: string; subflows?: Record<string, { instructions?: string[]; actions?: Action[] }> }
  >;
  for (const [flow, body] of Object.entries(guidelines)) {
    add("abcd", `${flow}. ${body.description ?? ""}`);
    for (const [name, subflow] of Object.entries(body.subflows ?? {})) {
      const label = `abcd:${name}`;
      add("abcd", name, label);
      for (const instruction of subflow.instructions ?? []) add("abcd", instruction, label);
      for (const action of subflow.actions ?? []) {
        add("abcd", action.text ?? "", label);
        for (const sub of action.subtext ?? []) add("abcd", sub, label);
      }
    }
  }
  const sample = JSON.parse(readFileSync(path.join(dir, "abcd-guidelines/abcd_sample.json"), "utf8")) as {
    original: [string, string][];
  }[];
  for (const conversation of sample) for (const [speaker, text] of conversation.original) if (speaker !== "action") add("abcd", text);
}
if (USE_SENTIMENT) for (const row of csv("sentiment-uci-labelled-sentences/sentences.csv")) add("uci-sentences", row.sentence ?? "");

const tokenized = texts.map((text) => contentTokens(text).map((token) => token.stem));
console.log(
  `training texts: ${texts.length} (${Object.entries(sourceCounts)
    .map(([source, count]) => `${source} ${count}`)
    .join(", ")}); excluded ${excludedHits} rows matching ${excluded.size} benchmark queries`,
);

// ---------------------------------------------------------------------------------------------------------
// IDF and vocabulary
// ---------------------------------------------------------------------------------------------------------

const df = new Map<string, number>();
const frequency = new Map<string, number>();
for (const tokens of tokenized) {
  for (const token of tokens) frequency.set(token, (frequency.get(token) ?? 0) + 1);
  for (const token of new Set(tokens)) df.set(token, (df.get(token) ?? 0) + 1);
}
const byFrequency = [...frequency.entries()]
  .filter(([word, count]) => count >= MIN_COUNT && !/\d/.test(word)) // order numbers etc. get no vector (in the 8k set they repeat within an intent)
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  .map(([word]) => word);
const N = tokenized.length;
const idfOf = (word: string) => Math.log((N + 1) / ((df.get(word) ?? 0) + 1)) + 1;
const defaultIdf = idfOf("\u0000unseen");

const vocab = byFrequency.slice(0, VECTOR_VOCAB);
// Label pseudo-words ("\u0000label:…") take part in the factorisation only; they are not written to the model.
const labelWords = LABEL_WEIGHT > 0 ? [...new Set(labels.filter((label) => label !== null))].sort().map((label) => `\u0000label:${label}`) : [];
const index = new Map([...vocab, ...labelWords].map((word, row) => [word, row]));
const V = vocab.length + labelWords.length;

// ---------------------------------------------------------------------------------------------------------
// Co-occurrence → PPMI (sparse, symmetric)
// ---------------------------------------------------------------------------------------------------------

const cooc = new Map<number, number>(); // key = i * V + j
const addPair = (i: number, j: number, weight: number) => {
  cooc.set(i * V + j, (cooc.get(i * V + j) ?? 0) + weight);
  cooc.set(j * V + i, (cooc.get(j * V + i) ?? 0) + weight);
};
tokenized.forEach((tokens, position) => {
  const ids = tokens.map((token) => index.get(token) ?? -1);
  const label = labels[position];
  const labelId = LABEL_WEIGHT > 0 && label ? index.get(`\u0000label:${label}`)! : -1;
  for (let a = 0; a < ids.length; a++) {
    const i = ids[a]!;
    if (i < 0) continue;
    if (labelId >= 0) addPair(i, labelId, LABEL_WEIGHT / Math.max(1, ids.length));
    for (let b = a + 1; b <= a + WINDOW && b < ids.length; b++) {
      const j = ids[b]!;
      if (j < 0 || j === i) continue;
      addPair(i, j, 1 / (b - a));
    }
  }
});
const rowSum = new Float64Array(V);
let total = 0;
for (const [key, value] of cooc) {
  rowSum[Math.floor(key / V)]! += value;
  total += value;
}
const contextSmoothed = rowSum.map((value) => value ** 0.75);
const smoothedTotal = contextSmoothed.reduce((sum, value) => sum + value, 0);
const entries: [number, number, number][] = [];
for (const [key, value] of cooc) {
  const i = Math.floor(key / V);
  const j = key % V;
  const pmi = Math.log((value / total) / ((rowSum[i]! / total) * (contextSmoothed[j]! / smoothedTotal)));
  if (pmi > 0) entries.push([i, j, pmi]);
}
entries.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
const rowPtr = new Int32Array(V + 1);
const colIdx = new Int32Array(entries.length);
const vals = new Float64Array(entries.length);
entries.forEach(([i, j, value], position) => {
  rowPtr[i + 1]!++;
  colIdx[position] = j;
  vals[position] = value;
});
for (let row = 0; row < V; row++) rowPtr[row + 1]! += rowPtr[row]!;
console.log(`vocabulary: ${V} words with vectors, PPMI non-zeros: ${entries.length}`);

// ---------------------------------------------------------------------------------------------------------
// Randomized truncated SVD (column-major dense blocks)
// ---------------------------------------------------------------------------------------------------------


/** Y = M X, X column-major V×l. */
function sparseTimes(X: Float64Array, l: number): Float64Array {
  const Y = new Float64Array(V * l);
  for (let c = 0; c < l; c++) {
    const offset = c * V;
    for (let row = 0; row < V; row++) {
      let sum = 0;
      for (let p = rowPtr[row]!; p < rowPtr[row + 1]!; p++) sum += vals[p]! * X[offset + colIdx[p]!]!;
      Y[offset + row] = sum;
    }
  }
  return Y;
}

/** Modified Gram-Schmidt in place on the l columns (each of length V). */
function orthonormalize(Y: Float64Array, l: number) {
  for (let c = 0; c < l; c++) {
    const col = c * V;
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        const prev = p * V;
        let dot = 0;
        for (let row = 0; row < V; row++) dot += Y[col + row]! * Y[prev + row]!;
        for (let row = 0; row < V; row++) Y[col + row]! -= dot * Y[prev + row]!;
      }
    }
    let norm = 0;
    for (let row = 0; row < V; row++) norm += Y[col + row]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let row = 0; row < V; row++) Y[col + row]! /= norm;
  }
}

/** Cyclic Jacobi eigen-decomposition of a symmetric n×n matrix (row-major). Returns values and column vectors. */
function jacobiEigen(A: Float64Array, n: number) {
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) W[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += A[i * n + j]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const wkp = W[k * n + p]!;
          const wkq = W[k * n + q]!;
          W[k * n + p] = c * wkp - s * wkq;
          W[k * n + q] = s * wkp + c * wkq;
        }
      }
    }
  }
  const values = Array.from({ length: n }, (_, i) => A[i * n + i]!);
  return { values, vectors: W };
}

const k = Math.min(SEMANTIC_DIMS, V - OVERSAMPLE);
const l = k + OVERSAMPLE;
const random = mulberry32(SEED);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
let Q: Float64Array = new Float64Array(V * l);
for (let position = 0; position < Q.length; position++) Q[position] = gaussian();
Q = sparseTimes(Q, l);
orthonormalize(Q, l);
for (let iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
  Q = sparseTimes(Q, l);
  orthonormalize(Q, l);
}
// M symmetric: B = Qᵀ M = (M Q)ᵀ; eigen-decompose B Bᵀ = (MQ)ᵀ(MQ) for the singular values/vectors.
const MQ = sparseTimes(Q, l);
const gram = new Float64Array(l * l);
for (let a = 0; a < l; a++) {
  for (let b = a; b < l; b++) {
    let dot = 0;
    for (let row = 0; row < V; row++) dot += MQ[a * V + row]! * MQ[b * V + row]!;
    gram[a * l + b] = dot;
    gram[b * l + a] = dot;
  }
}
const eigen = jacobiEigen(gram, l);
const order = eigen.values.map((value, position) => [value, position] as const).sort((a, b) => b[0] - a[0]);
const singular = order.slice(0, k).map(([value]) => Math.sqrt(Math.max(0, value)));
// Word vectors: U·√Σ with U = Q·W (rows = words), then unit rows.
const wordVectors = new Map<string, Float64Array>();
for (let row = 0; row < vocab.length; row++) {
  const vector = new Float64Array(k);
  for (let d = 0; d < k; d++) {
    const column = order[d]![1];
    let sum = 0;
    for (let c = 0; c < l; c++) sum += Q[c * V + row]! * eigen.vectors[c * l + column]!;
    vector[d] = sum * Math.sqrt(singular[d]!);
  }
  const norm = Math.hypot(...vector) || 1;
  for (let d = 0; d < k; d++) vector[d]! /= norm;
  wordVectors.set(vocab[row]!, vector);
}
console.log(`SVD: ${k} dims, top singular values ${singular.slice(0, 5).map((value) => value.toFixed(1)).join(", ")}`);

// ---------------------------------------------------------------------------------------------------------
// Retrofitting to the synonym table
// ---------------------------------------------------------------------------------------------------------

let retrofitted = 0;
let addedBySynonyms = 0;
if (USE_SYNONYMS) {
  const neighbours = new Map<string, Set<string>>();
  for (const group of SYNONYM_GROUPS) {
    const stems = [...new Set(group.flatMap((word) => contentTokens(word).map((token) => token.stem)))];
    for (const a of stems) for (const b of stems) if (a !== b) (neighbours.get(a) ?? neighbours.set(a, new Set()).get(a)!).add(b);
  }
  const original = new Map(wordVectors);
  for (const word of [...neighbours.keys()].sort()) {
    if (!wordVectors.has(word)) {
      wordVectors.set(word, new Float64Array(k));
      addedBySynonyms++;
    }
  }
  for (let iteration = 0; iteration < 10; iteration++) {
    for (const word of [...neighbours.keys()].sort()) {
      const known = [...neighbours.get(word)!].filter((other) => wordVectors.has(other)).sort();
      if (known.length === 0) continue;
      const base = original.get(word);
      const next = new Float64Array(k);
      const alpha = base ? 1 : 0;
      const beta = 1 / known.length;
      if (base) for (let d = 0; d < k; d++) next[d] = alpha * base[d]!;
      for (const other of known) {
        const vector = wordVectors.get(other)!;
        for (let d = 0; d < k; d++) next[d]! += beta * vector[d]!;
      }
      const norm = Math.hypot(...next) || 1;
      for (let d = 0; d < k; d++) next[d]! /= norm;
      wordVectors.set(word, next);
    }
  }
  retrofitted = neighbours.size;
}

// A few nearest neighbours, to show what the vectors learned.
for (const probe of ["refund", "cancel", "broken", "parcel", "password", "agent"]) {
  const target = wordVectors.get(stem(probe));
  if (!target) continue;
  const nearest = [...wordVectors.entries()]
    .filter(([word]) => word !== stem(probe))
    .map(([word, vector]) => [word, vector.reduce((sum, value, d) => sum + value * target[d]!, 0)] as const)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 6);
  console.log(`  ${probe} → ${nearest.map(([word, similarity]) => `${word} ${similarity.toFixed(2)}`).join(", ")}`);
}

// ---------------------------------------------------------------------------------------------------------
// Model file
// ---------------------------------------------------------------------------------------------------------

// Vector words first (frequency order, then synonym-only additions), then IDF-only words.
const vectorWords = [...vocab, ...[...wordVectors.keys()].filter((word) => !index.has(word)).sort()];
const vectorSet = new Set(vectorWords);
const idfCandidates = [...df.entries()]
  .filter(([word, count]) => count >= 2 && !vectorSet.has(word))
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  .map(([word]) => word);
const idfWords = [...vectorWords, ...idfCandidates].slice(
  0,
  Math.max(IDF_VOCAB, vectorWords.length),
);
const IDF_SCALE = 16;
const idfBytes = Buffer.from(idfWords.map((word) => Math.min(255, Math.round(idfOf(word) * IDF_SCALE))));
const quantized = new Int8Array(vectorWords.length * k);
vectorWords.forEach((word, row) => {
  const vector = wordVectors.get(word)!;
  const max = Math.max(...vector.map(Math.abs)) || 1;
  for (let d = 0; d < k; d++) quantized[row * k + d] = Math.round((vector[d]! / max) * 127);
});

function buildFile(commonComponents: number[][]): OfflineModelFile {
  return {
    format: "shopdesk-offline-embeddings/1",
    id: "offline:v1",
    semanticDims: k,
    semanticWeight: SEMANTIC_WEIGHT,
    lexical: { unigram: 1, bigram: 0.5, chargram: 0.5 },
    defaultIdf: Math.round(defaultIdf * 100) / 100,
    idfWords: idfWords.join(" "),
    idf: idfBytes.toString("base64"),
    idfScale: IDF_SCALE,
    vectorWords: vectorWords.length,
    vectors: Buffer.from(quantized.buffer).toString("base64"),
    commonComponents,
    meta: {
      trainedBy: "scripts/train-embeddings.ts",
      sources: sourceCounts,
      excludedBenchmarkRows: excludedHits,
      window: WINDOW,
      ppmiNonZeros: entries.length,
      retrofittedWords: retrofitted,
      seed: SEED,
      licence: "derived from CDLA-Sharing-1.0 (Bitext), MIT (ABCD) and CC BY 4.0 (UCI sentences) data; words and numbers only",
    },
  };
}

// Common direction: first principal (uncentred) direction of the training texts' semantic vectors.
const provisional = parseOfflineModel(buildFile([]));
const covariance = new Float64Array(k * k);
for (const text of texts) {
  const vector = embedOffline(provisional, text, { semanticWeight: 1 });
  const semantic = vector.slice(EMBEDDING_DIMENSIONS - k);
  for (let a = 0; a < k; a++) {
    const va = semantic[a]!;
    if (va === 0) continue;
    for (let b = 0; b < k; b++) covariance[a * k + b]! += va * semantic[b]!;
  }
}
let component = new Float64Array(k).fill(1 / Math.sqrt(k));
for (let iteration = 0; iteration < 100; iteration++) {
  const next = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let sum = 0;
    for (let b = 0; b < k; b++) sum += covariance[a * k + b]! * component[b]!;
    next[a] = sum;
  }
  const norm = Math.hypot(...next) || 1;
  component = next.map((value) => value / norm);
}
const commonComponents = [Array.from(component, (value) => Math.round(value * 1e6) / 1e6)];

const out = env.EMB_OUT ?? fileURLToPath(new URL(`../app/modules/knowledge/embeddings/${OFFLINE_MODEL_FILE}`, import.meta.url));
const json = `${JSON.stringify(buildFile(commonComponents))}\n`;
writeFileSync(out, json);
console.log(
  JSON.stringify({
    file: path.relative(process.cwd(), out),
    bytes: statSync(out).size,
    sha256: createHash("sha256").update(json).digest("hex").slice(0, 16),
    trainingTexts: texts.length,
    idfWords: idfWords.length,
    vectorWords: vectorWords.length,
    synonymOnlyWords: addedBySynonyms,
    semanticDims: k,
    lexicalDims: EMBEDDING_DIMENSIONS - k,
    semanticWeight: SEMANTIC_WEIGHT,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  }),
);
