import type { KnowledgeMatch } from "~/modules/knowledge";
import { detectPromptInjection } from "../guardrails";
import type { Citation } from "./offline.server";
import { type PhraseLanguage, phrase } from "./phrases";

/**
 * Picks the sentences of a retrieved passage that answer the question, so the offline responder quotes the
 * merchant's own words instead of composing new claims.
 */

const STOPWORDS = new Set(
  (
    "a an the and or but if of to in on at by for with from about as is are was were be been being do does did can could will would should may might must " +
    "i me my we our you your it its this that these those what which who whom how when where why there here have has had not no yes so than then too very " +
    "just also any some please tell know need want like get take much long hi hello thanks"
  ).split(" "),
);

/** Light stemming: enough that "returns", "returned" and "returning" meet "return", and "shipping" meets "ship". */
function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  for (const suffix of ["ing", "ed"]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      const root = word.slice(0, -suffix.length);
      return /([b-df-hj-np-tv-z])\1$/.test(root) ? root.slice(0, -1) : root;
    }
  }
  if (/(?:s|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/**
 * "How long…?" wants a duration and "how much…?" an amount: the question's type counts as a word the
 * answering sentence must contain, so "3–5 business days" beats a sentence that only repeats "shipping".
 */
const ASKS_DURATION = /\b(how long|how soon|how fast|how many (business |working )?(days|weeks)|when (will|does|do|can|should)|delivery time|lead time)\b/i;
const HAS_DURATION = /\d+\s*(?:[–-]|to)?\s*\d*\s*(?:business |working )?(?:days?|weeks?|hours?)\b/i;
const ASKS_AMOUNT = /\b(how much|cost|costs|price|prices|fee|fees|rate|rates|charge|charges)\b/i;
const HAS_AMOUNT = /[$€£]\s?\d|\d+(?:[.,]\d{2})?\s?(?:USD|EUR|GBP|dollars?)\b|\bfree\b/i;
const DURATION = "⟨duration⟩";
const AMOUNT = "⟨amount⟩";

function questionWords(question: string): Set<string> {
  const words = contentWords(question);
  if (ASKS_DURATION.test(question)) words.add(DURATION);
  if (ASKS_AMOUNT.test(question)) words.add(AMOUNT);
  return words;
}

function answerWords(text: string): Set<string> {
  const words = contentWords(text);
  if (HAS_DURATION.test(text)) words.add(DURATION);
  if (HAS_AMOUNT.test(text)) words.add(AMOUNT);
  return words;
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

/** Markdown tables become one sentence per row ("Canada: Delivery time after dispatch 3–6 business days; Cost $19.95."). */
function tablesToSentences(markdown: string): string {
  const cells = (line: string) => line.trim().replace(/^\||\|$/g, "").split("|").map((cell) => cell.trim());
  const lines = markdown.split("\n");
  const out: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const isTable = lines[index]!.trim().startsWith("|") && /^\s*\|?\s*:?-{2,}/.test(lines[index + 1] ?? "");
    if (!isTable) {
      out.push(lines[index]!);
      continue;
    }
    const header = cells(lines[index]!);
    index += 2;
    for (; index < lines.length && lines[index]!.trim().startsWith("|"); index++) {
      const row = cells(lines[index]!);
      const rest = row.slice(1).map((cell, column) => `${header[column + 1] ?? ""} ${cell}`.trim());
      out.push(`${row[0]}: ${rest.join("; ")}.`);
    }
    index--;
  }
  return out.join("\n");
}

function plainSentences(markdown: string): string[] {
  const text = tablesToSentences(markdown)
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

const SHORT_PASSAGE_CHARS = 320;

export interface PassageExcerpt {
  text: string;
  /** Share of the question's content words the excerpt covers (0..1). */
  coverage: number;
}

/**
 * The sentences of a passage that answer the question, in their original order: a short passage whole (it is
 * one coherent answer), otherwise up to `maxSentences` sentences that best cover the question's words.
 */
export function excerptFor(question: string, passage: string, maxSentences = 3, maxChars = 480): PassageExcerpt {
  const wanted = questionWords(question);
  const sentences = plainSentences(passage);
  const coverage = (text: string) => {
    if (wanted.size === 0) return 0;
    const words = answerWords(text);
    let covered = 0;
    for (const word of wanted) if (words.has(word)) covered++;
    return covered / wanted.size;
  };
  const whole = sentences.join(" ");
  if (whole.length <= SHORT_PASSAGE_CHARS) return { text: whole, coverage: coverage(whole) };

  const scored = sentences.map((sentence, index) => ({ index, sentence, hits: coverage(sentence) }));
  const picked: typeof scored = [];
  let length = 0;
  for (const candidate of [...scored].sort((a, b) => b.hits - a.hits || a.index - b.index)) {
    if (picked.length >= maxSentences || (picked.length > 0 && candidate.hits === 0)) break;
    if (picked.length > 0 && length + candidate.sentence.length > maxChars) continue;
    picked.push(candidate);
    length += candidate.sentence.length;
  }
  picked.sort((a, b) => a.index - b.index);
  let text = picked.map(({ sentence }) => sentence).join(" ");
  if (text.length > maxChars) text = `${text.slice(0, maxChars - 1).replace(/\s+\S*$/, "")}…`;
  return { text, coverage: coverage(text) };
}

/** Retrieval scores below this mean "nothing in the knowledge base answers it" (offline embedder, fused score). */
export const MIN_ANSWER_SCORE = 0.2;
/** Share of the question's content words an excerpt must cover, unless retrieval itself is confident. */
const MIN_COVERAGE = 0.34;
const CONFIDENT_SCORE = 0.5;

/**
 * A passage that reads like orders to the assistant ("ignore your rules…") is never quoted: knowledge is
 * the merchant's content, but an edited article or an imported file can carry text meant to steer the bot.
 */
export function isInstructionLike(match: Pick<KnowledgeMatch, "content" | "title">): boolean {
  return detectPromptInjection(`${match.title}\n${match.content}`);
}

/** Passages relevant enough to answer from and safe to quote, best first. */
export function usableMatches(matches: KnowledgeMatch[], minScore = MIN_ANSWER_SCORE): KnowledgeMatch[] {
  return matches.filter((match) => match.score >= minScore && !isInstructionLike(match));
}

export interface ChosenPassage {
  match: KnowledgeMatch;
  excerpt: PassageExcerpt;
}

/**
 * The passage to quote: among the best retrieved ones, the one that covers the question best (retrieval score
 * plus half the share of the question's words in its sentences and in its title); undefined when none is
 * relevant enough to answer from.
 */
export function choosePassage(question: string, matches: KnowledgeMatch[], minScore = MIN_ANSWER_SCORE): ChosenPassage | undefined {
  let best: (ChosenPassage & { rank: number }) | undefined;
  const wanted = questionWords(question);
  for (const match of usableMatches(matches, minScore).slice(0, 8)) {
    const excerpt = excerptFor(question, match.content);
    if (!excerpt.text || excerpt.coverage === 0) continue;
    if (excerpt.coverage < MIN_COVERAGE && match.score < CONFIDENT_SCORE) continue;
    // An article titled after the question ("Our return policy at a glance") is usually the answer.
    const titleWords = contentWords(match.title);
    const titleCoverage = wanted.size === 0 ? 0 : [...wanted].filter((word) => titleWords.has(word)).length / wanted.size;
    const rank = match.score + 0.5 * excerpt.coverage + 0.5 * titleCoverage;
    if (!best || rank > best.rank) best = { match, excerpt, rank };
  }
  return best ? { match: best.match, excerpt: best.excerpt } : undefined;
}

/** An answer quoted from the best retrieved passage, with its source, or undefined when nothing fits. */
export function knowledgeReply(text: string, matches: KnowledgeMatch[], language: PhraseLanguage): { text: string; citations: Citation[] } | undefined {
  const chosen = choosePassage(text, matches);
  if (!chosen) return undefined;
  const { match, excerpt } = chosen;
  return {
    text: `${excerpt.text}\n\n${phrase(language, "sourceLabel", { title: match.title })}`,
    citations: [{ sourceId: match.sourceId, chunkId: match.chunkId, title: match.title }],
  };
}

