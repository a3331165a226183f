import type { KnowledgeMatch } from "~/modules/knowledge";

/**
 * Picks the sentences of a retrieved passage that answer the question, so the offline responder quotes the
 * merchant's own words instead of composing new claims.
 */

const STOPWORDS = new Set(
  "a an the and or but if of to in on at by for with from about as is are was were be been being do does did can could will would should may might must i me my we our you your it its this that these those what which who whom how when where why there here have has had not no yes so than then too very just also any some".split(
    " ",
  ),
);

/** Light stemming: enough that "returns", "returned" and "returning" meet "return". */
function stem(word: string): string {
  return word.replace(/(?:ing|ed|es|s)$/u, "");
}

export function contentWords(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && !STOPWORDS.has(word));
  return new Set(words.map(stem));
}

function plainSentences(markdown: string): string[] {
  const text = markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/^#{1,6}\s+.*$/gm, " ")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/[*_`>|]/g, "")
    .replace(/^\s*[-+]\s+/gm, "")
    .replace(/\s+/g, " ")
    .trim();
  return text
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"“(])/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

export interface PassageExcerpt {
  text: string;
  /** Share of the question's content words the excerpt covers (0..1). */
  coverage: number;
}

/** Up to `maxSentences` sentences of the passage that best cover the question, kept in their original order. */
export function excerptFor(question: string, passage: string, maxSentences = 3, maxChars = 480): PassageExcerpt {
  const wanted = contentWords(question);
  const sentences = plainSentences(passage);
  if (sentences.length === 0) return { text: "", coverage: 0 };
  const scored = sentences.map((sentence, index) => {
    const words = contentWords(sentence);
    let hits = 0;
    for (const word of wanted) if (words.has(word)) hits++;
    return { index, sentence, hits };
  });
  const best = [...scored].sort((a, b) => b.hits - a.hits || a.index - b.index);
  const picked: typeof scored = [];
  let length = 0;
  for (const candidate of best) {
    if (picked.length >= maxSentences) break;
    if (picked.length > 0 && candidate.hits === 0) break;
    if (picked.length > 0 && length + candidate.sentence.length > maxChars) continue;
    picked.push(candidate);
    length += candidate.sentence.length;
  }
  picked.sort((a, b) => a.index - b.index);
  const covered = new Set<string>();
  for (const { sentence } of picked) for (const word of contentWords(sentence)) if (wanted.has(word)) covered.add(word);
  let text = picked.map(({ sentence }) => sentence).join(" ");
  if (text.length > maxChars) text = `${text.slice(0, maxChars - 1).replace(/\s+\S*$/, "")}…`;
  return { text, coverage: wanted.size === 0 ? 0 : covered.size / wanted.size };
}

/** Retrieval scores below this mean "nothing in the knowledge base answers it" (offline embedder, fused score). */
export const MIN_ANSWER_SCORE = 0.35;

export function usableMatches(matches: KnowledgeMatch[], minScore = MIN_ANSWER_SCORE): KnowledgeMatch[] {
  return matches.filter((match) => match.score >= minScore);
}
