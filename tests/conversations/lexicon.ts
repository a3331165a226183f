import type { Ask, Locale } from "./types";

/**
 * Per-language patterns the cases refer to as "@name", and the language checks every fr/de/es reply gets.
 * They assert meaning, not wording: several phrasings a good reply may use are accepted.
 */

type PerLocale = Record<Locale, RegExp>;

export const LEXICON: Record<string, PerLocale> = {
  /** The reply says the action was requested / sent to the store (not done). */
  requested: {
    en: /\b(request(ed)?|asked the (store|shop|team)|(sent|passed|forwarded)\b[^.!?\n]{0,80}\bto (the (store|shop)|our team|the team))\b/i,
    fr: /(demand(é|e)|transmis|envoy(é|ée) (à|a) (la boutique|notre équipe|l'équipe)|requête)/i,
    de: /(angefragt|Anfrage|weitergeleitet|übermittelt|beantragt|gebeten|an (den Shop|unser Team|das Team))/i,
    es: /(solicit|petición|enviad[oa] a (la tienda|nuestro equipo)|pedido a la tienda|trasladad|he pedido)/i,
  },
  /** The reply claims the action is done (forbidden until the platform accepts it). */
  doneClaim: {
    en: /\b((has|have) been (approved|refunded|cancell?ed|processed|changed|updated)|is (now )?(approved|cancell?ed|refunded)|I('ve| have) (approved|refunded|cancell?ed|changed|updated) (it|your|the))\b/i,
    fr: /(a été (approuvée?|remboursée?|annulée?|modifiée?)|est (maintenant |désormais )?(approuvée?|annulée?|remboursée?)|j'ai (approuvé|remboursé|annulé|modifié))/i,
    de: /(wurde (genehmigt|erstattet|storniert|geändert)|ist (jetzt |nun )?(genehmigt|storniert|erstattet)|habe (ich )?(sie |es |ihn |die Bestellung )?(genehmigt|erstattet|storniert|geändert))/i,
    es: /(ha sido (aprobad|reembolsad|cancelad|cambiad)[oa]|está (ya )?(aprobad|cancelad|reembolsad)[oa]|he (aprobado|reembolsado|cancelado|cambiado))/i,
  },
  /** "I don't know / couldn't find that" — no invented answer. */
  dontKnow: {
    en: /(don't (know|have (that|this|any|information))|do not (know|have)|couldn't find|could not find|can't find|not sure|no information|isn't something I|not able to answer|can't answer)/i,
    fr: /(je ne (sais|trouve) pas|pas (trouvé|d'information|de réponse)|je n'ai pas (d'information|trouvé|de réponse)|ne peux pas répondre|n'ai pas cette information)/i,
    de: /(weiß ich (leider )?nicht|keine (Information|Antwort|Angabe)|nicht gefunden|nicht beantworten|habe ich (leider )?keine|kann ich (leider )?nicht sagen)/i,
    es: /(no (lo )?sé|no (he )?encontr|no tengo (información|esa|datos)|no puedo responder|no dispongo)/i,
  },
  /** The shop doesn't sell / doesn't know this product. */
  unknownProduct: {
    en: /(don't (sell|carry|have|stock)|do not (sell|carry|have)|couldn't find|could not find|can't find|not (in|part of) our (range|catalog(ue)?|shop|store)|no product)/i,
    fr: /(ne (vendons|proposons|trouve|connais) pas|pas (dans notre|trouvé|de produit)|n'avons pas|ne figure pas)/i,
    de: /(führen wir (leider )?nicht|nicht (in unserem|im) (Sortiment|Shop)|nicht gefunden|kein(en)? (solches )?Produkt|haben wir (leider )?nicht|verkaufen wir (leider )?nicht)/i,
    es: /(no (vendemos|tenemos|encontr|trabajamos|disponemos)|no (está|figura) en nuestro|ningún producto)/i,
  },
  /** Offers or mentions a person on the team. */
  person: {
    en: /\b(person|team|human|colleague|agent|someone)\b/i,
    fr: /(personne|équipe|conseill|collègue|quelqu'un)/i,
    de: /(Mitarbeiter|Team|Kolleg|Person|jemand)/i,
    es: /(persona|equipo|agente|compañer|alguien)/i,
  },
  /** Don't share card details. */
  cardWarning: {
    en: /(don't|do not|never|please don't|shouldn't|should not)[^.!?\n]{0,40}(share|send|post|give|type|include)[^.!?\n]{0,60}card/i,
    fr: /(ne (partagez|communiquez|envoyez|donnez|transmettez|saisissez|jamais)|n'envoyez)[^.!?\n]{0,80}carte/i,
    de: /((keine|nie|niemals|nicht)[^.!?\n]{0,60}(Karte|Kreditkarte|Kartennummer|Kartendaten))|((Karte|Kreditkarte|Kartennummer|Kartendaten)[^.!?\n]{0,60}(nicht|nie|niemals) (teilen|senden|schicken|weitergeben|mitteilen|angeben))/i,
    es: /(no (comparta|envíe|compartas|envíes|escriba|facilite|nos (envíe|dé))|nunca)[^.!?\n]{0,80}tarjeta/i,
  },
  /** A short statement of what the assistant helps with (orders, returns, shipping, products). */
  scope: {
    en: /\b(orders?|returns?|shipping|deliver(y|ies)|products?)\b[\s\S]*\b(orders?|returns?|shipping|deliver(y|ies)|products?)\b/i,
    fr: /(commande|retour|livraison|expédition|produit)[\s\S]*(commande|retour|livraison|expédition|produit)/i,
    de: /(Bestellung|Rücksend|Rückgabe|Versand|Lieferung|Produkt)[\s\S]*(Bestellung|Rücksend|Rückgabe|Versand|Lieferung|Produkt)/i,
    es: /(pedido|devoluci|envío|entrega|producto)[\s\S]*(pedido|devoluci|envío|entrega|producto)/i,
  },
  /** A calm, de-escalating reply. */
  calm: {
    en: /(sorry|understand|help)/i,
    fr: /(désolé|comprends|aider)/i,
    de: /(tut mir leid|Entschuldigung|verstehe|helfen)/i,
    es: /(lo siento|siento|entiendo|ayudar)/i,
  },
  /** The parcel is on its way (tracking answers). */
  onItsWay: {
    en: /(on its way|in transit|shipped|with (UPS|USPS|FedEx|DHL))/i,
    fr: /(en route|en transit|en cours d'acheminement|expédié|avec (UPS|USPS|FedEx|DHL))/i,
    de: /(unterwegs|versandt|verschickt|in Zustellung|mit (UPS|USPS|FedEx|DHL))/i,
    es: /(en camino|en tránsito|enviado|con (UPS|USPS|FedEx|DHL))/i,
  },
  /** Tracking talk, which a billing question must not get. */
  trackingTalk: {
    en: /(on its way|in transit|tracking number|out for delivery|expected delivery)/i,
    fr: /(en route|en transit|numéro de suivi|livraison prévue)/i,
    de: /(unterwegs|Sendungsnummer|Trackingnummer|Sendungsverfolgung|voraussichtliche Zustellung)/i,
    es: /(en camino|en tránsito|número de seguimiento|entrega prevista)/i,
  },
  /** A "no" answer to a yes/no question. */
  no: {
    en: /\b(no|not|never|don't|do not|doesn't|unfortunately|only|avoid)\b/i,
    fr: /(?<![\p{L}])(non|pas|jamais|malheureusement|uniquement|évitez)(?![\p{L}])/iu,
    de: /(?<![\p{L}])(nein|nicht|nie|niemals|kein(e|en)?|leider|nur)(?![\p{L}])/iu,
    es: /(?<![\p{L}])(no|nunca|lamentablemente|solo|sólo|evite)(?![\p{L}])/iu,
  },
  /** A "yes" answer. */
  yes: {
    en: /\b(yes|we (do )?(accept|take|offer))\b/i,
    fr: /(?<![\p{L}])(oui|nous acceptons|accept)/iu,
    de: /(?<![\p{L}])(ja|akzeptieren|nehmen wir|möglich)(?![\p{L}])/iu,
    es: /(?<![\p{L}])(sí|aceptamos|puede|puedes)(?![\p{L}])/iu,
  },
};

/** How a reply asks for each thing: a question about it, not merely a mention. */
export const ASKS: Record<Ask, PerLocale> = {
  email: {
    en: /((what|which|give|share|send|tell|type|enter|provide|need|confirm|reply with)[^.?!\n]{0,60}e-?mail)|(e-?mail[^.!\n]{0,50}\?)/i,
    fr: /((quel|quelle|donner|donnez|indiquer|indiquez|communiquer|communiquez|envoyer|envoyez|entrer|saisir|besoin|confirmer)[^.?!\n]{0,60}(e-?mail|courriel|adresse électronique))|((e-?mail|courriel)[^.!\n]{0,50}\?)/i,
    de: /((welche|nennen|geben|mitteilen|senden|schicken|eingeben|angeben|brauche|benötige|bestätigen)[^.?!\n]{0,60}E-?Mail)|(E-?Mail[^.!\n]{0,50}\?)/i,
    es: /((cuál|indicar|indique|dar|dé|enviar|envíe|escribir|escriba|necesito|confirmar|confirme|facilit)[^.?!\n]{0,60}(correo|e-?mail))|((correo|e-?mail)[^.!\n]{0,50}\?)/i,
  },
  orderNumber: {
    en: /((what|which|give|share|send|tell|type|enter|provide|need|confirm)[^.?!\n]{0,60}order number)|(order number[^.!\n]{0,50}\?)/i,
    fr: /((quel|quelle|donner|donnez|indiquer|indiquez|communiquer|communiquez|envoyer|envoyez|entrer|saisir|besoin|confirmer)[^.?!\n]{0,60}numéro de (la )?commande)|(numéro de (la )?commande[^.!\n]{0,50}\?)/i,
    de: /((welche|nennen|geben|mitteilen|senden|schicken|eingeben|angeben|brauche|benötige|bestätigen)[^.?!\n]{0,60}Bestellnummer)|(Bestellnummer[^.!\n]{0,50}\?)/i,
    es: /((cuál|indicar|indique|dar|dé|enviar|envíe|escribir|escriba|necesito|confirmar|confirme|facilit)[^.?!\n]{0,60}número de (su )?pedido)|(número de (su )?pedido[^.!\n]{0,50}\?)/i,
  },
  items: {
    en: /\b(which (items?|ones?|products?|of (these|them|the))|what (items?|would you like to return))\b/i,
    fr: /(quel(le)?s? (article|produit)s?|lequel|lesquels|laquelle|lesquelles)/i,
    de: /(welche[nrs]? (Artikel|Produkt|davon)|welchen)/i,
    es: /(qué (artículo|producto)s?|cuál(es)?)/i,
  },
  confirmation: {
    en: /(\b(confirm|shall I|should I|do you want me to|would you like me to|want me to|go ahead|reply (with )?["“]?yes|say ["“]?yes|is that (right|correct|ok))\b)|(\byes\b[^.!\n]{0,40}\?)/i,
    fr: /(confirm|voulez-vous|souhaitez-vous|dois-je|je lance|répondez (par )?[«"“]?\s?oui|est-ce (bien )?correct|c'est bien (ça|cela)|d'accord \?)/i,
    de: /(bestätig|soll ich|möchten Sie|wollen Sie|antworten Sie mit [„"“]?ja|ist das (so )?richtig|einverstanden\?)/i,
    es: /(confirm|¿quiere|¿quieres|¿desea|¿deseas|¿(lo |la )?(hago|solicito|tramito|envío|mando|pido)|responda [«"“]?sí|¿es correcto|¿de acuerdo|¿procedo)/i,
  },
};

// ---------------------------------------------------------------- Language checks

/** Function words typical of each language; a reply in language X uses several of X's. */
const MARKERS: Record<Exclude<Locale, "en">, string[]> = {
  fr: ["vous", "votre", "vos", "est", "nous", "avec", "commande", "les", "des", "du", "une", "un", "pas", "je", "j", "dans", "et", "sur", "pour", "sont", "été", "être", "cette", "ce", "qui", "peut", "pouvez", "le", "la", "l", "de", "à", "au", "aux", "en", "il", "elle", "ne", "n", "merci", "bonjour", "ou", "se", "si", "mais", "plus", "devrait", "notre", "nos", "qu", "d", "voici", "ai", "avez"],
  de: ["sie", "ihre", "ihr", "ihren", "ihrem", "ist", "und", "wir", "nicht", "mit", "bestellung", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "für", "zu", "auf", "bei", "ich", "kann", "können", "wird", "wurde", "sind", "am", "im", "zum", "zur", "von", "vom", "noch", "gerne", "danke", "hallo", "es", "soll", "haben", "habe", "auch", "oder", "aber", "unser", "unsere", "unserem", "unseren", "dazu", "diese", "dieser", "steht"],
  es: ["usted", "su", "sus", "está", "están", "pedido", "los", "las", "del", "y", "con", "una", "un", "para", "puedo", "puede", "que", "el", "lo", "la", "le", "te", "tu", "tus", "es", "por", "se", "nuestro", "nuestra", "de", "en", "al", "no", "he", "ha", "hola", "gracias", "más", "algo", "nada", "o", "pero", "si", "sí", "debería", "nuestros", "nuestras", "esto", "este", "esta", "dice"],
};

/** English sequences that must not appear in a fr/de/es reply (after removing names, links and codes). */
const ENGLISH_LEAK = /(?<![\p{L}'])(the|your|you|and|with|we|our|is|are|please|will|this|that|have|has|here's|it's|don't|can't|I'm|I've|order|return|refund|delivery|shipping)(?![\p{L}'])/giu;

const ENGLISH_DATE = /\b(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{1,2}(st|nd|rd|th)?(,? \d{4})?\b/;
const ENGLISH_MONEY = /([$€£]\s?\d{1,3}(,\d{3})*\.\d{2}\b)|(\b\d{1,3}(,\d{3})*\.\d{2}\s?(€|\$|EUR|USD)(?![\w$]))/;

function words(text: string): string[] {
  return text.toLowerCase().match(/\p{L}+/gu) ?? [];
}

/** Removes what may legitimately stay as written in any language: links, e-mails, codes, product and shop names. */
export function neutralText(text: string, properNames: string[]): string {
  let out = text.replace(/https?:\/\/\S+/g, " ").replace(/\S+@\S+/g, " ").replace(/\b[A-Z0-9]{6,}\b/g, " ");
  for (const name of [...properNames].sort((a, b) => b.length - a.length)) {
    if (name.trim().length > 2) out = out.split(name).join(" ");
  }
  return out;
}

export interface LanguageFinding {
  check: "language" | "no-english" | "locale-date" | "locale-money";
  ok: boolean;
  detail: string;
}

/**
 * A passage of the help center quoted in its own language, introduced as such ("… (en anglais) : …"): the
 * merchant's words, labelled, not the assistant's. Offline there is no translation, and a paraphrase could
 * misstate a policy; the introduction must be in the shopper's language, the quote may not be.
 */
const LABELLED_QUOTE = /\((?:en|auf|in) (?:anglais|englisch|inglés|english)\)\s*:\s*[\s\S]*$/iu;

/** The automatic checks for a reply in a fr/de/es conversation. */
export function checkLanguage(reply: string, locale: Exclude<Locale, "en">, properNames: string[]): LanguageFinding[] {
  // A product page or article quoted verbatim between quotation marks is the merchant's text, not the assistant's.
  reply = reply.replace(LABELLED_QUOTE, "").replace(/«[^»]*»|„[^“”]*[“”]|“[^”]*”/gu, " ");
  const text = neutralText(reply, properNames);
  const tokens = words(text);
  const counts = Object.fromEntries(
    (Object.keys(MARKERS) as (keyof typeof MARKERS)[]).map((language) => [language, new Set(tokens.filter((token) => MARKERS[language].includes(token))).size]),
  ) as Record<keyof typeof MARKERS, number>;
  const others = Math.max(...(Object.keys(counts) as (keyof typeof MARKERS)[]).filter((language) => language !== locale).map((language) => counts[language]));
  const inLanguage = counts[locale] >= 2 && counts[locale] > others;
  const leaks = [...new Set((text.match(ENGLISH_LEAK) ?? []).map((word) => word.toLowerCase()))];
  const englishDate = reply.match(ENGLISH_DATE)?.[0];
  const englishMoney = reply.match(ENGLISH_MONEY)?.[0];
  return [
    { check: "language", ok: inLanguage, detail: inLanguage ? "" : `not ${locale} (${locale} markers ${counts[locale]}, other languages ${others})` },
    { check: "no-english", ok: leaks.length === 0, detail: leaks.length ? `English words: ${leaks.slice(0, 6).join(", ")}` : "" },
    { check: "locale-date", ok: !englishDate, detail: englishDate ? `English-style date "${englishDate}"` : "" },
    { check: "locale-money", ok: !englishMoney, detail: englishMoney ? `English-style amount "${englishMoney}"` : "" },
  ];
}

// ---------------------------------------------------------------- Patterns built from facts

/** A money amount in any common formatting: 1234.5 → 1,234.50 / 1.234,50 / 1 234,50 / 1234.50. */
export function amountPattern(value: number): string {
  const [whole, fraction] = value.toFixed(2).split(".") as [string, string];
  const groups = whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u0000").split("\u0000");
  return `(?<![\\d.,])${groups.join("[.,\\s\\u00a0\\u202f]?")}[.,]${fraction}(?!\\d)`;
}

/** A date as a reply in this locale may state it: day and month name (long or short), numeric day/month, or weekday. */
export function datePattern(date: Date, locale: Locale, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions[] = [{ month: "long" }, { month: "short" }];
  const alternatives = new Set<string>();
  for (const zone of [timeZone, "UTC"]) {
    const day = Number(new Intl.DateTimeFormat("en", { day: "numeric", timeZone: zone }).format(date));
    const month = Number(new Intl.DateTimeFormat("en", { month: "numeric", timeZone: zone }).format(date));
    for (const option of options) {
      const name = new Intl.DateTimeFormat(locale, { ...option, timeZone: zone }).format(date).replace(/\.$/, "");
      const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      alternatives.add(`\\b${day}\\.?(er)?\\s(de\\s)?${escaped}`);
      alternatives.add(`${escaped}\\.?\\s${day}\\b`);
    }
    const dd = String(day).padStart(2, "0");
    const mm = String(month).padStart(2, "0");
    alternatives.add(`\\b0?${day}[./]0?${month}\\b`);
    alternatives.add(`\\b0?${month}/0?${day}\\b`);
    alternatives.add(`\\b${dd}\\.${mm}\\.`);
    alternatives.add(new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: zone }).format(date));
  }
  return `(${[...alternatives].join("|")})`;
}

/** Money amounts stated in a reply (next to a currency sign or code), as numbers. */
export function moneyAmounts(text: string): number[] {
  const currency = String.raw`(?:US\$|\$US|\$|€|USD|EUR)`;
  const number = String.raw`(\d{1,3}(?:[.,\s\u00a0\u202f]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)`;
  const found: number[] = [];
  for (const pattern of [new RegExp(`${currency}\\s?${number}`, "g"), new RegExp(`${number}\\s?${currency}`, "g")]) {
    for (const match of text.matchAll(pattern)) found.push(parseAmount(match[1]!));
  }
  return found.filter((value) => Number.isFinite(value));
}

function parseAmount(raw: string): number {
  const compact = raw.replace(/[\s\u00a0\u202f]/g, "");
  const decimal = compact.match(/[.,](\d{1,2})$/);
  if (decimal) {
    const whole = compact.slice(0, -decimal[0].length).replace(/[.,]/g, "");
    return Number(`${whole}.${decimal[1]}`);
  }
  return Number(compact.replace(/[.,]/g, ""));
}

/** Internal rule text and tool instructions: never for the shopper's eyes. */
export const INTERNAL_TEXT =
  /(may approve|auto-?approv|approval (limit|threshold)|order value threshold|the assistant (may|can|must|should)|\bthe shopper\b|offer a person instead|needs_verification|verification_failed|verification_locked|not_eligible|awaiting_store_confirmation|escalation rule|frustration threshold|system prompt|tool (call|result))/i;

/** A raw ISO date (2026-10-26) in a reply. */
export const RAW_DATE = /\b20\d\d-\d\d-\d\d\b/;
