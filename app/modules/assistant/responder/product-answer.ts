import { type ProductAttribute, isYesNoQuestion, productAttributeAsked } from "../catalogue/attributes";
import { descriptionSentences, featureTopic, negatedAt, type SelectedSentences, sentencesAbout, sentencesSharingWords } from "../catalogue/description";
import { localizedFacts } from "../catalogue/facts";
import { colourName, fold, isColour } from "../catalogue/lexicon";
import { extractEntities } from "../nlu/entities";
import { catalogueTitles } from "../settings.server";
import type { ToolContext } from "../tools/context";
import { formatMoney } from "./format";
import type { PhraseLanguage } from "./phrases";

/**
 * Answers about one of the shop's products, from the catalogue only: price and options from its variants,
 * everything else (material, fit, waterproofing, care, dimensions…) from the sentences of its description
 * that answer the question, quoted as the merchant wrote them. When the description does not say, the
 * answer says so (`not_in_description`) rather than guessing; a product the shop does not sell is
 * `unknown_product`, never answered with a different one.
 */

export type ProductAnswer =
  | { kind: "answer"; text: string; productId: string }
  | { kind: "unknown_product"; name: string }
  | { kind: "not_in_description"; productId: string; title: string };

export interface ProductQuestion {
  question: string;
  language: PhraseLanguage;
  /** Products the message names (entity matches at or above NAMED_PRODUCT_SCORE), best first. */
  productIds: string[];
  /** The product under discussion from earlier turns: the subject of "is it waterproof?". */
  focusProductId?: string;
  /** Products asked for that the shop does not sell (`entities.unknownProducts`); read from the question when absent. */
  unknownProducts?: string[];
}

/** What the answer needs of a product: the row and its variants, amounts as decimal strings. */
export interface CatalogueProduct {
  id: string;
  title: string;
  description: string;
  currency: string;
  priceMin: string;
  priceMax: string;
  available: boolean;
  variants: { title: string; price: string; available: boolean }[];
}

type Templates = Record<
  | "price"
  | "priceRange"
  | "optionPrice"
  | "inStockOptions"
  | "soldOutOptions"
  | "inStock"
  | "soldOut"
  | "optionInStock"
  | "optionSoldOut"
  | "optionNotOffered"
  | "singleVersion"
  | "quote"
  | "yes"
  | "no"
  | "topic"
  | "waterproof"
  | "notWaterproof"
  | "waterResistant"
  | "overview"
  | "inStockShort"
  | "soldOutShort"
  | "availableShort",
  string
>;

/** Glue around the catalogue's own words, per reply language. `{quote}` is the description, in the merchant's language. */
export const PRODUCT_PHRASES: Record<PhraseLanguage, Templates> = {
  en: {
    price: "{title} costs {price}.",
    priceRange: "{title} costs {min} to {max}, depending on the option.",
    optionPrice: "{title} in {option} costs {price}.",
    inStockOptions: "{title} is in stock in {options}.",
    soldOutOptions: "Sold out right now: {options}.",
    inStock: "{title} is in stock.",
    soldOut: "{title} is sold out right now.",
    optionInStock: "Yes, {title} is in stock in {option}.",
    optionSoldOut: "{title} in {option} is sold out right now.",
    optionNotOffered: "{title} doesn't come in {option}.",
    singleVersion: "{title} comes in a single version.",
    quote: 'The {title} product page says: "{quote}"',
    yes: "Yes.",
    no: "No.",
    topic: 'About {topic}, the {title} product page says: "{quote}"',
    waterproof: 'Yes, {title} is waterproof. The product page says: "{quote}"',
    notWaterproof: 'No, {title} is not waterproof. The product page says: "{quote}"',
    waterResistant: '{title} is water-resistant rather than fully waterproof. The product page says: "{quote}"',
    overview: '{title} ({price}): "{quote}"',
    inStockShort: "In stock: {options}.",
    soldOutShort: "Sold out right now.",
    availableShort: "In stock.",
  },
  fr: {
    price: "Le prix de {title} est de {price}.",
    priceRange: "Le prix de {title} va de {min} à {max} selon l'option.",
    optionPrice: "Le prix de {title} en {option} est de {price}.",
    inStockOptions: "{title} est disponible en {options}.",
    soldOutOptions: "Épuisé pour le moment : {options}.",
    inStock: "{title} est en stock.",
    soldOut: "{title} est épuisé pour le moment.",
    optionInStock: "Oui, {title} est disponible en {option}.",
    optionSoldOut: "{title} en {option} est épuisé pour le moment.",
    optionNotOffered: "{title} n'existe pas en {option}.",
    singleVersion: "{title} n'existe qu'en une seule version.",
    quote: "Voici ce qu'indique la fiche produit de {title} : « {quote} »",
    yes: "Oui.",
    no: "Non.",
    topic: "Côté {topic}, voici ce qu'indique la fiche produit de {title} : « {quote} »",
    waterproof: "Oui, {title} est imperméable. La fiche produit indique : « {quote} »",
    notWaterproof: "Non, {title} n'est pas imperméable. La fiche produit indique : « {quote} »",
    waterResistant: "{title} résiste à l'eau sans être entièrement imperméable. La fiche produit indique : « {quote} »",
    overview: "Voici {title} ({price}) : « {quote} »",
    inStockShort: "En stock : {options}.",
    soldOutShort: "Épuisé pour le moment.",
    availableShort: "Il est en stock.",
  },
  de: {
    price: "Der Preis für {title} ist {price}.",
    priceRange: "Der Preis für {title} liegt je nach Ausführung zwischen {min} und {max}.",
    optionPrice: "Der Preis für {title} in {option} ist {price}.",
    inStockOptions: "{title} ist in {options} auf Lager.",
    soldOutOptions: "Derzeit ausverkauft: {options}.",
    inStock: "{title} ist auf Lager.",
    soldOut: "{title} ist im Moment leider ausverkauft.",
    optionInStock: "Ja, {title} ist in {option} auf Lager.",
    optionSoldOut: "{title} ist in {option} im Moment leider ausverkauft.",
    optionNotOffered: "{title} gibt es nicht in {option}.",
    singleVersion: "{title} gibt es nur in dieser einen Ausführung.",
    quote: "Auf der Produktseite von {title} steht: „{quote}“",
    yes: "Ja.",
    no: "Nein.",
    topic: "Zum Thema {topic} steht auf der Produktseite von {title}: „{quote}“",
    waterproof: "Ja, {title} ist wasserdicht. Auf der Produktseite steht: „{quote}“",
    notWaterproof: "Nein, {title} ist nicht wasserdicht. Auf der Produktseite steht: „{quote}“",
    waterResistant: "{title} ist wasserabweisend, aber nicht vollständig wasserdicht. Auf der Produktseite steht: „{quote}“",
    overview: "Das ist {title} ({price}): „{quote}“",
    inStockShort: "Auf Lager: {options}.",
    soldOutShort: "Derzeit ausverkauft.",
    availableShort: "Auf Lager.",
  },
  es: {
    price: "El precio de {title} es {price}.",
    priceRange: "El precio de {title} va de {min} a {max} según la opción.",
    optionPrice: "El precio de {title} en {option} es {price}.",
    inStockOptions: "{title} está disponible en {options}.",
    soldOutOptions: "Agotado por ahora: {options}.",
    inStock: "{title} está en stock.",
    soldOut: "{title} está agotado por ahora.",
    optionInStock: "Sí, {title} está disponible en {option}.",
    optionSoldOut: "{title} en {option} está agotado por ahora.",
    optionNotOffered: "{title} no viene en {option}.",
    singleVersion: "{title} viene en una sola versión.",
    quote: "La ficha de {title} dice: «{quote}»",
    yes: "Sí.",
    no: "No.",
    topic: "Sobre {topic}, la ficha de {title} dice: «{quote}»",
    waterproof: "Sí, {title} es impermeable. La ficha dice: «{quote}»",
    notWaterproof: "No, {title} no es impermeable. La ficha dice: «{quote}»",
    waterResistant: "{title} es resistente al agua, pero no totalmente impermeable. La ficha dice: «{quote}»",
    overview: "Esta es la ficha de {title} ({price}): «{quote}»",
    inStockShort: "En stock: {options}.",
    soldOutShort: "Agotado por ahora.",
    availableShort: "En stock.",
  },
};

function say(language: PhraseLanguage, key: keyof Templates, values: Record<string, string>): string {
  const template = PRODUCT_PHRASES[language]?.[key] ?? PRODUCT_PHRASES.en[key];
  return template.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}

const DEFAULT_VARIANT = "Default Title";

/** The product line a title belongs to: "Cascade 2.5L Rain Shell - Men's" → "Cascade 2.5L Rain Shell". */
const lineOf = (title: string) => title.split(" - ")[0]!.trim();

interface Option {
  label: string;
  price: string;
  available: boolean;
}

const SIZE_OPTION = /^(?:xxs|xs|s|m|l|xl|xxl|xxxl|\dxl|\d+(?:[.,]5)?|s\/m|m\/l|l\/xl|small|medium|large|regular|long|short|petite|tall|one size)$/;
const sizeLike = (option: Option) => option.label.split(/\s*\/\s*/).some((part) => SIZE_OPTION.test(fold(part))) || SIZE_OPTION.test(fold(option.label));

function optionsOf(product: CatalogueProduct): Option[] {
  return product.variants.filter((variant) => variant.title && variant.title !== DEFAULT_VARIANT).map((variant) => ({ label: variant.title, price: variant.price, available: variant.available }));
}

const SIZE_SYNONYMS: [RegExp, string][] = [
  [/\b(?:extra[- ]small|x-small)\b/, "XS"],
  [/\b(?:extra[- ]large|x-large)\b/, "XL"],
  [/\b(?:small|petite?|klein|pequen[oa]|chic[oa])\b/, "S"],
  [/\b(?:medium|moyen(?:ne)?|mittel|median[oa])\b/, "M"],
  [/\b(?:large|grande?|gross|groß)\b/, "L"],
];
const SIZE_CONTEXT = /(?:size|taille|grosse|talla|in|en)\s+$/;
const SIZE_LABELS = /(?<![\p{L}\p{N}])(XXS|XS|S|M|L|XL|XXL|XXXL|2XL|3XL)(?![\p{L}\p{N}'’])/gu;

/**
 * Option values the question names ("in XL", "size M", "the medium", "in blue"), and sizes or colours it
 * names that the product does not come in.
 */
function optionsAsked(question: string, options: Option[]): { offered: Option[]; missing: string[] } {
  const folded = fold(question);
  const offered: Option[] = [];
  const labels = new Map<string, Option[]>();
  for (const option of options) {
    for (const part of option.label.split(/\s*\/\s*/)) {
      const key = fold(part);
      labels.set(key, [...(labels.get(key) ?? []), option]);
    }
  }
  const named = new Set<string>();
  for (const key of labels.keys()) {
    if (key.length >= 2) {
      if (new RegExp(`(?<![\\p{L}\\p{N}])${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "u").test(folded)) named.add(key);
    } else {
      // One letter: only as a capital ("in M") or after a size word ("taille m").
      const capital = new RegExp(`(?<![\\p{L}\\p{N}'’])${key.toUpperCase()}(?![\\p{L}\\p{N}'’])`, "u");
      const afterSizeWord = new RegExp(`(?:size|taille|grosse|talla)\\s+${key}(?![\\p{L}\\p{N}])`, "u");
      if ((key !== "i" && key !== "a" && capital.test(question)) || afterSizeWord.test(folded)) named.add(key);
    }
  }
  for (const [pattern, label] of SIZE_SYNONYMS) {
    const match = pattern.exec(folded);
    if (match && SIZE_CONTEXT.test(folded.slice(0, match.index))) named.add(label.toLowerCase());
    else if (match && labels.has(label.toLowerCase()) && /\b(?:the|le|la|die|der|el)\s+$/.test(folded.slice(0, match.index))) named.add(label.toLowerCase());
  }
  // Colours in the shopper's language: "negro" is the Black option.
  const colourWords = folded.split(/[^\p{L}]+/u).filter((word) => isColour(word) && /(?:size|taille|grosse|talla|in|en|color|colour|couleur|farbe)\s+(?:\p{L}+\s+)?$/u.test(folded.slice(0, folded.indexOf(word))));
  for (const word of colourWords) for (const key of labels.keys()) if (colourName(key) === colourName(word)) named.add(key);
  for (const key of named) for (const option of labels.get(key) ?? []) if (!offered.includes(option)) offered.push(option);

  const missing: string[] = [];
  for (const match of question.matchAll(SIZE_LABELS)) {
    const key = match[1]!.toLowerCase();
    if (!labels.has(key) && (key.length > 1 || SIZE_CONTEXT.test(folded.slice(0, match.index)))) missing.push(match[1]!);
  }
  // A colour not among the options, unless another word of the same colour name was ("verde oliva" is Olive).
  const colourFound = colourWords.some((word) => [...labels.keys()].some((key) => colourName(key) === colourName(word)));
  if (!colourFound) missing.push(...colourWords);
  return { offered, missing: [...new Set(missing)] };
}

function money(amount: string, product: CatalogueProduct, language: PhraseLanguage) {
  return formatMoney(amount, product.currency, language);
}

function priceRange(product: CatalogueProduct, language: PhraseLanguage): string {
  const min = money(product.priceMin, product, language);
  const max = money(product.priceMax, product, language);
  return min === max ? min : `${min}–${max}`;
}

function priceText(product: CatalogueProduct, language: PhraseLanguage, asked: Option[]): string {
  if (asked.length > 0) {
    return asked.map((option) => say(language, "optionPrice", { title: product.title, option: option.label, price: money(option.price, product, language) })).join(" ");
  }
  const min = money(product.priceMin, product, language);
  const max = money(product.priceMax, product, language);
  return min === max ? say(language, "price", { title: product.title, price: min }) : say(language, "priceRange", { title: product.title, min, max });
}

function list(items: string[]): string {
  return items.join(", ");
}

/** Stock of each option; `short` leaves the title out, for a sentence that follows one naming the product. */
function stockText(product: CatalogueProduct, language: PhraseLanguage, short = false): string {
  const options = optionsOf(product);
  const title = product.title;
  if (!product.available || product.variants.every((variant) => !variant.available)) return say(language, short ? "soldOutShort" : "soldOut", { title });
  if (options.length === 0) return say(language, short ? "availableShort" : "inStock", { title });
  const inStock = list(options.filter((option) => option.available).map((option) => option.label));
  const soldOut = options.filter((option) => !option.available).map((option) => option.label);
  return [say(language, short ? "inStockShort" : "inStockOptions", { title, options: inStock }), soldOut.length > 0 ? say(language, "soldOutOptions", { options: list(soldOut) }) : ""]
    .filter(Boolean)
    .join(" ");
}

function askedOptionText(product: CatalogueProduct, language: PhraseLanguage, asked: { offered: Option[]; missing: string[] }): string {
  const title = product.title;
  const parts: string[] = [];
  for (const option of asked.offered) {
    parts.push(option.available && product.available ? say(language, "optionInStock", { title, option: option.label }) : say(language, "optionSoldOut", { title, option: option.label }));
  }
  for (const missing of asked.missing) parts.push(say(language, "optionNotOffered", { title, option: missing }));
  const offeredAvailable = asked.offered.some((option) => option.available && product.available);
  if (!offeredAvailable) {
    const options = optionsOf(product).filter((option) => option.available);
    if (options.length > 0 && product.available) parts.push(say(language, "inStockShort", { options: list(options.map((option) => option.label)) }));
  }
  return parts.join(" ");
}

/** Words that make a sentence conditional: "may shrink if tumble-dried", "can't be returned once opened". */
const HEDGES = /\b(?:if|but|may|might|only|unless|except|once|while|until|avoid|si|mais|peut|seulement|sauf|wenn|aber|nur|kann|ausser|sobald|pero|solo|puede|salvo|mientras)\b/;

/**
 * "Yes." only when a sentence the answer quotes says what was asked, unnegated and unconditionally; "No." when
 * it says it negated. Anything less certain is quoted without a verdict: the shopper reads the merchant's words.
 */
function polarity(question: string, selected: SelectedSentences): "yes" | "no" | undefined {
  if (!isYesNoQuestion(question) || selected.folded.some((folded) => HEDGES.test(folded))) return undefined;
  const asked = sentencesSharingWords(selected.sentences.join(" "), question, []).asked.filter((word) => !FRAME_WORDS.has(word));
  if (asked.length === 0) return undefined;
  let negated = false;
  for (const word of asked) {
    const pattern = new RegExp(`(?<![\\p{L}])${word}`, "u");
    const sentence = selected.folded.find((folded) => pattern.test(folded));
    // Every word asked must be said: "made of wool?" is not answered yes by "made with polyester".
    if (!sentence) return undefined;
    negated ||= negatedAt(sentence, pattern.exec(sentence)!.index);
  }
  return negated ? "no" : "yes";
}

/** Words that frame a question rather than say what is asked ("made of", "the material"). */
const FRAME_WORDS = new Set(["made", "make", "material", "materials", "fabric", "product", "page", "description", "say", "said"]);

const WATERPROOF = /\b(?:waterproof|impermeable|etanche|wasserdicht)\b/;
const WATER_RESISTANT = /\b(?:water-?resistant|water[- ]repellent|dwr|sheds|deperlant\w*|wasserabweisend|resistente al agua|repels?)\b/;

function waterproofAnswer(product: CatalogueProduct, language: PhraseLanguage, selected: SelectedSentences): string {
  let values = { title: product.title, quote: selected.sentences.join(" ") };
  let verdict: "yes" | "no" | undefined;
  for (const folded of selected.folded) {
    // "Waterproof: no." / "Waterproof: yes, …": a merchant's spec line.
    const labelled = /\b(?:waterproof|impermeable|wasserdicht)\s*:\s*(yes|no|oui|non|ja|nein|si)\b/.exec(folded);
    if (labelled) {
      verdict = ["yes", "oui", "ja", "si"].includes(labelled[1]!) ? "yes" : "no";
      break;
    }
    const strong = WATERPROOF.exec(folded);
    // "with a waterproof pouch" is about a part of the product, not the product.
    if (strong && !/\bwith (?:an? |its |their )?(?:[\w-]+ )?$/.test(folded.slice(0, strong.index))) {
      verdict = negatedAt(folded, strong.index) ? "no" : "yes";
      break;
    }
  }
  if (verdict === "yes") return say(language, "waterproof", values);
  // Not waterproof, or not said: a water-resistant finish mentioned anywhere in the description is the fuller answer.
  const resistant = descriptionSentences(product.description).find((sentence) => WATER_RESISTANT.test(fold(sentence)));
  if (resistant) {
    if (!selected.sentences.includes(resistant)) values = { ...values, quote: [resistant, ...selected.sentences].slice(0, 2).join(" ") };
    return say(language, "waterResistant", values);
  }
  return say(language, verdict === "no" ? "notWaterproof" : "quote", values);
}

/** The quoted sentences, after a yes or a no when they settle the question, naming the feature asked about in other languages. */
function quoted(product: CatalogueProduct, question: string, language: PhraseLanguage, selected: SelectedSentences, topic?: string): string {
  const values = { title: product.title, quote: selected.sentences.join(" "), topic: topic ?? "" };
  const verdict = polarity(question, selected);
  const text = say(language, topic ? "topic" : "quote", values);
  return verdict ? `${say(language, verdict, {})} ${text}` : text;
}

/**
 * The answer about `products[0]` (its siblings in the same line, e.g. the Women's version, are listed too for
 * price and stock). Pure: tests give it products directly.
 */
export function composeProductAnswer(products: CatalogueProduct[], question: string, language: PhraseLanguage): ProductAnswer {
  const product = products[0]!;
  const line = products.filter((candidate) => lineOf(candidate.title) === lineOf(product.title)).slice(0, 3);
  const titleWords = product.title.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const attribute: ProductAttribute | undefined = productAttributeAsked(question, { ignore: titleWords });
  const answer = (text: string): ProductAnswer => ({ kind: "answer", text, productId: product.id });
  const notSaid = (): ProductAnswer => ({ kind: "not_in_description", productId: product.id, title: product.title });
  const asked = optionsAsked(question, optionsOf(product));
  const asksOptions = asked.offered.length > 0 || asked.missing.length > 0;

  if (attribute === "price") return answer(line.map((each) => priceText(each, language, each === product ? asked.offered : [])).join(" "));
  // Colours are answered from the options only when the options are colours; otherwise the description decides.
  if (attribute === "colours" && !optionsOf(product).some((option) => option.label.split(/\s*\/\s*/).some((part) => isColour(part)))) {
    const said = sentencesAbout(product.description, "colours");
    return said.sentences.length > 0 ? answer(quoted(product, question, language, said)) : notSaid();
  }
  if (attribute === "stock" || attribute === "sizes" || attribute === "colours" || (asksOptions && attribute === undefined)) {
    if (asksOptions) return answer(askedOptionText(product, language, asked));
    if (attribute === "sizes" && !optionsOf(product).some(sizeLike)) {
      // No sizes to choose from: the description may say "One size"; the options (colours, say) still matter.
      const oneSize = descriptionSentences(product.description).filter((sentence) => /\bone size\b|\btaille unique\b|\beinheitsgr|\btalla unica\b/.test(fold(sentence)));
      const text =
        oneSize.length > 0
          ? say(language, "quote", { title: product.title, quote: oneSize.join(" ") })
          : optionsOf(product).length === 0
            ? say(language, "singleVersion", { title: product.title })
            : "";
      return answer(text ? `${text} ${stockText(product, language, true)}` : stockText(product, language));
    }
    return answer(line.map((each) => stockText(each, language)).join(" "));
  }
  if (attribute !== undefined && attribute !== "feature") {
    const said = sentencesAbout(product.description, attribute);
    if (said.sentences.length === 0) return notSaid();
    if (attribute === "waterproof") return answer(waterproofAnswer(product, language, said));
    // Materials and care instructions are also stated in the shopper's language before the merchant's words.
    const facts = attribute === "material" || attribute === "care" ? localizedFacts(attribute, said.sentences, language) : "";
    return answer([facts, quoted(product, question, language, said)].filter(Boolean).join(" "));
  }

  // Anything else: the description's sentences that share the question's words ("does it have pockets?").
  const shared = sentencesSharingWords(product.description, question, titleWords);
  if (shared.asked.length > 0) return shared.sentences.length > 0 ? answer(quoted(product, question, language, shared, featureTopic(question, language))) : notSaid();

  // Only the product named ("tell me about the Trail Tee"): what it is, its price and stock.
  const first = descriptionSentences(product.description)[0];
  if (!first) return answer(`${priceText(product, language, [])} ${stockText(product, language, true)}`);
  return answer(`${say(language, "overview", { title: product.title, price: priceRange(product, language), quote: first })} ${stockText(product, language, true)}`);
}

/**
 * The answer to a product question in the shopper's language, or undefined when the message names no product
 * and none is under discussion. The products named win over the one under discussion; a product the shop
 * does not sell wins over both ("do you have the Nimbus jacket?" is not answered with the jacket discussed).
 */
export async function answerProductQuestion(ctx: ToolContext, input: ProductQuestion): Promise<ProductAnswer | undefined> {
  const shopId = ctx.profile.shop.id;
  if (input.productIds.length === 0) {
    const unknown = input.unknownProducts ?? extractEntities(input.question, { products: await catalogueTitles(ctx.db, shopId) }).unknownProducts;
    if (unknown.length > 0) return { kind: "unknown_product", name: unknown[0]! };
  }
  const ids = input.productIds.length > 0 ? input.productIds.slice(0, 3) : input.focusProductId ? [input.focusProductId] : [];
  if (ids.length === 0) return undefined;
  const rows = await ctx.db.product.findMany({
    where: { shopId, id: { in: ids }, status: "active" },
    include: { variants: { orderBy: { externalId: "asc" } } },
  });
  const products = ids
    .map((id) => rows.find((row) => row.id === id))
    .filter((row) => row !== undefined)
    .map(
      (row): CatalogueProduct => ({
        id: row.id,
        title: row.title,
        description: row.description,
        currency: row.currency,
        priceMin: String(row.priceMin),
        priceMax: String(row.priceMax),
        available: row.available,
        variants: row.variants.map((variant) => ({ title: variant.title, price: String(variant.price), available: variant.available })),
      }),
    );
  if (products.length === 0) return undefined;
  return composeProductAnswer(products, input.question, input.language);
}
