import { loadOfflineModel, normalizeText, STOPWORDS, stem, words } from "./embeddings/offline";

/**
 * English content terms with how telling each is, for matching a question against sentences: the offline
 * embedder's tokenisation and stemming (so answer selection and retrieval read words alike) and its IDF from
 * the support corpora ("order" 3.4, "refund" 4.3, "Canada" 8.5), with a few stems folded together where the
 * knowledge and the shopper use different words for one thing ("delivery"/"ship", "cancellation"/"cancel").
 */

const FOLDED: [RegExp, string][] = [
  [/^(deliveri|deliver|dispatch|ship)$/, "ship"],
  [/^cancel/, "cancel"],
  [/^refund|^reimburs$/, "refund"],
  [/^exchang/, "exchang"],
  [/^warranti|^guarante/, "warranti"],
  [/^(parcel|packag|box)$/, "parcel"],
  [/^(item|product|good|articl)$/, "item"],
  [/^(cost|price|pric|fee|charg|rate)$/, "cost"],
  [/^(phon|telephon|call)$/, "phon"],
  [/^(e|email)$/, "email"],
  [/^(shoe|footwear|boot)$/, "footwear"],
  [/^(expir|expiri)$/, "expir"],
  [/^(accept|take)$/, "accept"],
  [/^(sign|signatur)$/, "sign"],
  [/^(pay|paid)$/, "pay"],
];

function fold(term: string): string {
  for (const [pattern, folded] of FOLDED) if (pattern.test(term)) return folded;
  return term;
}

/** Content terms of a text (stop words dropped, stemmed, folded), in order, duplicates kept. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const word of words(normalizeText(text))) {
    if (STOPWORDS.has(word) || word.length < 2) continue;
    out.push(fold(stem(word)));
  }
  return out;
}

const MIN_WEIGHT = 1;
const MAX_WEIGHT = 9;

/** How telling a term is (the embedder's IDF, clamped so an unknown brand name does not outweigh everything). */
export function termWeight(term: string): number {
  const model = loadOfflineModel();
  const idf = model.idf.get(term) ?? model.defaultIdf;
  return Math.min(MAX_WEIGHT, Math.max(MIN_WEIGHT, idf));
}
