import { describe, expect, it } from "vitest";
import { followUpQuestion, knowledgeReply, passageUnits, selectAnswer } from "~/modules/assistant/responder/knowledge-answer";
import { expandQuery, type KnowledgeMatch } from "~/modules/knowledge";

let next = 0;
function passage(title: string, content: string, options: { score?: number; heading?: string; language?: string } = {}): KnowledgeMatch {
  next++;
  return {
    chunkId: `chunk-${next}`,
    sourceId: `source-${title}`,
    externalId: null,
    kind: "article",
    title,
    heading: options.heading ?? null,
    content,
    language: options.language ?? "en",
    vectorScore: options.score ?? 0.5,
    textScore: null,
    score: options.score ?? 0.5,
  };
}

const INTERNATIONAL = passage(
  "International shipping",
  [
    "All international orders travel with DHL Express.",
    "",
    "| Destination | Delivery time after dispatch | Cost |",
    "|---|---|---|",
    "| Canada | 3–6 business days | $19.95 |",
    "| All other destinations | 5–10 business days | $29.95 |",
    "",
    "International orders of $200 or more ship free.",
  ].join("\n"),
  { heading: "Rates and delivery times", score: 0.55 },
);

const CONTACT = passage(
  "Contact us and customer service hours",
  [
    "How to reach us:",
    "",
    "- **Email**: support@shop.example. We reply within 1 business day.",
    "- **Phone**: +1 (503) 555-0148 during team hours.",
    "- **Mail**: Shop Inc., 1850 NW Timberline Way, Portland, OR 97209, USA.",
    "",
    "Press, wholesale and partnerships:",
    "",
    "Email hello@shop.example for wholesale questions.",
  ].join("\n"),
  { score: 0.5 },
);

const RETURNS = passage(
  "Our return policy at a glance",
  [
    "You can return most items within 30 days of the delivery date shown in your tracking. We want you to love your gear.",
    "",
    "- **Final Sale items** can't be returned or refunded. Everything discounted by 40% or more is Final Sale.",
    "- **Refunds** go to your original payment method. For US orders we deduct a $6.95 return label fee.",
  ].join("\n"),
  { score: 0.52 },
);

describe("passageUnits", () => {
  it("reads a table row as one sentence with its column names, and a short list item as one unit", () => {
    const units = passageUnits(INTERNATIONAL).map((unit) => unit.text);
    expect(units).toContain("Canada: Delivery time after dispatch 3–6 business days; Cost $19.95.");
    expect(units).toContain("All other destinations: Delivery time after dispatch 5–10 business days; Cost $29.95.");
    const contact = passageUnits(CONTACT);
    expect(contact.map((unit) => unit.text)).toContain("Phone: +1 (503) 555-0148 during team hours.");
    // A line ending with a colon heads what follows.
    expect(contact.find((unit) => unit.text.startsWith("Email hello@"))?.context).toContain("Press, wholesale and partnerships");
  });

  it("matches a two-column table's row with its column heading but shows it without", () => {
    const timeline = passage(
      "When will I get my refund?",
      ["| Step | How long it takes |", "|---|---|", "| Your bank posts a card refund | 5–10 business days |", "| PayPal refund appears | 3–5 business days |"].join("\n"),
      { score: 0.6 },
    );
    const row = passageUnits(timeline).find((unit) => unit.text.startsWith("PayPal"));
    expect(row?.text).toBe("PayPal refund appears: How long it takes 3–5 business days.");
    expect(row?.shown).toBe("PayPal refund appears: 3–5 business days.");
    const reply = knowledgeReply("How long does a PayPal refund take to appear?", [timeline], "en");
    expect(reply?.text).toContain("PayPal refund appears: 3–5 business days.");
    expect(reply?.text).not.toContain("How long it takes");
  });
});

describe("knowledgeReply picks the sentence that answers", () => {
  it("answers the country asked about, not its neighbour in the table", () => {
    const canada = knowledgeReply("How much does shipping to Canada cost?", [INTERNATIONAL, RETURNS], "en");
    expect(canada?.text).toContain("$19.95");
    expect(canada?.text).not.toContain("$29.95");
    const uk = knowledgeReply("How much is shipping to the UK?", [INTERNATIONAL, RETURNS], "en");
    expect(uk?.text).toContain("$29.95");
    expect(uk?.text).not.toContain("$19.95");
  });

  it("gives the phone number for the phone, not an e-mail address", () => {
    const reply = knowledgeReply("What is your phone number?", [CONTACT, RETURNS], "en");
    expect(reply?.text).toBe("Phone: +1 (503) 555-0148 during team hours.");
  });

  it("gives the customer-service e-mail, not the wholesale one, unless wholesale is asked", () => {
    expect(knowledgeReply("What's your email address?", [CONTACT], "en")?.text).toContain("support@shop.example");
    expect(knowledgeReply("What's your email address?", [CONTACT], "en")?.text).not.toContain("hello@");
    expect(knowledgeReply("Who do I contact about wholesale?", [CONTACT], "en")?.text).toContain("hello@shop.example");
  });

  it("answers about sale items with the Final Sale rule, not the general window, and pads with nothing", () => {
    const reply = knowledgeReply("What is your refund policy on sale items?", [RETURNS, CONTACT], "en");
    expect(reply?.text).toBe("Final Sale items can't be returned or refunded. Everything discounted by 40% or more is Final Sale.");
  });

  it("answers a duration question with the duration, one sentence when one answers", () => {
    const reply = knowledgeReply("How long do I have to return an item?", [RETURNS, INTERNATIONAL], "en");
    expect(reply?.text).toBe("You can return most items within 30 days of the delivery date shown in your tracking.");
  });

  it("says nothing when the knowledge does not answer", () => {
    expect(knowledgeReply("Do you have a loyalty points program?", [RETURNS, CONTACT, INTERNATIONAL], "en")).toBeUndefined();
    expect(knowledgeReply("Do you offer a student discount?", [RETURNS, CONTACT, INTERNATIONAL], "en")).toBeUndefined();
    expect(knowledgeReply("How much is shipping to Canada?", [], "en")).toBeUndefined();
  });

  it("answers French, German and Spanish questions from English sentences", () => {
    const de = knowledgeReply("Wie viel kostet der Versand nach Kanada?", [INTERNATIONAL, RETURNS], "de", { queryLanguage: "de" });
    expect(de?.text).toContain("$19.95");
    expect(de?.text).not.toContain("$29.95");
    expect(de?.sourceLanguage).toBe("en");
    const fr = knowledgeReply("Quel est votre numéro de téléphone ?", [CONTACT], "fr", { queryLanguage: "fr" });
    expect(fr?.text).toContain("555-0148");
    const es = knowledgeReply("¿Cuánto tiempo tengo para devolver un producto?", [RETURNS], "es", { queryLanguage: "es" });
    expect(es?.text).toContain("30 days");
    // A French question about France reads the "all other destinations" row (France is in the European Union).
    const france = knowledgeReply("Quel est le délai de livraison pour la France ?", [INTERNATIONAL], "fr", { queryLanguage: "fr" });
    expect(france?.text).toContain("5–10 business days");
    expect(france?.text).not.toContain("3–6");
  });

  it("reads a passage in the question's own language against the question's own words", () => {
    const german = passage("Versand", "Der Versand nach Kanada kostet 19,95 EUR und dauert 3–6 Werktage.", { language: "de", score: 0.6 });
    const reply = knowledgeReply("Wie viel kostet der Versand nach Kanada?", [german, INTERNATIONAL], "de", { queryLanguage: "de" });
    expect(reply?.text).toBe("Der Versand nach Kanada kostet 19,95 EUR und dauert 3–6 Werktage.");
    expect(reply?.sourceLanguage).toBe("de");
  });

  it("cites the passages it quotes, and the text has no source line", () => {
    const reply = knowledgeReply("How much does shipping to Canada cost?", [RETURNS, INTERNATIONAL], "en");
    expect(reply?.citations).toEqual([{ sourceId: INTERNATIONAL.sourceId, chunkId: INTERNATIONAL.chunkId, title: "International shipping" }]);
    expect(reply?.text).not.toMatch(/source/i);
  });

  it("reports the relevance of the best sentence, higher for the question it answers", () => {
    const answered = selectAnswer("How much does shipping to Canada cost?", [INTERNATIONAL]);
    const unrelated = selectAnswer("Can I rent a tent from you?", [INTERNATIONAL]);
    expect(answered!.relevance).toBeGreaterThan(unrelated?.relevance ?? 0);
  });
});

describe("knowledgeReply on a second shop's knowledge (the general causes of wrong answers)", () => {
  // Sections of one article come back as one passage whose heading lists them all, as the chunker does.
  const SHIPPING = passage(
    "Shipping countries, costs and delivery times",
    [
      "## Germany",
      "",
      "Delivery within Germany takes 1–3 business days and costs €4.90.",
      "",
      "## Austria",
      "",
      "Delivery to Austria takes 2–4 business days and costs €6.90.",
      "",
      "## Switzerland",
      "",
      "Delivery to Switzerland takes 4–7 business days and costs €12.90.",
      "",
      "## Other EU countries",
      "",
      "We ship to every other EU country, for example France, Spain and Italy. Delivery takes 3–6 business days and costs €8.90.",
    ].join("\n"),
    { heading: "Germany · Austria · Switzerland · Other EU countries", score: 0.5 },
  );
  const SALE = passage(
    "Sale items",
    "Items bought in our sale can be returned within the same 14 days as any other item. We refund sale items as a voucher (store credit), not to your original payment method.",
    { score: 0.5 },
  );
  const REFUNDS = passage(
    "Returns and refunds",
    [
      "## Return window",
      "",
      "You can return items within 14 days of delivery.",
      "",
      "## Exchanges",
      "",
      "You can exchange items for free within 30 days of delivery, or return them for a refund.",
      "",
      "## Your refund",
      "",
      "We refund your original payment method within 5 business days of your return arriving at our warehouse.",
      "",
      "## Return transit",
      "",
      "Your return takes 3–7 business days to reach us.",
    ].join("\n"),
    { score: 0.5 },
  );
  const PAYMENT = passage(
    "Accepted payment methods",
    [
      "- **Cards**: Visa, Mastercard and Discover.",
      "- **PayPal**, including Pay Later.",
      "- **Apple Pay** and **Shop Pay**.",
      "",
      "We don't accept cash on delivery, checks or cryptocurrency.",
    ].join("\n"),
    { score: 0.45 },
  );

  it("answers with the row of the country named, not the union's generic row nor a neighbour's", () => {
    const austria = knowledgeReply("Was kostet der Versand nach Österreich und wie lange dauert er?", [SHIPPING], "de", { queryLanguage: "de" });
    expect(austria?.text).toBe("Delivery to Austria takes 2–4 business days and costs €6.90.");
    // Switzerland is not in the union: the section "Other EU countries" is not about it, whatever the chunk's heading lists.
    const switzerland = knowledgeReply("Livrez-vous en Suisse ? Combien ça coûte ?", [SHIPPING], "fr", { queryLanguage: "fr" });
    expect(switzerland?.text).toBe("Delivery to Switzerland takes 4–7 business days and costs €12.90.");
    // A country without a row of its own still gets the union's.
    const france = knowledgeReply("How much is shipping to France?", [SHIPPING], "en");
    expect(france?.text).toContain("€8.90");
  });

  it("reads sale words of every language (rebajas, soldes, reduziert) as the sale the knowledge names", () => {
    for (const [question, language] of [
      ["¿Puedo devolver un artículo comprado en rebajas?", "es"],
      ["Puis-je retourner un article en soldes ?", "fr"],
      ["Kann ich reduzierte Artikel zurückgeben?", "de"],
    ] as const) {
      const reply = knowledgeReply(question, [SALE, REFUNDS], language, { queryLanguage: language });
      expect(reply?.text, question).toContain("Items bought in our sale");
    }
  });

  it("answers 'when will I get my refund' with the processing time, not a window to act in nor the transit", () => {
    for (const [question, language] of [
      ["When will I get my refund after I send it back?", "en"],
      ["Wann bekomme ich mein Geld zurück, nachdem ich etwas zurückgeschickt habe?", "de"],
      ["Quand serai-je remboursé après avoir renvoyé l'article ?", "fr"],
    ] as const) {
      const reply = knowledgeReply(question, [REFUNDS], language, { queryLanguage: language });
      expect(reply?.text, question).toContain("within 5 business days of your return arriving");
      expect(reply?.text, question).not.toContain("30 days");
    }
  });

  it("answers 'how long do I have to return' with the return window, not how long a return travels", () => {
    for (const [question, language] of [
      ["How long do I have to send something back?", "en"],
      ["Wie lange habe ich Zeit, etwas zurückzuschicken?", "de"],
      ["¿Cuánto tiempo tengo para devolver un artículo?", "es"],
    ] as const) {
      expect(knowledgeReply(question, [REFUNDS], language, { queryLanguage: language })?.text, question).toBe("You can return items within 14 days of delivery.");
    }
  });

  it("answers a question about a payment method not listed with the accepted methods and what isn't accepted", () => {
    const reply = knowledgeReply("Do you take Klarna?", [PAYMENT], "en");
    expect(reply?.text).toContain("PayPal");
    expect(reply?.text).toContain("Apple Pay");
    expect(reply?.text).toContain("We don't accept");
    // The reply first says, in the shopper's language, that the method is not on the list.
    expect(reply?.lead).toBe("I don't see Klarna among the payment methods we accept.");
    const german = knowledgeReply("Kann ich mit Klarna bezahlen?", [PAYMENT], "de", { queryLanguage: "de" });
    expect(german?.text).toContain("PayPal");
    expect(german?.lead).toBe("Klarna finde ich nicht unter den Zahlungsarten, die wir akzeptieren.");
    // A listed method is answered yes and by its own line, without the refusal.
    const paypal = knowledgeReply("Can I pay with PayPal?", [PAYMENT], "en");
    expect(paypal?.text).toContain("PayPal, including Pay Later.");
    expect(paypal?.text).not.toContain("We don't accept");
    expect(paypal?.lead).toBe("Yes, PayPal is accepted.");
    // "And Klarna?" after PayPal asks about Klarna, though the question it is read with also names PayPal.
    const followUp = knowledgeReply(followUpQuestion("Can I pay with PayPal?", "And Klarna?"), [PAYMENT], "en");
    expect(followUp?.lead).toBe("I don't see Klarna among the payment methods we accept.");
  });

  it("leads a quote in another language with its figures in the shopper's", () => {
    const french = knowledgeReply("Combien de temps ai-je pour retourner un article ?", [REFUNDS], "fr", { queryLanguage: "fr" });
    expect(french?.text).toBe("You can return items within 14 days of delivery.");
    expect(french?.lead).toBe("En bref : 14 jours.");
    // In the passage's own language the quote says it all.
    expect(knowledgeReply("How long do I have to return an item?", [REFUNDS], "en")?.lead).toBeUndefined();
  });

  it("finds the phone line among the contact channels, asked in any words", () => {
    expect(knowledgeReply("Can I call you? What's the phone number?", [CONTACT, RETURNS], "en")?.text).toContain("555-0148");
    expect(knowledgeReply("Wie lautet Ihre Telefonnummer?", [CONTACT, RETURNS], "de", { queryLanguage: "de" })?.text).toContain("555-0148");
  });
});

describe("expandQuery", () => {
  it("maps French, German and Spanish commerce words to English, with light stemming and compounds", () => {
    expect(expandQuery("Combien coûte la livraison au Canada ?", "fr").englishText).toMatch(/\bshipping\b.*\bcanada\b/);
    expect(expandQuery("Quand vais-je recevoir mon remboursement ?", "fr-CA").englishText).toContain("refund");
    expect(expandQuery("Gibt es eine Gebühr für Rücksendungen?", "de").englishText).toMatch(/\bfee\b.*\breturn\b/);
    expect(expandQuery("Versandkosten nach Deutschland", "de").englishText).toMatch(/shipping.*germany.*european union/);
    expect(expandQuery("¿Aceptan PayPal?", "es").englishText).toBe("accept paypal");
  });

  it("leaves English as it is (plus the union for its countries) and keeps unknown words", () => {
    expect(expandQuery("How much is shipping to Canada?", "en")).toMatchObject({ language: "en", keywordText: "How much is shipping to Canada?" });
    expect(expandQuery("Do you ship to Germany?").embeddingText).toContain("european union");
    expect(expandQuery("¿Aceptan Klarna?", "es").englishText).toContain("klarna");
    expect(expandQuery("Qual è il prezzo?", "it").language).toBe("en");
    // Only function words: searched as written rather than as nothing.
    expect(expandQuery("Bonjour !", "fr").embeddingText).toBe("Bonjour !");
  });
});

describe("followUpQuestion", () => {
  it("reads a short follow-up with the question it leans on, the new destination replacing the old", () => {
    const question = followUpQuestion("How much is shipping to Canada and how long does it take?", "And to Germany?");
    expect(question).toMatch(/germany/i);
    expect(question).toMatch(/shipping/i);
    expect(question).not.toMatch(/canada/i);
    // In German, through the lexicon: Österreich → Switzerland.
    const german = followUpQuestion("Was kostet der Versand nach Österreich?", "Und in die Schweiz?", "de");
    expect(german).toMatch(/switzerland/i);
    expect(german).not.toMatch(/austria/i);
  });
});

describe("discount code questions", () => {
  it("answer with the sentence that names a code, not one that only repeats the word 'codes'", () => {
    const offer = passage("Discount codes", "## Welcome offer\nNew subscribers get WELCOME10, which takes 10% off a first order. Codes can't be combined and don't apply to gift cards.", { score: 0.7 });
    const reply = knowledgeReply("Do you have any discount codes?", [offer], "en");
    expect(reply?.text).toContain("WELCOME10");
  });
});

describe("what the question asks, read closer", () => {
  it("covers a country named by a stem ('Mexic…') with the table's catch-all row", () => {
    const reply = knowledgeReply("¿Cuánto cuesta el envío a México?", [INTERNATIONAL, RETURNS], "es", { queryLanguage: "es" });
    expect(reply?.text).toContain("$29.95");
    expect(reply?.text).not.toContain("$19.95");
  });

  it("answers a price with a price and a minimum spend with the threshold", () => {
    const FREE_OVER = passage("Shipping costs and free shipping", "Orders of $75 or more ship free with Standard shipping to any address in the contiguous United States.", {
      heading: "Free Standard shipping over $75",
      score: 0.45,
    });
    const RATES = passage(
      "Domestic shipping",
      ["| Option | Cost |", "|---|---|", "| Standard (3–7 business days) | $6.95 |", "| Expedited (2–3 business days) | $14.95 |"].join("\n"),
      { heading: "Shipping options", score: 0.4 },
    );
    // The best sentence's passage comes first in the reply.
    expect(knowledgeReply("What does standard shipping cost?", [FREE_OVER, RATES], "en")?.text).toMatch(/^Standard \(3–7 business days\): (Cost )?\$6\.95\./);
    const spend = selectAnswer("How much do I need to spend to get free shipping?", [FREE_OVER, RATES]);
    expect(spend?.units[0]?.text).toContain("$75");
  });

  it("reads each sentence of a chunk of short sections under its own heading", () => {
    const merged = passage(
      "Contact us",
      "Email hello@shop.example. Our customer service team can't answer wholesale questions.\n\nFeedback:\n\nWe read every message you send us.",
      { heading: "Press, wholesale and partnerships · Feedback", score: 0.5 },
    );
    const address = passage("Changing your shipping address", "Contact us as soon as possible by email at support@shop.example with your order number.", { score: 0.4 });
    expect(passageUnits(merged).map((unit) => unit.section)).toEqual(["Press, wholesale and partnerships", "Press, wholesale and partnerships", "Feedback"]);
    const reply = knowledgeReply("What's your email address?", [merged, address], "en");
    expect(reply?.text).toContain("support@shop.example");
    expect(reply?.text).not.toContain("hello@");
  });

  it("answers 'is there a fee if I cancel?' with the cancellation rule, not a fee for something else", () => {
    const cancelling = passage(
      "Cancelling an order",
      "You can cancel an order within 2 hours of placing it.\n\nAfter 2 hours:\n\nAfter 2 hours your order is already being packed.\n\nCancellation fee:\n\nThere is no cancellation fee.",
      { heading: "Within 2 hours · After 2 hours · Cancellation fee", score: 0.6 },
    );
    const label = passage("Returns", "We deduct a return label fee of €4.95 from your refund.", { score: 0.5 });
    expect(knowledgeReply("is there a fee if I cancel?", [cancelling, label], "en")?.text).toBe("There is no cancellation fee.");
  });

  it("reads 'can I use two codes?' as whether, not as a request for a code", () => {
    const rules = passage(
      "Discount codes and promotions",
      "Welcome offer. Sign up and we'll email you WELCOME10, worth 10% off your first order.\n\nOne code per order. Discount codes can't be combined with each other.",
      { heading: "The rules", score: 0.5 },
    );
    expect(knowledgeReply("Can I use two discount codes on one order?", [rules], "en")?.text).toContain("can't be combined");
  });

  it("reads 'get my money back' as a refund", () => {
    const refunds = passage(
      "Returns and refunds",
      "We refund the price you paid to your original payment method within 5 business days of your return arriving.",
      { heading: "Your refund", score: 0.4 },
    );
    expect(knowledgeReply("How long until I get my money back once you receive my return?", [refunds], "en")?.text).toContain("5 business days");
  });

  it("reads 'ok' and 'thanks' as no content", () => {
    const methods = passage("Accepted payment methods", "- Credit and debit cards: Visa, Mastercard and Discover.\n- PayPal.", { heading: "How you can pay", score: 0.37 });
    expect(knowledgeReply("ok. which payment methods do you accept?", [methods], "en")?.text).toContain("Visa");
  });
});
