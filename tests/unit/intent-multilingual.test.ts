import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyIntent, tokenize } from "../../app/modules/assistant/nlu/intent-model";

/**
 * The intent model on hand-written shopper messages in French, German and Spanish, and on policy questions
 * against order requests (issue 11). The sets are in tests/data; scripts/train-intents.ts drops any training
 * text equal to one of them. Dev may be tuned against; the held-out sets never are (the blind one was written
 * after the training templates, deliberately unlike them). Retrain: npm run train:intents.
 */

interface Example {
  lang: string;
  text: string;
  intent: string;
  fromIssue?: boolean;
}

const read = (file: string) => (JSON.parse(readFileSync(path.resolve("tests/data", file), "utf8")) as { examples: Example[] }).examples;

const DEV = read("intents-multilingual-dev.json");
const HOLDOUT = read("intents-multilingual-holdout.json");
const BLIND = read("intents-multilingual-blind.json");
const POLICY = read("intents-policy-vs-action.json");

const LANGUAGES = ["fr", "de", "es"];
/** The intents the assistant acts on differently: every set covers each of them in every language. */
const REQUIRED_INTENTS = [
  "track_order", "get_refund", "cancel_order", "change_shipping_address", "check_refund_policy", "check_cancellation_fee",
  "check_payment_methods", "payment_issue", "delivery_period", "delivery_options", "contact_human_agent", "complaint",
  "product_question", "greeting", "other",
];
const TARGET = 0.85;

function score(rows: Example[]) {
  const byLanguage = new Map<string, { right: number; total: number }>();
  const misses: string[] = [];
  for (const row of rows) {
    const predicted = classifyIntent(row.text).intent;
    const entry = byLanguage.get(row.lang) ?? { right: 0, total: 0 };
    entry.total++;
    if (predicted === row.intent) entry.right++;
    else misses.push(`${row.lang} "${row.text}": ${row.intent} → ${predicted}`);
    byLanguage.set(row.lang, entry);
  }
  const accuracy = (languages: string[]) => {
    const entries = languages.map((language) => byLanguage.get(language) ?? { right: 0, total: 0 });
    const total = entries.reduce((sum, entry) => sum + entry.total, 0);
    return total === 0 ? 0 : entries.reduce((sum, entry) => sum + entry.right, 0) / total;
  };
  return { byLanguage, accuracy, misses };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

describe("intent model: French, German and Spanish shopper messages", () => {
  it("the sets are big enough, cover every intent that matters in every language, and share no text", () => {
    for (const [name, rows, perLanguage] of [["dev", DEV, 60], ["held-out", HOLDOUT, 60], ["blind", BLIND, 30]] as const) {
      for (const language of LANGUAGES) {
        const own = rows.filter((row) => row.lang === language);
        expect(own.length, `${name} ${language}`).toBeGreaterThanOrEqual(perLanguage);
        expect(new Set(own.map((row) => row.intent)), `${name} ${language}`).toEqual(new Set(REQUIRED_INTENTS));
      }
    }
    const keys = [...DEV, ...HOLDOUT, ...BLIND, ...POLICY].map((row) => tokenize(row.text).join(" "));
    expect(keys.length - new Set(keys).size).toBe(0);
  });

  it.each([
    ["dev", DEV],
    ["held-out", HOLDOUT],
    ["blind held-out", BLIND],
  ] as const)(`reaches accuracy ≥ ${TARGET} on the non-English %s set (and ≥ 0.8 in each language)`, (name, rows) => {
    const { accuracy, byLanguage, misses } = score(rows);
    const overall = accuracy(LANGUAGES);
    console.log(
      `[intent-multilingual] ${name} (${rows.length}): non-English ${percent(overall)}; ${LANGUAGES.map((language) => `${language} ${percent(accuracy([language]))} (${byLanguage.get(language)?.right}/${byLanguage.get(language)?.total})`).join(", ")}`,
    );
    for (const miss of misses) console.log(`  miss: ${miss}`);
    expect(overall).toBeGreaterThanOrEqual(TARGET);
    for (const language of LANGUAGES) expect(accuracy([language]), language).toBeGreaterThanOrEqual(0.8);
  });
});

describe("intent model: policy questions are not order requests", () => {
  it("classifies the messages issue 11 reported, and their translations, as the kind of question they are", () => {
    const reported = POLICY.filter((row) => row.fromIssue);
    expect(new Set(reported.map((row) => row.lang))).toEqual(new Set(["en", ...LANGUAGES]));
    expect(reported.map((row) => `${row.lang} ${row.text} → ${classifyIntent(row.text).intent}`)).toEqual(
      reported.map((row) => `${row.lang} ${row.text} → ${row.intent}`),
    );
  });

  it(`reaches accuracy ≥ ${TARGET} on the policy-vs-action set in English (≥ 40 messages) and in the other languages`, () => {
    const { accuracy, byLanguage, misses } = score(POLICY);
    console.log(
      `[intent-multilingual] policy vs action (${POLICY.length}): ${["en", ...LANGUAGES].map((language) => `${language} ${percent(accuracy([language]))} (${byLanguage.get(language)?.right}/${byLanguage.get(language)?.total})`).join(", ")}`,
    );
    for (const miss of misses) console.log(`  miss: ${miss}`);
    expect(byLanguage.get("en")?.total).toBeGreaterThanOrEqual(40);
    expect(accuracy(["en"])).toBeGreaterThanOrEqual(TARGET);
    expect(accuracy(LANGUAGES)).toBeGreaterThanOrEqual(TARGET);
  });

});
