import { describe, expect, it } from "vitest";
import { keyFacts } from "~/modules/assistant/responder/key-facts";

describe("keyFacts: an English passage's figures in the shopper's language", () => {
  it("says periods with the language's units, ranges and business days included", () => {
    expect(keyFacts("Refunds reach your card within 5–10 business days.", "fr", "USD")).toEqual(["5–10 jours ouvrés"]);
    expect(keyFacts("You have 30 days to return an item, or 1 week for sale items.", "de", "USD")).toEqual(["30 Tage", "1 Woche"]);
    expect(keyFacts("Delivery takes 3 to 6 working days; cancel within 2 hours.", "es", "EUR")).toEqual(["3–6 días hábiles", "2 horas"]);
    expect(keyFacts("A 30-day return window applies.", "fr", "USD")).toEqual(["30 jours"]);
  });

  it("writes amounts as the language does, a dollar in the shop's own dollar currency", () => {
    expect(keyFacts("A $6.95 label fee is deducted.", "de", "USD")).toEqual([new Intl.NumberFormat("de", { style: "currency", currency: "USD" }).format(6.95)]);
    expect(keyFacts("Shipping to Canada costs $19.95.", "fr", "CAD")).toEqual([new Intl.NumberFormat("fr", { style: "currency", currency: "CAD" }).format(19.95)]);
    // Intl separates the symbol (and French thousands) with no-break spaces.
    const spaced = (facts: string[]) => facts.map((fact) => fact.replace(/[\u00a0\u202f]/g, " "));
    expect(spaced(keyFacts("Delivery costs €8.90 or 12.90 EUR to Switzerland.", "es", "EUR"))).toEqual(["8,90 €", "12,90 €"]);
    expect(spaced(keyFacts("Orders over $1,250.00 ship free.", "fr", "USD"))[0]).toContain("1 250,00");
  });

  it("says that something costs nothing, and keeps phone numbers, e-mails and percentages as written", () => {
    expect(keyFacts("You can cancel free of charge within 2 hours.", "fr", "USD")).toEqual(["sans frais", "2 heures"]);
    expect(keyFacts("Call +1 (555) 010-0148 or write to help@northwind.example, 40% off.", "de", "USD")).toEqual(["+1 (555) 010-0148", "help@northwind.example", "40%"]);
  });

  it("adds nothing in English, finds nothing where the passage has no figures, and lists a figure once", () => {
    expect(keyFacts("Refunds take 5–10 business days.", "en", "USD")).toEqual([]);
    expect(keyFacts("We accept Visa and PayPal.", "fr", "USD")).toEqual([]);
    expect(keyFacts("Within 30 days, and again within 30 days.", "de", "USD")).toEqual(["30 Tage"]);
  });

  it("leads with only the kinds of figure the question asks for", () => {
    const payment = "Shop Pay Installments: split orders between $50 and $1,500 into 4 payments every two weeks.";
    expect(keyFacts(payment, "fr", "USD", new Set())).toEqual([]);
    expect(keyFacts("Returns within 30 days; the label costs $6.95.", "de", "USD", new Set(["period"]))).toEqual(["30 Tage"]);
  });
});
