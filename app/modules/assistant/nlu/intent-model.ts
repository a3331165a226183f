/**
 * Offline intent classifier for the assistant's NLU.
 *
 * A multinomial logistic-regression (softmax) model over sparse text features: lower-cased word
 * unigrams, word bigrams and character 3–5-grams of each word (with boundary markers). Numbers, order
 * ids, e-mails, URLs and `{{placeholders}}` are replaced by placeholder tokens before featurising so
 * that they never decide the label. Weights are trained by `scripts/train-intents.ts` and committed as
 * `intent-model.json` next to this module (int8 per-class quantised, vocabulary as one string).
 */
import { readCommittedModel } from "./model-file";

export const INTENT_MODEL_FILE = "intent-model.json";

/** Serialised form of the model (what `intent-model.json` contains). */
export interface IntentModelFile {
  version: 1;
  labels: string[];
  /** Feature names separated by single spaces; position = feature index. */
  vocab: string;
  /** Per-class bias (float). */
  bias: number[];
  /** Per-class dequantisation scale: weight = int8 * scale. */
  scales: number[];
  /** Base64 of an Int8Array laid out feature-major: index = feature * labels.length + class. */
  weights: string;
  meta?: Record<string, unknown>;
}

export interface IntentModel {
  labels: string[];
  index: Map<string, number>;
  bias: Float64Array;
  scales: Float64Array;
  weights: Int8Array;
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

/**
 * Lower-cases the text and replaces volatile values with placeholder tokens. Returns word tokens
 * (letters/digits only; apostrophes dropped so "can't" → "cant").
 */
export function tokenize(text: string): string[] {
  if (typeof text !== "string" || text.length === 0) return [];
  let s = text.slice(0, MAX_INPUT_CHARS).normalize("NFKC").toLowerCase();
  s = s.replace(/\{\{[^}]*\}\}/g, " zslot ");
  s = s.replace(/\b(?:https?:\/\/|www\.)\S+/g, " zurl ");
  s = s.replace(/[^\s@]+@[^\s@]+\.[^\s@]+/g, " zemail ");
  s = s.replace(/['’`]/g, "");
  // Any token containing a digit (order ids, amounts, dates, postcodes…) becomes one placeholder.
  s = s.replace(/[#$€£]?[\p{L}\p{N}]*\p{N}[\p{L}\p{N}.,/-]*/gu, " znum ");
  const tokens = s.split(/[^\p{L}\p{N}]+/u).filter((token) => token.length > 0);
  return tokens.length > MAX_TOKENS ? tokens.slice(0, MAX_TOKENS) : tokens;
}

const PLACEHOLDERS = new Set(["zslot", "zurl", "zemail", "znum"]);

/** Sparse feature names for a text (duplicates kept: the caller counts them). */
export function featureNames(text: string): string[] {
  const tokens = tokenize(text);
  const features: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    features.push(`w:${token}`);
    features.push(`b:${i === 0 ? "^" : tokens[i - 1]!}_${token}`);
    if (PLACEHOLDERS.has(token)) continue;
    const padded = `<${token}>`;
    for (let n = 3; n <= 5; n++) {
      for (let start = 0; start + n <= padded.length; start++) features.push(`c:${padded.slice(start, start + n)}`);
    }
  }
  if (tokens.length > 0) features.push(`b:${tokens[tokens.length - 1]!}_$`);
  return features;
}

/** Feature indices with L2-normalised values (log-scaled counts); unknown features are dropped. */
export function vectorize(text: string, lookup: (feature: string) => number | undefined): { ids: number[]; values: number[] } {
  const counts = new Map<number, number>();
  for (const name of featureNames(text)) {
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
  const { ids, values } = vectorize(typeof text === "string" ? text : "", (name) => model.index.get(name));
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
