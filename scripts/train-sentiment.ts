/**
 * Trains the offline sentiment model (app/modules/assistant/nlu/sentiment-model.json).
 *
 *   node --import tsx/esm scripts/train-sentiment.ts        (npm run train:sentiment)
 *   node --import tsx/esm scripts/train-sentiment.ts --cv   (5-fold cross-validation on the training part only)
 *
 * Data (datasets folder: SHOPDESK_DATASETS_DIR or ../shared/datasets):
 *   - sentiment-uci-labelled-sentences/sentences.csv: 3,000 review sentences (Amazon, Yelp, IMDb), 0/1,
 *     CC BY 4.0 (Kotzias et al., KDD 2015). About 20% is held out (isHeldOut, by a hash of the sentence)
 *     and only used for the reported accuracy, here and in tests/unit/sentiment.test.ts.
 *   - scripts/training/extra-sentiment.csv: hand-written support-chat messages. "neutral" rows are trained
 *     towards 0.5 so that factual questions ("where is my order") carry no sentiment; reviews have no neutral class.
 *   - scripts/training-data/sentiment-{fr,de,es}.txt: hand-written French, German and Spanish templates × slot
 *     fillers (negative, positive), plus neutral questions sampled from the intent templates (intents-*.txt).
 *     Texts equal to tests/data/sentiment-multilingual.json (the evaluation set) are dropped; its 3-way accuracy
 *     is printed after training.
 *
 * Logistic regression, AdaGrad, fixed seed and epochs (byte-identical output).
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { mulberry32 } from "../app/lib/random";
import {
  SENTIMENT_MODEL_FILE,
  type SentimentModelFile,
  decodeSentimentModel,
  positiveProbability,
  scoreSentiment,
  sentimentFeatures,
  sentimentTokens,
} from "../app/modules/assistant/nlu/sentiment";
import { type EvalExample, expandTemplate, parseTemplateFile } from "./train-intents";

const SEED = 20_240_612;
const EPOCHS = 8;
const LEARNING_RATE = 0.4;
const L2 = 1e-4;
/** Texts a feature must occur in: words once, word pairs twice (rare pairs are mostly noise and bulk). */
const MIN_COUNT = { word: 1, pair: 2 };
const HELD_OUT_PERCENT = 20;
const TARGETS: Record<string, number> = { negative: 0, neutral: 0.5, positive: 1 };
export const EXTRA_SENTIMENT_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "training/extra-sentiment.csv");
const TRAINING_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "training-data");
export const MULTILINGUAL_SENTIMENT_SET = "tests/data/sentiment-multilingual.json";
const TEMPLATE_LANGUAGES = ["fr", "de", "es"];
/** Rows generated per template (negative and positive sections). */
const ROWS_PER_TEMPLATE = 24;
/**
 * Intent sections whose templates are neutral questions or requests, and how many rows each gives. Not
 * track_order: "still not arrived" is mildly negative, and frustration should rise with it.
 */
const NEUTRAL_INTENTS = [
  "cancel_order", "change_shipping_address", "check_refund_policy", "check_cancellation_fee", "check_payment_methods",
  "delivery_period", "delivery_options", "product_question", "greeting",
];
const NEUTRAL_ROWS_PER_INTENT = 24;

/** French, German and Spanish rows from the hand-written templates (seeded, so the output is reproducible). */
export function templateSentimentRows(): { text: string; label: string }[] {
  const rng = mulberry32(SEED + 1);
  const rows: { text: string; label: string }[] = [];
  for (const language of TEMPLATE_LANGUAGES) {
    const own = parseTemplateFile(readFileSync(path.join(TRAINING_DATA_DIR, `sentiment-${language}.txt`), "utf8"), `sentiment-${language}.txt`);
    for (const [label, templates] of own.sections) {
      if (TARGETS[label] === undefined) throw new Error(`sentiment-${language}.txt: unknown label "${label}"`);
      for (const template of templates) for (const text of expandTemplate(template, own.slots, ROWS_PER_TEMPLATE, rng)) rows.push({ text, label });
    }
    const intents = parseTemplateFile(readFileSync(path.join(TRAINING_DATA_DIR, `intents-${language}.txt`), "utf8"), `intents-${language}.txt`);
    for (const intent of NEUTRAL_INTENTS) {
      const templates = intents.sections.get(intent) ?? [];
      const perTemplate = Math.ceil(NEUTRAL_ROWS_PER_INTENT / Math.max(1, templates.length));
      for (const template of templates) for (const text of expandTemplate(template, intents.slots, perTemplate, rng)) rows.push({ text, label: "neutral" });
    }
  }
  return rows;
}

export function readMultilingualSentimentSet(): (Omit<EvalExample, "intent"> & { label: string })[] {
  return (JSON.parse(readFileSync(path.resolve(process.cwd(), MULTILINGUAL_SENTIMENT_SET), "utf8")) as { examples: (Omit<EvalExample, "intent"> & { label: string })[] }).examples;
}

export const datasetsDir = () => process.env.SHOPDESK_DATASETS_DIR ?? path.resolve(process.cwd(), "../shared/datasets");
export const sentencesFile = () => path.join(datasetsDir(), "sentiment-uci-labelled-sentences/sentences.csv");

export interface LabelledSentence {
  source: string;
  sentence: string;
  label: 0 | 1;
}

export function readSentences(file = sentencesFile()): LabelledSentence[] {
  const rows = parse(readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((row) => ({ source: row.source ?? "", sentence: row.sentence ?? "", label: row.label === "1" ? 1 : 0 }));
}

/** The held-out split: decided by the normalised sentence alone, so duplicates never straddle the split. */
export function isHeldOut(sentence: string): boolean {
  const key = sentence.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  return createHash("sha256").update(key).digest().readUInt32BE(0) % 100 < HELD_OUT_PERCENT;
}

interface Example {
  text: string;
  target: number;
}

function train(examples: Example[]): SentimentModelFile {
  const df = new Map<string, number>();
  for (const example of examples) for (const name of sentimentFeatures(example.text)) df.set(name, (df.get(name) ?? 0) + 1);
  const vocab = [...df.entries()]
    .filter(([name, count]) => count >= (name.includes("_") ? MIN_COUNT.pair : MIN_COUNT.word))
    .map(([name]) => name)
    .sort();
  const index = new Map(vocab.map((name, i) => [name, i]));
  const vectors = examples.map((example) => {
    const ids = sentimentFeatures(example.text).flatMap((name) => index.get(name) ?? []);
    // Scaled by the text's feature count (known or not), exactly as positiveProbability does at run time.
    return { ids, value: 1 / Math.sqrt(Math.max(1, sentimentFeatures(example.text).length)) };
  });
  const weights = new Float64Array(vocab.length);
  const accum = new Float64Array(vocab.length);
  let bias = 0;
  let biasAccum = 0;
  const rng = mulberry32(SEED);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const { ids, value } = vectors[k]!;
      let z = bias;
      for (const id of ids) z += weights[id]! * value;
      const error = 1 / (1 + Math.exp(-z)) - examples[k]!.target;
      biasAccum += error * error;
      bias -= (LEARNING_RATE * error) / Math.sqrt(biasAccum + 1e-8);
      for (const id of ids) {
        const g = error * value + L2 * weights[id]!;
        accum[id]! += g * g;
        weights[id]! -= (LEARNING_RATE * g) / Math.sqrt(accum[id]! + 1e-8);
      }
    }
  }
  // Drop features the model learnt (almost) nothing for, to keep the committed file small.
  const kept = vocab.map((name, i) => ({ name, weight: Number(weights[i]!.toPrecision(4)) })).filter(({ weight }) => Math.abs(weight) >= 0.01);
  return {
    version: 1,
    vocab: kept.map(({ name }) => name).join(" "),
    weights: kept.map(({ weight }) => weight),
    bias: Number(bias.toPrecision(6)),
    meta: {
      trainer: "scripts/train-sentiment.ts",
      model: "logistic regression, AdaGrad, word unigrams + bigrams with negation marking",
      data: "UCI Sentiment Labelled Sentences (CC BY 4.0, Kotzias et al. 2015), held-out 20% excluded; scripts/training/extra-sentiment.csv; scripts/training-data/sentiment-{fr,de,es}.txt and neutral rows from intents-{fr,de,es}.txt",
      seed: SEED,
      epochs: EPOCHS,
      examples: examples.length,
      features: kept.length,
    },
  };
}

export function accuracy(file: SentimentModelFile, rows: LabelledSentence[]): number {
  const model = decodeSentimentModel(file);
  const right = rows.filter((row) => (positiveProbability(row.sentence, model) >= 0.5 ? 1 : 0) === row.label).length;
  return right / rows.length;
}

function main() {
  const sentences = readSentences();
  const trainPart = sentences.filter((row) => !isHeldOut(row.sentence));
  const heldOut = sentences.filter((row) => isHeldOut(row.sentence));
  const extra = (parse(readFileSync(EXTRA_SENTIMENT_FILE, "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[]).map((row) => {
    const target = TARGETS[row.label ?? ""];
    if (target === undefined) throw new Error(`extra-sentiment.csv: unknown label "${row.label}"`);
    return { text: row.text ?? "", target };
  });
  const evalKeys = new Set(readMultilingualSentimentSet().map((row) => sentimentTokens(row.text).join(" ")));
  const templated = templateSentimentRows()
    .filter((row) => !evalKeys.has(sentimentTokens(row.text).join(" ")))
    .map((row) => ({ text: row.text, target: TARGETS[row.label]! }));
  extra.push(...templated);
  const toExample = (row: LabelledSentence): Example => ({ text: row.sentence, target: row.label });

  if (process.argv.includes("--cv")) {
    const folds = 5;
    const scores: number[] = [];
    for (let fold = 0; fold < folds; fold++) {
      const test = trainPart.filter((_, i) => i % folds === fold);
      const rest = trainPart.filter((_, i) => i % folds !== fold);
      scores.push(accuracy(train([...rest.map(toExample), ...extra]), test));
    }
    console.log(`5-fold CV accuracy on the training part: ${scores.map((s) => s.toFixed(3)).join(" ")} (mean ${(scores.reduce((a, b) => a + b, 0) / folds).toFixed(4)})`);
    return;
  }

  const file = train([...trainPart.map(toExample), ...extra]);
  const json = `${JSON.stringify(file)}\n`;
  const outFile = path.resolve(process.cwd(), "app/modules/assistant/nlu", SENTIMENT_MODEL_FILE);
  writeFileSync(outFile, json);
  console.log(`training: ${trainPart.length} sentences + ${extra.length} support rows (${templated.length} from fr/de/es templates); held out: ${heldOut.length}`);
  console.log(`wrote ${path.relative(process.cwd(), outFile)} (${(Buffer.byteLength(json) / 1024).toFixed(0)} KB, ${file.weights.length} features)`);
  console.log(`held-out accuracy: ${(accuracy(file, heldOut) * 100).toFixed(2)}% (${heldOut.length} sentences)`);
  for (const source of ["amazon", "yelp", "imdb"]) {
    const part = heldOut.filter((row) => row.source === source);
    console.log(`  ${source}: ${(accuracy(file, part) * 100).toFixed(2)}% (${part.length})`);
  }
  const model = decodeSentimentModel(file);
  const multilingual = readMultilingualSentimentSet();
  for (const language of TEMPLATE_LANGUAGES) {
    const rows = multilingual.filter((row) => row.lang === language);
    const right = rows.filter((row) => scoreSentiment(row.text, [], model).label === row.label).length;
    console.log(`${MULTILINGUAL_SENTIMENT_SET} ${language}: ${right}/${rows.length} labels right`);
    for (const row of rows) {
      const got = scoreSentiment(row.text, [], model);
      if (got.label !== row.label) console.log(`  miss: "${row.text}" gold=${row.label} got=${got.label} (${got.score})`);
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
