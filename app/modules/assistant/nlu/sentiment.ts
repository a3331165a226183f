/**
 * Sentiment and frustration of a shopper's message.
 *
 * Sentiment: logistic regression over accent-folded word unigrams and bigrams (words after a negation are
 * marked, so "not good" and "good" differ), trained by `scripts/train-sentiment.ts` on the UCI "Sentiment
 * Labelled Sentences" (CC BY 4.0) plus hand-written support-chat rows in English, French, German and
 * Spanish, and committed as `sentiment-model.json`.
 *
 * Frustration (0..1) is what decides a hand-off, so it goes beyond sentiment: a noisy-OR of negative
 * sentiment and support-specific cues (shouting, "!!!"/"???", swearing, phrases like "still waiting" or
 * "useless bot", and the shopper repeating an earlier message or having been upset a turn ago).
 *
 * Abusive (en, fr, de, es): insults or profanity aimed at the assistant or the team ("you idiot", "fuck
 * off", "connard", "du Vollidiot", "bot de mierda"). Swearing about the situation ("where is my fucking
 * parcel", "putain, toujours rien") or calling oneself names ("I'm an idiot, wrong address") is frustration,
 * not abuse. It is a separate signal so that the reply can de-escalate (calm, no repeated apology loop)
 * without treating every frustrated shopper as abusive.
 */
import { readCommittedModel } from "./model-file";

export const SENTIMENT_MODEL_FILE = "sentiment-model.json";

export interface SentimentModelFile {
  version: 1;
  /** Feature names separated by single spaces; position = index in `weights`. */
  vocab: string;
  weights: number[];
  bias: number;
  meta?: Record<string, unknown>;
}

export interface SentimentModel {
  weights: Map<string, number>;
  bias: number;
}

export type SentimentLabel = "negative" | "neutral" | "positive";

export interface SentimentResult {
  /** -1 (very negative) .. 1 (very positive). */
  score: number;
  label: SentimentLabel;
  /** 0 (calm) .. 1 (clearly angry or fed up). */
  frustration: number;
  /** Insults or profanity aimed at the assistant or the team (not swearing about the situation). */
  abusive: boolean;
}

const MAX_INPUT_CHARS = 2000;
/**
 * |score| below this is neutral. The model only knows positive vs negative reviews; on unseen factual
 * support questions ("what's your return policy?") it wanders up to about ±0.4.
 */
const NEUTRAL_BAND = 0.4;

const NEGATIONS = new Set([
  "not", "no", "never", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "cant", "cannot", "couldnt", "wont", "wouldnt",
  "shouldnt", "havent", "hasnt", "hadnt", "nothing", "nobody", "none", "neither", "nor", "without", "aint",
  // fr ("ne … pas" marks from "ne"), de, es
  "ne", "pas", "jamais", "rien", "aucun", "aucune", "sans", "nicht", "kein", "keine", "keinen", "keiner", "nie", "niemals", "nichts", "ohne",
  "nunca", "nada", "ningun", "ninguna", "ninguno", "tampoco", "sin",
]);

/**
 * Lower-cased, accent-folded words (apostrophes dropped: "don't" → "dont"; French elisions split: "n'est" →
 * "ne est"); words after a negation, up to punctuation, get "!" prefixed.
 */
export function sentimentTokens(text: string): string[] {
  const tokens: string[] = [];
  let negated = false;
  const s = text
    .slice(0, MAX_INPUT_CHARS)
    .normalize("NFKC")
    .toLowerCase()
    .replace(/(?<![\p{L}\p{N}])(qu|[cdjlmnst])['’](?=\p{L})/gu, "$1e ")
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/ß/g, "ss")
    .replace(/['’`]/g, "");
  for (const match of s.matchAll(/\p{L}+|\p{N}+|[.,;:!?]+/gu)) {
    const token = match[0];
    if (/^[.,;:!?]/.test(token)) {
      negated = false;
      continue;
    }
    const word = /^\p{N}/u.test(token) ? "0" : token;
    tokens.push(negated ? `!${word}` : word);
    if (NEGATIONS.has(word)) negated = true;
  }
  return tokens;
}

/** Unique feature names: unigrams and bigrams (with sentence start). */
export function sentimentFeatures(text: string): string[] {
  const tokens = sentimentTokens(text);
  const features = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    features.add(tokens[i]!);
    features.add(`${i === 0 ? "^" : tokens[i - 1]!}_${tokens[i]!}`);
  }
  return [...features];
}

export function decodeSentimentModel(file: SentimentModelFile): SentimentModel {
  const names = file.vocab.length > 0 ? file.vocab.split(" ") : [];
  if (names.length !== file.weights.length) throw new Error(`sentiment model: ${names.length} features but ${file.weights.length} weights`);
  return { weights: new Map(names.map((name, i) => [name, file.weights[i]!])), bias: file.bias };
}

let cached: SentimentModel | undefined;

/** Loads (once) and returns the committed sentiment model. */
export function loadSentimentModel(): SentimentModel {
  if (!cached) cached = decodeSentimentModel(JSON.parse(readCommittedModel(SENTIMENT_MODEL_FILE)) as SentimentModelFile);
  return cached;
}

/** P(positive) for a text; features are binary and scaled by 1/√n like in training. */
export function positiveProbability(text: string, model: SentimentModel = loadSentimentModel()): number {
  const features = sentimentFeatures(text);
  let z = model.bias;
  if (features.length > 0) {
    const scale = 1 / Math.sqrt(features.length);
    for (const name of features) z += (model.weights.get(name) ?? 0) * scale;
  }
  return 1 / (1 + Math.exp(-z));
}

// ----------------------------------------------------------------------------------------------------
// Frustration cues
// ----------------------------------------------------------------------------------------------------

/** Swear words and insults (en, fr, de, es, it, pt, nl) as whole words, with common endings ("fucking", "scammers"). */
const SWEARING =
  /(?<!\p{L})(?:fuck|f\*+k|f\*+|shit|shitty|sh\*t|crap|crappy|damn|bullshit|wtf|wth|ffs|bloody|bastard|idiot|stupid|scam|scammer|merde|putain|bordel|arnaque|scheiße|scheiss|mist|verdammt|mierda|joder|estafa|cazzo|merda|vaffanculo|truffa|porra|caralho|kut|klote|oplichter|godverdomme)(?:s|ed|ing|in)?(?!\p{L})/iu;

/** Phrases shoppers use when fed up with waiting, repeating themselves or the bot. */
const FRUSTRATION_PHRASES = [
  /\bstill (?:waiting|nothing|no (?:answer|reply|response|refund|update))\b/i,
  /\b(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time\b/i,
  /\b(?:how many times|again and again|over and over|(?:i(?:'ve| have))? already (?:told|asked|explained|sent))\b/i,
  /\b(?:ridiculous|unacceptable|outrageous|disgrace(?:ful)?|pathetic|joke|nightmare|worst|horrible|terrible|awful)\b/i,
  /\b(?:useless|stupid|dumb|pointless) (?:bot|chat|robot|ai|assistant|service|company|shop|store)\b/i,
  /\b(?:i want|give me|i need) my money back\b/i,
  /\b(?:nobody|no one|noone) (?:answers|answered|replies|replied|responds|responded|helps|is answering|is helping|cares)\b/i,
  /\b(?:fed up|sick (?:and tired )?of|had enough|done with you|never (?:again|order(?:ing)? again|buying))\b/i,
  /\b(?:waste of (?:time|money)|not (?:helpful|helping)|doesn't help|you're not listening)\b/i,
  /\b(?:chargeback|dispute (?:the|this) (?:charge|payment)|lawyer|report you|bad review)\b/i,
  /\b(?:weeks?|months?) (?:and|now|already)\b.*\b(?:nothing|no (?:order|package|parcel|refund|answer|reply))\b/i,
  /\b(?:toujours rien|toujours pas|inadmissible|inacceptable|ras le bol|c'est une blague|immer noch nicht|unverschämt|frechheit|sigo esperando|inaceptable|ancora niente|inaccettabile|vergognoso|ainda nada|inaceitável|absurdo|nog steeds niets|belachelijk|schandalig)\b/iu,
];

/** Words of 3+ letters in capitals that are not shouting. */
const ACRONYMS = new Set(["UPS", "USPS", "DHL", "FEDEX", "USA", "ASAP", "FAQ", "SKU", "GTX", "UPF", "XXL", "XXS", "ETA", "PDF", "API"]);

const CUE_WEIGHTS = {
  negative: 0.5,
  shouting: 0.55,
  punctuation: 0.45,
  swearing: 0.65,
  phrase: 0.55,
  repeat: 0.35,
  carryOver: 0.5,
} as const;
/** How alike (Jaccard over content words) a message must be to an earlier one to count as asking again. */
const REPEAT_SIMILARITY = 0.5;
const CARRY_OVER_MESSAGES = 2;

/** 1 for mostly-capitals text, partial for two or more shouted words, 0 otherwise. */
function shouting(text: string): number {
  const words = text.match(/\p{L}{3,}/gu) ?? [];
  const shouted = words.filter((word) => word === word.toUpperCase() && word !== word.toLowerCase() && !ACRONYMS.has(word));
  const letters = words.join("").length;
  if (letters >= 8 && shouted.join("").length / letters > 0.6) return 1;
  return shouted.length >= 2 ? 0.6 : 0;
}

function punctuation(text: string): number {
  if (/[!?]{3,}|(?:[!?]\s*){3,}/.test(text)) return 1;
  return /[!?]{2}/.test(text) ? 0.5 : 0;
}

// ----------------------------------------------------------------------------------------------------
// Abuse aimed at the assistant or the team
// ----------------------------------------------------------------------------------------------------

/** Lower-case, accents removed, apostrophes unified: the abuse patterns are written in this form. */
function foldForAbuse(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}+/gu, "").replace(/ß/g, "ss").toLowerCase().replace(/[’`´]/g, "'");
}

const wholeWords = (alternatives: string) => new RegExp(`(?<!\\p{L})(?:${alternatives})(?!\\p{L})`, "u");

/** Insults that are aimed at someone whatever the sentence around them. */
const INSULTS = wholeWords(
  [
    // en
    "assholes?|arseholes?|motherfuck\\w*|cunts?|dickheads?|wankers?|twats?|retards?|son of a bitch|bitch(?:es)?|piece of (?:shit|crap|garbage)|scumbags?",
    "fuck (?:you|u|off|yourself|yourselves)|f\\*+k (?:you|off)|screw (?:you|u)|go (?:to hell|fuck yourself|die)|shut (?:up|the fuck up)|stfu|kys|kill yourself",
    // fr
    "connard|connards|connasse|salope|salopes|salaud|salauds|encule|encules|enculee|fils de pute|pauvre (?:con|conne|type|idiot)|va te faire (?:foutre|voir)|allez vous faire (?:foutre|voir)|ta gueule|ferme[sz]? (?:ta|votre) gueule|nique ta mere|ntm",
    // de
    "arschloch|arschlocher|wichser|hurensohn|hurensohne|fotze|schlampe|missgeburt|spast|spasti|fick (?:dich|euch)|verpiss (?:dich|euch)|halt(?:s|et)? (?:die fresse|das maul|maul|deine fresse)|leck mich|du (?:penner|opfer)",
    // es
    "gilipollas|cabron|cabrona|cabrones|pendejo|pendeja|pendejos|hij[oa] de (?:puta|perra)|hdp|vete a la mierda|iros a la mierda|que te (?:jodan|den)|chinga tu madre|callate|cierra (?:la boca|el pico)|subnormal|mamon",
  ].join("|"),
);

/** Names that are insults when aimed at the one being spoken to (not "I'm an idiot", not "the shoes are useless"). */
const NAMES = {
  en: "idiots?|morons?|stupid|dumb|dumbass|imbeciles?|useless|clowns?|losers?|incompetent|pathetic|braindead|garbage|trash|shit|crap|worthless",
  fr: "idiote?s?|imbeciles?|cons?|conne|debiles?|cretins?|cretine|abrutie?s?|nuls?|nulle|incompetente?s?|bouffons?|guignols?|minables?",
  de: "idiot(?:en)?|vollidiot(?:en)?|dumm|dumme[rn]?|blod|blode[rn]?|doof|trottel|depp|deppen|versager|inkompetent",
  es: "idiotas?|imbeciles?|estupid[oa]s?|inutil(?:es)?|tont[oa]s?|tarad[oa]s?|burr[oa]s?|incompetentes?",
};
const ALL_NAMES = Object.values(NAMES).join("|");
/** Who is spoken to, per language, and what may stand between that and the name ("you're such an idiot"). */
const AIMED = [
  { you: "you|u|you're|youre|you are|u r|ur|are you|you guys are|your bot is", fill: "a |an |such an? |so |really |fucking |bloody |just |", names: NAMES.en },
  { you: "t'es|t es|tu es|vous etes|espece d'|espece de|bande d'|bande de|sale", fill: "un |une |vraiment |trop |completement |", names: NAMES.fr },
  { you: "du bist|bist du|du|ihr seid|seid ihr|sie sind ja|sind sie", fill: "ein |eine |einen |so |total |voll |echt |", names: NAMES.de },
  { you: "eres|sos|es usted|sois|ustedes son", fill: "un |una |unos |unas |muy |tan |", names: NAMES.es },
];
const BOT = "bot|robot|chatbot|assistant|machine|ai|roboter|maschine|maquina|asistente";

/** Second person + name ("you're an idiot", "t'es con", "du bist so dumm", "eres un inutil"), or the assistant called names. */
const AIMED_AT_YOU = [
  ...AIMED.map(({ you, fill, names }) => new RegExp(`(?<!\\p{L})(?:${you})\\s*(?:${fill})(?:${names})(?!\\p{L})`, "u")),
  // "stupid bot", "Scheißbot", "fucking machine"; "bot de merde", "robot inutil", "maquina estupida".
  new RegExp(`(?<!\\p{L})(?:${ALL_NAMES}|fucking|fuckin|shitty|damn|bloody|dummer|blode[rs]?|scheiss)\\s*(?:${BOT})s?(?!\\p{L})`, "u"),
  new RegExp(`(?<!\\p{L})(?:${BOT})s?\\s+(?:de merde|de mierda|del orto|${ALL_NAMES})(?!\\p{L})`, "u"),
];

/** Insults or profanity aimed at the assistant or the team (en, fr, de, es). */
export function isAbusive(text: string): boolean {
  if (typeof text !== "string" || text.length === 0) return false;
  const folded = foldForAbuse(text.slice(0, MAX_INPUT_CHARS)).replace(/\s+/g, " ");
  return INSULTS.test(folded) || AIMED_AT_YOU.some((pattern) => pattern.test(folded));
}

/** Combines independent cues: each of strength s (0..1) and weight w removes w·s of the remaining calm. */
function noisyOr(cues: [strength: number, weight: number][]): number {
  let calm = 1;
  for (const [strength, weight] of cues) calm *= 1 - Math.min(1, Math.max(0, strength)) * weight;
  return 1 - calm;
}

function contentWords(text: string): Set<string> {
  return new Set(sentimentTokens(text).filter((token) => token.length > 2 && token !== "0"));
}

function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Anger the review-trained model cannot see: shouting, swearing and fed-up phrases (0..1). */
function anger(text: string): number {
  const phrases = FRUSTRATION_PHRASES.filter((pattern) => pattern.test(text)).length;
  return noisyOr([
    [shouting(text), CUE_WEIGHTS.shouting],
    [SWEARING.test(text) || isAbusive(text) ? 1 : 0, CUE_WEIGHTS.swearing],
    ...Array.from({ length: phrases }, (): [number, number] => [1, CUE_WEIGHTS.phrase]),
  ]);
}

/** Questions ("can I change the address?") rather than statements; reviews have almost none (25 of 3,000). */
const QUESTION =
  /\?\s*$|^\s*¿|^\s*(?:can|could|would|will|do|does|did|is|are|was|have|has|what|where|when|why|how|which|who|est-ce|pouvez|peut-on|quand|comment|combien|wo|wann|wie|warum|kann|können|gibt es|donde|cuando|como|puedo|pueden)\b/i;
/** The review-trained model is guessing on questions: its score counts this much there. */
const QUESTION_WEIGHT = 0.6;

/** Sentiment score: the model's, pulled towards -1 by anger unless the model finds the text clearly positive ("GREAT, THANKS"). */
function sentimentScore(text: string, model: SentimentModel): { score: number; anger: number } {
  const modelScore = (2 * positiveProbability(text, model) - 1) * (QUESTION.test(text) ? QUESTION_WEIGHT : 1);
  const angry = anger(text);
  return { score: modelScore >= NEUTRAL_BAND ? modelScore : modelScore * (1 - angry) - angry, anger: angry };
}

/** Frustration of one message on its own (no history). */
function messageFrustration(text: string, model: SentimentModel): number {
  const { score, anger: angry } = sentimentScore(text, model);
  return noisyOr([
    [Math.max(0, -score), CUE_WEIGHTS.negative],
    [angry, 1],
    [punctuation(text), CUE_WEIGHTS.punctuation],
  ]);
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Sentiment of `text` and the shopper's frustration, given their earlier messages in the conversation
 * (`history`, oldest first). Deterministic; never throws.
 */
export function scoreSentiment(text: string, history: string[] = [], model: SentimentModel = loadSentimentModel()): SentimentResult {
  const input = typeof text === "string" ? text.slice(0, MAX_INPUT_CHARS) : "";
  const { score } = sentimentScore(input, model);
  const label: SentimentLabel = score <= -NEUTRAL_BAND ? "negative" : score >= NEUTRAL_BAND ? "positive" : "neutral";

  const words = contentWords(input);
  const earlier = history.filter((message) => typeof message === "string").map((message) => message.slice(0, MAX_INPUT_CHARS));
  const repeats = earlier.filter((message) => similarity(words, contentWords(message)) >= REPEAT_SIMILARITY).length;
  // Anger does not vanish in one turn: the last messages' frustration carries over, damped.
  const carryOver = Math.max(0, ...earlier.slice(-CARRY_OVER_MESSAGES).map((message) => messageFrustration(message, model)));

  const frustration = noisyOr([
    [messageFrustration(input, model), 1],
    ...Array.from({ length: repeats }, (): [number, number] => [1, CUE_WEIGHTS.repeat]),
    [carryOver, CUE_WEIGHTS.carryOver],
  ]);
  return { score: round(score), label, frustration: round(frustration), abusive: isAbusive(input) };
}
