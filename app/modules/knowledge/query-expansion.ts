/**
 * Cross-lingual query expansion, offline: a French, German or Spanish question is mapped, word by word, to the
 * English terms of a commerce lexicon ("Combien coûte la livraison au Canada ?" → "how much cost price
 * delivery shipping canada"), so that it finds the (usually English) knowledge base with the offline embedder
 * and full-text search, and so that answer selection can match it against English sentences.
 *
 * Matching is light stemming by prefix: a lexicon key matches a word that starts with it and ends with a
 * short inflection ("livraisons", "remboursement", "Erstattungen"); German compounds also match on their
 * parts ("Rücksendegebühr" → return + fee). Phrases ("combien de temps", "wie lange") are read first.
 * Function words of each language are dropped; any other word is kept as it is (brand names, "PayPal").
 *
 * Countries of the European Union also carry "european union" in every language, English included, because
 * policies name the union rather than each country ("Do you ship to Germany?").
 */

export const EXPANDED_LANGUAGES = ["fr", "de", "es"] as const;

/** "fr-CA" → "fr"; undefined when the language is English, unknown or not supported. */
export function expansionLanguage(language: string | undefined | null): (typeof EXPANDED_LANGUAGES)[number] | undefined {
  const base = language?.toLowerCase().split(/[-_]/)[0];
  return (EXPANDED_LANGUAGES as readonly string[]).includes(base ?? "") ? (base as (typeof EXPANDED_LANGUAGES)[number]) : undefined;
}

/** Lower case, accents stripped, ß → ss, elisions and hyphens split ("l'article" → "l article"). */
export function normalizeForLexicon(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/['’`]/g, " ")
    .replace(/[^\p{L}\p{N}$€£@.%]+/gu, " ")
    .replace(/(?<!\d)\.|\.(?!\d)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const EU = "european union eu";
const EU_COUNTRIES: Record<string, string> = {
  austria: "austria",
  belgium: "belgium",
  bulgaria: "bulgaria",
  croatia: "croatia",
  cyprus: "cyprus",
  czechia: "czechia",
  denmark: "denmark",
  estonia: "estonia",
  finland: "finland",
  france: "france",
  germany: "germany",
  greece: "greece",
  hungary: "hungary",
  ireland: "ireland",
  italy: "italy",
  latvia: "latvia",
  lithuania: "lithuania",
  luxembourg: "luxembourg",
  malta: "malta",
  netherlands: "netherlands",
  holland: "netherlands",
  poland: "poland",
  portugal: "portugal",
  romania: "romania",
  slovakia: "slovakia",
  slovenia: "slovenia",
  spain: "spain",
  sweden: "sweden",
};

/** English aliases added in every language: a country of the union is also "european union". */
const ENGLISH_ALIASES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(EU_COUNTRIES).map(([word, country]) => [word, `${country} ${EU}`])),
  // "What's your phone number?" must find the contact page, which says "Phone:" once among other channels.
  phone: "contact",
  // The merchant may call it a sale, clearance, Final Sale or a discount; answer selection reads these as one.
  sale: "final clearance",
  // "Do you take Klarna?" names no payment word the payment page would share.
  klarna: "payment methods",
  afterpay: "payment methods",
  affirm: "payment methods",
  telephone: "phone contact",
  britain: "united kingdom uk",
  england: "united kingdom uk",
  scotland: "united kingdom uk",
  wales: "united kingdom uk",
};

/**
 * Lexicon per language: key (normalised; several keys separated by "|"; a key with a space is a phrase) →
 * English terms. The first English word of an entry is its main translation (used for full-text search).
 */
const LEXICON: Record<(typeof EXPANDED_LANGUAGES)[number], Record<string, string>> = {
  fr: {
    "combien de temps ai je|combien de temps est ce que j ai|combien de jours ai je|jusqu a quand": "how long do i have",
    "combien de temps|combien de jours|en combien de temps|quel delai|quel est le delai|delai|delais|duree|dure|durer": "how long time",
    "a partir de combien|a partir de quel montant|montant minimum": "minimum spend threshold",
    "combien|quel prix": "how much",
    "quand serai je rembourse|quand serai je remboursee|quand vais je etre rembourse|quand vais je etre remboursee|quand est ce que je serai rembourse|quand recevrai je mon remboursement":
      "refund when will i get my refund",
    "quand|a quel moment": "when",
    "ou|a quelle adresse": "where",
    "livraison|livrez|livrer|livrons|livre t|livres": "delivery shipping deliver ship",
    "expedition|expedier|expediez|expedie|envoi|envoyer|envoyez": "shipping ship send",
    "frais de port|frais d envoi|frais de livraison": "shipping cost",
    "frais|commission": "fee cost charge",
    "cout|coute|coutent|couter|coutera": "cost price",
    "prix|tarif|tarifs": "price cost rate",
    "gratuit|gratuite|gratuitement|offert|offerte": "free",
    "retour|retours|retourner|renvoyer|renvoi|renvoy|rendre": "return",
    "apres|une fois que|des que": "after",
    "rembours": "refund",
    "echange|echanger": "exchange",
    "annul": "cancel",
    "commande|commander": "order",
    "colis": "parcel package",
    "suivi|suivre": "tracking track",
    "moyens de paiement|modes de paiement|moyen de paiement": "payment methods",
    "paiement|payer|payez|regler": "payment pay",
    "paie|paye|paient|payent": "pays",
    "propose|proposez|proposer|offrez": "offer",
    "carte cadeau|cartes cadeaux|cheque cadeau|bon d achat": "gift card",
    "carte|cartes": "card",
    "expir|perim|valable": "expire",
    "garantie": "warranty",
    "droits de douane|douane|douanes|dedouanement": "customs duties",
    "taxe|taxes|tva|impot": "tax vat",
    "pays": "country countries",
    "numero de telephone|telephone|appeler|joindre par telephone": "phone number call",
    "adresse e mail|adresse email|adresse mail|e mail|email|courriel|mail": "email",
    "adresse postale|adresse": "address",
    "horaires|heures d ouverture|ouvert|ouverts|ouverture": "hours open",
    "service client|service clientele": "customer service team",
    "solde|soldes|soldee|soldees|en promotion|promo": "sale final clearance",
    "reduction|remise|rabais": "discount",
    "code promo|code de reduction": "discount code",
    "etudiant|etudiants": "student",
    "fidelite": "loyalty",
    "programme": "program",
    "application|appli": "app",
    "mobile|portable": "mobile",
    "recrut|emploi|embauch": "hiring jobs",
    "fabrique|fabriques|fabriquee|fabriquees|fabrication": "made",
    "taille|tailles": "size",
    "chaussure": "shoes footwear",
    "mot de passe": "password",
    "reinitialiser|oublie": "reset forgot",
    "compte": "account",
    "supprimer|suppression": "delete",
    "article|articles|produit|produits": "item product",
    "endommage|casse|abime": "damaged",
    "defectueux|defectueuse|defaut": "defective",
    "mauvais|mauvaise|erreur": "wrong",
    "manquant|manque": "missing",
    "perdu|perdue": "lost",
    "signature|signer": "signature sign",
    "jour|jours": "days",
    "semaine|semaines": "weeks",
    "accept": "accept",
    "recevoir|recevrai|recu": "receive",
    "magasin|boutique": "store",
    france: `france ${EU}`,
    allemagne: `germany ${EU}`,
    espagne: `spain ${EU}`,
    italie: `italy ${EU}`,
    belgique: `belgium ${EU}`,
    "pays bas": `netherlands ${EU}`,
    autriche: `austria ${EU}`,
    irlande: `ireland ${EU}`,
    portugal: `portugal ${EU}`,
    luxembourg: `luxembourg ${EU}`,
    "royaume uni|angleterre|grande bretagne": "united kingdom uk",
    "etats unis": "united states us",
    mexique: "mexico",
    japon: "japan",
    australie: "australia",
    "nouvelle zelande": "new zealand",
    suisse: "switzerland",
    norvege: "norway",
    "coree du sud|coree": "south korea",
    chine: "china",
    bresil: "brazil",
  },
  de: {
    "wie lange habe ich zeit|wie lange habe ich|wie viel zeit habe ich|wieviel zeit habe ich|bis wann": "how long do i have",
    "wie lange|wie viele tage|wie schnell|dauer|dauert|lieferzeit|lieferzeiten": "how long time",
    "ab welchem betrag|ab wann|mindestbestellwert|mindestwert": "minimum spend threshold",
    "wie viel|wieviel|was kostet": "how much cost",
    wann: "when",
    "wohin|wo": "where",
    "versand|versende|versenden|verschick|liefer|zustellung|zustellen": "shipping delivery ship deliver",
    "versandkosten|porto": "shipping cost",
    "gebuhr|gebuhren|aufpreis": "fee cost charge",
    "kosten|kostet|preis|preise|tarif": "cost price",
    "kostenlos|gratis|umsonst|versandkostenfrei|frei": "free",
    "rucksend|zuruckgeben|zurucksenden|zuruckschicken|zuruckzugeben|zuruckzusenden|zuruckzuschicken|zuruckgeschickt|zuruckgesendet|retour|ruckgabe|zuruckgegeben": "return",
    "nachdem|sobald": "after",
    "wann bekomme ich mein geld zuruck|wann bekomme ich mein geld|wann bekomme ich meine erstattung|wann erhalte ich mein geld zuruck|wann erhalte ich meine erstattung":
      "refund when will i get my refund",
    "bekomm|erhalt": "get receive",
    "erstatt|ruckerstatt|geld zuruck|ruckzahlung": "refund",
    "umtausch|umtauschen|austausch": "exchange",
    "storn": "cancel",
    "bestellung|bestellen|bestellt|auftrag": "order",
    "paket|pakete|sendung": "parcel package",
    "sendungsverfolgung|verfolgen|tracking": "tracking track",
    "zahlungsmethode|zahlungsmethoden|zahlungsart|zahlungsarten|zahlungsmittel": "payment methods",
    "zahlung|zahlen|bezahlen|bezahlung": "payment pay",
    "zahlt|bezahlt": "pays",
    "setze|setzen": "reset",
    zuruck: "back",
    "geschenkkarte|geschenkgutschein|gutschein|gutscheine": "gift card voucher",
    "gutscheincode|rabattcode|aktionscode": "discount code",
    "karte|kreditkarte": "card",
    "ablauf|laufen ab|lauft ab|laufen|verfall|gultig": "expire",
    "garantie|gewahrleistung": "warranty",
    "zoll|zolle|zollgebuhr|einfuhr": "customs duties",
    "steuer|steuern|mehrwertsteuer|mwst|ust": "tax vat",
    "land|lander": "country countries",
    "telefonnummer|telefon|anrufen|rufnummer": "phone number call",
    "e mail|email|mail": "email",
    "adresse|anschrift|postanschrift": "address",
    "offnungszeit|erreichbar|geoffnet|sprechzeit|uhrzeit": "hours open",
    "kundenservice|kundendienst|support": "customer service team",
    "sale|reduziert|reduzierte|ausverkauf|schlussverkauf|angebot": "sale final clearance",
    "rabatt|nachlass|ermassigung": "discount",
    "student|studenten|studierende": "student",
    "treue|bonusprogramm|punkte|treueprogramm": "loyalty points program",
    "app|anwendung": "app",
    "grosse|grossen": "size",
    "schuh|schuhe": "shoes footwear",
    "passwort|kennwort": "password",
    "zurucksetzen|vergessen": "reset forgot",
    "konto|kundenkonto": "account",
    "losch": "delete",
    "artikel|produkt|produkte|ware": "item product",
    "beschadigt|kaputt": "damaged",
    "defekt": "defective",
    "falsch|falsche|falschen": "wrong",
    "fehlt|fehlend": "missing",
    "verloren": "lost",
    "unterschrift|unterschreiben": "signature sign",
    "tag|tage|tagen": "days",
    "woche|wochen": "weeks",
    "akzeptier|nehmen sie": "accept",
    "betrag": "amount",
    "geschaftsfuhrer|chef|grunder": "ceo founder",
    "vegan": "vegan",
    "laden|geschaft|filiale": "store",
    zeit: "time",
    deutschland: `germany ${EU}`,
    osterreich: `austria ${EU}`,
    frankreich: `france ${EU}`,
    spanien: `spain ${EU}`,
    italien: `italy ${EU}`,
    niederlande: `netherlands ${EU}`,
    belgien: `belgium ${EU}`,
    schweiz: "switzerland",
    kanada: "canada",
    mexiko: "mexico",
    "grossbritannien|vereinigtes konigreich|england": "united kingdom uk",
    "usa|vereinigte staaten": "united states us",
    australien: "australia",
    neuseeland: "new zealand",
    norwegen: "norway",
    "sudkorea|korea": "south korea",
  },
  es: {
    "cuanto tiempo tengo|cuantos dias tengo|hasta cuando": "how long do i have",
    "cuanto tiempo|cuantos dias|cuanto tarda|cuanto tardan|tarda|tardan|demora|plazo|cuanto dura|dura": "how long time",
    "a partir de cuanto|monto minimo|importe minimo": "minimum spend threshold",
    "cuanto|cuanta|cuantos|cuantas": "how much",
    "cuando recibire mi reembolso|cuando me devuelven el dinero|cuando me reembolsan|cuando recibo mi reembolso": "refund when will i get my refund",
    cuando: "when",
    "despues|una vez que": "after",
    "donde|a que direccion": "where",
    "envio|envios|enviar|envian|envias|entrega|entregan|entregar": "shipping delivery ship",
    "gastos de envio|costo de envio|coste de envio": "shipping cost",
    "cargo|cargos|comision|recargo": "fee cost charge",
    "cuesta|cuestan|costo|coste|costar|precio|precios|tarifa": "cost price",
    "gratis|gratuito|gratuita|sin costo|sin cargo": "free",
    "devolver|devolucion|devoluciones|devuelvo": "return",
    "reembols": "refund",
    "cambio|cambiar": "exchange change",
    "cancel|anular": "cancel",
    "pedido|pedidos|orden|compra": "order",
    "paquete|paquetes": "parcel package",
    "seguimiento|rastrear|rastreo": "tracking track",
    "metodos de pago|formas de pago|medios de pago": "payment methods",
    "pago|pagos|pagar": "payment pay",
    "paga|pagan": "pays",
    "ofrecen|ofrece": "offer",
    "tarjeta de regalo|tarjetas de regalo|vale|vales|cheque regalo": "gift card",
    "tarjeta|tarjetas": "card",
    "caduc|expir|vencen|vence|vencimiento": "expire",
    garantia: "warranty",
    "aduana|aranceles|arancel|derechos de importacion": "customs duties",
    "impuesto|impuestos|iva": "tax vat",
    "pais|paises": "country countries",
    "numero de telefono|telefono|llamar": "phone number call",
    "correo electronico|correo|email|e mail": "email",
    "direccion|domicilio": "address",
    "horario|horarios|abierto|abren": "hours open",
    "atencion al cliente|servicio al cliente": "customer service team",
    "rebaja|rebajas|rebajado|rebajados|oferta|ofertas|liquidacion": "sale final clearance",
    "descuento|descuentos": "discount",
    "estudiante|estudiantes": "student",
    "puntos|fidelidad|lealtad": "loyalty points",
    programa: "program",
    "aplicacion|app": "app",
    "movil|celular": "mobile",
    "contratando|contratar|empleo|trabajo|vacantes": "hiring jobs",
    personal: "staff",
    "vegano|veganos|vegana|veganas": "vegan",
    "talla|tallas": "size",
    "zapato|zapatos|calzado": "shoes footwear",
    contrasena: "password",
    "restablecer|olvide": "reset forgot",
    cuenta: "account",
    "eliminar|borrar": "delete",
    "articulo|articulos|producto|productos": "item product",
    "danado|danada|roto|rota": "damaged",
    "defectuoso|defectuosa|defecto": "defective",
    "equivocado|incorrecto|equivocada|incorrecta": "wrong",
    "falta|faltante": "missing",
    "perdido|perdida": "lost",
    "firma|firmar": "signature sign",
    "dia|dias": "days",
    "semana|semanas": "weeks",
    "aceptan|aceptar|acepta": "accept",
    "recibir|recibire|recibo": "receive",
    "tienda|tiendas": "store",
    espana: `spain ${EU}`,
    francia: `france ${EU}`,
    alemania: `germany ${EU}`,
    italia: `italy ${EU}`,
    "paises bajos|holanda": `netherlands ${EU}`,
    portugal: `portugal ${EU}`,
    "reino unido|inglaterra|gran bretana": "united kingdom uk",
    "estados unidos|eeuu": "united states us",
    mexico: "mexico",
    canada: "canada",
    japon: "japan",
    australia: "australia",
    "nueva zelanda": "new zealand",
    suiza: "switzerland",
    noruega: "norway",
    "corea del sur|corea": "south korea",
    brasil: "brazil",
  },
};

/** Function words dropped from a question before and after translation. */
const FUNCTION_WORDS: Record<(typeof EXPANDED_LANGUAGES)[number], Set<string>> = {
  fr: new Set(
    (
      "le la les l un une des du de d au aux et ou a en pour par sur dans avec est sont je j ai me m mon ma mes vous votre vos nous notre nos " +
      "il elle ils elles on ce cet cette ces qui que qu quoi quel quelle quels quelles y t pas ne n se s si puis peut peux pouvez pourrais " +
      "faire fait est ce c etre avoir avez as serai sera serais seront bonjour merci svp s il plait tout tous toute moment actuellement en ce moment leur leurs vais vas va"
    ).split(" "),
  ),
  de: new Set(
    (
      "der die das den dem des ein eine einen einem einer eines und oder zu zum zur nach von vom mit bei fur auf aus in im an am ist sind bin hat habe " +
      "haben ich mich mir mein meine meinen meiner sie ihr ihre ihren ihrem ihnen wir uns unser unsere es er man wie was wer welche welcher welches " +
      "welchen gibt kann konnen konnte muss mussen wird werden wenn ob noch schon auch nicht kein keine etwas bitte da denn so hallo danke lautet " +
      "einen dieser diese dieses ab gilt uber viel"
    ).split(" "),
  ),
  es: new Set(
    (
      "el la los las lo un una unos unas de del al a en y o u que para por con es son su sus mi mis me se le les nos usted ustedes hay algun alguna " +
      "algunos tienen tiene tengo tienes puedo puede pueden podria hacer hacen hace este esta esto estos estas como cual cuales quien si no ya " +
      "hola gracias por favor estan esta sobre sus mas muy"
    ).split(" "),
  ),
};

interface LexiconEntry {
  key: string;
  english: string;
}

interface CompiledLexicon {
  phrases: LexiconEntry[];
  words: Map<string, LexiconEntry>;
  /** Single-word keys of 4+ letters, longest first, for prefix (and German compound) matching. */
  prefixes: LexiconEntry[];
}

const compiled = new Map<string, CompiledLexicon>();

function compile(language: (typeof EXPANDED_LANGUAGES)[number]): CompiledLexicon {
  const cached = compiled.get(language);
  if (cached) return cached;
  const phrases: LexiconEntry[] = [];
  const words = new Map<string, LexiconEntry>();
  for (const [keys, english] of Object.entries(LEXICON[language])) {
    for (const key of keys.split("|")) {
      const entry = { key, english };
      if (key.includes(" ")) phrases.push(entry);
      else if (!words.has(key)) words.set(key, entry);
    }
  }
  phrases.sort((a, b) => b.key.length - a.key.length);
  const prefixes = [...words.values()].filter((entry) => entry.key.length >= 4).sort((a, b) => b.key.length - a.key.length);
  const result = { phrases, words, prefixes };
  compiled.set(language, result);
  return result;
}

/** Longest inflection a prefix key may be followed by ("rembours" + "ement"). */
const MAX_INFLECTION = 5;

function lookupWord(word: string, language: (typeof EXPANDED_LANGUAGES)[number], lexicon: CompiledLexicon): LexiconEntry[] {
  const exact = lexicon.words.get(word);
  if (exact) return [exact];
  const prefix = lexicon.prefixes.find((entry) => word.startsWith(entry.key) && word.length - entry.key.length <= MAX_INFLECTION);
  if (prefix && language !== "de") return [prefix];
  if (language !== "de") return [];
  // German compounds: the longest known head and tail ("rucksende|gebuhr", "versand|kosten").
  const found: LexiconEntry[] = [];
  const head = lexicon.prefixes.find((entry) => word.startsWith(entry.key) && word.length > entry.key.length);
  if (head) found.push(head);
  const tail = lexicon.prefixes.find((entry) => word.endsWith(entry.key) && word.length > entry.key.length && entry !== head);
  if (tail && (!head || head.key.length + tail.key.length <= word.length + 1)) found.push(tail);
  return found;
}

export interface ExpandedQuery {
  /** The query's language as expanded ("fr", "de", "es"), or "en" when left as it was. */
  language: string;
  /** English terms from the lexicon, in question order, plus untranslated content words (names, brands). */
  englishText: string;
  /** What the embedder sees: the English terms (the original words only add noise against English passages). */
  embeddingText: string;
  /** What full-text search sees: main translations and untranslated words (every word must match there). */
  keywordText: string;
}

/**
 * The query as English terms when it is written in French, German or Spanish; English (or unknown) queries
 * are returned as they are, plus the aliases of country names.
 */
export function expandQuery(query: string, language?: string | null): ExpandedQuery {
  const source = expansionLanguage(language);
  if (!source) {
    const aliases = englishAliases(query);
    const text = aliases ? `${query} ${aliases}` : query;
    return { language: "en", englishText: text, embeddingText: text, keywordText: query };
  }
  const lexicon = compile(source);
  let text = ` ${normalizeForLexicon(query)} `;
  const english: string[] = [];
  const keywords: string[] = [];
  // Phrases first; each is replaced by a placeholder so its words are not read again.
  const found: { at: number; entry: LexiconEntry }[] = [];
  for (const entry of lexicon.phrases) {
    let at = text.indexOf(` ${entry.key} `);
    while (at >= 0) {
      found.push({ at, entry });
      text = `${text.slice(0, at + 1)}${"_".repeat(entry.key.length)}${text.slice(at + 1 + entry.key.length)}`;
      at = text.indexOf(` ${entry.key} `, at + 1);
    }
  }
  const tokens: { at: number; english?: string; keyword?: string }[] = found.map(({ at, entry }) => ({ at, english: entry.english, keyword: mainWord(entry.english) }));
  const functionWords = FUNCTION_WORDS[source];
  for (const match of text.matchAll(/[^\s_]+/g)) {
    const word = match[0];
    if (functionWords.has(word)) continue;
    const entries = lookupWord(word, source, lexicon);
    if (entries.length > 0) {
      for (const entry of entries) tokens.push({ at: match.index, english: entry.english, keyword: mainWord(entry.english) });
    } else if (word.length > 1) {
      tokens.push({ at: match.index, english: word, keyword: word });
    }
  }
  tokens.sort((a, b) => a.at - b.at);
  for (const token of tokens) {
    if (token.english) english.push(token.english);
    if (token.keyword) keywords.push(token.keyword);
  }
  // Nothing but function words ("Bonjour !"): the query as written is all there is to search for.
  if (english.length === 0) return { language: source, englishText: query, embeddingText: query, keywordText: query };
  const englishText = dedupeWords(english.join(" "));
  const aliases = englishAliases(englishText);
  const withAliases = aliases ? dedupeWords(`${englishText} ${aliases}`) : englishText;
  return { language: source, englishText: withAliases, embeddingText: withAliases, keywordText: dedupeWords(keywords.join(" ")) };
}

/** The query's own content words, its language's function words dropped (to read passages in that language). */
export function withoutFunctionWords(query: string, language?: string | null): string {
  const source = expansionLanguage(language);
  if (!source) return query;
  return normalizeForLexicon(query)
    .split(" ")
    .filter((word) => word.length > 1 && !FUNCTION_WORDS[source].has(word))
    .join(" ");
}

/** The main translation of an entry, or nothing for question words ("how much") full-text search would drop. */
function mainWord(english: string): string | undefined {
  if (/^(how|when|where|minimum)\b/.test(english)) return undefined;
  return english.split(" ")[0];
}

function englishAliases(text: string): string {
  const words = normalizeForLexicon(text).split(" ");
  return [...new Set(words.flatMap((word) => (ENGLISH_ALIASES[word] ? [ENGLISH_ALIASES[word]!] : [])))].join(" ");
}

function dedupeWords(text: string): string {
  return [...new Set(text.split(/\s+/).filter(Boolean))].join(" ");
}
