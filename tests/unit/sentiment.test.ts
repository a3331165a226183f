import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SENTIMENT_MODEL_FILE, isAbusive, scoreSentiment } from "../../app/modules/assistant/nlu/sentiment";
import { isHeldOut, readSentences, sentencesFile } from "../../scripts/train-sentiment";

const file = sentencesFile();
const hasDatasets = existsSync(file);

describe("scoreSentiment", () => {
  it.skipIf(!hasDatasets && process.env.CI !== "true")("reaches accuracy ≥ 0.78 on the held-out UCI sentences", () => {
    expect(existsSync(file), `${file} is required when CI=true`).toBe(true);
    const rows = readSentences(file);
    const heldOut = rows.filter((row) => isHeldOut(row.sentence));
    const right = heldOut.filter((row) => (scoreSentiment(row.sentence).score >= 0 ? 1 : 0) === row.label).length;
    const accuracy = right / heldOut.length;
    console.log(`[sentiment] held-out (${heldOut.length} of ${rows.length} sentences): accuracy ${(accuracy * 100).toFixed(2)}%`);
    expect(heldOut.length).toBeGreaterThan(rows.length * 0.15);
    expect(heldOut.length).toBeLessThan(rows.length * 0.25);
    expect(accuracy).toBeGreaterThanOrEqual(0.78);
  });

  it("keeps the committed model small", () => {
    expect(statSync(path.resolve("app/modules/assistant/nlu", SENTIMENT_MODEL_FILE)).size).toBeLessThan(300 * 1024);
  });

  it.each([
    ["where is my order?", "neutral"],
    ["can I change the delivery address?", "neutral"],
    ["do you ship to Canada?", "neutral"],
    ["what's your return policy?", "neutral"],
    ["the zipper broke after two days and I'm really disappointed", "negative"],
    ["this is unacceptable", "negative"],
    ["thank you so much, great service!", "positive"],
    ["Thanks!!! that was quick", "positive"],
  ])("labels %j %s", (text, label) => {
    const { score, label: got } = scoreSentiment(text);
    expect(got).toBe(label);
    expect(score).toBeGreaterThanOrEqual(-1);
    expect(score).toBeLessThanOrEqual(1);
  });

  const CALM = [
    "where is my order?",
    "hi, can you tell me when order #1042 will arrive?",
    "do you have this jacket in blue?",
    "I want a refund",
    "I need to talk to a human",
    "thanks!",
    "ok",
    "I made a mistake in my address",
  ];
  const ANGRY = [
    "WHERE IS MY ORDER???",
    "This is ridiculous, I've been waiting three weeks and nobody answers!!!",
    "useless bot. I want my money back",
    "this is the third time I'm asking, where is my fucking refund",
    "still waiting for my refund. unacceptable",
    "where is my f***ing parcel",
  ];

  it.each(CALM)("calm: %j has frustration < 0.3", (text) => {
    expect(scoreSentiment(text).frustration).toBeLessThan(0.3);
  });

  it.each(ANGRY)("angry: %j has frustration > 0.7", (text) => {
    expect(scoreSentiment(text).frustration).toBeGreaterThan(0.7);
  });

  it("orders frustration from calm through upset to furious", () => {
    const ladder = [
      "where is my order?",
      "my order still hasn't arrived",
      "still waiting for my order",
      "still waiting for my order!!",
      "STILL WAITING FOR MY ORDER!!! this is ridiculous",
    ].map((text) => scoreSentiment(text).frustration);
    for (let i = 1; i < ladder.length; i++) expect(ladder[i], `step ${i}: ${ladder.join(" < ")}`).toBeGreaterThan(ladder[i - 1]!);
  });

  it("rises when the shopper repeats themselves or was angry a turn ago", () => {
    const alone = scoreSentiment("where is my order").frustration;
    const once = scoreSentiment("where is my order", ["where is my order?"]).frustration;
    const twice = scoreSentiment("where is my order", ["where is my order?", "hello? where is my order"]).frustration;
    expect(once).toBeGreaterThan(alone);
    expect(twice).toBeGreaterThan(once);
    expect(twice).toBeGreaterThan(0.5);
    // Unrelated earlier messages do not count as repeats; anger two turns back still lingers, damped.
    expect(scoreSentiment("where is my order", ["hi", "do you sell tents?"]).frustration).toBeLessThan(alone + 0.1);
    const afterAnger = scoreSentiment("ok", ["THIS IS A JOKE!!!", "hello"]).frustration;
    expect(afterAnger).toBeGreaterThan(scoreSentiment("ok").frustration + 0.2);
    expect(afterAnger).toBeLessThan(scoreSentiment("THIS IS A JOKE!!!").frustration);
  });

  it("does not read acronyms or an excited thank-you as anger", () => {
    expect(scoreSentiment("did UPS or DHL pick up my order?").frustration).toBeLessThan(0.3);
    expect(scoreSentiment("THIS IS GREAT, THANKS").label).toBe("positive");
  });

  it("is deterministic, bounded and never throws", () => {
    expect(scoreSentiment("meh, it's fine I guess")).toEqual(scoreSentiment("meh, it's fine I guess"));
    for (const text of ["", "!!!", "😀", "x".repeat(50_000), undefined as unknown as string]) {
      const { score, frustration } = scoreSentiment(text, ["", undefined as unknown as string]);
      expect(score).toBeGreaterThanOrEqual(-1);
      expect(score).toBeLessThanOrEqual(1);
      expect(frustration).toBeGreaterThanOrEqual(0);
      expect(frustration).toBeLessThanOrEqual(1);
    }
  });
});

describe("sentiment in French, German and Spanish", () => {
  const rows = (JSON.parse(readFileSync(path.resolve("tests/data/sentiment-multilingual.json"), "utf8")) as { examples: { lang: string; text: string; label: string }[] })
    .examples;

  it.each(["fr", "de", "es"])("%s: labels ≥ 85%% of tests/data/sentiment-multilingual.json right", (language) => {
    const own = rows.filter((row) => row.lang === language);
    const misses = own.filter((row) => scoreSentiment(row.text).label !== row.label);
    const accuracy = 1 - misses.length / own.length;
    console.log(`[sentiment] ${language}: ${own.length - misses.length}/${own.length} labels right${misses.map((row) => `\n  miss: "${row.text}" (${row.label})`).join("")}`);
    expect(new Set(own.map((row) => row.label))).toEqual(new Set(["negative", "neutral", "positive"]));
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it.each([
    ["fr", "C'EST INADMISSIBLE, TOUJOURS PAS DE REMBOURSEMENT !!!"],
    ["de", "Ich warte seit drei Wochen, das ist eine Frechheit!!"],
    ["es", "Llevo tres semanas esperando, es una vergüenza!!!"],
  ])("%s: an angry message %j reads as frustrated", (_language, text) => {
    expect(scoreSentiment(text).frustration).toBeGreaterThan(0.7);
  });

  it.each([
    ["fr", "ma commande n'est pas encore arrivée, vous pouvez vérifier ?"],
    ["de", "Können Sie mir sagen, wo mein Paket ist?"],
    ["es", "¿me pueden decir dónde está mi paquete?"],
  ])("%s: a plain question %j stays calm", (_language, text) => {
    expect(scoreSentiment(text).frustration).toBeLessThan(0.3);
  });
});

describe("abusive: insults and profanity aimed at the assistant or the team", () => {
  const ABUSIVE: [language: string, text: string][] = [
    ["en", "you're an idiot"],
    ["en", "fuck off"],
    ["en", "are you stupid or what?"],
    ["en", "this useless piece of shit bot"],
    ["en", "shut up and get me a human"],
    ["en", "u r a moron"],
    ["fr", "t'es vraiment con"],
    ["fr", "espèce d'imbécile"],
    ["fr", "va te faire foutre"],
    ["fr", "bot de merde, passe-moi quelqu'un"],
    ["fr", "vous êtes nuls"],
    ["de", "du bist so dumm"],
    ["de", "Du Vollidiot!"],
    ["de", "halt die Fresse"],
    ["de", "blöder Bot, ich will einen Menschen"],
    ["de", "leck mich"],
    ["es", "eres un inútil"],
    ["es", "vete a la mierda"],
    ["es", "sois unos incompetentes"],
    ["es", "bot de mierda"],
    ["es", "cállate ya"],
  ];
  const NOT_ABUSIVE: [language: string, text: string][] = [
    // Swearing about the situation is frustration, not abuse.
    ["en", "where is my fucking parcel"],
    ["en", "this is shit, still no refund"],
    ["en", "your service is terrible"],
    ["en", "I'm an idiot, I typed the wrong address"],
    ["en", "I feel stupid asking, but where is my order?"],
    ["en", "the zip on this jacket is useless"],
    ["en", "can the bot cancel my order?"],
    ["fr", "putain, toujours rien reçu"],
    ["fr", "votre service est nul"],
    ["fr", "la veste est nulle, je la renvoie"],
    ["fr", "c'est con, j'ai oublié mon code"],
    ["de", "Scheiße, ich habe die falsche Adresse angegeben"],
    ["de", "das ist doof gelaufen"],
    ["de", "die Schuhe sind nutzlos bei Regen"],
    ["es", "joder, sigue sin llegar"],
    ["es", "qué tonto soy, puse mal la dirección"],
    ["es", "¿son con cremallera?"],
    ["es", "que te vaya bien, gracias"],
  ];

  it.each(ABUSIVE)("%s: %j is abusive, and counts as anger", (_language, text) => {
    const result = scoreSentiment(text);
    expect(result.abusive).toBe(true);
    expect(isAbusive(text)).toBe(true);
    expect(result.frustration).toBeGreaterThan(0.6);
  });

  it.each(NOT_ABUSIVE)("%s: %j is not abusive", (_language, text) => {
    expect(scoreSentiment(text).abusive).toBe(false);
  });

  it("is false for calm messages and odd input", () => {
    for (const text of ["where is my order?", "hi", "", "!!!", undefined as unknown as string, "x".repeat(50_000)]) expect(scoreSentiment(text).abusive).toBe(false);
  });
});

if (!hasDatasets) {
  console.warn(`[sentiment] skipping the held-out accuracy check: ${file} is absent${process.env.CI === "true" ? " (CI=true: the check runs and fails)" : ""}`);
}
