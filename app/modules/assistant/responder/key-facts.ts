import { formatMoney } from "./format";
import type { PhraseLanguage } from "./phrases";

/**
 * The figures of an English passage said in the shopper's language: periods ("5–10 business days" →
 * "5–10 jours ouvrés"), amounts, percentages, phone numbers and e-mail addresses. A French, German or Spanish
 * reply that quotes the merchant's English help center leads with them, so the answer itself is readable
 * before the English text. Only what the passage writes is restated; nothing is translated beyond units.
 */

type Unit = "day" | "businessDay" | "week" | "hour" | "minute" | "month" | "year";

const UNIT_WORDS: Record<Exclude<PhraseLanguage, "en">, Record<Unit, [one: string, many: string]>> = {
  fr: {
    day: ["jour", "jours"],
    businessDay: ["jour ouvré", "jours ouvrés"],
    week: ["semaine", "semaines"],
    hour: ["heure", "heures"],
    minute: ["minute", "minutes"],
    month: ["mois", "mois"],
    year: ["an", "ans"],
  },
  de: {
    day: ["Tag", "Tage"],
    businessDay: ["Werktag", "Werktage"],
    week: ["Woche", "Wochen"],
    hour: ["Stunde", "Stunden"],
    minute: ["Minute", "Minuten"],
    month: ["Monat", "Monate"],
    year: ["Jahr", "Jahre"],
  },
  es: {
    day: ["día", "días"],
    businessDay: ["día hábil", "días hábiles"],
    week: ["semana", "semanas"],
    hour: ["hora", "horas"],
    minute: ["minuto", "minutos"],
    month: ["mes", "meses"],
    year: ["año", "años"],
  },
};

/** "30 days", "5-10 business days", "3 to 6 working days", "a 30-day window", "48 hours". */
const PERIOD = /(?<![\d.,])(\d{1,3})(?:\s*(?:–|-|—|to)\s*(\d{1,3}))?(?:\s+|-)(business |working |calendar )?(day|week|hour|minute|month|year)s?\b/gi;
/** "$6.95", "€4.95", "£10", "12.90 EUR": symbol or code, then an English-formatted number (or the other way round). */
const MONEY = /(?:([$€£]|USD|EUR|GBP|CAD)\s?(\d[\d,]*(?:\.\d{1,2})?)|(\d[\d,]*(?:\.\d{1,2})?)\s?(€|USD|EUR|GBP|CAD))(?!\d)/g;
const SYMBOL_CURRENCY: Record<string, string> = { "€": "EUR", "£": "GBP" };
/** "free of charge", "for free", "at no extra cost", "no cancellation fee": the passage says it costs nothing. */
const NO_CHARGE = /\bfree of charge\b|\bfor free\b|\bat no (extra |additional )?(cost|charge)\b|\bno (\w+ )?(fee|charge)s?\b/gi;
const NO_CHARGE_WORDS: Record<Exclude<PhraseLanguage, "en">, string> = { fr: "sans frais", de: "kostenlos", es: "sin coste" };
const PERCENT = /\d{1,3}(?:[.,]\d+)?\s?%/g;
const PHONE = /\+?\d[\d ().-]{7,}\d/g;
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]*\w/g;
/** Facts beyond this many are left to the quote. */
const MAX_FACTS = 4;

function period(match: RegExpMatchArray, language: Exclude<PhraseLanguage, "en">): string {
  const [, from, to, kind, unitWord] = match;
  const unit: Unit = kind && /business|working/i.test(kind) ? "businessDay" : (unitWord!.toLowerCase() as Unit);
  const plural = to !== undefined || Number(from) !== 1;
  const words = UNIT_WORDS[language][unit];
  return `${to === undefined ? from : `${from}–${to}`} ${plural ? words[1] : words[0]}`;
}

/** An amount as the shopper's language writes it ("$6.95" → "6,95 $"); "$" is the shop's currency when it is a dollar. */
function money(match: RegExpMatchArray, language: PhraseLanguage, shopCurrency: string): string {
  const [, symbolBefore, amountAfter, amountBefore, symbolAfter] = match;
  const sign = (symbolBefore ?? symbolAfter)!;
  const amount = (amountAfter ?? amountBefore)!.replace(/,/g, "");
  const currency = sign === "$" ? (/^(USD|CAD|AUD|NZD|SGD|HKD|MXN)$/.test(shopCurrency) ? shopCurrency : "USD") : (SYMBOL_CURRENCY[sign] ?? sign);
  return formatMoney(amount, currency, language);
}

/** Which figures a question asks for: periods, amounts (and "costs nothing"), percentages, phone numbers, e-mails. */
export type FactKind = "period" | "amount" | "percent" | "phone" | "email";

/**
 * The passage's figures in the shopper's language, in the order they appear; empty for English. With `asked`,
 * only the kinds of figure the question asks for: "Do you take Klarna?" wants no instalment limits.
 */
export function keyFacts(englishText: string, language: PhraseLanguage, shopCurrency: string, asked?: ReadonlySet<FactKind>): string[] {
  if (language === "en") return [];
  const wanted = (kind: FactKind) => asked === undefined || asked.has(kind);
  const found: { at: number; text: string }[] = [];
  const each = (kind: FactKind, pattern: RegExp, text: (match: RegExpMatchArray) => string | undefined) => {
    if (!wanted(kind)) return;
    for (const match of englishText.matchAll(pattern)) {
      const fact = text(match);
      if (fact) found.push({ at: match.index!, text: fact });
    }
  };
  each("period", PERIOD, (match) => period(match, language));
  each("amount", MONEY, (match) => money(match, language, shopCurrency));
  each("amount", NO_CHARGE, () => NO_CHARGE_WORDS[language]);
  each("percent", PERCENT, (match) => match[0].trim());
  each("email", EMAIL, (match) => match[0].trim());
  // A range of days or a price is not a phone number.
  each("phone", PHONE, (match) => (match[0].replace(/\D/g, "").length >= 7 ? match[0].trim() : undefined));
  const facts: string[] = [];
  for (const { text } of found.sort((a, b) => a.at - b.at)) if (!facts.includes(text)) facts.push(text);
  return facts.slice(0, MAX_FACTS);
}
