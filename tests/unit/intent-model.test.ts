import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  INTENT_MODEL_FILE,
  classifyIntent,
  conceptsOf,
  featureNames,
  loadIntentModel,
  parseLexicon,
  rawTokens,
  tokenize,
} from "../../app/modules/assistant/nlu/intent-model";

const datasetsDir = process.env.SHOPDESK_DATASETS_DIR ?? path.resolve(process.cwd(), "../shared/datasets");
const devFile = path.join(datasetsDir, "bitext-cs-intent-8k/dev.csv");
const hasDatasets = existsSync(devFile);

const EXPECTED_LABELS = [
  "cancel_order", "change_order", "change_shipping_address", "check_cancellation_fee", "check_invoice",
  "check_payment_methods", "check_refund_policy", "complaint", "contact_customer_service", "contact_human_agent",
  "create_account", "delete_account", "delivery_options", "delivery_period", "edit_account", "get_invoice",
  "get_refund", "newsletter_subscription", "payment_issue", "place_order", "recover_password",
  "registration_problems", "review", "set_up_shipping_address", "switch_account", "track_order", "track_refund",
  "product_question", "greeting", "other",
];

describe("intent model", () => {
  it("knows the 27 Bitext intents plus product_question, greeting and other", () => {
    expect([...loadIntentModel().labels].sort()).toEqual([...EXPECTED_LABELS].sort());
  });

  // None of these texts is in the training data ("parka", "red", "football" and a bare "hey" are
  // deliberately absent from the synthetic generators in scripts/train-intents.ts).
  it.each([
    ["hey!", "greeting"],
    ["Good morning!", "greeting"],
    ["does the parka come in red?", "product_question"],
    ["is this jacket waterproof", "product_question"],
    ["who won the football game?", "other"],
    ["what's the weather in Dublin", "other"],
    ["I want to cancel my order 12345", "cancel_order"],
    ["can I talk to a real person", "contact_human_agent"],
  ])("classifies %j as %s", (text, intent) => {
    const result = classifyIntent(text);
    expect(result.intent).toBe(intent);
    expect(result.ranking[0]).toEqual({ intent, score: result.confidence });
  });

  it("is deterministic and returns a probability ranking over every intent", () => {
    const text = "hello, I need a refund for order #A-1002, it arrived broken";
    const first = classifyIntent(text);
    expect(classifyIntent(text)).toEqual(first);
    expect(first.ranking).toHaveLength(EXPECTED_LABELS.length);
    const total = first.ranking.reduce((sum, entry) => sum + entry.score, 0);
    expect(total).toBeCloseTo(1, 6);
    for (let i = 1; i < first.ranking.length; i++) expect(first.ranking[i - 1]!.score).toBeGreaterThanOrEqual(first.ranking[i]!.score);
  });

  it("returns `other` with low confidence for empty or odd input and never throws", () => {
    for (const text of ["", "   ", "!!!", "😀🎉", "{{Order Number}}"]) {
      const result = classifyIntent(text);
      if (text !== "{{Order Number}}") {
        expect(result.intent).toBe("other");
        expect(result.confidence).toBeLessThan(0.1);
      }
      expect(Number.isFinite(result.confidence)).toBe(true);
    }
    for (const text of ["x".repeat(20_000), "refund ".repeat(5_000), "\u0000\uFFFF\uD800", undefined as unknown as string]) {
      const result = classifyIntent(text);
      expect(result.ranking.every((entry) => Number.isFinite(entry.score))).toBe(true);
    }
  });

  it.skipIf(!hasDatasets && process.env.CI !== "true")("reaches macro-F1 ≥ 0.95 and accuracy ≥ 0.95 on bitext-cs-intent-8k/dev.csv", () => {
    expect(existsSync(devFile), `${devFile} is required when CI=true`).toBe(true);
    const rows = parse(readFileSync(devFile, "utf8"), { columns: true, skip_empty_lines: true }) as { utterance: string; intent: string }[];
    const stats = new Map<string, { tp: number; fp: number; fn: number }>();
    const stat = (label: string) => {
      const entry = stats.get(label) ?? { tp: 0, fp: 0, fn: 0 };
      stats.set(label, entry);
      return entry;
    };
    let correct = 0;
    for (const row of rows) {
      const predicted = classifyIntent(row.utterance).intent;
      if (predicted === row.intent) {
        correct++;
        stat(row.intent).tp++;
      } else {
        stat(predicted).fp++;
        stat(row.intent).fn++;
      }
    }
    const goldLabels = new Set(rows.map((row) => row.intent));
    const f1s = [...goldLabels].map((label) => {
      const { tp, fp, fn } = stat(label);
      return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    });
    const accuracy = correct / rows.length;
    const macroF1 = f1s.reduce((sum, value) => sum + value, 0) / f1s.length;
    console.log(`[intent-model] dev (${rows.length} rows): accuracy ${(accuracy * 100).toFixed(2)}%, macro-F1 ${(macroF1 * 100).toFixed(2)}%`);
    expect(rows.length).toBeGreaterThan(700);
    expect(macroF1).toBeGreaterThanOrEqual(0.95);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });
});

describe("intent model: words and concepts", () => {
  it("folds accents, splits French elisions and hides volatile values", () => {
    expect(tokenize("Où est ma commande n°1047 ?")).toEqual(["ou", "est", "ma", "commande", "n", "znum"]);
    expect(tokenize("J'ai été débité deux fois, l'adresse est fausse")).toEqual(["je", "ai", "ete", "debite", "deux", "fois", "le", "adresse", "est", "fausse"]);
    expect(tokenize("Größe der Rücksendung")).toEqual(["grosse", "der", "rucksendung"]);
    expect(tokenize("I can't find it, I'm at jane@example.com")).toEqual(["i", "cant", "find", "it", "im", "at", "zemail"]);
    // The raw words keep their accents: "où" (where) and "ou" (or) differ there.
    expect(rawTokens("Où ou")).toEqual(["où", "ou"]);
  });

  it("maps whole words, prefixes, suffixes, infixes and accented words to concepts", () => {
    const lexicon = parseLexicon({ refund: "refund* rembours* *erstatt* reembolso", where: "where =où", fee: "fee *gebuhr" });
    const concepts = (word: string) => conceptsOf(word.toLowerCase(), tokenize(word)[0]!, lexicon);
    expect(concepts("refunded")).toEqual(["refund"]);
    expect(concepts("Remboursement")).toEqual(["refund"]);
    expect(concepts("Rückerstattung")).toEqual(["refund"]);
    expect(concepts("reembolso")).toEqual(["refund"]);
    expect(concepts("reembolsos")).toEqual([]);
    expect(concepts("Stornogebühr")).toEqual(["fee"]);
    expect(concepts("où")).toEqual(["where"]);
    expect(concepts("ou")).toEqual([]);
    expect(() => parseLexicon({ x: "ab*" })).toThrow(/too short/);
  });

  it("gives a French, German and Spanish message the same concept features as its English counterpart", () => {
    const { lexicon } = loadIntentModel();
    const concepts = (text: string) => new Set(featureNames(text, lexicon).filter((name) => name.startsWith("k:")));
    const english = concepts("is there a fee if I cancel?");
    expect(english).toEqual(new Set(["k:there_is", "k:fee", "k:if", "k:i", "k:cancel"]));
    for (const text of ["Y a-t-il des frais si j'annule ?", "Gibt es eine Gebühr, wenn ich storniere?", "¿Hay alguna tarifa si cancelo?"]) {
      const own = concepts(text);
      for (const concept of ["k:fee", "k:if", "k:cancel"]) expect(own, text).toContain(concept);
    }
  });

  it("ships its lexicon inside the model file, which stays a reasonable size", () => {
    const file = JSON.parse(readFileSync(path.resolve("app/modules/assistant/nlu", INTENT_MODEL_FILE), "utf8")) as { version: number; lexicon: Record<string, string> };
    expect(file.version).toBe(2);
    expect(Object.keys(file.lexicon)).toEqual(expect.arrayContaining(["order", "refund", "cancel", "fee", "pay", "human"]));
    expect(statSync(path.resolve("app/modules/assistant/nlu", INTENT_MODEL_FILE)).size).toBeLessThan(3 * 1024 * 1024);
  });
});

if (!hasDatasets) {
  console.warn(
    `[intent-model] skipping the dev-set accuracy check: ${devFile} is absent${process.env.CI === "true" ? " (CI=true: the check runs and fails)" : ""}`,
  );
}
