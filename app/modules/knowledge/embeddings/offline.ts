/**
 * Offline, deterministic embedder used when no OpenAI key is configured.
 *
 * The 1536 dimensions (same as OpenAI text-embedding-3-small, so the pgvector column does not change) are two
 * blocks, each L2-normalised and then weighted so that cosine(a, b) = (1 - w)·cos_lexical + w·cos_semantic:
 *
 * - lexical block (1536 - semanticDims dims): signed feature hashing of stemmed word unigrams, stemmed bigrams
 *   of content words and character 3–5-grams of each word (typo tolerance); TF is sub-linear (1 + ln tf) and
 *   weighted by the model's IDF.
 * - semantic block (semanticDims dims): IDF-weighted average of word vectors learned offline
 *   (PPMI word co-occurrence + randomized truncated SVD over the shared customer-support corpora, retrofitted
 *   to a small commerce synonym table), minus the corpus' common direction. This is what lets "my mug arrived
 *   broken" find an article about damaged items.
 *
 * The model lives in offline-model.json (built by scripts/train-embeddings.ts). Embedding is plain synchronous
 * math: no randomness, identical output for identical input, well under 1 ms for a short text.
 *
 * Empty or unusable input ("", "!!!", only emoji): the result is a fixed unit vector (a single hashed
 * "empty text" feature), so every vector returned is unit length and never contains NaN — pgvector's cosine
 * distance would be NaN for an all-zero vector.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EMBEDDING_DIMENSIONS, type Embedder } from "./types";

export const OFFLINE_MODEL_FILE = "offline-model.json";

/** The model file as stored (JSON). Vectors are int8, row-major, one row per entry of `vectorWords`. */
export interface OfflineModelFile {
  format: "shopdesk-offline-embeddings/1";
  id: string;
  semanticDims: number;
  /** Share w of the semantic block in the cosine (0 = lexical only). */
  semanticWeight: number;
  /** Weights of the lexical feature families. */
  lexical: { unigram: number; bigram: number; chargram: number };
  /** IDF for words not in `idfWords`. */
  defaultIdf: number;
  /** Space-separated stems with an IDF, most frequent first; the first `vectorWords` of them have vectors. */
  idfWords: string;
  /** base64 of one uint8 per idfWords entry: idf = byte / idfScale. */
  idf: string;
  idfScale: number;
  vectorWords: number;
  /** base64 of int8[vectorWords × semanticDims]; each row is rescaled to unit length on load. */
  vectors: string;
  /** Unit vectors removed from every sentence vector (the corpus' common directions). */
  commonComponents: number[][];
  meta?: Record<string, unknown>;
}

/** The model in memory. */
export interface OfflineModel {
  id: string;
  semanticDims: number;
  semanticWeight: number;
  lexical: { unigram: number; bigram: number; chargram: number };
  defaultIdf: number;
  idf: Map<string, number>;
  /** stem → row in `vectors` */
  vectorIndex: Map<string, number>;
  vectors: Float32Array;
  commonComponents: Float64Array[];
}

export interface OfflineEmbedderOptions {
  /** Overrides the model's semantic weight (0 = lexical only, 1 = semantic only); for measurements. */
  semanticWeight?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Text processing (shared with scripts/train-embeddings.ts so training and embedding see the same tokens)
// ---------------------------------------------------------------------------------------------------------

/** NFKC, accents stripped, lower-case, apostrophes inside words dropped ("don't" → "dont"). */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .normalize("NFKC")
    .toLowerCase()
    .replace(/(\p{L})['’`](\p{L})/gu, "$1$2");
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/** Words of a normalised text (letters/digits runs), capped so a huge input stays fast. */
export function words(normalized: string, limit = 4000): string[] {
  const out: string[] = [];
  for (const match of normalized.matchAll(TOKEN)) {
    out.push(match[0]);
    if (out.length >= limit) break;
  }
  return out;
}

export const STOPWORDS = new Set(
  (
    "a an the and or but if then than so of to in on at by for with from into onto about as is are was were be been being am " +
    "i me my mine myself we us our ours you your yours yourself he him his she her hers it its they them their theirs " +
    "this that these those there here what which who whom whose when where why how " +
    "do does did doing done have has had having will would shall should can could may might must " +
    "im ive id ill youre youve youll theyre weve its thats whats theres " +
    "just very too also only own same such some any each every all both more most other " +
    "up down out over under again further once off s t d ll m re ve y " +
    "please hi hello hey thanks thank dear"
  ).split(/\s+/),
);

const VOWEL = /[aeiouy]/;

/** Light suffix stripping (plural, -ing, -ed, -ly, final -e, y → i), deliberately conservative. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let s = word;
  if (s.endsWith("ies") && s.length > 4) s = `${s.slice(0, -3)}i`;
  else if (s.endsWith("sses")) s = s.slice(0, -2);
  else if (s.endsWith("s") && !/(ss|us|is)$/.test(s)) s = s.slice(0, -1);
  let stripped = false;
  for (const suffix of ["ing", "ed"]) {
    if (s.endsWith(suffix)) {
      const base = s.slice(0, -suffix.length);
      if (base.length >= 3 && VOWEL.test(base)) {
        s = base;
        stripped = true;
      }
      break;
    }
  }
  if (stripped) {
    if (s.endsWith("i") && s.length > 3) return s; // applied → appli
    const last = s.at(-1)!;
    const undouble = !"lsz".includes(last) || (last === "l" && s.length >= 6); // shipp → ship, cancell → cancel
    if (s.length > 3 && last === s.at(-2) && undouble && !VOWEL.test(last)) s = s.slice(0, -1);
  } else if (s.endsWith("ly") && s.length > 5) s = s.slice(0, -2);
  if (s.endsWith("y") && s.length > 3 && !VOWEL.test(s.at(-2)!)) s = `${s.slice(0, -1)}i`;
  if (s.endsWith("e") && s.length > 4) s = s.slice(0, -1);
  return s;
}

/** Content tokens of a text: normalised, stop words removed, stemmed. `surface` keeps the unstemmed word. */
export function contentTokens(text: string): { stem: string; surface: string }[] {
  const out: { stem: string; surface: string }[] = [];
  for (const word of words(normalizeText(text))) {
    if (STOPWORDS.has(word)) continue;
    out.push({ stem: stem(word), surface: word });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------------------------------------

/** FNV-1a 32-bit over UTF-16 code units, then a murmur-style finaliser for better bit mixing. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    h ^= text.charCodeAt(index);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function addHashed(target: Float64Array, feature: string, value: number) {
  const h = hash32(feature);
  const index = (h & 0x7fffffff) % target.length;
  target[index]! += h & 0x80000000 ? -value : value;
}

// ---------------------------------------------------------------------------------------------------------
// Embedding
// ---------------------------------------------------------------------------------------------------------

function l2(vector: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < vector.length; index++) sum += vector[index]! * vector[index]!;
  return Math.sqrt(sum);
}

function tfCounts(tokens: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/** The lexical block, L2-normalised (all zeros when the text has no content tokens). */
export function lexicalVector(model: OfflineModel, tokens: { stem: string; surface: string }[], dims: number) {
  const vector = new Float64Array(dims);
  const idf = (token: string) => model.idf.get(token) ?? model.defaultIdf;
  const { unigram, bigram, chargram } = model.lexical;
  const stems = tokens.map((token) => token.stem);
  const stemCounts = tfCounts(stems);
  for (const [token, count] of stemCounts) addHashed(vector, `w:${token}`, unigram * (1 + Math.log(count)) * idf(token));
  if (bigram > 0) {
    const pairs: string[] = [];
    for (let index = 1; index < stems.length; index++) pairs.push(`${stems[index - 1]} ${stems[index]}`);
    for (const [pair, count] of tfCounts(pairs)) {
      const [a, b] = pair.split(" ") as [string, string];
      addHashed(vector, `b:${pair}`, bigram * (1 + Math.log(count)) * 0.5 * (idf(a) + idf(b)));
    }
  }
  if (chargram > 0) {
    const surfaceCounts = tfCounts(tokens.map((token) => token.surface));
    for (const [surface, count] of surfaceCounts) {
      const padded = `<${surface}>`;
      const grams: string[] = [];
      for (let n = 3; n <= 5; n++) for (let start = 0; start + n <= padded.length; start++) grams.push(padded.slice(start, start + n));
      if (grams.length === 0) continue;
      const weight = (chargram * (1 + Math.log(count)) * idf(stem(surface))) / Math.sqrt(grams.length);
      for (const gram of grams) addHashed(vector, `c:${gram}`, weight);
    }
  }
  const norm = l2(vector);
  if (norm > 0) for (let index = 0; index < dims; index++) vector[index]! /= norm;
  return vector;
}

/** The semantic block, L2-normalised (all zeros when no word of the text has a learned vector). */
export function semanticVector(model: OfflineModel, tokens: { stem: string; surface: string }[]) {
  const dims = model.semanticDims;
  const vector = new Float64Array(dims);
  let used = 0;
  for (const [token, count] of tfCounts(tokens.map((entry) => entry.stem))) {
    const row = model.vectorIndex.get(token);
    if (row === undefined) continue;
    const weight = (1 + Math.log(count)) * (model.idf.get(token) ?? model.defaultIdf);
    const offset = row * dims;
    for (let index = 0; index < dims; index++) vector[index]! += weight * model.vectors[offset + index]!;
    used++;
  }
  if (used === 0) return vector;
  for (const component of model.commonComponents) {
    let dot = 0;
    for (let index = 0; index < dims; index++) dot += vector[index]! * component[index]!;
    for (let index = 0; index < dims; index++) vector[index]! -= dot * component[index]!;
  }
  const norm = l2(vector);
  if (norm > 0) for (let index = 0; index < dims; index++) vector[index]! /= norm;
  return vector;
}

/** Embeds one text synchronously into a unit vector of `EMBEDDING_DIMENSIONS`. */
export function embedOffline(model: OfflineModel, text: string, options: OfflineEmbedderOptions = {}): number[] {
  const semanticDims = model.semanticDims;
  const lexicalDims = EMBEDDING_DIMENSIONS - semanticDims;
  const tokens = contentTokens(text.length > 100_000 ? text.slice(0, 100_000) : text);
  const lexical = lexicalVector(model, tokens, lexicalDims);
  const semantic = semanticVector(model, tokens);
  const weight = Math.min(1, Math.max(0, options.semanticWeight ?? model.semanticWeight));
  const hasLexical = l2(lexical) > 0;
  const hasSemantic = l2(semantic) > 0;
  const out = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  if (!hasLexical && !hasSemantic) {
    // No usable token: a fixed unit vector (documented above), never a zero vector.
    const empty = new Float64Array(lexicalDims);
    addHashed(empty, "empty:", 1);
    for (let index = 0; index < lexicalDims; index++) out[index] = empty[index]!;
    return out;
  }
  const lexicalScale = hasLexical ? Math.sqrt(1 - weight) : 0;
  const semanticScale = hasSemantic ? Math.sqrt(weight) : 0;
  for (let index = 0; index < lexicalDims; index++) out[index] = lexical[index]! * lexicalScale;
  for (let index = 0; index < semanticDims; index++) out[lexicalDims + index] = semantic[index]! * semanticScale;
  let sum = 0;
  for (const value of out) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm === 0) {
    // weight 0 with only semantic signal (or 1 with only lexical): fall back to whichever block exists.
    const block = hasLexical ? lexical : semantic;
    const offset = hasLexical ? 0 : lexicalDims;
    for (let index = 0; index < block.length; index++) out[offset + index] = block[index]!;
    return out;
  }
  for (let index = 0; index < out.length; index++) out[index]! /= norm;
  return out;
}

export function createOfflineEmbedder(model?: OfflineModel, options: OfflineEmbedderOptions = {}): Embedder {
  const resolved = model ?? loadOfflineModel();
  const weight = options.semanticWeight ?? resolved.semanticWeight;
  const id = options.semanticWeight === undefined ? resolved.id : `${resolved.id}+w${weight}`;
  return {
    id,
    dimensions: EMBEDDING_DIMENSIONS,
    async embed(texts: string[]) {
      return texts.map((text) => embedOffline(resolved, text, options));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Model file
// ---------------------------------------------------------------------------------------------------------

export function parseOfflineModel(file: OfflineModelFile): OfflineModel {
  if (file.format !== "shopdesk-offline-embeddings/1") throw new Error(`Unknown offline model format: ${file.format}`);
  const idfWords = file.idfWords.length > 0 ? file.idfWords.split(" ") : [];
  const idfBytes = Buffer.from(file.idf, "base64");
  const idf = new Map<string, number>();
  idfWords.forEach((word, index) => {
    idf.set(word, (idfBytes[index] ?? 0) / file.idfScale);
  });
  const dims = file.semanticDims;
  const raw = Buffer.from(file.vectors, "base64");
  const quantized = new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  const vectors = new Float32Array(file.vectorWords * dims);
  const vectorIndex = new Map<string, number>();
  for (let row = 0; row < file.vectorWords; row++) {
    let sum = 0;
    for (let index = 0; index < dims; index++) sum += quantized[row * dims + index]! ** 2;
    const norm = Math.sqrt(sum) || 1;
    for (let index = 0; index < dims; index++) vectors[row * dims + index] = quantized[row * dims + index]! / norm;
    vectorIndex.set(idfWords[row]!, row);
  }
  return {
    id: file.id,
    semanticDims: dims,
    semanticWeight: file.semanticWeight,
    lexical: file.lexical,
    defaultIdf: file.defaultIdf,
    idf,
    vectorIndex,
    vectors,
    commonComponents: file.commonComponents.map((component) => Float64Array.from(component)),
  };
}

/** Where the committed model file is: next to this module, or (server build in build/) under app/ from the cwd. */
export function offlineModelPath(): string {
  const candidates: string[] = [];
  try {
    candidates.push(fileURLToPath(new URL(`./${OFFLINE_MODEL_FILE}`, import.meta.url)));
  } catch {
    // import.meta.url is not a file: URL (bundled); use the cwd fallback.
  }
  candidates.push(path.resolve(process.cwd(), "app/modules/knowledge/embeddings", OFFLINE_MODEL_FILE));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      `Offline embedding model not found (looked in ${candidates.join(", ")}). Run: node --import tsx/esm scripts/train-embeddings.ts`,
    );
  }
  return found;
}

let cachedModel: OfflineModel | undefined;

/** Reads and caches the committed model file (synchronous: ~2 MB, read once). */
export function loadOfflineModel(): OfflineModel {
  if (!cachedModel) {
    cachedModel = parseOfflineModel(JSON.parse(readFileSync(offlineModelPath(), "utf8")) as OfflineModelFile);
  }
  return cachedModel;
}
