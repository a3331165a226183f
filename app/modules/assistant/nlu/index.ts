/**
 * Offline NLU for one shopper message: intent, language, entities and sentiment in one synchronous call
 * (well under a millisecond per typical message once the models are loaded). Everything is deterministic
 * and needs neither the network nor the database.
 */
import { type Entities, type ProductRef, extractEntities } from "./entities";
import { type IntentRanking, classifyIntent } from "./intent-model";
import { SUPPORTED_LANGUAGES, detectLanguage } from "./language";
import { type SentimentResult, scoreSentiment } from "./sentiment";

export { type Amount, type Carrier, type Entities, type EntityContext, type ProductMatch, type ProductRef, type TrackingNumber, extractEntities } from "./entities";
export { type IntentRanking, type IntentResult, classifyIntent } from "./intent-model";
export { DEFAULT_LANGUAGE, type DetectLanguageOptions, type LanguageGuess, SUPPORTED_LANGUAGES, detectLanguage } from "./language";
export { type SentimentLabel, type SentimentResult, scoreSentiment } from "./sentiment";

export interface NluContext {
  /** How the shop writes order names before the number ("#" by default). */
  orderNamePrefix?: string;
  /** The shop's products, for recognising the ones a message mentions. */
  products?: ProductRef[];
  /** The shopper's earlier messages in the conversation, oldest first (raises frustration on repeats). */
  history?: string[];
  /** The shop's languages (e.g. "fr", "pt-BR"): detected in addition to SUPPORTED_LANGUAGES. */
  shopLanguages?: string[];
}

export interface NluResult {
  intent: string;
  confidence: number;
  /** The three most likely intents, best first. */
  ranking: IntentRanking[];
  language: string;
  languageConfidence: number;
  /** False for very short or ambiguous text ("ok", "#1042"): keep the conversation's language then. */
  languageReliable: boolean;
  entities: Entities;
  sentiment: SentimentResult;
}

const RANKING_SIZE = 3;

export function analyzeMessage(text: string, context: NluContext = {}): NluResult {
  const input = typeof text === "string" ? text : "";
  const intent = classifyIntent(input);
  // The shop's languages widen the choice rather than narrow it, so that a message in a language the shop
  // does not serve is still recognised as such.
  const language = detectLanguage(input, { candidates: [...SUPPORTED_LANGUAGES, ...(context.shopLanguages ?? [])] });
  return {
    intent: intent.intent,
    confidence: intent.confidence,
    ranking: intent.ranking.slice(0, RANKING_SIZE),
    language: language.language,
    languageConfidence: language.confidence,
    languageReliable: language.reliable,
    entities: extractEntities(input, { orderNamePrefix: context.orderNamePrefix, products: context.products }),
    sentiment: scoreSentiment(input, context.history ?? []),
  };
}
