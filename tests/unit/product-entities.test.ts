import { describe, expect, it } from "vitest";
import { extractEntities, NAMED_PRODUCT_SCORE, type ProductRef } from "~/modules/assistant/nlu/entities";
import { PRODUCTS } from "~/modules/demo/seed-data";

/** The demo catalogue as catalogueTitles loads it: titles with type, tags and description. */
const demo: ProductRef[] = PRODUCTS.map((p) => ({ id: p.handle, title: p.title, productType: p.productType, tags: p.tags, description: p.description }));

/** A small shop whose one jacket shares "rain jacket" with products it does not sell. */
const small: ProductRef[] = [
  { id: "tee", title: "Trail Tee", description: "A soft organic-cotton tee." },
  { id: "jacket", title: "Cascade Rain Jacket", productType: "Jackets", description: "A waterproof jacket with taped seams and a hood." },
  { id: "gift", title: "Digital Gift Card", productType: "Gift Card" },
];

const named = (text: string, catalogue: ProductRef[]) =>
  extractEntities(text, { products: catalogue })
    .products.filter((match) => match.score >= NAMED_PRODUCT_SCORE)
    .map((match) => match.title);
const unknown = (text: string, catalogue: ProductRef[]) => extractEntities(text, { products: catalogue }).unknownProducts;

describe("products the shop does not sell", () => {
  it("are reported as unknown, not answered with a title that shares a word", () => {
    const entities = extractEntities("do you have the Nimbus rain jacket?", { products: small });
    expect(entities.unknownProducts).toEqual(["Nimbus rain jacket"]);
    // The Cascade Rain Jacket keeps its honest share (2 of its 3 words) and is not named.
    expect(entities.products).toEqual([{ id: "jacket", title: "Cascade Rain Jacket", score: expect.closeTo(0.667, 3) }]);
    expect(named("do you have the Nimbus rain jacket?", small)).toEqual([]);
    expect(named("Is the Nimbus rain jacket waterproof?", small)).toEqual([]);
    expect(unknown("Is the Nimbus rain jacket waterproof?", small)).toEqual(["Nimbus rain jacket"]);
  });

  it("are extracted after 'do you sell/have' in English, French, German and Spanish", () => {
    expect(unknown("do you sell iPhone cases?", demo)).toEqual(["iPhone cases"]);
    expect(unknown("Do you guys carry kayaks", demo)).toEqual(["kayaks"]);
    expect(unknown("vendez-vous des coques d'iPhone ?", demo)).toEqual(["coques d'iPhone"]);
    expect(unknown("Haben Sie die Nimbus Regenjacke?", small)).toEqual(["Nimbus Regenjacke"]);
    expect(unknown("¿Tienen la chaqueta Nimbus?", small)).toEqual(["chaqueta Nimbus"]);
    expect(unknown("do you sell kayaks and tents?", small)).toEqual(["kayaks", "tents"]);
    expect(named("¿Tienen la chaqueta Nimbus?", small)).toEqual([]);
  });

  it("are read from a question about a product's attributes: a capitalised unknown name after an article", () => {
    expect(unknown("Is the Zephyr 3000 inflatable kayak in stock?", demo)).toEqual(["Zephyr 3000"]);
    expect(unknown("Does the Nimbus fit true to size?", demo)).toEqual(["Nimbus"]);
    expect(named("Does the Nimbus fit true to size?", demo)).toEqual([]);
    // Not a product question, so not a product: a place, a team.
    expect(unknown("I'm from the United States", demo)).toEqual([]);
    expect(unknown("I spoke to the Zephyr team yesterday", demo)).toEqual([]);
    // German capitalises every noun.
    expect(unknown("Kostet die Rücksendung etwas?", demo)).toEqual([]);
  });

  it("are not invented for services, pronouns or products the shop has under other words", () => {
    for (const text of [
      "do you have free shipping to Canada?",
      "do you offer gift wrapping?",
      "do you have a phone number?",
      "do you have this jacket in blue?",
      "do you have it in XL?",
      "do you sell gift cards?",
      "do you have any rain shells?",
      "vous avez la livraison gratuite ?",
      "¿tienen envío a México?",
      "I love the jacket Sarah gave me",
      "DO YOU SELL TENTS?",
    ]) {
      expect(unknown(text, demo), text).toEqual([]);
    }
    expect(extractEntities("do you sell iPhone cases?").unknownProducts).toEqual([]);
  });
});

describe("products the shop sells", () => {
  it("are named by a partial name, with typos, in any case", () => {
    expect(named("do you have the cascade rain jacket in blue?", small)).toEqual(["Cascade Rain Jacket"]);
    expect(named("is the rain jacket waterproof?", small)).toEqual(["Cascade Rain Jacket"]);
    expect(named("Do You Sell The Cascade Jacket", small)).toEqual(["Cascade Rain Jacket"]);
    expect(named("my ridgline hoddie has a hole", demo)).toEqual(["Ridgeline Fleece Hoodie - Men's", "Ridgeline Fleece Hoodie - Women's"]);
    expect(named("do you still have the merino 250 bottoms?", demo)).toEqual(["Merino 250 Base Layer Bottoms - Men's"]);
    expect(unknown("do you still have the merino 250 bottoms?", demo)).toEqual([]);
  });

  it("are named by their product noun in French, German and Spanish", () => {
    expect(named("la veste Cascade est-elle imperméable ?", small)).toEqual(["Cascade Rain Jacket"]);
    expect(named("Ist die Cascade Regenjacke wasserdicht?", small)).toEqual(["Cascade Rain Jacket"]);
    expect(named("¿La chaqueta Cascade es impermeable?", small)).toEqual(["Cascade Rain Jacket"]);
  });

  it("the version named comes first; a real word is not read as a typo of another", () => {
    expect(named("¿De qué material es la Ridgeback Waterproof Hiking Boot - Women's?", demo)[0]).toBe("Ridgeback Waterproof Hiking Boot - Women's");
    expect(named("What is the Basecamp Flannel Shirt - Men's made of?", demo)).toEqual(["Basecamp Flannel Shirt - Men's", "Basecamp Flannel Shirt - Women's"]);
    // "shirt" is not a typo of "short", nor "store" of "stove".
    expect(named("I ordered from the Denver store", demo)).toEqual([]);
  });

  it("a stray shared word still names nothing", () => {
    expect(named("first time ordering here", demo)).toEqual([]);
    // "on" of "Camp Slip-On", "card" of the gift card: words that name nothing alone.
    expect(named("What's your refund policy on sale items?", demo)).toEqual([]);
    expect(named("My card 4242 4242 4242 4242 was charged twice, can you check?", demo)).toEqual([]);
    expect(named("do you sell gift cards?", demo)).toEqual(["Northwind Digital Gift Card"]);
    expect(named("which tent should I buy", demo)).toEqual([]);
    expect(unknown("which tent should I buy", demo)).toEqual([]);
  });
});
