import { contentTerms, expandQuery, expansionLanguage, type KnowledgeMatch, termWeight, withoutFunctionWords } from "~/modules/knowledge";
import { detectPromptInjection } from "../guardrails";
import type { Citation } from "./offline.server";
import { type PhraseLanguage, phrase } from "./phrases";
import { type FactKind, keyFacts } from "./key-facts";

/**
 * The offline knowledge answer: the merchant's own sentences that answer the question, chosen across every
 * retrieved passage (not the passage that ranks first), or nothing when the knowledge does not answer.
 *
 * Each sentence (a table row counts as one) is scored against the question:
 * - coverage: the share of the question's terms, weighted by how telling each is, found in the sentence, and
 *   at half weight in its heading or title ("Canada" in a row under "International shipping");
 * - the kind of answer asked for: "how much" wants an amount, "how long" a duration, "what is your phone
 *   number" a phone number and not the e-mail address, "when are you open" opening hours, and so on;
 * - the entity asked about: a sentence about another country, shipping option, carrier or payment method than
 *   the one named ("Canada: $19.95" for a question about the UK) is pushed down;
 * - the retrieval score of its passage.
 * The best sentence answers when its score clears ANSWER_THRESHOLD (calibrated on a dev set, see below); a
 * second sentence is added only when it covers a term of the question the first leaves out, or when the first
 * starts with a pronoun and needs the sentence before it. Nothing else is added.
 *
 * French, German and Spanish questions are read through the knowledge module's lexicon (expandQuery) first,
 * so "Combien coûte la livraison au Canada ?" is matched as "how much cost delivery shipping canada".
 */

// ---------------------------------------------------------------------------------------------------------
// Sentences
// ---------------------------------------------------------------------------------------------------------

/** Marks a table row's line until it becomes a unit (rows of one table answer together). */
const ROW_MARK = "\u0001";
/** Ends a column heading that is matched but not shown ("How long it takes" in a two-column table). */
const COLUMN_MARK = "\u0002";

/** Markdown tables become one sentence per row ("Canada: Delivery time after dispatch 3–6 business days; Cost $19.95."). */
function tablesToSentences(markdown: string): string {
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, "")
      .split("|")
      .map((cell) => cell.trim());
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
      // One value column: its heading ("How long it takes") helps matching but reads as filler in the reply,
      // so the row is shown without it (marked off by COLUMN_MARK). Several: each value needs its heading.
      const single = row.length === 2 && Boolean(header[1]);
      const rest = row.slice(1).map((cell, column) => `${header[column + 1] ?? ""}${single ? COLUMN_MARK : ""} ${cell}`.trim());
      // A bare number ("10") means nothing without its column ("US 10").
      const label = /^[\d.,–-]+$/.test(row[0] ?? "") && header[0] ? `${header[0]} ${row[0]}` : row[0];
      const sentence = `${label}: ${rest.join("; ")}`;
      out.push(`${ROW_MARK}${sentence}${/[.!?]$/.test(sentence) ? "" : "."}`);
    }
    index--;
  }
  return out.join("\n");
}

/** "Label: Heading\u0002 value" → "Label: value". */
function withoutColumnHeading(row: string): string {
  const mark = row.indexOf(COLUMN_MARK);
  const colon = row.lastIndexOf(": ", mark);
  return colon < 0 ? row.replace(COLUMN_MARK, "") : `${row.slice(0, colon + 2)}${row.slice(mark + 1)}`;
}

function inlineMarkdown(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/[*_`>|]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

const SENTENCE_END = /(?<=[.!?])\s+(?=[\p{Lu}\p{N}"“(+])/u;
/** A list item this short stays one unit ("Refunds: to your original payment method. For US orders…"). */
const SHORT_ITEM_CHARS = 260;

export interface Unit {
  text: string;
  /** How the unit reads in a reply, when that differs from the matched text (a table row without its column heading). */
  shown?: string;
  /** Title, heading and sub-heading the unit sits under (matched at half weight). */
  context: string;
  /** The innermost heading or label alone: "Other EU countries" under a chunk headed "Austria · Switzerland · Other EU countries". */
  section?: string;
  /** Position in its passage, to keep the passage's order and find the sentence before. */
  index: number;
  /** A table row or a list item: its siblings in the same table or list may answer with it. */
  listed?: boolean;
}

const unitsCache = memo((key: string) => {
  const [title, heading, content] = JSON.parse(key) as [string, string | null, string];
  return readUnits({ title, heading, content });
});

/** The sentences of a passage (table rows and short list items as one each), with the headings above them. */
export function passageUnits(match: Pick<KnowledgeMatch, "title" | "heading" | "content">): Unit[] {
  return unitsCache(JSON.stringify([match.title, match.heading, match.content]));
}

function readUnits(match: Pick<KnowledgeMatch, "title" | "heading" | "content">): Unit[] {
  // A chunk of several short sections is headed "A · B" and holds "B:" where B starts: each sentence sits under
  // its own section's heading, not all of them ("Email hello@…" is under "Press, wholesale", not "Feedback").
  const sections = (match.heading ?? "").split(" · ").filter(Boolean);
  const headingFor = (label: string) => sections.find((part) => part.split(" › ").at(-1) === label);
  const parent = (part: string) => part.split(" › ").slice(0, -1).join(" › ");
  let base = [match.title, sections.length > 1 ? parent(sections[0]!) : match.heading].filter(Boolean).join(" › ");
  const units: Unit[] = [];
  let subheading = sections.length > 1 ? (sections[0]!.split(" › ").at(-1) ?? "") : "";
  const blocks = tablesToSentences(match.content.replace(/```[\s\S]*?```/g, " "))
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean);
  for (const block of blocks) {
    const heading = /^#{1,6}\s+(.*)$/.exec(block);
    if (heading) {
      subheading = inlineMarkdown(heading[1]!);
      continue;
    }
    if (sections.length > 1 && block.endsWith(":") && headingFor(block.slice(0, -1))) {
      const own = headingFor(block.slice(0, -1))!;
      base = [match.title, parent(own)].filter(Boolean).join(" › ");
      subheading = block.slice(0, -1);
      continue;
    }
    const isRow = block.startsWith(ROW_MARK);
    const isItem = isRow || /^([-+*]|\d+\.)\s+/.test(block);
    const raw = block.replace(ROW_MARK, "").replace(/^([-+*]|\d+\.)\s+/, "");
    const text = inlineMarkdown(raw.replace(COLUMN_MARK, ""));
    if (!text) continue;
    const shown = raw.includes(COLUMN_MARK) ? inlineMarkdown(withoutColumnHeading(raw)) : undefined;
    // "Where to find your tracking:" on its own line heads what follows, like a heading.
    if (!isItem && text.endsWith(":") && text.length <= 80) {
      subheading = text.slice(0, -1);
      continue;
    }
    const context = [base, subheading].filter(Boolean).join(" › ");
    if (isItem && text.length <= SHORT_ITEM_CHARS) {
      units.push({ text, ...(shown ? { shown } : {}), context, section: subheading || undefined, index: units.length, listed: true });
      continue;
    }
    // A labelled item ("Refunds: …") lends its label to each of its sentences.
    const label = isItem ? /^([^:.]{2,40}):\s/.exec(text)?.[1] : undefined;
    for (const sentence of text.split(SENTENCE_END)) {
      if (sentence.trim()) units.push({ text: sentence.trim(), context: label ? `${context} › ${label}` : context, section: label ?? (subheading || undefined), index: units.length });
    }
  }
  return units;
}

// ---------------------------------------------------------------------------------------------------------
// What the question asks for
// ---------------------------------------------------------------------------------------------------------

type AnswerKind = "amount" | "duration" | "window" | "phone" | "email" | "address" | "hours" | "percent" | "carrier" | "contact" | "payment" | "code";

const KIND_ASKED: [AnswerKind, RegExp][] = [
  ["phone", /\b(phone|telephone|call you|number to call)\b/i],
  ["email", /\b(e-?mail( address)?|email)\b(?!.*\b(newsletter|unsubscribe|confirmation|code)\b)/i],
  ["address", /\b(mailing|postal|street|return|returns|send (it|my return)) address\b|\baddress (do i|to) (send|mail|ship)\b|\bwhere do i (send|mail)\b/i],
  ["contact", /\b(contact|reach|get in touch|talk to)\b/i],
  ["hours", /\b(hours|open|opening|closed|what time|cut-?off time)\b/i],
  ["payment", /\b(payment methods?|ways? to pay|how can i pay|pay with|do you (take|accept)|accepted payments?)\b/i],
  ["percent", /\b(percent|percentage|vat|%)\b/i],
  // "Can I use two discount codes?" asks whether, not for a code.
  ["code", /^(?!.*\b(use|using|apply|applying|combine|combining|stack|stacking|enter|add)\b.*\bcodes?\b).*(\b(discount|promo|promotion(al)?|coupon|voucher) codes?\b|\bcodes? (do you|for)\b)/i],
  ["carrier", /\b(which|what) (carrier|courier|shipping company)\b|\bcarrier do you\b/i],
  // "How long can I return it?" ("Wie lange kann ich … zurückgeben?" reads "how long … return"), not how long a return or refund takes.
  ["window", /^(?!.*\b(refunds?|refunded|takes?|arrives?|process\w*|ship\w*|deliver\w*|receive\w*)\b).*\bhow long\b.*\b(return|exchange)\b|\bhow long do i have\b|\bhow (much time|many days) do i have\b|\buntil when\b|\btime limit\b|\bhow long is the (return|exchange) (window|period)\b/i],
  ["duration", /^when\b|\b(how long|how soon|how fast|how quickly|how many (business |working )?(days|weeks)|until when|deadline|when (will|does|do|can|should|is)|how often)\b/i],
  ["amount", /\b(how much|cost|costs|price|prices|fee|fees|charge|charges|rate|rates|minimum|spend|threshold|amounts?|value)\b/i],
];

const MONEY = /[$€£]\s?\d|\d+(?:[.,]\d{2})?\s?(?:USD|EUR|GBP|dollars?)\b/i;
/** One money figure as a whole ("$75", "€4.95", "200 EUR"). */
const MONEY_FIGURE = "(?:[$€£]\\s?\\d[\\d,]*(?:\\.\\d{2})?|\\d[\\d,]*(?:[.,]\\d{2})?\\s?(?:USD|EUR|GBP|dollars?)\\b)";

const KIND_FOUND: Record<AnswerKind, RegExp> = {
  phone: /\+?\d[\d ()-]{7,}\d/,
  email: /[\w.+-]+@[\w-]+\.[\w.-]+/,
  address: /\b\d{2,5}\s+[A-Z0-9][\w ]+\b(Way|Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Drive)\b/,
  contact: /[\w.+-]+@[\w-]+\.[\w.-]+|\+?\d[\d ()-]{7,}\d/,
  hours: /\b\d{1,2}(:\d{2})?\s*(a\.m\.|p\.m\.|am|pm)|\bclosed\b|\b24 hours a day\b/i,
  percent: /\d+\s?%/,
  carrier: /\b(UPS|USPS|FedEx|DHL)\b/,
  // A code as a shopper types it at checkout: capitals with digits (WELCOME10, SPRING25).
  code: /\b[A-Z]{3,}\d{1,3}\b/,
  payment: /\b(visa|mastercard|american express|discover|paypal|apple pay|google pay|shop pay|klarna|gift cards?|cash|checks?|cryptocurrency)\b/i,
  // A period to act in ("within 30 days", "30 days to change your mind"), not a processing or transit time.
  window: /\bwithin (\d+|fourteen|thirty) (calendar )?days\b|\buntil (january|february|march|april|may|june|july|august|september|october|november|december)\b|\b\d+[- ]day (return|exchange|window|period)\b|\b\d+ days to (return|change|exchange)\b/i,
  duration:
    /\d+\s*(?:[–-]|to)?\s*\d*\s*(?:business |working )?(?:days?|weeks?|hours?|minutes?|months?|years?)\b|\b(same|next) (business )?day\b|\b(immediately|straight away|right away|never expire|january|february|march|april|may|june|july|august|september|october|november|december)\b|\b(a|one|two) (day|week|month|year)s?\b/i,
  amount: /[$€£]\s?\d|\d+(?:[.,]\d{2})?\s?(?:USD|EUR|GBP|dollars?)\b|\bfree\b|\d+\s?%|\bno (?:[\w-]+ ){0,2}(cost|fee|charge)s?\b|\bfree of charge\b/i,
};

/** Kinds whose evidence reads the same in any language (figures, addresses, numbers), for passages not in English. */
const LANGUAGE_NEUTRAL_KINDS = new Set<AnswerKind>(["amount", "phone", "email", "percent", "code"]);

/** Words that only name the kind of answer: a sentence holding that kind of answer covers them ("payment methods" by "Visa, Mastercard"). */
const KIND_TERMS: Partial<Record<AnswerKind, Set<string>>> = {
  phone: new Set(contentTerms("phone number telephone call")),
  email: new Set(contentTerms("email address")),
  address: new Set(contentTerms("address mailing postal street")),
  hours: new Set(contentTerms("hours open opening")),
  payment: new Set(contentTerms("payment methods pay accept take")),
  carrier: new Set(contentTerms("carrier courier")),
  code: new Set(contentTerms("discount promo coupon voucher code codes")),
  amount: new Set(contentTerms("cost price")),
};

/** Names of one thing: a sentence holding any of them covers the others ("Final Sale" answers "rebajas" read as "sale discounted"). */
const SYNONYMS: string[][] = [contentTerms("sale final clearance")];

/** Payment methods a shopper may name ("Do you take Klarna?"): the list of accepted methods answers whether or not it is on it. */
const PAYMENT_METHOD = /\b(klarna|afterpay|affirm|sezzle|venmo|zelle|paypal|apple pay|google pay|shop pay|amazon pay|amex|american express|visa|mastercard|discover|maestro|sofort|giropay|ideal|bancontact|bitcoin|crypto\w*|bank transfer|invoice)\b/i;
const PAYING = /\b(pay|payment|paying|accept|take|use|checkout)\b/i;

function kindsAsked(englishQuestion: string): AnswerKind[] {
  const asked = KIND_ASKED.filter(([, pattern]) => pattern.test(englishQuestion)).map(([kind]) => kind);
  if (!asked.includes("payment") && PAYMENT_METHOD.test(englishQuestion) && PAYING.test(englishQuestion)) asked.push("payment");
  // "How long do I have to return it?" wants the window, not how long a return travels.
  if (asked.includes("window")) return asked.filter((kind) => kind !== "duration" && kind !== "amount");
  // A contact channel is the answer itself: "what is your phone number" does not also want an amount.
  if (asked.some((kind) => kind === "phone" || kind === "email" || kind === "address")) {
    return asked.filter((kind) => kind !== "amount" && kind !== "hours" && kind !== "contact");
  }
  if (asked.includes("duration")) return asked.filter((kind) => kind !== "amount" || /\b(how much|cost|fee|price)\b/i.test(englishQuestion));
  return asked;
}

/** Words that say what kind of answer is wanted rather than what it is about: not matched as content. */
const QUESTION_TERMS = new Set(
  contentTerms(
    "how much long soon fast quickly often many when until time get receive tell know need want like please whats anything way policy policies after before still already normal possible ok okay thanks thank hi hello hey sure alright great",
  ),
);

// ---------------------------------------------------------------------------------------------------------
// Entities: naming another member of the same group than the question names is a wrong answer
// ---------------------------------------------------------------------------------------------------------

const ENTITY_GROUPS: Record<string, Record<string, RegExp>> = {
  destination: {
    canada: /\bcanad/i,
    mexico: /\bmexic/i,
    uk: /\b(united kingdom|uk|britain|england)\b/i,
    eu: /\b(european union|eu|austria|belgium|bulgaria|croatia|cyprus|czechia|denmark|estonia|finland|france|germany|greece|hungary|ireland|italy|latvia|lithuania|luxembourg|malta|netherlands|poland|portugal|romania|slovakia|slovenia|spain|sweden)\b/i,
    switzerland: /\bswitzerland\b/i,
    norway: /\bnorway\b/i,
    australia: /\baustralia/i,
    newzealand: /\bnew zealand\b/i,
    japan: /\bjapan/i,
    korea: /\bkorea/i,
    remote: /\b(alaska|hawaii|puerto rico|guam|us territor\w*|apo|fpo|dpo)\b/i,
    domestic: /\b(contiguous (us|united states)|within the (us|united states)|domestic|in the (us|usa|united states))\b/i,
  },
  option: {
    standard: /\bstandard\b/i,
    expedited: /\bexpedited\b/i,
    express: /\bexpress\b(?! (delivery|order)s? (placed|ship))/i,
  },
  carrier: { ups: /\bups\b/i, usps: /\busps\b/i, fedex: /\bfedex\b/i, dhl: /\bdhl\b/i },
  wallet: { paypal: /\bpaypal\b/i, card: /\b(credit|debit) card\b|\bcard refund\b/i, giftcard: /\bgift ?cards?\b/i, installments: /\binstallments?\b/i },
  audience: { men: /\bmen'?s\b/i, women: /\bwomen'?s\b/i },
  purpose: { wholesale: /\b(wholesale|press|partnerships?)\b/i, privacy: /\b(privacy|personal data)\b/i },
};

/** Countries the "eu" member stands for: a sentence naming the country asked about beats one naming only the union. */
const EU_COUNTRY = new RegExp(ENTITY_GROUPS.destination!.eu!.source.replace("european union|eu|", ""), "gi");

/** A row for "all other destinations" answers for any destination its table does not list by name. */
const CATCH_ALL: Record<string, RegExp> = { destination: /\b(all )?other (international )?destinations\b|\brest of the world\b/i };

/** Members a catch-all row ("all other destinations" abroad) never stands for. */
const DOMESTIC_MEMBERS = new Set(["domestic", "remote"]);

/** The question's words that name an entity ("uk", "france european union eu"), by group. */
function entityTerms(text: string): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const [group, members] of Object.entries(ENTITY_GROUPS)) {
    for (const pattern of Object.values(members)) {
      // The whole word, not the stem a pattern stops at ("mexic" of "Mexico" is not the question's term "mexico").
      const global = new RegExp(`(?:${pattern.source})[\\p{L}]*`, "giu");
      for (const match of text.matchAll(global)) {
        for (const term of contentTerms(match[0])) found.set(group, (found.get(group) ?? new Set()).add(term));
      }
    }
  }
  return found;
}

/** Remembers what was read from a text (passages come back turn after turn); cleared when it grows large. */
function memo<T>(read: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let value = cache.get(text);
    if (value === undefined) {
      if (cache.size >= 5000) cache.clear();
      value = read(text);
      cache.set(text, value);
    }
    return value;
  };
}

const entitiesIn = memo(readEntities);
const termSet = memo((text: string) => new Set(contentTerms(text)));

function readEntities(text: string): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const [group, members] of Object.entries(ENTITY_GROUPS)) {
    for (const [member, pattern] of Object.entries(members)) {
      if (pattern.test(text)) found.set(group, (found.get(group) ?? new Set()).add(member));
    }
  }
  // "Austria" is the union and, more precisely, "eu:austria".
  for (const match of text.matchAll(EU_COUNTRY)) found.get("destination")?.add(`eu:${match[0].toLowerCase()}`);
  return found;
}

/**
 * How a sentence's members of one group relate to the ones asked: the very country asked ("specific"), the
 * group it belongs to ("generic": "EU countries" for Austria), another one ("other"), or none named.
 */
function entityRelation(asked: Set<string>, named: Set<string> | undefined): "specific" | "generic" | "other" | "none" {
  if (!named || named.size === 0) return "none";
  const askedSpecific = [...asked].filter((member) => member.includes(":"));
  const namedSpecific = [...named].filter((member) => member.includes(":"));
  if (namedSpecific.some((member) => asked.has(member))) return "specific";
  // Other countries of the union by name ("for example France, Spain…") are not the one asked about.
  if (askedSpecific.length > 0 && namedSpecific.length > 0) return "other";
  return [...named].some((member) => !member.includes(":") && asked.has(member)) ? "generic" : "other";
}

// ---------------------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------------------

/**
 * Weights of the relevance score, tuned by hand on bench/data/knowledge-answers-dev.json; a grid over the
 * focus, kind, context and retrieval weights (each with its own calibrated threshold) found no setting better
 * than these on the dev part.
 */
export const SCORE_WEIGHTS = {
  /** Share of the question's weighted terms in a heading or title rather than the sentence. */
  context: 0.5,
  /** The sentence holds the kind of answer asked for (amount, duration, phone…). */
  kindFound: 0.3,
  /** …or it does not (-0.35 before the kind-only words weighed half: a sentence covering "cost" and "cancel" with no figure still cleared the threshold). */
  kindMissing: -0.45,
  /** It names the entity asked about. */
  entityMatch: 0.1,
  /** …and names it precisely: the country asked about rather than the union it belongs to. */
  entitySpecific: 0.1,
  /** It names another entity of the same group and not the one asked about. */
  entityConflict: -0.6,
  /** It names a member of a group the question does not mention (a wholesale address for "your e-mail"). */
  unaskedEntity: -0.1,
  /** Its innermost heading names such a member: the sentence is about it ("Email hello@…" under "Press, wholesale"). */
  unaskedSection: -0.3,
  /** Times the share of the question's most telling terms ("student" in "student discount") it misses. */
  focusMissing: -0.3,
  /** Per 100 characters: of two sentences that cover the question alike, the shorter is the plainer answer. */
  length: -0.04,
  /** A sentence that leans on one before it ("You can also…") that is not there (another section). */
  dangling: -0.2,
  /** The passage is in the question's own language (not read through the lexicon). */
  ownLanguage: 0.15,
  /** Times the passage's retrieval score. */
  retrieval: 0.5,
};

/** "Free" or "no extra cost" answers "how much" less plainly than a figure. */
const WEAK_AMOUNT = 0.25;
/** A duration that is not a window to act in ("3–7 business days" in transit) for "how long do I have to return?". */
const WEAK_WINDOW = 0.5;

/** The sentence's only periods are windows to act in. */
function isOnlyWindow(text: string): boolean {
  return KIND_FOUND.window.test(text) && !KIND_FOUND.duration.test(text.replace(new RegExp(KIND_FOUND.window.source, "gi"), " "));
}
/** Terms weighing at least this share of the question's heaviest term are its focus. */
const FOCUS_SHARE = 0.9;

/**
 * The best sentence's relevance below which the knowledge is taken not to answer. Chosen on the dev part of
 * bench/data/knowledge-answers (152 questions, demo shop, en/fr/de/es, 29 unanswerable) as the value that
 * maximises (answered correctly − 2 × answered wrongly): `DATABASE_URL=… npx tsx bench/knowledge-answers.ts
 * --calibrate` (98 correct, 8 wrong; 0.61 gave 99/13, 0.86 gave 92/8). Recalibrated after the kind-only words
 * weighed half, thresholds and sections were read and kindMissing became -0.45: every value from 0.71 to 0.76
 * gives 102 correct and 5 wrong (0.65 gave 103/6, 0.77 gave 100/5), so it stays. The held-out part was not used.
 */
export const ANSWER_THRESHOLD = 0.76;

/** Retrieval scores below this are not read at all (offline embedder, fused score). */
export const MIN_ANSWER_SCORE = 0.2;
/** Passages read, best first. */
const MAX_PASSAGES = 8;

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

export interface QuestionReading {
  /** The question as English text (translated through the lexicon when it is in fr/de/es). */
  english: string;
  terms: Map<string, number>;
  kinds: AnswerKind[];
  entities: Map<string, Set<string>>;
  /** The question's terms that name each entity group's members (covered by any sentence naming them). */
  entityTerms: Map<string, Set<string>>;
  /** Sum and largest of the terms' weights. */
  total: number;
  maxWeight: number;
  /** Terms of the question itself, not of a condition clause ("refund" in "when will I get my refund after I return?"). */
  mainTerms: Set<string>;
  /** Payment methods named ("klarna"): any list of accepted methods covers them (it answers yes or no). */
  methodTerms: Set<string>;
  /** Other names of a term ("sale" → "discounted", "final"), any of which covers it. */
  synonyms: Map<string, string[]>;
  /** The amount asked for is a figure to reach (a minimum spend), not a price. */
  threshold: boolean;
}

/** Terms of a clause that states a condition ("…after I send it back") weigh this share: the question is before it. */
const CONDITION_SHARE = 0.4;
const CONDITION = /\b(after|once|as soon as)\b/i;
/** Weight share of a term that only names the kind of answer asked. */
const KIND_TERM_SHARE = 0.5;

export function readQuestion(question: string, queryLanguage?: string): QuestionReading {
  // "Send it back" is how shoppers say "return", and "get my money back" how they say "refund".
  // "How long does it take" asks for a duration: its "take" is not "accept" (a payment method taken).
  const english = expandQuery(question, queryLanguage)
    .englishText.replace(/\b(send|sent|ship|mail)( it| them| something| an item| items?)? back\b/gi, "return")
    .replace(/\b(get|getting|have|see|receive)( my| the| our)? money back\b/gi, "refund")
    .replace(/\b(how long (?:does|do|will|would|did|should) (?:it|that|this|they|orders?|shipping|delivery|a return|my \w+) (?:usually |normally )?)takes?\b/gi, "$1");
  const terms = new Map<string, number>();
  const condition = CONDITION.exec(english);
  const asked = new Set(contentTerms(condition ? english.slice(0, condition.index) : english));
  for (const term of contentTerms(english)) {
    if (QUESTION_TERMS.has(term) || terms.has(term)) continue;
    terms.set(term, termWeight(term) * (asked.has(term) ? 1 : CONDITION_SHARE));
  }
  // Several names of one thing count once, at the weight of the heaviest.
  const synonyms = new Map<string, string[]>();
  for (const group of SYNONYMS) {
    const present = group.filter((term) => terms.has(term));
    if (present.length === 0) continue;
    const [kept] = present.sort((a, b) => terms.get(b)! - terms.get(a)!);
    for (const term of present) if (term !== kept) terms.delete(term);
    synonyms.set(kept!, group.filter((term) => term !== kept));
  }
  // A word that only names the kind of answer ("cost" in "does it cost anything if I cancel?") says less about
  // what is asked than the rest: any sentence holding that kind of answer covers it.
  const kinds = kindsAsked(english);
  for (const kind of kinds) {
    for (const term of KIND_TERMS[kind] ?? []) if (terms.has(term)) terms.set(term, terms.get(term)! * KIND_TERM_SHARE);
  }
  const methodTerms = new Set([...english.matchAll(new RegExp(PAYMENT_METHOD.source, "gi"))].flatMap((match) => contentTerms(match[0])));
  const total = [...terms.values()].reduce((sum, weight) => sum + weight, 0);
  return {
    english,
    terms,
    kinds,
    entities: entitiesIn(english),
    entityTerms: entityTerms(english),
    total,
    maxWeight: Math.max(0, ...terms.values()),
    methodTerms,
    synonyms,
    threshold: THRESHOLD_ASKED.test(english),
    mainTerms: new Set([...terms.keys()].filter((term) => asked.has(term))),
  };
}

export interface ScoredUnit extends Unit {
  match: KnowledgeMatch;
  score: number;
  covered: Set<string>;
  conflict: boolean;
  kindFound: boolean;
}

/**
 * A figure to reach rather than to pay ("orders of $75 or more ship free"): the answer to "how much do I need
 * to spend?", but not to "what does standard shipping cost?".
 */
const THRESHOLD_AMOUNT = new RegExp(`(?:\\b(?:over|above|at least|minimum(?: of)?|spend)\\s+${MONEY_FIGURE})|(?:${MONEY_FIGURE}\\s*(?:or more|and (?:over|above|up)|or above)\\b)`, "gi");
/** The question asks for such a figure. */
const THRESHOLD_ASKED = /\b(minimum|spend|spending|threshold|qualify|how much do i need|free shipping (over|from|threshold)|(from|above) (what|which) (amount|value))\b/i;

function amountStrength(text: string, threshold: boolean): number {
  if (!MONEY.test(text)) return KIND_FOUND.amount.test(text) ? WEAK_AMOUNT : 0;
  if (threshold) return 1;
  // Only thresholds: a price question is answered by a price.
  return MONEY.test(text.replace(THRESHOLD_AMOUNT, " ")) ? 1 : WEAK_AMOUNT;
}

/** How strongly a unit holds an answer of the kinds asked: 1, 0.5 for a weak amount ("free"), 0 for none. */
function kindStrength(kinds: AnswerKind[], text: string, threshold = false): number {
  let strength = 0;
  for (const kind of kinds) {
    if (kind === "amount") strength = Math.max(strength, amountStrength(text, threshold));
    // Any period answers "how long do I have" less plainly than a window to act in.
    // "When will I get my refund?" is not answered by a window to act in ("within 30 days of delivery").
    else if (kind === "duration" && KIND_FOUND.duration.test(text)) strength = Math.max(strength, isOnlyWindow(text) ? 0 : 1);
    else if (kind === "window") strength = Math.max(strength, KIND_FOUND.window.test(text) ? 1 : KIND_FOUND.duration.test(text) ? WEAK_WINDOW : 0);
    else if (KIND_FOUND[kind].test(text)) strength = 1;
  }
  return strength;
}

const EMPTY_TERMS = new Set<string>();
const questionHeadingTerms = memo((context: string) =>
  termSet(
    context
      .split(/ › | · /)
      .filter((part) => part.trim().endsWith("?"))
      .join(" "),
  ),
);

export function scoreUnit(reading: QuestionReading, unit: Unit, match: KnowledgeMatch): ScoredUnit {
  const own = termSet(unit.text);
  const around = termSet(unit.context);
  // A heading that asks the shopper's question ("When will I get my refund?") is answered by what it heads, when
  // the question says what kind of answer it wants (the duration in a row under it, not any sentence there).
  const heading = questionHeadingTerms(unit.context);
  const asksSame = reading.kinds.length > 0 && reading.mainTerms.size > 0 && [...reading.mainTerms].every((term) => heading.has(term));
  const asking = asksSame ? heading : EMPTY_TERMS;
  const named = entitiesIn(unit.text);
  const framing = entitiesIn(unit.context);
  const sectionNames = entitiesIn(unit.section ?? "");

  // Entities: the one asked about, a catch-all row, or another one.
  const entityCovered = new Set<string>();
  let score = 0;
  let conflict = false;
  for (const group of Object.keys(ENTITY_GROUPS)) {
    const asked = reading.entities.get(group);
    const here = named.get(group);
    // The innermost heading frames a sentence when it names the group ("Other EU countries"), else all of them.
    const frame = sectionNames.get(group) ?? framing.get(group);
    if (!asked) {
      if (here) score += SCORE_WEIGHTS.unaskedEntity;
      // A section about one member ("Press, wholesale and partnerships") scopes its sentences to it.
      else if (sectionNames.get(group)) score += SCORE_WEIGHTS.unaskedSection;
      continue;
    }
    const names = (set: Set<string> | undefined) => [...(set ?? [])].some((member) => asked.has(member));
    const terms = reading.entityTerms.get(group) ?? new Set<string>();
    const relation = here ? entityRelation(asked, here) : entityRelation(asked, frame);
    if (relation === "specific" || relation === "generic") {
      score += SCORE_WEIGHTS.entityMatch + (relation === "specific" ? SCORE_WEIGHTS.entitySpecific : 0);
      for (const term of terms) entityCovered.add(term);
    } else if (CATCH_ALL[group]?.test(unit.text) && ![...asked].some((member) => DOMESTIC_MEMBERS.has(member)) && !names(here)) {
      for (const term of terms) entityCovered.add(term);
    } else if (here || frame) {
      score += SCORE_WEIGHTS.entityConflict;
      conflict = true;
    }
  }

  const strength = reading.kinds.length > 0 ? kindStrength(reading.kinds, unit.text, reading.threshold) : 0;
  if (strength > 0) {
    for (const kind of reading.kinds) {
      if (KIND_FOUND[kind].test(unit.text)) for (const term of KIND_TERMS[kind] ?? []) entityCovered.add(term);
    }
  }
  // The methods we accept answer "Do you take Klarna?" whether Klarna is among them or not; naming it is better.
  if (reading.kinds.includes("payment") && KIND_FOUND.payment.test(unit.text)) {
    for (const term of reading.methodTerms) {
      entityCovered.add(term);
      if (own.has(term)) score += SCORE_WEIGHTS.entityMatch;
    }
  }
  for (const [term, others] of reading.synonyms) if (others.some((other) => own.has(other))) entityCovered.add(term);

  // Coverage of the question's weighted terms.
  const { total, maxWeight } = reading;
  const covered = new Set<string>();
  let hits = 0;
  let focus = 0;
  let focusMissed = 0;
  for (const [term, weight] of reading.terms) {
    const inside = own.has(term) || entityCovered.has(term) || asking.has(term);
    if (inside) {
      hits += weight;
      covered.add(term);
    } else if (around.has(term)) hits += SCORE_WEIGHTS.context * weight;
    if (weight >= FOCUS_SHARE * maxWeight) {
      focus++;
      if (!inside && !around.has(term)) focusMissed++;
    }
  }
  score += total === 0 ? 0 : hits / total;
  if (focus > 0) score += SCORE_WEIGHTS.focusMissing * (focusMissed / focus);

  if (reading.kinds.length > 0) score += strength > 0 ? SCORE_WEIGHTS.kindFound * strength : SCORE_WEIGHTS.kindMissing;
  score += SCORE_WEIGHTS.retrieval * match.score + SCORE_WEIGHTS.length * (unit.text.length / 100);
  return { ...unit, match, score, covered, conflict, kindFound: reading.kinds.length === 0 || strength > 0 };
}

export interface AnswerSelection {
  /** The chosen sentences, best first within their passage order. */
  units: ScoredUnit[];
  /** The best sentence's relevance (compared with ANSWER_THRESHOLD). */
  relevance: number;
  /** What kind of answer the question wants (a price, a time, a phone number…); empty when it does not say. */
  kinds: AnswerKind[];
  /**
   * The payment method a question asks about, and what the quoted sentences say of it: named as accepted,
   * named as refused, or missing from the list of accepted methods.
   */
  method?: { name: string; listed: "yes" | "refused" | "no" };
}

/** A sentence that leans on the one before it ("They ship by ground…", "You can also ask…"; not "There is no fee."). */
const NEEDS_ANTECEDENT = /^(they|it|this|that|these|those|there(?! (is|are|was|were|will be|may be|can be)\b)|he|she|its|their|or|also|you can also|we can also)\b/i;
/** A second sentence must score at least this share of the first's. */
const SECOND_SHARE = 0.8;
/** …and a sibling row or list item this share. */
const SIBLING_SHARE = 0.8;
const MAX_UNITS = 6;
const NOT_ACCEPTED = /\b(don't|do not|doesn't|does not|can't|cannot|not) (accept|take|offer|support)\b/i;

/** A sibling names the entity asked about wherever the best unit does (no "other destinations" row beside "Canada"). */
function namesAskedLike(reading: QuestionReading, unit: Unit, best: Unit): boolean {
  const unitNames = entitiesIn(unit.text);
  const bestNames = entitiesIn(best.text);
  for (const [group, asked] of reading.entities) {
    const hits = (names: Map<string, Set<string>>) => [...(names.get(group) ?? [])].some((member) => asked.has(member));
    if (hits(bestNames) && !hits(unitNames)) return false;
  }
  return true;
}

/** The sentences that answer the question across the retrieved passages, whatever their relevance. */
export function selectAnswer(question: string, matches: KnowledgeMatch[], options: { queryLanguage?: string } = {}): AnswerSelection | undefined {
  const reading = readQuestion(question, options.queryLanguage);
  // A passage written in the question's own language is read against the question's own words.
  const ownLanguage = expansionLanguage(options.queryLanguage);
  const ownReading = ownLanguage
    ? { ...readQuestion(withoutFunctionWords(question, ownLanguage)), kinds: reading.kinds.filter((kind) => LANGUAGE_NEUTRAL_KINDS.has(kind)) }
    : reading;
  const readingFor = (match: KnowledgeMatch) => (ownLanguage && expansionLanguage(match.language) === ownLanguage ? ownReading : reading);
  if (reading.terms.size === 0 && ownReading.terms.size === 0) return undefined;
  const scored: ScoredUnit[] = [];
  const seen = new Set<string>();
  const unitsOf = new Map<KnowledgeMatch, Unit[]>();
  for (const match of usableMatches(matches).slice(0, MAX_PASSAGES)) {
    const units = passageUnits(match);
    unitsOf.set(match, units);
    for (const unit of units) {
      // The same fact in an article and in a policy is read once (the better-ranked passage keeps it).
      const key = unit.text.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const result = scoreUnit(readingFor(match), unit, match);
      // The shopper's own language is the better quote when it answers as well.
      if (ownLanguage && readingFor(match) === ownReading) result.score += SCORE_WEIGHTS.ownLanguage;
      if (NEEDS_ANTECEDENT.test(unit.text) && units[unit.index - 1]?.context !== unit.context) result.score += SCORE_WEIGHTS.dangling;
      scored.push(result);
    }
  }
  if (scored.length === 0) return undefined;
  scored.sort((a, b) => b.score - a.score);
  const best = scored[0]!;
  const chosen = [best];
  const neighbours = unitsOf.get(best.match) ?? [];
  const previous = neighbours[best.index - 1];
  const next = neighbours[best.index + 1];
  const bestReading = readingFor(best.match);
  if (NEEDS_ANTECEDENT.test(best.text) && previous?.context === best.context) chosen.unshift(scoreUnit(bestReading, previous, best.match));
  // A sentence that asks ("Need your company name on the invoice?") is answered by the one after it.
  if (best.text.endsWith("?") && next) chosen.push(scoreUnit(bestReading, next, best.match));
  const missing = [...bestReading.terms.keys()].filter((term) => !best.covered.has(term));
  const second = scored
    .slice(1)
    .find(
      (unit) =>
        !unit.conflict &&
        unit.kindFound &&
        unit.score >= SECOND_SHARE * best.score &&
        missing.some((term) => unit.covered.has(term)) &&
        !chosen.some((other) => other.match === unit.match && other.index === unit.index),
    );
  if (second && chosen.length < 2) chosen.push(second);
  // Other rows of the same table or items of the same list that answer as well (weekday and Saturday hours).
  if (best.listed) {
    const siblings = scored.filter(
      (unit) =>
        unit.listed &&
        unit.match === best.match &&
        unit.context === best.context &&
        !unit.conflict &&
        unit.kindFound &&
        unit.score >= SIBLING_SHARE * best.score &&
        namesAskedLike(bestReading, unit, best) &&
        !chosen.some((other) => other.match === unit.match && other.index === unit.index),
    );
    for (const sibling of siblings.slice(0, MAX_UNITS - chosen.length)) chosen.push(sibling);
  }
  // A payment method that none of the quoted sentences names is not accepted: the sentence saying what isn't
  // accepted goes with the list ("Do you take Klarna?" → what we accept, and "We don't accept …").
  // The method asked about is the one the question names first ("And Klarna?" after PayPal reads "klarna … paypal").
  const askedMethod = bestReading.kinds.includes("payment") && bestReading.methodTerms.size > 0 ? methodName(bestReading.english) : undefined;
  const askedTerms = askedMethod ? contentTerms(askedMethod.toLowerCase()) : [];
  const naming = askedMethod ? chosen.filter((unit) => askedTerms.every((term) => termSet(unit.text).has(term))) : [];
  const unnamed = askedMethod !== undefined && naming.length === 0;
  if (unnamed && chosen.length < MAX_UNITS) {
    const refusal = scored.find((unit) => unit.match === best.match && NOT_ACCEPTED.test(unit.text) && !chosen.includes(unit));
    if (refusal) chosen.push(refusal);
    if (refusal && askedTerms.every((term) => termSet(refusal.text).has(term))) naming.push(refusal);
  }
  // Passage order within a passage; the best passage first.
  chosen.sort((a, b) => (a.match === b.match ? a.index - b.index : a.match === best.match ? -1 : b.match === best.match ? 1 : 0));
  const listed = naming.length === 0 ? "no" : naming.some((unit) => !NOT_ACCEPTED.test(unit.text)) ? "yes" : "refused";
  const method = askedMethod ? { name: askedMethod, listed: listed as "yes" | "refused" | "no" } : undefined;
  return { units: chosen, relevance: best.score, kinds: bestReading.kinds, ...(method ? { method } : {}) };
}

/** The payment method a question names, as a name ("apple pay" → "Apple Pay"). */
function methodName(englishQuestion: string): string | undefined {
  const named = PAYMENT_METHOD.exec(englishQuestion)?.[0];
  return named?.replace(/\b\p{L}/gu, (letter) => letter.toUpperCase());
}

/**
 * The merchant's sentences that answer the question, with the passages they come from, or undefined when the
 * knowledge does not answer it. `sourceLanguage` is the language of the quoted passage, so the caller can say
 * it quotes, say, English text in a German reply.
 */
export function knowledgeReply(
  question: string,
  matches: KnowledgeMatch[],
  language: PhraseLanguage,
  options: { queryLanguage?: string; shopCurrency?: string } = {},
): { text: string; citations: Citation[]; sourceLanguage?: string; lead?: string } | undefined {
  const selection = selectAnswer(question, matches, options);
  if (!selection || selection.relevance < ANSWER_THRESHOLD) return undefined;
  const citations: Citation[] = [];
  for (const { match } of selection.units) {
    if (!citations.some((citation) => citation.chunkId === match.chunkId)) citations.push({ sourceId: match.sourceId, chunkId: match.chunkId, title: match.title });
  }
  const text = selection.units.map((unit) => unit.shown ?? unit.text).join(" ");
  const sourceLanguage = selection.units[0]!.match.language || undefined;
  // "Do you take Klarna?" is answered yes or no first, in the shopper's language; a quote in another language
  // is led by its figures in the shopper's.
  const { method } = selection;
  const leads = [
    method ? phrase(language, method.listed === "yes" ? "methodListed" : method.listed === "refused" ? "methodRefused" : "methodNotListed", { method: method.name }) : undefined,
    // About a payment method the store does not take, the figures quoted are other methods' (instalment limits).
    (sourceLanguage ?? "en") !== language && (!method || method.listed === "yes")
      ? factsLead(text, language, options.shopCurrency ?? "USD", method ? undefined : factKindsAsked(selection.kinds))
      : undefined,
  ].filter(Boolean);
  return { text, citations, sourceLanguage, ...(leads.length > 0 ? { lead: leads.join(" ") } : {}) };
}

/** The figures worth leading with for the kinds of answer asked; every kind when the question names none. */
function factKindsAsked(kinds: AnswerKind[]): ReadonlySet<FactKind> | undefined {
  if (kinds.length === 0) return undefined;
  const byKind: Partial<Record<AnswerKind, FactKind[]>> = {
    amount: ["amount"],
    duration: ["period"],
    window: ["period"],
    percent: ["percent"],
    phone: ["phone"],
    email: ["email"],
    contact: ["phone", "email"],
  };
  return new Set(kinds.flatMap((kind) => byKind[kind] ?? []));
}

function factsLead(text: string, language: PhraseLanguage, shopCurrency: string, asked: ReadonlySet<FactKind> | undefined): string | undefined {
  const facts = keyFacts(text, language, shopCurrency, asked);
  return facts.length > 0 ? phrase(language, "keyFacts", { facts: facts.join(", ") }) : undefined;
}

/**
 * A short follow-up read with the question it leans on, in English: "And to Germany?" after "How much is
 * shipping to Canada?" asks about shipping to Germany, not Canada. What the follow-up names replaces what the
 * earlier question named in the same group (destination, payment method…).
 */
export function followUpQuestion(previous: string, current: string, queryLanguage?: string): string {
  const earlier = expandQuery(previous, queryLanguage).englishText;
  const now = expandQuery(current, queryLanguage).englishText;
  const named = entitiesIn(now);
  let rest = earlier;
  for (const [group, members] of Object.entries(ENTITY_GROUPS)) {
    if (!named.has(group)) continue;
    for (const pattern of Object.values(members)) rest = rest.replace(new RegExp(pattern.source, "gi"), " ");
  }
  return `${now} ${rest}`.replace(/\s+/g, " ").trim();
}
