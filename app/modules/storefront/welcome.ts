/**
 * What the widget shows before the shopper has written anything: the greeting and the starter chips, in the
 * shopper's language. The merchant writes one greeting and one set of chips (usually in the shop's primary
 * language); a shopper browsing a translated storefront gets a default greeting in their own language that
 * still names the assistant and the shop, and default chips they can read — unless the merchant's greeting
 * is already in that language.
 */

/** Languages the app has its own greeting and chips for; other languages keep the merchant's text. */
export const WELCOME_LANGUAGES = ["en", "fr", "de", "es"] as const;
export type WelcomeLanguage = (typeof WELCOME_LANGUAGES)[number];

const GREETINGS: Record<WelcomeLanguage, (name: string, shop: string) => string> = {
  en: (name, shop) => `Hi! I'm ${name}, the assistant at ${shop}. How can I help you today?`,
  // "l'assistant d'Alder & Pine", "l'assistant de Northwind": French elides "de" before a vowel.
  fr: (name, shop) => `Bonjour ! Je suis ${name}, l'assistant ${/^[aeiouyàâäéèêëîïôöùûü]/i.test(shop) ? "d'" : "de "}${shop}. Comment puis-je vous aider ?`,
  de: (name, shop) => `Hallo! Ich bin ${name}, der Assistent von ${shop}. Wie kann ich Ihnen helfen?`,
  es: (name, shop) => `¡Hola! Soy ${name}, el asistente de ${shop}. ¿En qué puedo ayudarte?`,
};

/**
 * Starter chips: each is sent as the shopper's message when tapped, so each is something the assistant
 * answers (an order lookup, a return, two policy questions). No "talk to a person": the panel has that button.
 */
const STARTER_CHIPS: Record<WelcomeLanguage, string[]> = {
  en: ["Where is my order?", "Start a return", "Shipping costs", "Payment methods"],
  fr: ["Où est ma commande ?", "Faire un retour", "Frais de livraison", "Moyens de paiement"],
  de: ["Wo ist meine Bestellung?", "Rücksendung starten", "Versandkosten", "Zahlungsarten"],
  es: ["¿Dónde está mi pedido?", "Hacer una devolución", "Gastos de envío", "Métodos de pago"],
};

/** `fr`, `fr-CA`, `pt-BR` → `fr`, `fr`, `pt`; anything else → null. */
export function baseLanguage(locale: string | null | undefined): string | null {
  const match = /^([a-z]{2})(?:[-_]|$)/i.exec((locale ?? "").trim());
  return match ? match[1]!.toLowerCase() : null;
}

function isWelcomeLanguage(language: string): language is WelcomeLanguage {
  return (WELCOME_LANGUAGES as readonly string[]).includes(language);
}

export interface WelcomeInput {
  /** The shopper's language (the storefront's locale, or the conversation's when the widget sent none). */
  shopperLanguage: string | null;
  /** `Shop.primaryLocale`: the language the merchant's own texts are assumed to be in. */
  shopPrimaryLocale: string;
  shopName: string;
  assistantName: string;
  /** The merchant's greeting (`settings.greeting`). */
  greeting: string;
  /** The merchant's starter chips (`settings.widget.quickReplies`); none means the merchant wants none. */
  quickReplies: string[];
  /** The language a text is written in, or null when it cannot tell (the assistant's detector). */
  detectLanguage: (text: string) => string | null;
}

export interface Welcome {
  greeting: string;
  quickReplies: string[];
}

/**
 * The merchant's greeting and chips when the shopper reads the shop's primary language (or a language the app
 * has no texts for); otherwise the app's defaults in the shopper's language. A merchant greeting detected as
 * the shopper's language is kept (a French shop's greeting for a French shopper on a shop whose primary
 * language is English, say).
 */
export function welcomeFor(input: WelcomeInput): Welcome {
  const shopper = input.shopperLanguage;
  const primary = baseLanguage(input.shopPrimaryLocale) ?? "en";
  const merchant: Welcome = { greeting: input.greeting, quickReplies: input.quickReplies };
  if (!shopper || shopper === primary || !isWelcomeLanguage(shopper)) return merchant;
  const greetingInShopperLanguage = input.greeting.trim() !== "" && input.detectLanguage(input.greeting) === shopper;
  return {
    greeting: greetingInShopperLanguage ? input.greeting : GREETINGS[shopper](input.assistantName.trim() || "Shopdesk", input.shopName.trim()),
    quickReplies: input.quickReplies.length > 0 ? STARTER_CHIPS[shopper].slice() : [],
  };
}
