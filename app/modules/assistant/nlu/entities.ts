import { productAttributeAsked } from "../catalogue/attributes";
import { GENERIC_WORDS, SERVICE_WORDS, fold, foldedStem, translateProductWord } from "../catalogue/lexicon";

/**
 * Entities in a shopper's message: order numbers, e-mails, tracking numbers, money amounts and the shop's
 * products it mentions. Rule-based and deterministic.
 *
 * Extractors run on a working copy of the text in a fixed order; each blanks what it consumed (same
 * length, so offsets stay valid) so that later, greedier patterns cannot reuse it: a tracking number is
 * never also an order number, a phone number or a date is never an order number, and "$45" is never
 * order 45.
 */

export type Carrier = "ups" | "usps" | "fedex" | "dhl" | "royal_mail" | "canada_post";

export interface TrackingNumber {
  number: string;
  carrier?: Carrier;
}

export interface Amount {
  value: number;
  /** ISO 4217 code; absent when the text names no currency ("I paid 45.99"). */
  currency?: string;
}

export interface ProductRef {
  id: string;
  title: string;
  /** Optional words about the product (its type, brand, tags, description): with them, a product the shop does not sell is told apart from one it does. */
  productType?: string | null;
  vendor?: string | null;
  tags?: string[];
  description?: string;
}

export interface ProductMatch extends ProductRef {
  /** 0..1: the weighted share of the title's distinctive words in the message, at least 0.7 when they single out this product line. */
  score: number;
}

export interface Entities {
  orderNumbers: string[];
  emails: string[];
  trackingNumbers: TrackingNumber[];
  amounts: Amount[];
  products: ProductMatch[];
  /**
   * Products the shopper asks for that the shop does not sell, as typed ("do you sell iPhone cases?" →
   * "iPhone cases"); empty when no catalogue was given.
   */
  unknownProducts: string[];
}

export interface EntityContext {
  /** How the shop writes order names before the number ("#" for "#1001", Shopify's default). */
  orderNamePrefix?: string;
  products?: ProductRef[];
}

const MAX_INPUT_CHARS = 4000;
const DEFAULT_ORDER_PREFIX = "#";

/** A value with the offset it was found at, to report values in text order whichever pattern found them. */
type Located<T> = { at: number; value: T };

function inTextOrder<T>(items: Located<T>[], key: (value: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const { value } of [...items].sort((a, b) => a.at - b.at)) {
    const k = key(value);
    if (!seen.has(k)) out.push(value);
    seen.add(k);
  }
  return out;
}

/** Replaces [start, end) with spaces, keeping every other offset unchanged. */
function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + " ".repeat(end - start) + text.slice(end);
}

/** Runs a global regex over the working text, blanking every match for which `take` returns true. */
function consume(text: string, pattern: RegExp, take: (match: RegExpExecArray) => boolean): string {
  let out = text;
  for (const match of text.matchAll(pattern)) {
    if (take(match)) out = blank(out, match.index, match.index + match[0].length);
  }
  return out;
}

// ----------------------------------------------------------------------------------------------------
// E-mails and URLs
// ----------------------------------------------------------------------------------------------------

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const URL = /\b(?:https?:\/\/|www\.)\S+/gi;

// ----------------------------------------------------------------------------------------------------
// Tracking numbers
// ----------------------------------------------------------------------------------------------------

/** "1Z" + 16 characters, also as printed on labels: "1Z 999 AA1 01 2345 6784". */
const UPS = /\b1Z(?:[0-9A-Z]{16}| ?[0-9A-Z]{3} ?[0-9A-Z]{3} ?\d{2} ?\d{4} ?\d{4})\b/gi;
/** UPU S10 ("RR123456789GB"): the country suffix names the postal operator. */
const S10 = /\b[A-Z]{2}\d{9}([A-Z]{2})\b/gi;
const S10_CARRIERS: Record<string, Carrier> = { GB: "royal_mail", CA: "canada_post", US: "usps" };
const DHL_JJD = /\bJJD\d{10,20}\b/gi;
/** Plain digit runs, or 20–22 digits in the 4-digit groups USPS prints ("9400 1112 0219 7012 3456 78"). */
const DIGIT_RUN = /(?<![\p{L}\p{N}#$€£.,-])(?:\d{10,22}|\d{4}(?: \d{4}){4}(?: \d{1,2})?)(?![\p{L}\p{N}]|[.,]\d)/gu;
/** "+1 ", "+44 (0)", "(503) ": the start of an international or area-coded phone number. */
const PHONE_LEAD = /(?:\+\d{0,3}|\(\d{1,4}\))[\s.-]?$/;
const PHONE_WORDS =
  /(?<!\p{L})(?:phone|call|tel|mobile|cell|whatsapp|sms|text me|fax|téléphone|portable|telefon|handy|teléfono|móvil|celular|telefono|cellulare|telefone|telemóvel|telefoon|mobiel)\W{0,3}(?:\p{L}+\W{1,3}){0,3}$/iu;

/** Payment card numbers pass the Luhn check; they must never be echoed back as tracking numbers. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

function digitRunCarrier(digits: string, before: string): Carrier | "phone" | "card" | undefined {
  if (PHONE_LEAD.test(before)) return "phone";
  switch (digits.length) {
    case 10:
      // National phone numbers ("0612345678") and numbers right after "call me at" are phones, not DHL.
      return digits.startsWith("0") || PHONE_WORDS.test(before) ? "phone" : "dhl";
    case 12:
    case 15:
      return "fedex";
    case 16:
      return /^[3-6]/.test(digits) && luhnValid(digits) ? "card" : "canada_post";
    case 20:
    case 21:
    case 22:
      // FedEx Ground/SmartPost barcodes start with 96; USPS ones with 92–95.
      return digits.startsWith("96") ? "fedex" : "usps";
    default:
      return undefined;
  }
}

function extractTracking(text: string): { text: string; found: Located<TrackingNumber>[] } {
  const found: Located<TrackingNumber>[] = [];
  const add = (at: number, number: string, carrier: Carrier | undefined) => found.push({ at, value: carrier ? { number, carrier } : { number } }) > 0;
  let out = consume(text, UPS, (match) => add(match.index, match[0].replace(/ /g, "").toUpperCase(), "ups"));
  out = consume(out, DHL_JJD, (match) => add(match.index, match[0].toUpperCase(), "dhl"));
  out = consume(out, S10, (match) => add(match.index, match[0].toUpperCase(), S10_CARRIERS[match[1]!.toUpperCase()]));
  out = consume(out, DIGIT_RUN, (match) => {
    const digits = match[0].replace(/ /g, "");
    const kind = digitRunCarrier(digits, out.slice(Math.max(0, match.index - 40), match.index));
    if (kind === undefined || kind === "phone") return kind === "phone";
    if (kind !== "card") add(match.index, digits, kind);
    return true;
  });
  return { text: out, found };
}

// ----------------------------------------------------------------------------------------------------
// Phone numbers, dates (only blanked: they are not entities here, but look like order numbers)
// ----------------------------------------------------------------------------------------------------

const PHONES = [
  /\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,4}){1,4}\b/g,
  /(?:\(\d{2,4}\)\s?)\d{3,4}[\s.-]\d{3,4}\b/g,
  /\b\d{2,4}[.-]\d{3,4}[.-]\d{3,4}\b/g,
  /\b\d{3} \d{3} \d{4}\b/g,
  /\b0\d(?:[\s.]\d{2}){4}\b/g,
];

const MONTHS = [
  "january|february|march|april|may|june|july|august|september|october|november|december",
  "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec",
  "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre",
  "januar|jänner|februar|märz|maerz|juni|juli|oktober|dezember",
  "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre",
  "gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre",
  "janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|dezembro",
  "januari|februari|maart|mei|augustus",
].join("|");
const DATES = [
  /\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b/g,
  /\b\d{4}[./-]\d{1,2}[./-]\d{1,2}\b/g,
  new RegExp(`(?:\\b\\d{1,2}(?:st|nd|rd|th|er|\\.)?\\s+(?:de\\s+)?)?\\b(?:${MONTHS})\\b\\.?(?:\\s+\\d{1,2}(?:st|nd|rd|th)?\\b)?(?:,?\\s+(?:de\\s+)?\\d{4}\\b)?`, "giu"),
  /\b(?:in|since|from|year|until|en|depuis|année|im|seit|jahr|desde|año|nel|dal|anno|em|ano|sinds|jaar)\s+(?:19|20)\d{2}\b/giu,
];

// ----------------------------------------------------------------------------------------------------
// Amounts
// ----------------------------------------------------------------------------------------------------

const NUMBER = String.raw`\d{1,3}(?:[,.'\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const SYMBOLS: Record<string, string> = {
  $: "USD", "US$": "USD", "CA$": "CAD", C$: "CAD", A$: "AUD", AU$: "AUD", NZ$: "NZD", R$: "BRL", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₣": "CHF",
};
const CODES = "usd|eur|gbp|cad|aud|nzd|chf|jpy|sek|nok|dkk|pln|brl|mxn|inr";
const WORDS: Record<string, string> = {
  dollar: "USD", dollars: "USD", buck: "USD", bucks: "USD", euro: "EUR", euros: "EUR", pound: "GBP", pounds: "GBP", quid: "GBP",
  franc: "CHF", francs: "CHF", franken: "CHF", yen: "JPY", reais: "BRL", real: "BRL", rupees: "INR",
};
const SYMBOL = String.raw`US\$|CA\$|AU\$|NZ\$|C\$|A\$|R\$|[$€£¥₹₣]`;
const AMOUNT_BEFORE = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:(${SYMBOL})|(${CODES})\b)\s?(${NUMBER})(?![\p{N}])`, "giu");
const AMOUNT_AFTER = new RegExp(
  String.raw`(?<![\p{L}\p{N}.,])(${NUMBER})\s?(?:(${SYMBOL})|(${CODES}|${Object.keys(WORDS).join("|")})(?![\p{L}]))`,
  "giu",
);
/** A number right after paying/charging words is money even without a currency ("I paid 45.99"). */
const AMOUNT_WORDS = new RegExp(
  String.raw`\b(?:paid|pay|charged|cost|costs|price|priced|total|amount|refund(?:ed)?(?: of)?|payé|bezahlt|pagado|pagato|pago|betaald)\s+(?:(?:me|was|is|of|only|just|€|\$)\s+)*(${NUMBER})(?![\p{L}\p{N}]|[.,/:-]\d)`,
  "giu",
);

/** "1,234.56", "1.234,56", "45,50", "1 000" → number: the last separator followed by 1–2 digits is the decimal one. */
export function parseAmount(raw: string): number {
  const compact = raw.replace(/[\s'\u00a0\u202f]/g, "");
  const decimal = /[.,](\d{1,2})$/.exec(compact);
  const whole = (decimal ? compact.slice(0, decimal.index) : compact).replace(/[.,]/g, "");
  return Number(decimal ? `${whole}.${decimal[1]}` : whole);
}

function extractAmounts(text: string): { text: string; found: Located<Amount>[] } {
  const found: Located<Amount>[] = [];
  let out = consume(text, AMOUNT_BEFORE, (match) => {
    const currency = match[1] ? SYMBOLS[match[1].toUpperCase()] : match[2]!.toUpperCase();
    return found.push({ at: match.index, value: { value: parseAmount(match[3]!), currency } }) > 0;
  });
  out = consume(out, AMOUNT_AFTER, (match) => {
    const currency = match[2] ? SYMBOLS[match[2].toUpperCase()] : (WORDS[match[3]!.toLowerCase()] ?? match[3]!.toUpperCase());
    return found.push({ at: match.index, value: { value: parseAmount(match[1]!), currency } }) > 0;
  });
  out = consume(out, AMOUNT_WORDS, (match) => found.push({ at: match.index, value: { value: parseAmount(match[1]!) } }) > 0);
  return { text: out, found };
}

// ----------------------------------------------------------------------------------------------------
// Order numbers
// ----------------------------------------------------------------------------------------------------

const ORDER_WORDS = [
  "order(?:s)?(?:\\s+(?:number|num|no|nr|id|ref(?:erence)?))?",
  "purchase",
  "(?:num[ée]ro\\s+de\\s+)?commandes?",
  "bestell(?:ung(?:en)?|nummer|nr)",
  "auftrag(?:snummer)?",
  "(?:n[úu]mero\\s+de\\s+)?pedidos?",
  "(?:numero\\s+d[ie]l?l?'?\\s*)?ordin[ei]",
  "encomendas?",
  "bestel(?:ling(?:en)?|nummer)",
].join("|");
/** "order 1042", "order no. 1042", "commande n° 1042", "Bestellnummer: 1042", "pedido número 1042". */
const ORDER_ANCHORED = new RegExp(
  String.raw`\b(?:${ORDER_WORDS})\b\s*(?:(?:number|num|no|nr|n°|nº|n|#|id|num[ée]ro|n[úu]mero|nummer|is|was|ist|est|es|è|é|:|-)\.?\s*)*#?\s?(\d{3,10})(?![\p{L}\p{N}]|[.,]\d)`,
  "giu",
);
/** More numbers listed after an anchored one: "orders 1042, 1043 and #1044". */
const ORDER_LIST_ITEM = /^\s*(?:,|&|\/|and|or|et|ou|und|oder|y|o|e|en|of)\s*#?\s?(\d{3,10})(?![\p{L}\p{N}]|[.,]\d)/iu;
const NUMBER_SIGN = /(?:(?<![\p{L}\p{N}])(?:n°|nº|no\.|nr\.)\s?|#\s?)(\d{3,10})(?![\p{L}\p{N}]|[.,]\d)/giu;
/** A bare 4–7 digit number: "1042" or "it's 1042". Shorter ones are sizes and counts; longer ones, and a leading 0, are not order names. */
const BARE_NUMBER = /(?<![\p{L}\p{N}#$€£.,:/-])(?!0)(\d{4,7})(?![\p{L}\p{N}]|[.,:/-]\d|\s?(?:%|x\b))/gu;
const UNIT_AFTER =
  /^\s*(?:days?|weeks?|months?|years?|hours?|hrs?|minutes?|mins?|times?|items?|pieces?|pcs|units?|pairs?|people|km|cm|mm|kg|g|lbs?|oz|ml|l|miles?|calories|kcal|mah|w|gb|jours?|tage?n?|d[ií]as|giorni|dias|dagen)\b/iu;
/** Words after which a number is a size, count, model, postcode or flat rather than an order. */
const NOT_ORDER_BEFORE =
  /(?:size|taille|größe|grösse|talla|taglia|tamanho|maat|qty|quantity|x|model|modell|modèle|modelo|modello|zip|zip code|postcode|postal code|code postal|plz|cep|apt|suite|unit)\W{0,3}(?:is\W+)?$/iu;
/**
 * A street: "1234 Juniper Way" (capitalised, since "1042 on its way" is not one), "1234 maple ave", "rue de Rivoli",
 * "Hauptstraße 5".
 */
const STREETS = [
  /\b\d{1,5}\s+(?:\p{Lu}[\p{L}.'-]*\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Highway|Hwy)\b/u,
  /\b\d{1,5}\s+(?:[\p{L}.'-]+\s+){1,3}(?:street|st|avenue|ave|rd|boulevard|blvd|ln|dr|ct|hwy)\b/iu,
  /\b(?:rue|avenue|calle|avenida|via|viale|piazza|rua|straat|laan|plein)\s+\p{L}/iu,
  /\p{L}(?:straße|strasse|str\.|weg|gasse|platz)\s*\d/iu,
];
/** A postcode: "OR 97205", "NSW 2000", "75009 Paris", "M5V 2T6", "NW1 9LR". */
const POSTCODE = /\b[A-Z]{2,3}\s+\d{4,5}(?:-\d{4})?\b|\b\d{5}\s+\p{Lu}\p{Ll}+|\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b/u;

function extractOrderNumbers(text: string, prefix: string): string[] {
  const numbers: Located<string>[] = [];
  let out = text;
  for (const match of text.matchAll(ORDER_ANCHORED)) {
    numbers.push({ at: match.index, value: match[1]! });
    let end = match.index + match[0].length;
    for (let item = ORDER_LIST_ITEM.exec(text.slice(end)); item; item = ORDER_LIST_ITEM.exec(text.slice(end))) {
      numbers.push({ at: end, value: item[1]! });
      end += item[0].length;
    }
    out = blank(out, match.index, end);
  }
  const prefixPattern =
    prefix !== DEFAULT_ORDER_PREFIX ? new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(prefix)}\\s?(\\d{3,10})(?![\\p{L}\\p{N}]|[.,]\\d)`, "giu") : undefined;
  for (const pattern of prefixPattern ? [prefixPattern, NUMBER_SIGN] : [NUMBER_SIGN]) {
    out = consume(out, pattern, (match) => numbers.push({ at: match.index, value: match[1]! }) > 0);
  }
  // In a message with an address, bare numbers are house numbers and postcodes.
  if (!POSTCODE.test(text) && !STREETS.some((street) => street.test(text))) {
    for (const match of out.matchAll(BARE_NUMBER)) {
      const after = out.slice(match.index + match[0].length);
      const before = out.slice(Math.max(0, match.index - 20), match.index);
      if (!UNIT_AFTER.test(after) && !NOT_ORDER_BEFORE.test(before)) numbers.push({ at: match.index, value: match[1]! });
    }
  }
  return inTextOrder(numbers, (digits) => digits).map((digits) => `${prefix}${digits}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// ----------------------------------------------------------------------------------------------------
// Products
// ----------------------------------------------------------------------------------------------------

/** Words that connect others or describe a variant ("Men's") rather than name a product. */
const TITLE_NOISE = new Set([
  ...["the", "a", "an", "and", "with", "for", "of", "in", "by", "men", "mens", "women", "womens", "unisex", "kid", "kids"],
  // Particles that only name something with their neighbour ("Slip-On"): "check on my order" names no shoe.
  ...["on", "off", "up", "out", "to", "at", "or", "it", "is", "my", "go", "all"],
]);
/** Naming nouns that also mean something else in a shop's chat: a payment card, a set of anything. */
const HEADS_NOT_ALONE = new Set(["card", "set"]);
const VARIANT_WORDS = new Set(["men", "mens", "women", "womens", "unisex", "kid", "kids"]);
const MIN_PRODUCT_SCORE = 0.6;
/** Score floor for a message that singles out one product line ("the parka" when only one title has it). */
const IDENTIFIED_SCORE = 0.7;
/** A match at or above this score names the product; below it, the product is only a candidate. */
export const NAMED_PRODUCT_SCORE = IDENTIFIED_SCORE;
const MAX_PRODUCTS = 5;
const MAX_UNKNOWN_WORDS = 6;

/** Lower-case, accent-free word stems (plural "s" dropped) of letters and digits. */
function productTokens(text: string): string[] {
  return fold(text)
    .replace(/['’]s\b/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 1)
    .map(foldedStem);
}

interface IndexedProduct {
  product: ProductRef;
  /** Distinctive words, weighted by rarity across product lines; digits ("700", "2.5l") weigh 0: shoppers rarely type them. */
  core: { token: string; weight: number }[];
  /** The naming noun: the last word before the variant (" - Men's") and pack size ("(2-Pack)"). */
  head: string | undefined;
  /** Words of the title that tell its versions apart ("women" in "- Women's"). */
  variant: string[];
}

interface ProductIndex {
  products: IndexedProduct[];
  lines: Set<string>[];
  /** Every word of the catalogue (titles, types, tags, vendors, descriptions): what the shop's products are made of. */
  vocabulary: Set<string>;
  /** Words of five letters or more in the vocabulary, for typo-tolerant look-ups. */
  longWords: string[];
  /** Naming nouns of all titles ("jacket", "hoodie"): a capitalised unknown word next to one names a product. */
  heads: Set<string>;
}

/**
 * Indexes of recently seen catalogues: by array (callers pass the same cached array every turn), then by
 * content for callers that load the products afresh.
 */
const indexesByArray = new WeakMap<ProductRef[], ProductIndex>();
const productIndexes = new Map<string, ProductIndex>();
const MAX_CACHED_CATALOGUES = 16;

function catalogueKey(products: ProductRef[]): string {
  return products
    .map((p) => [p.id, p.title, p.productType ?? "", p.vendor ?? "", (p.tags ?? []).join(","), p.description ?? ""].join("\u0000"))
    .join("\u0001");
}

/** Each title's core words, head noun and product line, and the catalogue's vocabulary (cached). */
function productIndex(products: ProductRef[]): ProductIndex {
  const byArray = indexesByArray.get(products);
  if (byArray) return byArray;
  const key = catalogueKey(products);
  const cached = productIndexes.get(key);
  if (cached) {
    // Map order is insertion order: re-inserting keeps the least recently used catalogue first.
    productIndexes.delete(key);
    productIndexes.set(key, cached);
    indexesByArray.set(products, cached);
    return cached;
  }
  const cores = products.map((product) => [...new Set(productTokens(product.title))].filter((token) => !TITLE_NOISE.has(token)));
  const lines = new Map<string, Set<string>>();
  for (const core of cores) lines.set([...core].sort().join(" "), new Set(core));
  const df = new Map<string, number>();
  for (const line of lines.values()) for (const token of line) df.set(token, (df.get(token) ?? 0) + 1);
  const vocabulary = new Set<string>();
  const heads = new Set<string>();
  const indexed = products.map((product, i) => {
    const core = cores[i]!;
    const naming = productTokens(product.title.split(" - ")[0]!.replace(/\([^)]*\)/g, " ")).filter((token) => !/\d/.test(token) && !TITLE_NOISE.has(token));
    const head = naming.at(-1);
    if (head) heads.add(head);
    for (const text of [product.title, product.productType ?? "", product.vendor ?? "", ...(product.tags ?? []), product.description ?? ""]) {
      for (const token of productTokens(text)) vocabulary.add(token);
    }
    return {
      product,
      core: core.map((token) => ({ token, weight: /\d/.test(token) ? 0 : Math.log(1 + lines.size / df.get(token)!) })),
      head,
      variant: [...new Set(productTokens(product.title))].filter((token) => VARIANT_WORDS.has(token)),
    };
  });
  const index: ProductIndex = { products: indexed, lines: [...lines.values()], vocabulary, longWords: [...vocabulary].filter((word) => word.length >= 5), heads };
  productIndexes.set(key, index);
  indexesByArray.set(products, index);
  if (productIndexes.size > MAX_CACHED_CATALOGUES) productIndexes.delete(productIndexes.keys().next().value!);
  return index;
}

/** One substitution, insertion or deletion apart (typos like "hoddie", "sleping"). */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** A title word in the message, as typed or with one typo; `typos` are the message words that may be typos. */
function mentions(words: Set<string>, typos: string[], token: string): boolean {
  if (words.has(token)) return true;
  if (token.length < 5) return false;
  for (const word of typos) if (withinOneEdit(word, token)) return true;
  return false;
}

/** The message's words, with product nouns in French, German and Spanish also read as the catalogue's English ones. */
function messageWords(text: string, index: ProductIndex): Set<string> {
  const words = new Set<string>();
  for (const token of productTokens(text)) {
    words.add(token);
    if (!index.vocabulary.has(token)) for (const english of translateProductWord(token)) words.add(english);
  }
  return words;
}

/** Whether the catalogue knows a word, allowing one typo in long words and reading other languages' product nouns. */
function knownWord(token: string, index: ProductIndex): boolean {
  if (index.vocabulary.has(token) || GENERIC_WORDS.has(token) || TITLE_NOISE.has(token) || /\d/.test(token)) return true;
  if (translateProductWord(token).some((english) => index.vocabulary.has(english))) return true;
  // Typos keep the first letter; "iphone" is not a typo of "phone".
  return token.length >= 5 && index.longWords.some((word) => word[0] === token[0] && withinOneEdit(word, token));
}

interface UnknownMention {
  /** As the shopper typed it, without leading articles: "iPhone cases", "Nimbus rain jacket". */
  name: string;
  /** Its words as productTokens reads them (with translations): products found only through these are not named by it. */
  tokens: Set<string>;
}

/** "do you sell …", "vendez-vous …", "haben Sie …", "¿tienen …": what follows is a product the shopper is looking for. */
const PRODUCT_REQUEST =
  /(?<![\p{L}])(?:do (?:you|u|y'?all|ya)(?: guys)?(?: also| still| even| ever| currently)? (?:sell|have|carry|stock|offer|make)|have you got|(?:i'?m|i am|we'?re|we are) (?:looking|searching) for|where can i (?:buy|find|get)|vendez-vous|avez-vous|auriez-vous|proposez-vous|est-ce que vous (?:vendez|avez|proposez)|vous (?:vendez|avez|proposez)|je (?:re)?cherche|(?:haben|verkaufen|f[üu]hren) (?:sie|ihr)|habt ihr|verkauft ihr|f[üu]hrt ihr|gibt es bei (?:euch|ihnen)|ich suche|hast du|ten[ée]is|tienen|tienes|venden|vend[ée]is|vendes|manejan|ofrecen|busco|estoy buscando)\s+/giu;
/** Where the product's name ends: punctuation, or a word that starts what is said about it ("in blue", "for kids"). */
const REQUEST_END =
  /[?!.,;:()\n¿¡]|\s(?:in|for|with|that|which|at|from|on|under|below|than|like|to|by|anymore|too|please|pls|available|here|online|right|now|if|because|anywhere|en|avec|qui|que|à|au|aux|chez|dans|ici|encore|aussi|svp|s'il|im|mit|auf|noch|auch|bitte|da|hier|zu|vorrätig|con|aquí|ahora|todavía|disponibles?)(?![\p{L}])/iu;
const REQUEST_ALTERNATIVES = /\s(?:and|or|et|ou|und|oder|y|o)\s/iu;
const LEADING_ARTICLES = /^(?:(?:the|a|an|any|some|your|le|la|les|l'|l’|un|une|des|du|de|vos|der|die|das|den|einen|eine|ein|el|los|las|unos|unas|uno|una|sus)\s+|l['’])+/iu;

/** The products a message asks for by name that the catalogue does not have. */
function unknownMentions(text: string, index: ProductIndex): UnknownMention[] {
  const found: UnknownMention[] = [];
  // In a message typed in capitals or Title Case, a capital letter does not mark a name.
  const inner = [...text.matchAll(/\p{L}{2,}/gu)].filter((match) => match.index > 0 && !/[.!?¿¡]\s*$/.test(text.slice(0, match.index))).map((match) => match[0]);
  const capitalsMeanNames = inner.filter((word) => /^\p{Lu}/u.test(word)).length * 4 < inner.length * 3 && /\p{Ll}/u.test(text);
  const consider = (phrase: string) => {
    const name = phrase.trim().replace(LEADING_ARTICLES, "").split(/\s+/).slice(0, MAX_UNKNOWN_WORDS).join(" ").trim();
    const words = name.split(/\s+/).map((word) => ({ capitalised: capitalsMeanNames && /\p{Lu}/u.test(word), tokens: productTokens(word) }));
    const tokens = words.flatMap((word) => word.tokens);
    if (tokens.length === 0 || tokens.some((token) => SERVICE_WORDS.has(token))) return;
    const content = words
      .flatMap((word) => word.tokens.map((token) => ({ token, capitalised: word.capitalised })))
      .filter(({ token }) => !GENERIC_WORDS.has(token) && !TITLE_NOISE.has(token) && !/^\d+$/.test(token))
      .map((entry) => ({ ...entry, known: knownWord(entry.token, index) }));
    if (content.length === 0 || content.every((entry) => entry.known)) return;
    // The naming noun is the last word ("rain shells"), or the first in French and Spanish ("veste Nimbus"). An
    // unknown naming noun next to known words is a kind of product the catalogue words differently; an unknown
    // brand or model name before it (or a capitalised one anywhere) is another product.
    const headFirst = content.length > 1 && !index.vocabulary.has(content[0]!.token) && translateProductWord(content[0]!.token).length > 0;
    const head = headFirst ? 0 : content.length - 1;
    const otherProduct = content.every((entry) => !entry.known) || content.some((entry, i) => !entry.known && (i !== head || entry.capitalised));
    if (otherProduct) found.push({ name, tokens: new Set(tokens.flatMap((token) => [token, ...translateProductWord(token)])) });
  };

  // "do you sell X?": X is a product request; an unknown word in it means a product the shop does not have.
  for (const match of text.matchAll(PRODUCT_REQUEST)) {
    const rest = text.slice(match.index + match[0].length, match.index + match[0].length + 80);
    const end = REQUEST_END.exec(rest);
    for (const alternative of (end ? rest.slice(0, end.index) : rest).split(REQUEST_ALTERNATIVES)) consider(alternative);
  }

  // "Is the Nimbus rain jacket waterproof?", "la veste Nimbus": a capitalised word the catalogue does not know,
  // right next to a product noun, names another product.
  const words = [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)];
  const isHead = (word: string) => productTokens(word).some((token) => index.heads.has(token) || translateProductWord(token).some((english) => index.heads.has(english)));
  const isName = (i: number) => {
    const word = words[i]![0];
    if (!capitalsMeanNames || !/^\p{Lu}/u.test(word) || word === "I" || i === 0 || /[.!?]\s*$/.test(text.slice(0, words[i]!.index))) return false;
    const tokens = productTokens(word);
    return tokens.length > 0 && tokens.some((token) => !knownWord(token, index));
  };
  const adjacent = (a: number, b: number) => /^\s+$/.test(text.slice(words[a]!.index + words[a]![0].length, words[b]!.index));
  for (let i = 0; i < words.length; i++) {
    if (!isHead(words[i]![0])) continue;
    let first = i;
    while (first > 0 && i - first < 3 && adjacent(first - 1, first) && !LEADING_ARTICLES.test(`${words[first - 1]![0]} `)) first--;
    let last = i;
    // French and Spanish put the name after the noun ("la veste Nimbus"); English does not ("the jacket Sarah gave me").
    const translated = productTokens(words[i]![0]).some((token) => !index.vocabulary.has(token) && translateProductWord(token).length > 0);
    if (translated && i + 1 < words.length && adjacent(i, i + 1) && isName(i + 1)) last = i + 1;
    let named = false;
    for (let k = first; k <= last; k++) if (k !== i && isName(k)) named = true;
    if (!named) continue;
    while (first < i && !isName(first)) first++;
    const name = text.slice(words[first]!.index, words[last]!.index + words[last]![0].length);
    if (!found.some((mention) => mention.name.toLowerCase().includes(name.toLowerCase()))) consider(name);
  }

  // "Is the Zephyr 3000 in stock?", "Does the Nimbus fit true to size?": in a question about a product's
  // attributes, a capitalised unknown name after an article is the product asked about. (Only there: "the United
  // States" in "I'm from the United States" is no product.)
  if (found.length === 0 && productAttributeAsked(text) !== undefined) {
    for (let i = 1; i < words.length; i++) {
      if (!ARTICLE.test(words[i - 1]![0]) || !adjacent(i - 1, i) || !isName(i)) continue;
      let last = i;
      while (last + 1 < words.length && last - i < 3 && adjacent(last, last + 1) && /^(?:\p{Lu}|\d)/u.test(words[last + 1]![0])) last++;
      consider(text.slice(words[i]!.index, words[last]!.index + words[last]![0].length));
    }
  }
  return found;
}

/** Articles before a name. Not German ones: German capitalises every noun ("Kostet die Rücksendung etwas?"). */
const ARTICLE = /^(?:the|this|that|le|la|les|ce|cette|el|los|las|este|esta)$/iu;

/**
 * Score = weighted share of the title's words in the message; raised to at least IDENTIFIED_SCORE when
 * the words found belong to this product line only and are more than a stray word (the head noun, or
 * two words or more): "the parka" names the Down Parka, "first time ordering" does not name the First Aid Kit.
 * Words that belong to a product the shop does not sell ("the Nimbus rain jacket") never raise a score:
 * they are another product's name, so the Cascade Rain Jacket keeps only its honest share.
 */
function matchProducts(text: string, index: ProductIndex, unknown: UnknownMention[]): ProductMatch[] {
  const words = messageWords(text, index);
  if (words.size === 0) return [];
  // A word the catalogue or the shop's services use as it is ("shirt", "store") is not a typo of another ("short", "stove").
  const typos = [...words].filter((word) => word.length >= 5 && !index.vocabulary.has(word) && !SERVICE_WORDS.has(word) && !GENERIC_WORDS.has(word));
  const matches: (ProductMatch & { variant: number })[] = [];
  for (const { product, core, head, variant } of index.products) {
    const found = core.filter(({ token }) => mentions(words, typos, token));
    const total = core.reduce((sum, { weight }) => sum + weight, 0);
    if (found.length === 0 || total === 0) continue;
    const coverage = found.reduce((sum, { weight }) => sum + weight, 0) / total;
    const otherProduct = unknown.some((mention) => found.every(({ token }) => mention.tokens.has(token)));
    // "my card was charged twice" names no gift card: some naming nouns need a second word.
    const namesIt = !otherProduct && (found.length >= 2 || (found[0]!.token === head && !HEADS_NOT_ALONE.has(head)));
    const lineCount = namesIt ? index.lines.filter((line) => found.every(({ token }) => line.has(token))).length : 0;
    const score = lineCount === 1 ? IDENTIFIED_SCORE + (1 - IDENTIFIED_SCORE) * coverage : coverage;
    if (score >= MIN_PRODUCT_SCORE) {
      matches.push({ id: product.id, title: product.title, score: Math.round(score * 1000) / 1000, variant: variant.filter((token) => words.has(token)).length });
    }
  }
  // Equal scores: the version the message names ("- Women's") first.
  return matches
    .sort((a, b) => b.score - a.score || b.variant - a.variant || a.title.localeCompare(b.title))
    .slice(0, MAX_PRODUCTS)
    .map(({ variant: _variant, ...match }) => match);
}

function extractProducts(text: string, products: ProductRef[]): Pick<Entities, "products" | "unknownProducts"> {
  if (products.length === 0) return { products: [], unknownProducts: [] };
  const index = productIndex(products);
  const unknown = unknownMentions(text, index);
  return { products: matchProducts(text, index, unknown), unknownProducts: [...new Set(unknown.map((mention) => mention.name))] };
}

export { type ProductAttribute, productAttributeAsked } from "../catalogue/attributes";

// ----------------------------------------------------------------------------------------------------

/** All entities in a message. Deterministic; never throws; each list is de-duplicated, in text order. */
export function extractEntities(text: string, context: EntityContext = {}): Entities {
  const input = typeof text === "string" ? text.slice(0, MAX_INPUT_CHARS).normalize("NFKC") : "";
  const emails = [...new Set([...input.matchAll(EMAIL)].map((match) => match[0].toLowerCase()))];
  let working = consume(input, EMAIL, () => true);

  const tracking = extractTracking(working);
  working = consume(tracking.text, URL, () => true);
  for (const pattern of PHONES) working = consume(working, pattern, () => true);

  const amounts = extractAmounts(working);
  working = amounts.text;
  for (const pattern of DATES) working = consume(working, pattern, () => true);

  const prefix = context.orderNamePrefix?.trim() || DEFAULT_ORDER_PREFIX;
  return {
    orderNumbers: extractOrderNumbers(working, prefix),
    emails,
    trackingNumbers: inTextOrder(tracking.found, (entry) => entry.number),
    amounts: inTextOrder(amounts.found, (entry) => `${entry.value} ${entry.currency ?? ""}`),
    ...extractProducts(input, context.products ?? []),
  };
}
