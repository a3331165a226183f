import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { tokenize } from "../../app/modules/assistant/nlu/intent-model";
import { analyzeMessage, classifyIntent, detectLanguage, extractEntities } from "../../app/modules/assistant/nlu";
import { PLACES, PRODUCTS, STREETS } from "../../app/modules/demo/seed-data";

const catalogue = PRODUCTS.map((product) => ({ id: product.handle, title: product.title }));

describe("intent: short shopper phrasings", () => {
  // None of these is in scripts/training/extra-intents.csv (checked below), so they test generalisation.
  const CASES: [string, string][] = [
    ["where is my order?", "track_order"],
    ["has my order shipped yet?", "track_order"],
    ["I want a refund", "get_refund"],
    ["when will my refund arrive?", "track_refund"],
    ["cancel my order", "cancel_order"],
    ["can I change the delivery address?", "change_shipping_address"],
    ["I need to talk to a human", "contact_human_agent"],
    ["can I speak to someone?", "contact_human_agent"],
    ["this is ridiculous, nobody answers me", "complaint"],
    ["hi", "greeting"],
    ["do you have this jacket in blue?", "product_question"],
    ["what's your return policy?", "check_refund_policy"],
    ["how long does shipping take?", "delivery_period"],
    ["what shipping options do you have?", "delivery_options"],
    ["what's the weather like today?", "other"],
  ];

  it("the test phrasings are not training rows", () => {
    const file = path.resolve(process.cwd(), "scripts/training/extra-intents.csv");
    const rows = parse(readFileSync(file, "utf8"), { columns: true }) as { text: string }[];
    const trained = new Set(rows.map((row) => tokenize(row.text).join(" ")));
    expect(rows.length).toBeGreaterThan(100);
    expect(CASES.filter(([text]) => trained.has(tokenize(text).join(" ")))).toEqual([]);
  });

  it.each(CASES)("%j → %s with confidence ≥ 0.5", (text, intent) => {
    const result = classifyIntent(text);
    expect(result.intent).toBe(intent);
    expect(result.confidence).toBeGreaterThanOrEqual(0.5);
  });
});

describe("detectLanguage", () => {
  // Short chat messages, as shoppers type them: with and without accents, with order numbers and product names.
  const CASES: [string, string][] = [
    ["where is my order?", "en"],
    ["refund pls, the zipper broke", "en"],
    ["do u ship to germany", "en"],
    ["Could you send me an invoice?", "en"],
    ["package stuck in customs", "en"],
    ["où est ma commande ?", "fr"],
    ["ou est ma commande", "fr"],
    ["je n'ai toujours rien reçu", "fr"],
    ["vous livrez en Belgique ?", "fr"],
    ["Ma carte a été refusée au paiement", "fr"],
    ["wo ist meine Bestellung", "de"],
    ["wo bleibt mein paket", "de"],
    ["hab immer noch nix bekommen", "de"],
    ["liefert ihr nach Österreich?", "de"],
    ["Meine Karte wurde abgelehnt", "de"],
    ["¿dónde está mi pedido?", "es"],
    ["donde esta mi pedido", "es"],
    ["todavía no me llega nada", "es"],
    ["¿hacen envíos a México?", "es"],
    ["Rechazaron mi tarjeta al pagar", "es"],
    ["dov'è il mio ordine", "it"],
    ["non ho ancora ricevuto niente", "it"],
    ["spedite in Svizzera?", "it"],
    ["il pacco è bloccato in dogana", "it"],
    ["La mia carta è stata rifiutata", "it"],
    ["onde está meu pedido", "pt"],
    ["ainda nao recebi nada", "pt"],
    ["vocês enviam para Portugal?", "pt"],
    ["o pacote está preso na alfândega", "pt"],
    ["Meu cartão foi recusado", "pt"],
    ["waar is mijn bestelling", "nl"],
    ["nog steeds niks ontvangen", "nl"],
    ["leveren jullie in België?", "nl"],
    ["pakket zit vast bij de douane", "nl"],
    ["Mijn kaart werd geweigerd", "nl"],
    ["hi, any news on order #1042?", "en"],
    ["bonjour, des nouvelles de la commande 1042 ?", "fr"],
    ["ich habe die Trail Jacket bestellt", "de"],
  ];

  it(`gets ≥ 90% of ${CASES.length} short messages in 7 languages right`, () => {
    const misses = CASES.map(([text, expected]) => ({ text, expected, got: detectLanguage(text).language })).filter((c) => c.got !== c.expected);
    const accuracy = 1 - misses.length / CASES.length;
    console.log(`[nlu] language: ${CASES.length - misses.length}/${CASES.length} (${(accuracy * 100).toFixed(1)}%)${misses.map((m) => `\n  miss: ${JSON.stringify(m)}`).join("")}`);
    expect(new Set(CASES.map(([, language]) => language)).size).toBe(7);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ["where is my order?", "en"],
    ["où est ma commande ?", "fr"],
    ["wo ist meine Bestellung", "de"],
    ["¿dónde está mi pedido?", "es"],
    ["dov'è il mio ordine", "it"],
    ["onde está meu pedido", "pt"],
    ["waar is mijn bestelling", "nl"],
  ])("is reliable on %j (%s)", (text, language) => {
    expect(detectLanguage(text)).toMatchObject({ language, reliable: true });
  });

  it.each(["ok", "#1042", "👍", "😀🎉", "?", "", "   ", "1ZV8A4620312345678", "jacket"])("falls back to en, unreliable, for %j", (text) => {
    const guess = detectLanguage(text);
    expect(guess).toMatchObject({ language: "en", reliable: false });
    expect(guess.confidence).toBeLessThan(0.5);
  });

  it("knows one-word greetings and thanks that n-grams confuse", () => {
    expect(detectLanguage("merci")).toMatchObject({ language: "fr", reliable: true });
    expect(detectLanguage("Danke schön!")).toMatchObject({ language: "de", reliable: true });
    expect(detectLanguage("obrigada")).toMatchObject({ language: "pt", reliable: true });
    // "hallo" is German and Dutch: not reliable either way.
    expect(detectLanguage("hallo").reliable).toBe(false);
    expect(detectLanguage("hallo", { candidates: ["nl-NL", "en"] })).toMatchObject({ language: "nl", reliable: true });
  });

  it("only answers with candidates, and flags text in another language as unreliable", () => {
    const swedish = "hej, var är min beställning?";
    expect(detectLanguage(swedish).reliable).toBe(false);
    expect(detectLanguage(swedish, { candidates: ["en", "sv"] })).toMatchObject({ language: "sv", reliable: true });
    expect(detectLanguage("where is my order?", { candidates: ["fr", "de"] }).reliable).toBe(false);
    expect(detectLanguage("ok", { candidates: ["fr", "de"] }).language).toBe("fr");
    expect(detectLanguage("où est ma commande ?", { candidates: ["xx", "zz"] }).language).toBe("fr");
  });
});

describe("extractEntities: order numbers", () => {
  it.each([
    ["1042", ["#1042"]],
    ["it's 1042", ["#1042"]],
    ["#1042", ["#1042"]],
    ["order 1042", ["#1042"]],
    ["Order no. 1042 hasn't arrived", ["#1042"]],
    ["commande n° 1042", ["#1042"]],
    ["Bestellnummer: 1042", ["#1042"]],
    ["pedido número 1042", ["#1042"]],
    ["my order is 1042, not 1043", ["#1042", "#1043"]],
    ["orders 1042, 1043 and #1044", ["#1042", "#1043", "#1044"]],
    ["hi, where is my order #1001? email me at jane@example.com", ["#1001"]],
    ["change the address for 1042 please", ["#1042"]],
    ["is 1042 on its way?", ["#1042"]],
    ["orders 1042 1043 1044", ["#1042", "#1043", "#1044"]],
  ])("%j → %j", (text, expected) => {
    expect(extractEntities(text).orderNumbers).toEqual(expected);
  });

  it.each([
    "call me at +1 503-555-0123",
    "my number is (503) 555-0123",
    "my phone is 503 555 0123",
    "06 12 34 56 78",
    "+44 20 7946 0123",
    "I ordered it on 12/03/2024",
    "ordered March 3, 2024",
    "I've been a customer since 2019",
    "le 3 mars 2024",
    "I paid $1042 for it",
    "that's 1042 EUR",
    "1.042,50 €",
    "size 42",
    "I bought 2 jackets",
    "it took 10 days",
    "I'm 1800 mm tall",
    "my zip is 97205",
    "ship it to 1234 Juniper Way",
    "Hauptstraße 12, Berlin",
    "75009 Paris",
    "the Beacon 400 headlamp",
  ])("finds no order number in %j", (text) => {
    expect(extractEntities(text).orderNumbers).toEqual([]);
  });

  it("ignores house numbers and zip codes of the demo shop's addresses, but keeps an order named next to them", () => {
    for (const [i, place] of PLACES.entries()) {
      const address = `${1200 + i * 37} ${STREETS[i % STREETS.length]}, ${place.city}, ${place.provinceCode} ${place.zip}`;
      expect(extractEntities(`please send it to ${address}`).orderNumbers, address).toEqual([]);
      expect(extractEntities(`change the address of order #1042 to ${address}`).orderNumbers, address).toEqual(["#1042"]);
    }
  });

  it("writes numbers the way the shop names its orders", () => {
    expect(extractEntities("order 1042 and #1043", { orderNamePrefix: "NW-" }).orderNumbers).toEqual(["NW-1042", "NW-1043"]);
    expect(extractEntities("it's nw-1042", { orderNamePrefix: "NW-" }).orderNumbers).toEqual(["NW-1042"]);
  });
});

describe("extractEntities: e-mails, tracking numbers, amounts", () => {
  it("finds e-mails, lower-cased and de-duplicated", () => {
    expect(extractEntities("I'm Jane.Doe+shop@Example.COM (or jane.doe+shop@example.com, backup j_doe@mail.example.co.uk)").emails).toEqual([
      "jane.doe+shop@example.com",
      "j_doe@mail.example.co.uk",
    ]);
    expect(extractEntities("no email @ here, nor user@localhost").emails).toEqual([]);
  });

  // The first four are in the demo seed's formats (app/modules/demo/seed/shipments.ts, trackingNumber()).
  it.each([
    ["1ZV8A4620312345678", "1ZV8A4620312345678", "ups"],
    ["9400111202555842332669", "9400111202555842332669", "usps"],
    ["712345678901", "712345678901", "fedex"],
    ["4802957316", "4802957316", "dhl"],
    ["1Z 999 AA1 01 2345 6784", "1Z999AA10123456784", "ups"],
    ["9400 1112 0255 5842 3326 69", "9400111202555842332669", "usps"],
    ["961234567890123", "961234567890123", "fedex"],
    ["JJD0012345678901", "JJD0012345678901", "dhl"],
    ["RR123456789GB", "RR123456789GB", "royal_mail"],
    ["my parcel AB123456789CA", "AB123456789CA", "canada_post"],
    ["1234567890123456", "1234567890123456", "canada_post"],
    ["LX123456789DE", "LX123456789DE", undefined],
  ])("%j → %s (%s)", (text, number, carrier) => {
    expect(extractEntities(`my tracking number is ${text}, thanks`).trackingNumbers).toEqual([carrier ? { number, carrier } : { number }]);
  });

  it("does not take phone numbers, card numbers or order numbers for tracking numbers", () => {
    expect(extractEntities("call me on 0612345678 or +1 5035550123").trackingNumbers).toEqual([]);
    expect(extractEntities("my phone number is 5035550123").trackingNumbers).toEqual([]);
    expect(extractEntities("order cancelled, DHL 4802957316").trackingNumbers).toEqual([{ number: "4802957316", carrier: "dhl" }]);
    expect(extractEntities("card 4111111111111111").trackingNumbers).toEqual([]);
    expect(extractEntities("order #1042").trackingNumbers).toEqual([]);
    // Digit runs of no known carrier length are left alone rather than guessed.
    expect(extractEntities("ref 12345678901234567").trackingNumbers).toEqual([]);
  });

  it.each([
    ["$45", { value: 45, currency: "USD" }],
    ["45 EUR", { value: 45, currency: "EUR" }],
    ["€45,50", { value: 45.5, currency: "EUR" }],
    ["45.99 dollars", { value: 45.99, currency: "USD" }],
    ["£1,299.00", { value: 1299, currency: "GBP" }],
    ["1.234,56 €", { value: 1234.56, currency: "EUR" }],
    ["CA$ 80", { value: 80, currency: "CAD" }],
    ["I paid 45.99", { value: 45.99 }],
  ])("%j → %j", (text, amount) => {
    expect(extractEntities(`it was ${text} in total`).amounts).toEqual([amount]);
  });

  it("lists amounts in text order and never as order numbers", () => {
    const entities = extractEntities("I was charged 30 EUR twice, $12.50 shipping, order 1042");
    expect(entities.amounts).toEqual([
      { value: 30, currency: "EUR" },
      { value: 12.5, currency: "USD" },
    ]);
    expect(entities.orderNumbers).toEqual(["#1042"]);
    expect(extractEntities("size 42, 2 of them").amounts).toEqual([]);
  });
});

describe("extractEntities: products (demo catalogue)", () => {
  const products = (text: string) => extractEntities(text, { products: catalogue }).products.map((match) => match.title);

  it("matches products named by their distinctive words, all variants alike", () => {
    expect(products("is the cascade rain shell true to size?")).toEqual(["Cascade 2.5L Rain Shell - Men's", "Cascade 2.5L Rain Shell - Women's"]);
    expect(products("does the parka come in red?")).toEqual(["Summit 700-Fill Down Parka - Men's", "Summit 700-Fill Down Parka - Women's"]);
    expect(products("I want to return the merino 250 bottoms")).toEqual(["Merino 250 Base Layer Bottoms - Men's"]);
    expect(products("my ridgline hoddie has a hole")).toEqual(["Ridgeline Fleece Hoodie - Men's", "Ridgeline Fleece Hoodie - Women's"]);
    expect(products("can the enamel mug be engraved?")).toEqual(["Personalized Enamel Camp Mug"]);
  });

  it("returns scores in 0..1, best first, and only confident matches", () => {
    const matches = extractEntities("the ultralight backpacking tent", { products: catalogue }).products;
    expect(matches[0]).toMatchObject({ title: "Ultralight 2-Person Backpacking Tent" });
    for (const match of matches) expect(match.score).toBeGreaterThanOrEqual(0.6);
    expect(matches.every((match) => match.score <= 1)).toBe(true);
    // "jacket" and "tent" alone fit several products; "first" is a stray word, not the First Aid Kit.
    expect(products("do you have this jacket in blue?")).toEqual([]);
    expect(products("which tent should I buy")).toEqual([]);
    expect(products("first time ordering here")).toEqual([]);
    expect(products("where is my order?")).toEqual([]);
    expect(extractEntities("the cascade rain shell").products).toEqual([]);
  });
});

describe("analyzeMessage", () => {
  it("combines intent, language, entities and sentiment", () => {
    const result = analyzeMessage("Hi, where is my order #1042? I paid $45.99 for the Cascade rain shell", { products: catalogue });
    expect(result.intent).toBe("track_order");
    expect(result.ranking).toHaveLength(3);
    expect(result.ranking[0]).toEqual({ intent: result.intent, score: result.confidence });
    expect(result).toMatchObject({ language: "en", languageReliable: true });
    expect(result.languageConfidence).toBeGreaterThan(0.5);
    expect(result.entities.orderNumbers).toEqual(["#1042"]);
    expect(result.entities.amounts).toEqual([{ value: 45.99, currency: "USD" }]);
    expect(result.entities.products.map((match) => match.title)).toEqual(["Cascade 2.5L Rain Shell - Men's", "Cascade 2.5L Rain Shell - Women's"]);
    expect(result.sentiment.frustration).toBeLessThan(0.3);
  });

  it("uses the context: order prefix, history and the shop's languages", () => {
    expect(analyzeMessage("it's 1042", { orderNamePrefix: "NW" }).entities.orderNumbers).toEqual(["NW1042"]);
    const calm = analyzeMessage("where is my order");
    const repeated = analyzeMessage("where is my order", { history: ["where is my order", "hello?? where is my order"] });
    expect(repeated.sentiment.frustration).toBeGreaterThan(calm.sentiment.frustration + 0.3);
    const swedish = "hej, var är min beställning?";
    expect(analyzeMessage(swedish).languageReliable).toBe(false);
    expect(analyzeMessage(swedish, { shopLanguages: ["sv-SE"] })).toMatchObject({ language: "sv", languageReliable: true });
    // The shop's languages add to the supported ones: Italian is still recognised in an en/fr shop.
    expect(analyzeMessage("dov'è il mio ordine", { shopLanguages: ["en", "fr"] })).toMatchObject({ language: "it", languageReliable: true });
  });

  it("is deterministic and never throws on odd input", () => {
    const text = "CANCEL ORDER 1042 NOW!!! useless bot";
    expect(analyzeMessage(text)).toEqual(analyzeMessage(text));
    for (const odd of ["", "😀", "x".repeat(50_000), "\u0000\uFFFF\uD800", undefined as unknown as string]) {
      const result = analyzeMessage(odd);
      expect(Number.isFinite(result.confidence) && Number.isFinite(result.sentiment.score)).toBe(true);
    }
  });
});
