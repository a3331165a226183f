/**
 * Offline intent classifier for the assistant's NLU, for English, French, German and Spanish messages.
 *
 * A multinomial logistic-regression (softmax) model over sparse text features of the accent-folded,
 * lower-cased words: word unigrams and bigrams, character 3–5-grams of each word (with boundary markers),
 * and cross-lingual concepts. A concept ("refund", "cancel", "fee"…) is shared by the English, French,
 * German and Spanish words for it (`remboursement`, `Rückerstattung`, `reembolso`), so what the model
 * learns from the large English training set carries over to the other languages; concept pairs
 * ("fee" then "cancel") carry some of the sentence's structure. Numbers, order ids, e-mails, URLs and
 * `{{placeholders}}` become placeholder tokens so that they never decide the label. Weights and the
 * concept lexicon are written by `scripts/train-intents.ts` into `intent-model.json` next to this module
 * (int8 per-class quantised, vocabulary as one string).
 */
import { readCommittedModel } from "./model-file";

export const INTENT_MODEL_FILE = "intent-model.json";

/** Serialised form of the model (what `intent-model.json` contains). */
export interface IntentModelFile {
  version: 2;
  labels: string[];
  /** Feature names separated by single spaces; position = feature index. */
  vocab: string;
  /** Per-class bias (float). */
  bias: number[];
  /** Per-class dequantisation scale: weight = int8 * scale. */
  scales: number[];
  /** Base64 of an Int8Array laid out feature-major: index = feature * labels.length + class. */
  weights: string;
  /** Concept → its words, space-separated, in the lexicon syntax (see `parseLexicon`). */
  lexicon: Record<string, string>;
  meta?: Record<string, unknown>;
}

/** Word → concepts, compiled for lookup. */
export interface ConceptLexicon {
  /** Whole words as written (accents kept). */
  raw: Map<string, string[]>;
  /** Whole accent-folded words. */
  exact: Map<string, string[]>;
  prefix: Map<string, string[]>;
  suffix: Map<string, string[]>;
  infix: Map<string, string[]>;
  /** Lengths present among the infix keys (the only substring lengths worth looking up). */
  infixLengths: number[];
  maxAffix: number;
  /** Concepts already worked out per word (raw + folded): shoppers reuse the same few thousand words. */
  cache: Map<string, string[]>;
}

export interface IntentModel {
  labels: string[];
  index: Map<string, number>;
  bias: Float64Array;
  scales: Float64Array;
  weights: Int8Array;
  lexicon: ConceptLexicon;
}

export interface IntentRanking {
  intent: string;
  score: number;
}

export interface IntentResult {
  intent: string;
  confidence: number;
  ranking: IntentRanking[];
}

export const FALLBACK_INTENT = "other";

const MAX_INPUT_CHARS = 2000;
const MAX_TOKENS = 200;
/** Shortest prefix, suffix or infix key: shorter ones would match unrelated words. */
const MIN_AFFIX = 3;

/** Lower-case without accents: "Rückgabe" → "ruckgabe", "où" → "ou", "Größe" → "grosse". */
export function foldAccents(word: string): string {
  return word.normalize("NFKD").replace(/\p{M}+/gu, "").replace(/ß/g, "ss").replace(/œ/g, "oe").replace(/æ/g, "ae");
}

/**
 * Lower-cased words with accents kept, volatile values replaced by placeholder tokens. French elisions are
 * split ("j'annule" → "je annule", "l'adresse" → "le adresse"); other apostrophes are dropped ("can't" → "cant").
 */
export function rawTokens(text: string): string[] {
  if (typeof text !== "string" || text.length === 0) return [];
  let s = text.slice(0, MAX_INPUT_CHARS).normalize("NFKC").toLowerCase();
  s = s.replace(/\{\{[^}]*\}\}/g, " zslot ");
  s = s.replace(/\b(?:https?:\/\/|www\.)\S+/g, " zurl ");
  s = s.replace(/[^\s@]+@[^\s@]+\.[^\s@]+/g, " zemail ");
  s = s.replace(/(?<![\p{L}\p{N}])(qu|[cdjlmnst])['’](?=\p{L})/gu, "$1e ");
  s = s.replace(/['’`]/g, "");
  // Any token containing a digit (order ids, amounts, dates, postcodes…) becomes one placeholder.
  s = s.replace(/[#$€£]?[\p{L}\p{N}]*\p{N}[\p{L}\p{N}.,/-]*/gu, " znum ");
  const tokens = s.split(/[^\p{L}\p{N}]+/u).filter((token) => token.length > 0);
  return tokens.length > MAX_TOKENS ? tokens.slice(0, MAX_TOKENS) : tokens;
}

/** The words the model reads: `rawTokens`, accent-folded. */
export function tokenize(text: string): string[] {
  return rawTokens(text).map(foldAccents);
}

const PLACEHOLDERS = new Set(["zslot", "zurl", "zemail", "znum"]);

/**
 * Compiles a lexicon (concept → words). Word syntax: `word` the whole word, `word*` words starting with it,
 * `*word` words ending with it, `*word*` words containing it, `=wörd` the whole word with its accents.
 * Words are accent-folded except `=` ones.
 */
export function parseLexicon(source: Record<string, string>): ConceptLexicon {
  const lexicon: ConceptLexicon = {
    raw: new Map(),
    exact: new Map(),
    prefix: new Map(),
    suffix: new Map(),
    infix: new Map(),
    infixLengths: [],
    maxAffix: 0,
    cache: new Map(),
  };
  const add = (map: Map<string, string[]>, key: string, concept: string) => {
    const concepts = map.get(key) ?? [];
    if (!concepts.includes(concept)) concepts.push(concept);
    map.set(key, concepts);
  };
  for (const [concept, words] of Object.entries(source)) {
    for (const entry of words.split(/\s+/).filter(Boolean)) {
      if (entry.startsWith("=")) {
        add(lexicon.raw, entry.slice(1).normalize("NFKC").toLowerCase(), concept);
        continue;
      }
      const starts = entry.startsWith("*");
      const ends = entry.endsWith("*");
      const word = foldAccents(entry.replace(/^\*|\*$/g, "").normalize("NFKC").toLowerCase());
      if (!word) continue;
      if (!starts && !ends) {
        add(lexicon.exact, word, concept);
        continue;
      }
      if (word.length < MIN_AFFIX) throw new Error(`intent lexicon: "${entry}" is too short for a partial match`);
      lexicon.maxAffix = Math.max(lexicon.maxAffix, word.length);
      add(starts && ends ? lexicon.infix : starts ? lexicon.suffix : lexicon.prefix, word, concept);
    }
  }
  lexicon.infixLengths = [...new Set([...lexicon.infix.keys()].map((key) => key.length))].sort((a, b) => a - b);
  return lexicon;
}

/** Bound on the per-lexicon word cache (it is cleared when full). */
const CONCEPT_CACHE_SIZE = 20_000;

/** The concepts of one word (raw = as written, folded = accent-folded), without duplicates. */
export function conceptsOf(raw: string, folded: string, lexicon: ConceptLexicon): string[] {
  const key = raw === folded ? raw : `${raw} ${folded}`;
  const cached = lexicon.cache.get(key);
  if (cached) return cached;
  const found = findConcepts(raw, folded, lexicon);
  if (lexicon.cache.size >= CONCEPT_CACHE_SIZE) lexicon.cache.clear();
  lexicon.cache.set(key, found);
  return found;
}

function findConcepts(raw: string, folded: string, lexicon: ConceptLexicon): string[] {
  const found: string[] = [];
  const collect = (concepts: string[] | undefined) => {
    if (concepts) for (const concept of concepts) if (!found.includes(concept)) found.push(concept);
  };
  collect(lexicon.raw.get(raw));
  collect(lexicon.exact.get(folded));
  const longest = Math.min(folded.length, lexicon.maxAffix);
  for (let n = MIN_AFFIX; n <= longest; n++) {
    collect(lexicon.prefix.get(folded.slice(0, n)));
    collect(lexicon.suffix.get(folded.slice(folded.length - n)));
  }
  for (const n of lexicon.infixLengths) {
    for (let start = 0; start + n <= folded.length; start++) collect(lexicon.infix.get(folded.slice(start, start + n)));
  }
  return found;
}

const EMPTY_LEXICON = parseLexicon({});

/** Sparse feature names for a text (duplicates kept: the caller counts them). */
export function featureNames(text: string, lexicon: ConceptLexicon = EMPTY_LEXICON): string[] {
  const raw = rawTokens(text);
  const tokens = raw.map(foldAccents);
  const features: string[] = [];
  let previousConcepts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    features.push(`w:${token}`);
    features.push(`b:${i === 0 ? "^" : tokens[i - 1]!}_${token}`);
    if (PLACEHOLDERS.has(token)) continue;
    const padded = `<${token}>`;
    for (let n = 3; n <= 5; n++) {
      for (let start = 0; start + n <= padded.length; start++) features.push(`c:${padded.slice(start, start + n)}`);
    }
    const concepts = conceptsOf(raw[i]!, token, lexicon);
    if (concepts.length === 0) continue;
    // Pairs of concepts in reading order, skipping the words that have none (word order and function
    // words differ between languages; the order of the meaningful words mostly does not).
    for (const concept of concepts) {
      features.push(`k:${concept}`);
      for (const before of previousConcepts) features.push(`q:${before}_${concept}`);
    }
    previousConcepts = concepts;
  }
  if (tokens.length > 0) features.push(`b:${tokens[tokens.length - 1]!}_$`);
  return features;
}

/** Feature indices with L2-normalised values (log-scaled counts); unknown features are dropped. */
export function vectorize(
  text: string,
  lookup: (feature: string) => number | undefined,
  lexicon: ConceptLexicon = EMPTY_LEXICON,
): { ids: number[]; values: number[] } {
  const counts = new Map<number, number>();
  for (const name of featureNames(text, lexicon)) {
    const id = lookup(name);
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const ids: number[] = [];
  const values: number[] = [];
  let norm = 0;
  for (const [id, count] of counts) {
    const value = 1 + Math.log(count);
    ids.push(id);
    values.push(value);
    norm += value * value;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < values.length; i++) values[i]! *= inv;
  }
  return { ids, values };
}

export function decodeIntentModel(file: IntentModelFile): IntentModel {
  const index = new Map<string, number>();
  const names = file.vocab.length > 0 ? file.vocab.split(" ") : [];
  for (const [i, name] of names.entries()) index.set(name, i);
  const bytes = Buffer.from(file.weights, "base64");
  const weights = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (weights.length !== names.length * file.labels.length) {
    throw new Error(`intent model: expected ${names.length * file.labels.length} weights, got ${weights.length}`);
  }
  return {
    labels: file.labels,
    index,
    bias: Float64Array.from(file.bias),
    scales: Float64Array.from(file.scales),
    weights,
    lexicon: parseLexicon(file.lexicon ?? {}),
  };
}

let cached: IntentModel | undefined;

/** Loads (once) and returns the committed intent model. */
export function loadIntentModel(): IntentModel {
  if (!cached) cached = decodeIntentModel(JSON.parse(readCommittedModel(INTENT_MODEL_FILE)) as IntentModelFile);
  return cached;
}

/** Softmax over raw class scores, in place-safe form (returns a new array). */
export function softmax(scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i]!);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    out[i] = Math.exp(scores[i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** Classifies a customer message. Deterministic; never throws; empty/unknown input → `other`. */
export function classifyIntent(text: string, model: IntentModel = loadIntentModel()): IntentResult {
  const classes = model.labels.length;
  const { ids, values } = vectorize(typeof text === "string" ? text : "", (name) => model.index.get(name), model.lexicon);
  if (ids.length === 0) {
    // Nothing recognisable: answer `other` with the lowest possible (uniform) confidence.
    const uniform = classes > 0 ? 1 / classes : 0;
    const rest = model.labels.filter((label) => label !== FALLBACK_INTENT);
    return {
      intent: FALLBACK_INTENT,
      confidence: uniform,
      ranking: [FALLBACK_INTENT, ...rest].map((intent) => ({ intent, score: uniform })),
    };
  }
  const raw = new Float64Array(classes);
  for (let i = 0; i < ids.length; i++) {
    const base = ids[i]! * classes;
    const value = values[i]!;
    for (let c = 0; c < classes; c++) raw[c]! += model.weights[base + c]! * value;
  }
  for (let c = 0; c < classes; c++) raw[c] = raw[c]! * model.scales[c]! + model.bias[c]!;
  const probabilities = softmax(raw);
  const ranking = model.labels
    .map((intent, c) => ({ intent, score: probabilities[c]! }))
    .sort((a, b) => b.score - a.score || (a.intent < b.intent ? -1 : 1));
  const top = ranking[0]!;
  return { intent: top.intent, confidence: top.score, ranking };
}
