import { describe, expect, it } from "vitest";
import { ASKS, amountPattern, checkLanguage, datePattern, INTERNAL_TEXT, LEXICON, moneyAmounts, RAW_DATE } from "./lexicon";

/** The suite's own judges, on worked examples: a check that can't fail, or fails on a good reply, measures nothing. */

const failing = (reply: string, locale: "fr" | "de" | "es", names: string[] = []) =>
  checkLanguage(reply, locale, names)
    .filter((finding) => !finding.ok)
    .map((finding) => finding.check);

describe("conversation suite checks", () => {
  it("matches an amount in any locale's formatting, and nothing larger around it", () => {
    const amount = new RegExp(amountPattern(1234.5), "u");
    for (const text of ["$1,234.50", "1.234,50 €", "1 234,50 €", "1\u202f234,50 $US", "1234.50 EUR"]) expect(text).toMatch(amount);
    for (const text of ["11,234.50", "1,234.505", "1,234.55"]) expect(text).not.toMatch(amount);
    expect("you'd get $44.99 back").toMatch(new RegExp(amountPattern(44.99), "u"));
    expect("144.99").not.toMatch(new RegExp(amountPattern(44.99), "u"));
  });

  it("matches a date as each locale writes it", () => {
    const date = new Date("2026-12-03T18:00:00Z");
    const pattern = (locale: "en" | "fr" | "de" | "es") => new RegExp(datePattern(date, locale, "Europe/Berlin"), "iu");
    expect("expected to arrive on Dec 3, 2026").toMatch(pattern("en"));
    expect("arrives Thursday").toMatch(pattern("en"));
    expect("devrait arriver le 3 déc. 2026").toMatch(pattern("fr"));
    expect("le 3 décembre").toMatch(pattern("fr"));
    expect("soll am 03.12.2026 ankommen").toMatch(pattern("de"));
    expect("am 3. Dezember").toMatch(pattern("de"));
    expect("debería llegar el 3 dic 2026").toMatch(pattern("es"));
    expect("el 3 de diciembre").toMatch(pattern("es"));
    expect("arrives Dec 4, 2026").not.toMatch(pattern("en"));
    expect("am 04.12.2026").not.toMatch(pattern("de"));
  });

  it("reads the money amounts a reply states, whatever the format", () => {
    expect(moneyAmounts("you'd get $51.65 back (after the $6.95 return fee)")).toEqual([51.65, 6.95]);
    expect(moneyAmounts("erhalten Sie 194,05 € zurück")).toEqual([194.05]);
    expect(moneyAmounts("refund me $5,000")).toEqual([5000]);
    expect(moneyAmounts("1 × Trail Tee, order #1042")).toEqual([]);
  });

  it("passes a reply in the shopper's language and flags English sentences, dates and amounts in it", () => {
    expect(failing("Votre colis de la commande #2007 est en route avec DHL (numéro de suivi 00340434161094012307).", "fr")).toEqual([]);
    expect(failing("La commande #1561 devrait arriver le 3 déc. 2026.", "fr")).toEqual([]);
    expect(failing("Diese Rücksendung würde ich für die Bestellung #2011 beim Shop beantragen: 1 × Karwendel Hiking Boot.", "de", ["Karwendel Hiking Boot"])).toEqual([]);
    expect(failing("Tu paquete del pedido #1565 está en camino con UPS.", "es")).toEqual([]);
    expect(failing("Voici ce qu'indique notre centre d'aide : Delivery takes 3–6 business days and costs €8.90.", "fr")).toEqual(["no-english", "locale-money"]);
    // Labelled as a quote in English, the merchant's own words may stay as written; the introduction may not.
    expect(failing("Voici ce qu'indique notre centre d'aide (en anglais) : Delivery takes 3–6 business days and costs €8.90.", "fr")).toEqual([]);
    expect(failing("Here's what our help center says (in English): Delivery takes 3–6 business days.", "fr")).toEqual(["language", "no-english"]);
    expect(failing("Oui, la veste est imperméable. La fiche produit indique : « A packable waterproof shell with taped seams. »", "fr")).toEqual([]);
    expect(failing("Hi, I'm Juniper from Northwind Outfitters! I can track your order.", "es", ["Northwind Outfitters"])).toEqual(["language", "no-english"]);
    expect(failing("Hallo, ich bin Finn von Bergfink Outdoor!", "fr", ["Bergfink Outdoor"])).toEqual(["language"]);
    expect(failing("Die Bestellung soll am Dec 4, 2026 ankommen.", "de")).toEqual(["locale-date"]);
    // A product's English name is not an English sentence.
    expect(failing("Le Trail First Aid Kit est en stock.", "fr", ["Trail First Aid Kit"])).toEqual([]);
  });

  it("tells a question for confirmation, for an e-mail or for items from a mere mention", () => {
    expect("Shall I send this request?").toMatch(ASKS.confirmation.en);
    expect("Soll ich diese Anfrage senden?").toMatch(ASKS.confirmation.de);
    expect("Dois-je envoyer cette demande ?").toMatch(ASKS.confirmation.fr);
    expect("¿Envío esta solicitud?").toMatch(ASKS.confirmation.es);
    expect("I've asked the store to cancel order #1592.").not.toMatch(ASKS.confirmation.en);
    expect("what email address did you use at checkout?").toMatch(ASKS.email.en);
    expect("We'll e-mail you the label.").not.toMatch(ASKS.email.en);
    expect("Which items from order #1494 would you like to return?").toMatch(ASKS.items.en);
  });

  it("tells 'requested' from 'done', and spots internal rule text and raw dates", () => {
    expect("I've asked the store to cancel order #1592; you'll see the confirmation here.").toMatch(LEXICON.requested!.en);
    expect("I've passed your new address for order #1571 to our team.").toMatch(LEXICON.requested!.en);
    expect("Your return has been approved.").toMatch(LEXICON.doneClaim!.en);
    expect("Once it's cancelled, $38.00 goes back to your card.").not.toMatch(LEXICON.doneClaim!.en);
    expect("This return is above the 50.00 USD the assistant may approve.").toMatch(INTERNAL_TEXT);
    expect("A team member will review this return before it's approved.").not.toMatch(INTERNAL_TEXT);
    expect("Expected delivery: 2026-10-26.").toMatch(RAW_DATE);
  });
});
