/**
 * Answer quality of the offline knowledge answer on the demo shop's knowledge: every question of
 * bench/data/knowledge-answers-{dev,holdout}.json goes through retrieval (searchKnowledge with the question's
 * language) and knowledgeReply, and is judged against the facts the reply must (and must not) contain.
 *
 *   DATABASE_URL=postgresql://… npx tsx bench/knowledge-answers.ts [--dump file.json] [--calibrate] [--verbose] [--latency]
 *   npx tsx bench/knowledge-answers.ts --replay file.json [--calibrate] [--verbose]
 *
 * prints the scores of both parts (per language). `--dump` writes each question's retrieved passages and
 * `--replay` answers from such a file without a database (to iterate on answer selection); `--calibrate` prints
 * the relevance threshold that maximises (answered correctly − 2 × answered wrongly) on the dev part;
 * `--verbose` lists every miss on stderr; `--latency` adds per-question timings (expansion, retrieval, answer).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PrismaClient } from "@prisma/client";
import type { KnowledgeMatch } from "~/modules/knowledge";

export interface AnswerQuestion {
  id: string;
  language: string;
  question: string;
  /** False: the knowledge does not answer it, and the right reply is "I don't know". */
  answerable: boolean;
  /** Case-insensitive regular expressions the reply must all match. */
  mustContain?: string[];
  /** Case-insensitive regular expressions the reply must not match (a neighbouring entity's fact). */
  mustNotContain?: string[];
}

export type AnswerSetPart = "dev" | "holdout";

const here = path.dirname(fileURLToPath(import.meta.url));

export function loadAnswerSet(part: AnswerSetPart): AnswerQuestion[] {
  const file = path.join(here, "data", `knowledge-answers-${part}.json`);
  return (JSON.parse(readFileSync(file, "utf8")) as { questions: AnswerQuestion[] }).questions;
}

/** correct: answered with the facts; wrong: answered without them (or with a neighbour's), or answered the unanswerable; abstained: no answer. */
export type Verdict = "correct" | "wrong" | "abstained";

export function judge(question: AnswerQuestion, reply: string | undefined): Verdict {
  if (reply === undefined) return "abstained";
  if (!question.answerable) return "wrong";
  const matches = (pattern: string) => new RegExp(pattern, "iu").test(reply);
  const ok = (question.mustContain ?? []).every(matches) && !(question.mustNotContain ?? []).some(matches);
  return ok ? "correct" : "wrong";
}

export interface AnswerResult {
  question: AnswerQuestion;
  reply: string | undefined;
  verdict: Verdict;
}

export interface AnswerScores {
  questions: number;
  /** Share of answerable questions answered with the right facts. */
  answeredCorrect: number;
  /** Share of all questions answered wrongly (wrong facts, or any answer to an unanswerable question). */
  wrong: number;
  /** Share of answerable questions left unanswered. */
  missedDontKnow: number;
  /** Share of unanswerable questions correctly left unanswered. */
  correctDontKnow: number;
  answerable: number;
  unanswerable: number;
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000);

export function scoreAnswers(results: AnswerResult[]): AnswerScores {
  const answerable = results.filter((result) => result.question.answerable);
  const unanswerable = results.filter((result) => !result.question.answerable);
  const count = (list: AnswerResult[], verdict: Verdict) => list.filter((result) => result.verdict === verdict).length;
  return {
    questions: results.length,
    answeredCorrect: ratio(count(answerable, "correct"), answerable.length),
    wrong: ratio(count(results, "wrong"), results.length),
    missedDontKnow: ratio(count(answerable, "abstained"), answerable.length),
    correctDontKnow: ratio(count(unanswerable, "abstained"), unanswerable.length),
    answerable: answerable.length,
    unanswerable: unanswerable.length,
  };
}

/** Overall scores plus one line per language. */
export function scoreByLanguage(results: AnswerResult[]) {
  const languages = [...new Set(results.map((result) => result.question.language))].sort();
  return {
    overall: scoreAnswers(results),
    ...Object.fromEntries(languages.map((language) => [language, scoreAnswers(results.filter((result) => result.question.language === language))])),
  };
}

/** The demo shop's help-centre articles and policies, published and indexed for `shopId`. */
export async function seedDemoKnowledge(prisma: PrismaClient, shopId: string) {
  const { seedKnowledge } = await import("~/modules/demo/seed/knowledge.server");
  const { reindexSource } = await import("~/modules/knowledge");
  await seedKnowledge(prisma, shopId, Date.now());
  const sources = await prisma.knowledgeSource.findMany({ where: { shopId }, select: { id: true } });
  for (const source of sources) await reindexSource(source.id);
  return sources.length;
}

export type AnswerFn = (question: string, matches: KnowledgeMatch[], language: string) => string | undefined;
export type SearchFn = (question: AnswerQuestion) => Promise<KnowledgeMatch[]>;

/** Retrieval then answer for each question, judged. */
export async function runAnswerSet(questions: AnswerQuestion[], search: SearchFn, answer: AnswerFn) {
  const results: (AnswerResult & { matches: KnowledgeMatch[] })[] = [];
  for (const question of questions) {
    const matches = await search(question);
    const reply = answer(question.question, matches, question.language);
    results.push({ question, reply, verdict: judge(question, reply), matches });
  }
  return results;
}

/**
 * The threshold that maximises (answered correctly − 2 × answered wrongly) on the given results: every
 * question's best sentence relevance is compared with each candidate threshold.
 */
export function calibrateThreshold(rows: { question: AnswerQuestion; relevance: number; reply: string | undefined }[]) {
  const candidates = [...new Set(rows.map((row) => Math.round(row.relevance * 100) / 100))].sort((a, b) => a - b);
  const curve = candidates.map((threshold) => {
    const verdicts = rows.map((row) => judge(row.question, row.relevance >= threshold ? row.reply : undefined));
    const correct = verdicts.filter((verdict) => verdict === "correct").length;
    const wrong = verdicts.filter((verdict) => verdict === "wrong").length;
    return { threshold, correct, wrong, utility: correct - 2 * wrong };
  });
  const best = curve.reduce((top, point) => (point.utility > top.utility ? point : top), curve[0]!);
  return { best, curve };
}

/** Milliseconds per question: the expansion alone, retrieval (expansion + embedding + SQL), and answer selection. */
async function latency(search: SearchFn) {
  const { summarize } = await import("./stats");
  const { expandQuery } = await import("~/modules/knowledge");
  const { knowledgeReply } = await import("~/modules/assistant/responder/knowledge-answer");
  const questions = [...loadAnswerSet("dev"), ...loadAnswerSet("holdout")];
  const time = async (fn: () => unknown) => {
    const started = performance.now();
    await fn();
    return performance.now() - started;
  };
  const matches = new Map<string, KnowledgeMatch[]>();
  for (const question of questions) matches.set(question.id, await search(question)); // warm-up, and the passages to answer from
  const expansion: Record<string, number[]> = { en: [], other: [] };
  const retrieval: Record<string, number[]> = { en: [], other: [] };
  const answer: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const question of questions) {
      const group = question.language === "en" ? "en" : "other";
      expansion[group]!.push(await time(() => expandQuery(question.question, question.language)));
      retrieval[group]!.push(await time(() => search(question)));
      answer.push(await time(() => knowledgeReply(question.question, matches.get(question.id)!, question.language as never, { queryLanguage: question.language })));
    }
  }
  return {
    "expandQuery, en": summarize(expansion.en!),
    "expandQuery, fr/de/es": summarize(expansion.other!),
    "searchKnowledge, en": summarize(retrieval.en!),
    "searchKnowledge, fr/de/es": summarize(retrieval.other!),
    knowledgeReply: summarize(answer),
  };
}

async function main() {
  const { writeFileSync } = await import("node:fs");
  const flag = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  const { knowledgeReply, selectAnswer } = await import("~/modules/assistant/responder/knowledge-answer");
  const answer: AnswerFn = (question, matches, language) => knowledgeReply(question, matches, language as never, { queryLanguage: language })?.text;
  const replay = flag("--replay");
  let search: SearchFn;
  let done = async () => {};
  if (replay) {
    const recorded = JSON.parse(readFileSync(replay, "utf8")) as Record<AnswerSetPart, { id: string; matches: KnowledgeMatch[] }[]>;
    const byId = new Map(Object.values(recorded).flatMap((list) => list.map((entry) => [entry.id, entry.matches] as const)));
    search = async (question) => byId.get(question.id) ?? [];
  } else {
    const { randomUUID } = await import("node:crypto");
    const { prepareDatabase } = await import("~/lib/db/prepare.server");
    await prepareDatabase({ migrate: true });
    const { default: prisma } = await import("~/db.server");
    const { searchKnowledge } = await import("~/modules/knowledge");
    const shop = await prisma.shop.create({ data: { domain: `answers-${randomUUID().slice(0, 8)}.myshopify.com`, name: "Answers bench", settings: { create: {} } } });
    done = async () => {
      await prisma.shop.delete({ where: { id: shop.id } });
      await prisma.$disconnect();
    };
    await seedDemoKnowledge(prisma, shop.id);
    search = (question) => searchKnowledge({ shopId: shop.id, query: question.question, queryLanguage: question.language, limit: Number(flag("--limit") ?? 8) });
  }
  try {
    const out: Record<string, unknown> = {};
    const dumped: Record<string, unknown> = {};
    for (const part of ["dev", "holdout"] as const) {
      const results = await runAnswerSet(loadAnswerSet(part), search, answer);
      out[part] = scoreByLanguage(results);
      dumped[part] = results.map(({ question, matches }) => ({ id: question.id, matches }));
      if (part === "dev" && process.argv.includes("--calibrate")) {
        const rows = results.map(({ question, matches }) => {
          const selection = selectAnswer(question.question, matches, { queryLanguage: question.language });
          return { question, relevance: selection?.relevance ?? 0, reply: selection?.units.map((unit) => unit.text).join(" ") };
        });
        const { best, curve } = calibrateThreshold(rows);
        out.calibration = { best, around: curve.filter((point) => Math.abs(point.threshold - best.threshold) <= 0.12) };
      }
      if (process.argv.includes("--verbose")) {
        for (const result of results.filter((r) => r.verdict !== "correct" && (r.question.answerable || r.verdict === "wrong"))) {
          console.error(`${part} ${result.verdict} [${result.question.language}] ${result.question.question}\n   → ${result.reply?.replace(/\s+/g, " ").slice(0, 240)}`);
        }
      }
    }
    if (process.argv.includes("--latency")) out.latency = await latency(search);
    const dump = flag("--dump");
    if (dump) writeFileSync(dump, JSON.stringify(dumped));
    console.log(JSON.stringify(out, null, 2));
  } finally {
    await done();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
