import { describe, expect, it } from "vitest";
import { isYesNoQuestion, productAttributeAsked } from "~/modules/assistant/catalogue/attributes";
import { descriptionSentences } from "~/modules/assistant/catalogue/description";
import { type CatalogueProduct, composeProductAnswer, type ProductAnswer } from "~/modules/assistant/responder/product-answer";

function product(title: string, description: string, variants: [string, number, boolean][] = [["Default Title", 50, true]], currency = "USD"): CatalogueProduct {
  const prices = variants.map(([, price]) => price);
  return {
    id: title.toLowerCase().replace(/\W+/g, "-"),
    title,
    description,
    currency,
    priceMin: String(Math.min(...prices)),
    priceMax: String(Math.max(...prices)),
    available: variants.some(([, , available]) => available),
    variants: variants.map(([variantTitle, price, available]) => ({ title: variantTitle, price: String(price), available })),
  };
}

const SIZES: [string, number, boolean][] = [
  ["S", 89, true],
  ["M", 89, false],
  ["L", 89, true],
];

const hoodie = product(
  "Ridgeline Fleece Hoodie",
  "A grid-fleece hoodie that breathes on the climb. Made with 80% recycled polyester. Regular fit with room for a base layer. Machine wash cold; tumble dry low.",
  SIZES,
);
const shell = product(
  "Cascade Rain Shell",
  "<p>A packable <strong>2.5-layer waterproof</strong>, breathable shell with pit zips.</p><ul><li>Fully taped seams</li><li>Runs small: order one size up.</li></ul>",
  [
    ["S", 149, true],
    ["M", 149, true],
  ],
);
const softshell = product("Trailhead Softshell", "Stretchy, wind-resistant softshell with a DWR finish that sheds light showers. Trim fit.", SIZES);
const firstAidKit = product("Trail First Aid Kit", "A compact first aid kit for one to four people, with a waterproof pouch and a care guide.");
const tee = product("Everyday Tee", "A soft organic-cotton tee with the compass logo. Regular fit, unisex sizing.", SIZES);
const flannel = product("Basecamp Flannel", "Brushed organic-cotton flannel with two chest pockets. Pre-washed, but may shrink up to 3% if tumble-dried hot.", SIZES);
const bag = product("Summit Sleeping Bag", "A 650-fill down mummy bag rated to 20°F. Weighs 2 lb 4 oz.", [
  ["Regular", 329, true],
  ["Long", 349, false],
]);

function text(answer: ProductAnswer): string {
  if (answer.kind !== "answer") throw new Error(`expected an answer, got ${JSON.stringify(answer)}`);
  return answer.text;
}

describe("composeProductAnswer: the description's answering sentences", () => {
  it("material: quotes the sentence that says what it is made of, and no neighbour", () => {
    const reply = text(composeProductAnswer([hoodie], "what is it made of?", "en"));
    expect(reply).toBe('The Ridgeline Fleece Hoodie product page says: "Made with 80% recycled polyester."');
  });

  it("material yes/no: 'yes' only when the sentence names the material asked", () => {
    expect(text(composeProductAnswer([tee], "is it cotton?", "en"))).toMatch(/^Yes\. .*"A soft organic-cotton tee/);
    // Asked about wool: the polyester sentence is quoted without a verdict.
    const wool = text(composeProductAnswer([hoodie], "is it made of wool?", "en"));
    expect(wool).toContain("80% recycled polyester");
    expect(wool).not.toMatch(/^(Yes|No)\b/);
  });

  it("waterproof: yes with the supporting sentence; HTML is stripped", () => {
    const reply = text(composeProductAnswer([shell], "is it waterproof?", "en"));
    expect(reply).toBe('Yes, Cascade Rain Shell is waterproof. The product page says: "A packable 2.5-layer waterproof, breathable shell with pit zips."');
    expect(reply).not.toContain("<");
  });

  it("waterproof: a water-resistant finish is not called waterproof, and a waterproof part is not a waterproof product", () => {
    expect(text(composeProductAnswer([softshell], "is it waterproof?", "en"))).toMatch(/^Trailhead Softshell is water-resistant rather than fully waterproof\..*DWR finish/);
    const kit = text(composeProductAnswer([firstAidKit], "is it waterproof?", "en"));
    expect(kit).toContain("with a waterproof pouch");
    expect(kit).not.toMatch(/^Yes/);
  });

  it("waterproof: 'no' when the description says it is not", () => {
    const cap = product("Trail Cap", "A quick-dry cap. Not waterproof, but it dries in minutes.");
    expect(text(composeProductAnswer([cap], "is it waterproof?", "en"))).toBe('No, Trail Cap is not waterproof. The product page says: "Not waterproof, but it dries in minutes."');
    // A spec line ("Waterproof: no.") and a water-repellent shell that "is not waterproof".
    const sweater = product("Edelweiss Sweater", "Material: 100% merino wool. Waterproof: no. Care: wool cycle at 30 °C, dry flat, never tumble dry.");
    expect(text(composeProductAnswer([sweater], "is it waterproof?", "en"))).toMatch(/^No, Edelweiss Sweater is not waterproof\. .*"Waterproof: no\."/);
    const down = product("Alpsee Down Jacket", "Waterproof: no. The shell is water-repellent and sheds light drizzle, but it is not waterproof.");
    expect(text(composeProductAnswer([down], "Ist sie wasserdicht?", "de"))).toMatch(/^Alpsee Down Jacket ist wasserabweisend, aber nicht vollständig wasserdicht\./);
  });

  it("care: yes to a washing method the description states unconditionally; a conditional sentence gets no verdict", () => {
    expect(text(composeProductAnswer([hoodie], "can I machine wash it?", "en"))).toBe('Yes. The Ridgeline Fleece Hoodie product page says: "Machine wash cold; tumble dry low."');
    const flannelDry = text(composeProductAnswer([flannel], "can I tumble dry it?", "en"));
    expect(flannelDry).toBe('The Basecamp Flannel product page says: "Pre-washed, but may shrink up to 3% if tumble-dried hot."');
  });

  it("fit: quotes the sizing advice (here from a list item)", () => {
    expect(text(composeProductAnswer([shell], "does it run small?", "en"))).toBe('Yes. The Cascade Rain Shell product page says: "Runs small: order one size up."');
    expect(text(composeProductAnswer([shell], "what size should I order?", "en"))).toBe('The Cascade Rain Shell product page says: "Runs small: order one size up."');
    expect(text(composeProductAnswer([hoodie], "is it true to size?", "en"))).toContain("Regular fit with room for a base layer.");
  });

  it("weight and features asked in other words are found by the words they share", () => {
    expect(text(composeProductAnswer([bag], "how heavy is it?", "en"))).toContain("Weighs 2 lb 4 oz.");
    expect(text(composeProductAnswer([flannel], "does it have pockets?", "en"))).toMatch(/^Yes\. .*two chest pockets/);
  });

  it("not_in_description when the page doesn't say", () => {
    expect(composeProductAnswer([tee], "is it waterproof?", "en")).toEqual({ kind: "not_in_description", productId: tee.id, title: "Everyday Tee" });
    expect(composeProductAnswer([tee], "does it have pockets?", "en")).toMatchObject({ kind: "not_in_description" });
    expect(composeProductAnswer([tee], "how do I wash it?", "en")).toMatchObject({ kind: "not_in_description" });
    // Colours asked of a product whose options are sizes only, and whose description names none.
    expect(composeProductAnswer([hoodie], "does it come in blue?", "en")).toMatchObject({ kind: "not_in_description" });
  });
});

describe("composeProductAnswer: price and options from the variants", () => {
  it("sizes in stock and sold out", () => {
    expect(text(composeProductAnswer([hoodie], "what sizes do you have?", "en"))).toBe("Ridgeline Fleece Hoodie is in stock in S, L. Sold out right now: M.");
  });

  it("an option asked by name: in stock, sold out, not offered", () => {
    expect(text(composeProductAnswer([hoodie], "do you have it in L?", "en"))).toBe("Yes, Ridgeline Fleece Hoodie is in stock in L.");
    expect(text(composeProductAnswer([hoodie], "is the medium in stock?", "en"))).toBe("Ridgeline Fleece Hoodie in M is sold out right now. In stock: S, L.");
    expect(text(composeProductAnswer([hoodie], "do you have it in XXL?", "en"))).toBe("Ridgeline Fleece Hoodie doesn't come in XXL. In stock: S, L.");
  });

  it("colours: from the options when they are colours, never invented", () => {
    const cap = product("Trail Cap", "A quick-dry cap. One size, adjustable strap.", [
      ["Black", 28, true],
      ["Olive", 28, false],
    ]);
    expect(text(composeProductAnswer([cap], "do you have it in black?", "en"))).toBe("Yes, Trail Cap is in stock in Black.");
    expect(text(composeProductAnswer([cap], "does it come in red?", "en"))).toBe("Trail Cap doesn't come in red. In stock: Black.");
    expect(text(composeProductAnswer([cap], "what sizes does it come in?", "en"))).toBe('The Trail Cap product page says: "One size, adjustable strap." In stock: Black. Sold out right now: Olive.');
    expect(text(composeProductAnswer([cap], "¿está disponible en verde oliva?", "es"))).toBe("Trail Cap en Olive está agotado por ahora. En stock: Black.");
    expect(text(composeProductAnswer([cap], "¿lo tienen en negro?", "es"))).toBe("Sí, Trail Cap está disponible en Black.");
    expect(text(composeProductAnswer([cap], "gibt es die Kappe in Rot?", "de"))).toBe("Trail Cap gibt es nicht in rot. Auf Lager: Black.");
  });

  it("price: the range, or the price of the option asked", () => {
    expect(text(composeProductAnswer([bag], "how much is it?", "en"))).toBe("Summit Sleeping Bag costs $329.00 to $349.00, depending on the option.");
    expect(text(composeProductAnswer([bag], "how much is the long one?", "en"))).toBe("Summit Sleeping Bag in Long costs $349.00.");
  });

  it("only the product named: what it is, price and stock", () => {
    expect(text(composeProductAnswer([hoodie], "tell me about the Ridgeline hoodie", "en"))).toBe(
      'Ridgeline Fleece Hoodie ($89.00): "A grid-fleece hoodie that breathes on the climb." In stock: S, L. Sold out right now: M.',
    );
  });

  it("the title's own words are not the question: 'Carbon Poles' asked about their price is a price question", () => {
    const poles = product("Carbon Trekking Poles", "Three-section carbon poles with cork grips.", [["Default Title", 119, true]]);
    expect(text(composeProductAnswer([poles], "how much are the carbon poles?", "en"))).toBe("Carbon Trekking Poles costs $119.00.");
  });
});

describe("composeProductAnswer: in the shopper's language", () => {
  it("French: yes/no, money and stock in French; the merchant's sentence quoted", () => {
    expect(text(composeProductAnswer([shell], "est-ce qu'elle est imperméable ?", "fr"))).toBe(
      "Oui, Cascade Rain Shell est imperméable. La fiche produit indique : « A packable 2.5-layer waterproof, breathable shell with pit zips. »",
    );
    const euro = product("Veste Nuage", "Une veste légère. Imperméable grâce à sa membrane 2,5 couches.", [["M", 129.5, true]], "EUR");
    expect(text(composeProductAnswer([euro], "combien coûte-t-elle ?", "fr"))).toBe("Le prix de Veste Nuage est de 129,50\u00a0€.");
    expect(text(composeProductAnswer([euro], "elle est imperméable ?", "fr"))).toBe(
      "Oui, Veste Nuage est imperméable. La fiche produit indique : « Imperméable grâce à sa membrane 2,5 couches. »",
    );
  });

  it("German and Spanish", () => {
    expect(text(composeProductAnswer([hoodie], "Ist Größe M auf Lager?", "de"))).toBe("Ridgeline Fleece Hoodie ist in M im Moment leider ausverkauft. Auf Lager: S, L.");
    expect(text(composeProductAnswer([hoodie], "¿De qué material es?", "es"))).toBe(
      "Material: 80 % poliéster reciclado. La ficha de Ridgeline Fleece Hoodie dice: «Made with 80% recycled polyester.»",
    );
    expect(text(composeProductAnswer([shell], "¿Es impermeable?", "es"))).toMatch(/^Sí, Cascade Rain Shell es impermeable\./);
    expect(composeProductAnswer([tee], "¿Es impermeable?", "es")).toMatchObject({ kind: "not_in_description" });
  });
});

describe("composeProductAnswer: facts restated in the shopper's language", () => {
  const jacket = product(
    "Föhn Rain Jacket",
    "Material: three-layer shell of 100% recycled polyester. Waterproof: fully waterproof with taped seams. Care: machine wash at 30 °C without fabric softener, then tumble dry on low.",
  );
  const bottle = product("Isar Bottle", "Double-walled stainless steel. Keeps drinks cold for 24 hours. Care: hand wash only; the bottle is not dishwasher safe.");

  it("care instructions: named in German and Spanish, negations kept", () => {
    expect(text(composeProductAnswer([jacket], "Darf ich Weichspüler verwenden?", "de"))).toBe(
      "Pflege: Maschinenwäsche bei 30 °C, ohne Weichspüler, Trockner bei niedriger Temperatur. Auf der Produktseite von Föhn Rain Jacket steht: „Care: machine wash at 30 °C without fabric softener, then tumble dry on low.“",
    );
    const dishwasher = text(composeProductAnswer([bottle], "¿Se puede lavar en el lavavajillas?", "es"));
    expect(dishwasher).toMatch(/^Cuidado: Lavado a mano, no apto para lavavajillas\. /);
    expect(dishwasher).not.toMatch(/(?<!no )apto para lavavajillas/);
  });

  it("materials: named in French, with their share", () => {
    expect(text(composeProductAnswer([jacket], "c'est en quelle matière ?", "fr"))).toMatch(/^Matière : 100 % polyester recyclé\. Voici ce qu'indique la fiche produit de Föhn Rain Jacket : « Material: three-layer shell/);
    // English replies quote the sentence only.
    expect(text(composeProductAnswer([jacket], "what is it made of?", "en"))).toBe('The Föhn Rain Jacket product page says: "Material: three-layer shell of 100% recycled polyester."');
  });

  it("a feature asked in another language is named in it, and answered yes when every word asked is said", () => {
    const shell = product("Cascade Shell", "A packable waterproof shell with pit zips. Packs into its own chest pocket.");
    expect(text(composeProductAnswer([shell], "Est-ce qu'elle se range dans sa propre poche ?", "fr"))).toBe(
      "Oui. Côté poches, voici ce qu'indique la fiche produit de Cascade Shell : « Packs into its own chest pocket. »",
    );
    const crew = product("Merino Crew", "Lightweight merino wool crew that regulates temperature and resists odor for days.");
    const smell = text(composeProductAnswer([crew], "Fängt es nach ein paar Tagen an zu riechen?", "de"));
    expect(smell).toMatch(/^Zum Thema Geruch steht auf der Produktseite von Merino Crew: „.*resists odor for days\.“$/);
    expect(composeProductAnswer([bottle], "¿Y cuánto tiempo mantiene el agua fría?", "es")).toMatchObject({ text: "La ficha de Isar Bottle dice: «Keeps drinks cold for 24 hours.»" });
  });
});

describe("productAttributeAsked", () => {
  const CASES: [string, string | undefined][] = [
    ["is it waterproof?", "waterproof"],
    ["will it keep me dry in heavy rain?", "waterproof"],
    ["est-ce que c'est étanche ?", "waterproof"],
    ["Ist die Jacke wasserdicht?", "waterproof"],
    ["¿es resistente al agua?", "waterproof"],
    ["what is it made of?", "material"],
    ["c'est en quoi ?", "material"],
    ["woraus ist das?", "material"],
    ["¿de qué está hecho?", "material"],
    ["does it run small?", "fit"],
    ["ça taille grand ?", "fit"],
    ["fällt der Schuh klein aus?", "fit"],
    ["¿la talla es grande o pequeña?", "fit"],
    ["can I put it in the washing machine?", "care"],
    ["comment le laver ?", "care"],
    ["ist es waschbar?", "care"],
    ["¿se puede lavar en lavadora?", "care"],
    ["how much does it weigh?", "weight"],
    ["wie schwer ist das Zelt?", "weight"],
    ["how big is it when packed?", "dimensions"],
    ["what sizes do you have?", "sizes"],
    ["quelles tailles avez-vous ?", "sizes"],
    ["does it come in blue?", "colours"],
    ["is it in stock?", "stock"],
    ["est-ce disponible ?", "stock"],
    ["¿está agotado?", "stock"],
    ["how much is it?", "price"],
    ["combien ça coûte ?", "price"],
    ["was kostet das?", "price"],
    ["¿cuánto cuesta?", "price"],
    ["how warm is it?", "warmth"],
    ["is there a warranty?", "warranty"],
    ["does it have pockets?", "feature"],
    ["Est-ce qu'elle se range dans sa propre poche ?", "feature"],
    ["Fängt es nach ein paar Tagen an zu riechen?", "feature"],
    ["¿Tiene capucha?", "feature"],
    ["are the socks returnable?", "returnable"],
    ["where is my order?", undefined],
    ["How much is shipping to Canada?", undefined],
    ["Was kostet der Versand nach Österreich?", undefined],
    ["Wie lange kann ich Artikel zurückgeben?", undefined],
    ["And for full-price items, how long do I have?", undefined],
    ["I want to return the hoodie", undefined],
    ["my jacket's zip broke, can I return it?", undefined],
    ["Die Jacke hat ein Loch in der Tasche", undefined],
  ];
  it.each(CASES)("%j → %s", (question, attribute) => {
    expect(productAttributeAsked(question)).toBe(attribute);
  });

  it("ignores the product's own name", () => {
    expect(productAttributeAsked("are the Storm Rain Pants any good?")).toBeUndefined();
    expect(productAttributeAsked("how heavy are the Carbon poles?", { ignore: ["Carbon", "Trekking", "Poles"] })).toBe("weight");
    expect(productAttributeAsked("tell me about the Carbon poles", { ignore: ["Carbon", "Trekking", "Poles"] })).toBeUndefined();
  });
});

describe("isYesNoQuestion and descriptionSentences", () => {
  it("tells yes/no questions from open ones", () => {
    for (const question of ["is it waterproof?", "Does it have pockets", "est-elle imperméable ?", "Ist sie wasserdicht?", "¿Es impermeable?"]) expect(isYesNoQuestion(question)).toBe(true);
    for (const question of ["what is it made of?", "how do I wash it?", "quelle taille prendre ?", "wie warm ist er?", "¿cuánto cuesta?"]) expect(isYesNoQuestion(question)).toBe(false);
  });

  it("splits sentences without breaking numbers", () => {
    expect(descriptionSentences("A 2.5-layer shell. Weighs 1.2 lb.\n- Taped seams")).toEqual(["A 2.5-layer shell.", "Weighs 1.2 lb.", "Taped seams"]);
  });
});
