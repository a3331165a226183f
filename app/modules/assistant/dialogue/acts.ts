/**
 * Small dialogue acts read off a message in en/fr/de/es: an answer to a yes/no question, a follow-up asking
 * for one detail of the order under discussion, items named for a return. They mean something only where the
 * dialogue state says a question is pending; the planner decides that.
 */

const normalise = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\p{L}\p{N}\s']/gu, " ")
    .replace(/\s+/g, " ")
    .trim();

const YES = new Set([
  "yes", "yeah", "yep", "yup", "sure", "ok", "okay", "please", "yes please", "go ahead", "do it", "confirm", "confirmed", "correct", "that's right", "right", "absolutely", "of course", "please do", "sounds good",
  "oui", "ouais", "d'accord", "daccord", "volontiers", "allez y", "vas y", "c'est bon", "confirme", "je confirme", "bien sur", "oui merci", "oui s'il vous plait", "oui svp",
  "ja", "jawohl", "gerne", "klar", "bitte", "ja bitte", "ja gerne", "einverstanden", "mach das", "machen sie das", "bestatige", "ich bestatige", "genau", "richtig", "natuerlich", "naturlich",
  "si", "vale", "claro", "de acuerdo", "adelante", "confirmo", "por favor", "si por favor", "si gracias", "hazlo", "correcto", "perfecto",
]);

const NO = new Set([
  "no", "nope", "nah", "no thanks", "no thank you", "don't", "dont", "do not", "cancel that", "never mind", "nevermind", "not now", "stop", "wait", "hold on",
  "non", "non merci", "pas maintenant", "laisse tomber", "annule", "attendez",
  "nein", "nein danke", "lieber nicht", "doch nicht", "warte", "abbrechen", "nicht jetzt",
  "no gracias", "mejor no", "espera", "todavia no", "ahora no",
]);

const YES_START = /^(yes|yeah|yep|sure|ok|okay|oui|ouais|d'accord|ja|gerne|klar|si|vale|claro|de acuerdo)\b/;
const NO_START = /^(no|nope|nah|non|nein|never mind|nevermind)\b/;

/** "yes" / "no" when the message is (mostly) an answer to a yes/no question; undefined otherwise. */
export function yesNo(text: string): "yes" | "no" | undefined {
  const plain = normalise(text).replace(/\b(thanks|thank you|merci|danke|gracias)\b/g, "").trim();
  if (!plain) return undefined;
  if (YES.has(plain)) return "yes";
  if (NO.has(plain)) return "no";
  // "Yes, go ahead with it", "no, I changed my mind": short answers that lead with the word. "Ok. Which
  // payment methods do you accept?" is a new question, not an answer.
  const words = plain.split(" ").length;
  if (/\?/.test(text) && words > 2) return undefined;
  if (words <= 8 && NO_START.test(plain)) return "no";
  if (words <= 8 && YES_START.test(plain)) return "yes";
  return undefined;
}

export type OrderAspect = "eta" | "tracking" | "carrier";

/** Which detail of the order under discussion a short follow-up asks for. */
export function orderAspectAsked(text: string): OrderAspect | undefined {
  const plain = normalise(text);
  if (/\b(tracking (number|no|code|link)|track(ing)? it|numero de suivi|lien de suivi|sendungsnummer|trackingnummer|tracking ?link|sendungsverfolgung|numero de seguimiento|enlace de seguimiento)\b/.test(plain)) return "tracking";
  if (/\b(when (will|does|do|is|should)|arrive|arriving|get here|delivery date|how long|expected|quand|arrivera|livre quand|wann|ankommen|kommt|cuando|llegara|llega)\b/.test(plain)) return "eta";
  if (/\b(which carrier|what carrier|who is delivering|transporteur|versanddienstleister|welcher paketdienst|transportista|que empresa)\b/.test(plain)) return "carrier";
  return undefined;
}

/** Refers back to the order already under discussion ("it", "my order", "the parcel"). */
export function refersToOrder(text: string): boolean {
  return /\b(it|its|it's|they|them|that|this one|the (order|package|parcel)|my (order|package|parcel)|arrive|arriving|delivered|coming|shipped|tracking|il|elle|la commande|ma commande|le colis|mon colis|sie|es|die bestellung|meine bestellung|das paket|mein paket|lo|la|el pedido|mi pedido|el paquete|mi paquete)\b/i.test(text);
}

export interface LineRef {
  id: string;
  title: string;
  quantity: number;
}

const ALL_ITEMS = /\b(all|everything|both|the whole (order|thing)|all of (it|them)|tout|toute la commande|les deux|tous|alles|beide|die ganze bestellung|todo|todos|ambos|el pedido entero)\b/i;
const STOP = new Set(["the", "a", "an", "and", "my", "of", "with", "le", "la", "les", "de", "des", "du", "et", "der", "die", "das", "und", "el", "los", "las", "y", "del"]);
const words = (text: string) => normalise(text).split(" ").filter((word) => word.length > 2 && !STOP.has(word));
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, un: 1, une: 1, deux: 2, trois: 3, eins: 1, ein: 1, eine: 1, zwei: 2, drei: 3, uno: 1, una: 1, dos: 2, tres: 3 };

/**
 * The order's items a message names ("the tee", "2 socks", "both"), with quantities when given. Empty when
 * it names none; all lines when it says "everything".
 */
export function namedItems(text: string, lines: LineRef[]): { id: string; title: string; quantity?: number }[] {
  if (lines.length === 0) return [];
  if (ALL_ITEMS.test(text)) return lines.map((line) => ({ id: line.id, title: line.title }));
  const said = words(text);
  const plain = normalise(text);
  const found: { id: string; title: string; quantity?: number }[] = [];
  for (const line of lines) {
    const titleWords = words(line.title);
    // A line is named by any of its distinctive words (plural forms included) not shared by every line.
    const distinctive = titleWords.filter((word) => lines.length === 1 || !lines.every((other) => words(other.title).includes(word)));
    const hit = distinctive.find((word) => said.some((token) => token === word || token === `${word}s` || `${token}s` === word || (word.length >= 5 && token.startsWith(word.slice(0, -1)))));
    if (!hit) continue;
    const before = plain.match(new RegExp(`\\b(\\d{1,2}|${Object.keys(NUMBER_WORDS).join("|")})\\s+(?:\\S+\\s+){0,2}${hit.slice(0, 4)}`));
    const quantity = before ? (Number(before[1]) || NUMBER_WORDS[before[1]!]) : undefined;
    found.push({ id: line.id, title: line.title, ...(quantity ? { quantity: Math.min(quantity, line.quantity) } : {}) });
  }
  return found;
}

/** Refers back to a product already discussed ("is it waterproof?", "est-elle…", "ist es…", "¿lo…?"). */
export function refersToProduct(text: string): boolean {
  return /\b(it|its|it's|they|them|this one|that one|il|elle|ils|elles|celui-ci|celle-ci|es|sie|er|das|dieses|diese|lo|la|los|las|este|esta)\b/i.test(text);
}

const OFF_TOPIC =
  /\b(capital of|capitale|hauptstadt|poem|po[eè]me|gedicht|poema|joke|blague|witz|chiste|weather|m[ée]t[ée]o|wetter|who won|world cup|coupe du monde|weltmeister|mundial|president|pr[ée]sident|recipe|recette|rezept|receta|translate|tradui[st]|[üu]bersetze?|traduce|homework|devoirs|hausaufgaben|deberes|meaning of life|sens de la vie|sinn des lebens|sentido de la vida|write me|[ée]cris-moi|schreib mir|escr[ií]beme|tell me a story|raconte-moi|erz[äa]hl mir|cu[ée]ntame|sing|chante|singe|canta|stock market|bitcoin|horoscope|horoskop|hor[óo]scopo)\b/i;

/** Clearly not a question for a shop ("what's the capital of France?", "write me a poem"). */
export function isOffTopic(text: string): boolean {
  return OFF_TOPIC.test(text);
}
