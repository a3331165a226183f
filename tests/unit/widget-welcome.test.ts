import { describe, expect, it } from "vitest";
import { analyzeMessage } from "~/modules/assistant/nlu";
import { baseLanguage, type WelcomeInput, welcomeFor } from "~/modules/storefront/welcome";

/** What the widget greets a shopper with, by the shopper's language (the storefront's locale) and the shop's. */
const merchant: WelcomeInput = {
  shopperLanguage: "en",
  shopPrimaryLocale: "en",
  shopName: "Northwind Outfitters",
  assistantName: "Juniper",
  greeting: "Hi, I'm Juniper from Northwind Outfitters! I can track your order, start a return or exchange, and help with sizing and shipping questions.",
  quickReplies: ["Where is my order?", "Start a return", "Sizing help", "Shipping costs"],
  // The assistant's own detector, as the storefront API uses it.
  detectLanguage: (text) => {
    const nlu = analyzeMessage(text);
    return nlu.languageReliable ? nlu.language : null;
  },
};

describe("welcome (greeting and starter chips) in the shopper's language", () => {
  it("keeps the merchant's greeting and chips for a shopper reading the shop's primary language", () => {
    expect(welcomeFor(merchant)).toEqual({ greeting: merchant.greeting, quickReplies: merchant.quickReplies });
    expect(welcomeFor({ ...merchant, shopperLanguage: null })).toEqual({ greeting: merchant.greeting, quickReplies: merchant.quickReplies });
  });

  it("greets French, German and Spanish shoppers in their language, naming the assistant and the shop, with chips they can read", () => {
    const fr = welcomeFor({ ...merchant, shopperLanguage: "fr" });
    expect(fr.greeting).toBe("Bonjour ! Je suis Juniper, l'assistant de Northwind Outfitters. Comment puis-je vous aider ?");
    expect(fr.quickReplies).toEqual(["Où est ma commande ?", "Faire un retour", "Frais de livraison", "Moyens de paiement"]);
    const de = welcomeFor({ ...merchant, shopperLanguage: "de" });
    expect(de.greeting).toBe("Hallo! Ich bin Juniper, der Assistent von Northwind Outfitters. Wie kann ich Ihnen helfen?");
    expect(de.quickReplies[0]).toBe("Wo ist meine Bestellung?");
    const es = welcomeFor({ ...merchant, shopperLanguage: "es" });
    expect(es.greeting).toBe("¡Hola! Soy Juniper, el asistente de Northwind Outfitters. ¿En qué puedo ayudarte?");
    expect(es.quickReplies[0]).toBe("¿Dónde está mi pedido?");
    // French elides "de" before a vowel.
    expect(welcomeFor({ ...merchant, shopperLanguage: "fr", shopName: "Alder & Pine" }).greeting).toContain("l'assistant d'Alder & Pine.");
  });

  it("greets an English shopper on a French shop in English", () => {
    const shop = { ...merchant, shopPrimaryLocale: "fr-CA", greeting: "Bonjour ! Je suis Juniper. Posez-moi vos questions sur vos commandes et les retours.", quickReplies: ["Où est ma commande ?"] };
    expect(welcomeFor({ ...shop, shopperLanguage: "en" })).toEqual({
      greeting: "Hi! I'm Juniper, the assistant at Northwind Outfitters. How can I help you today?",
      quickReplies: ["Where is my order?", "Start a return", "Shipping costs", "Payment methods"],
    });
    expect(welcomeFor({ ...shop, shopperLanguage: "fr" }).greeting).toBe(shop.greeting);
  });

  it("keeps a merchant greeting already written in the shopper's language", () => {
    const greeting = "Bonjour et bienvenue chez Northwind ! Je peux suivre votre commande et répondre à vos questions sur les retours.";
    expect(welcomeFor({ ...merchant, shopperLanguage: "fr", greeting }).greeting).toBe(greeting);
  });

  it("keeps the merchant's text for languages it has no greeting for, and no chips when the merchant wants none", () => {
    expect(welcomeFor({ ...merchant, shopperLanguage: "ja" })).toEqual({ greeting: merchant.greeting, quickReplies: merchant.quickReplies });
    expect(welcomeFor({ ...merchant, shopperLanguage: "fr", quickReplies: [] }).quickReplies).toEqual([]);
  });

  it("reads the language from a storefront locale", () => {
    expect(baseLanguage("fr")).toBe("fr");
    expect(baseLanguage("pt-BR")).toBe("pt");
    expect(baseLanguage("de_AT")).toBe("de");
    expect(baseLanguage("FR")).toBe("fr");
    expect(baseLanguage("")).toBeNull();
    expect(baseLanguage(undefined)).toBeNull();
    expect(baseLanguage("français")).toBeNull();
  });
});
