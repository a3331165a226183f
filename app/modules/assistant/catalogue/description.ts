import { htmlToText } from "~/lib/text";
import { DESCRIPTION_CUES, type DescribedAttribute } from "./attributes";
import { FEATURE_LABELS, FEATURE_WORDS, GENERIC_WORDS, fold } from "./lexicon";

/**
 * The sentences of a product description that answer a question: by the attribute asked (cue patterns) or,
 * for anything else ("does it have pockets?"), by the words the question and a sentence share. Quoted as the
 * merchant wrote them, never rewritten.
 */

/** Sentences and list items, in order. A full stop inside a number ("2.5-layer") or before a lower-case word does not end one. */
export function descriptionSentences(description: string): string[] {
  // Descriptions may still hold HTML (a connector that stores body_html as is).
  return htmlToText(description)
    .split(/\n+/)
    .flatMap((line) => line.replace(/^\s*[-•*]\s*/, "").split(/(?<=[.!?])\s+(?=["'“(]?[\p{Lu}\d])/u))
    .map((sentence) => sentence.trim())
    .filter((sentence) => /\p{L}/u.test(sentence));
}

const NEGATION = /\b(?:not|no|non|never|isn't|aren't|doesn't|don't|can't|cannot|won't|without|pas|jamais|nicht|kein\w*|nie|sin|nunca)\b/;

/** Whether a negation stands within three words before `at` in the folded sentence ("not waterproof", "can't be returned"). */
export function negatedAt(folded: string, at: number): boolean {
  const before = folded.slice(0, at).split(/\s+/).filter(Boolean).slice(-3).join(" ");
  return NEGATION.test(before) || /n't\s*$/.test(before);
}

export interface SelectedSentences {
  sentences: string[];
  /** The sentences, folded, for callers that check what they say ("waterproof", a negation). */
  folded: string[];
}

const MAX_SENTENCES = 2;

function pick(sentences: string[], scores: number[]): SelectedSentences {
  const top = Math.max(0, ...scores);
  if (top === 0) return { sentences: [], folded: [] };
  // The best sentence, and another only when it says nearly as much: no padding with neighbours.
  const chosen = scores
    .map((score, i) => ({ score, i }))
    .filter(({ score }) => score >= Math.max(1, top * 0.75))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, MAX_SENTENCES)
    .sort((a, b) => a.i - b.i)
    .map(({ i }) => sentences[i]!);
  return { sentences: chosen, folded: chosen.map(fold) };
}

/** Sentences about one attribute; a strong cue (the first pattern) counts double. */
export function sentencesAbout(description: string, attribute: DescribedAttribute): SelectedSentences {
  const sentences = descriptionSentences(description);
  const cues = DESCRIPTION_CUES[attribute];
  const scores = sentences.map((sentence) => {
    const folded = fold(sentence);
    return cues.reduce((sum, cue, i) => sum + (folded.match(new RegExp(cue.source, "g"))?.length ?? 0) * (i === 0 ? 2 : 1), 0);
  });
  return pick(sentences, scores);
}

const STOPWORDS = new Set(
  (
    "is are was were be been do does did can could will would should may might must has have had it its it's they them this that these those " +
    "the a an and or of to in on at by for with from about as so if any some what which who how when where why there here i me my we our you your " +
    "not yes no get got need want like tell know please also just really very much many more come comes came use used using good well ok okay " +
    "est sont etre fait faire peut peux il elle ils elles ce cet cette ces le la les un une des du de d l et ou en au aux pour avec sur dans " +
    "que qui quoi quel quelle je tu vous nous mon ma mes votre vos bien tres plus ya t y a ça ca se sa son ses qu leur lui " +
    "ist sind sein war hat haben kann konnen wird werden es er sie wir ihr der die das den dem des ein eine einen und oder mit fur auf in im an " +
    "von zu bei was wie welche ich du mein meine ihr ihre gut sehr auch noch nach paar mal schon darf soll " +
    "es son ser esta estan fue tiene tienen puede pueden lo la las los el un una unos unas y o con para por en de del al que como cual yo tu " +
    "mi mis su sus muy bien mas tambien se le"
  ).split(" "),
);

/** How a reply in `language` names the features a non-English question asks about ("riechen" → "Geruch"). */
export function featureTopic(question: string, language: "en" | "fr" | "de" | "es"): string | undefined {
  if (language === "en") return undefined;
  // The last feature named: the thing asked about follows the verb ("se range dans sa poche" is about the pocket).
  let topic: string | undefined;
  for (const word of fold(question).split(/[^\p{L}-]+/u)) {
    const feature = FEATURE_WORDS.get(word);
    const label = feature ? FEATURE_LABELS.get(feature)?.[language] : undefined;
    if (label) topic = label;
  }
  return topic;
}

/** Word stems for comparing a question with a sentence: "pockets"/"pocket", "returned"/"returnable"/"return". */
export function stems(text: string): string[] {
  return fold(text)
    .replace(/['’]s\b/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && !STOPWORDS.has(word))
    .map((word) => FEATURE_WORDS.get(word) ?? word)
    .map((word) => {
      if (word.length <= 4) return word;
      for (const suffix of ["able", "ible", "ing", "ed", "es", "s"]) {
        if (word.endsWith(suffix) && word.length - suffix.length >= 4 && !(suffix === "s" && word.endsWith("ss"))) {
          const stem = word.slice(0, -suffix.length);
          return FEATURE_WORDS.get(stem) ?? stem;
        }
      }
      return word;
    });
}

/**
 * The question's own words (without the product's name and generic words), and the sentences sharing the
 * most of them. `asked` is empty for questions that name the product and nothing else ("tell me about the tee").
 */
export function sentencesSharingWords(description: string, question: string, titleWords: string[]): SelectedSentences & { asked: string[] } {
  const ignore = new Set([...stems(titleWords.join(" ")), ...OVERVIEW_WORDS]);
  const asked = [...new Set(stems(question))].filter((word) => !ignore.has(word) && !GENERIC_WORDS.has(word) && !/^\d+$/.test(word));
  if (asked.length === 0) return { sentences: [], folded: [], asked };
  const sentences = descriptionSentences(description);
  const scores = sentences.map((sentence) => {
    const words = new Set(stems(sentence));
    return asked.filter((word) => words.has(word)).length;
  });
  return { ...pick(sentences, scores), asked };
}

/** Words that ask for the product in general rather than one of its features. */
const OVERVIEW_WORDS = stems(
  "tell more info information details detail describe description about product item thing anything something explain " +
    "parle parlez renseignements infos details decrire produit erzahl erzahlen informationen beschreibung produkt " +
    "cuentame cuenteme informacion detalles describe producto hi hello hey bonjour salut hallo hola thanks merci danke gracias",
);
