import type { CaseResult } from "./runner";

/** Scores (share of conversations that pass) per split, language, category and shop, and the failures, readable. */

export interface Score {
  passed: number;
  total: number;
  rate: number;
}

export function score(results: CaseResult[]): Score {
  const passed = results.filter((result) => result.passed).length;
  return { passed, total: results.length, rate: results.length ? passed / results.length : 0 };
}

const cell = (results: CaseResult[]) => {
  if (results.length === 0) return "—";
  const { passed, total, rate } = score(results);
  return `${passed}/${total} (${Math.round(rate * 100)}%)`;
};

function table(title: string, keys: string[], rows: CaseResult[], keyOf: (result: CaseResult) => string): string[] {
  const splits = ["dev", "holdout"] as const;
  const lines = [`| ${title} | dev | held-out | all |`, "|---|---|---|---|"];
  for (const key of keys) {
    const mine = rows.filter((result) => keyOf(result) === key);
    lines.push(`| ${key} | ${splits.map((split) => cell(mine.filter((result) => result.split === split))).join(" | ")} | ${cell(mine)} |`);
  }
  return lines;
}

export function renderReport(results: CaseResult[], options: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  const dev = results.filter((result) => result.split === "dev");
  const holdout = results.filter((result) => result.split === "holdout");
  out.push("## Conversation suite", "");
  out.push(`**dev ${cell(dev)} · held-out ${cell(holdout)} · all ${cell(results)}** (a conversation passes when every check of every turn holds)`, "");
  out.push(...table("language", ["en", "fr", "de", "es"], results, (result) => result.locale), "");
  out.push(...table("category", ["knowledge", "routing", "orders", "consent", "dialogue", "privacy", "product"], results, (result) => result.category), "");
  out.push(...table("shop", ["demo", "bergfink"], results, (result) => result.shop), "");

  // Which checks fail most, across all conversations: where to look first.
  const byCheck = new Map<string, number>();
  for (const result of results) {
    for (const label of new Set(result.checks.filter((check) => !check.ok).map((check) => check.label.replace(/^(mentions|mustNotMention) .*/, "$1 …")))) {
      byCheck.set(label, (byCheck.get(label) ?? 0) + 1);
    }
  }
  if (byCheck.size) {
    out.push("| failing check | conversations |", "|---|---|");
    for (const [label, count] of [...byCheck].sort((a, b) => b[1] - a[1])) out.push(`| ${label} | ${count} |`);
    out.push("");
  }

  out.push("### Failing conversations", "");
  for (const result of results.filter((candidate) => !candidate.passed)) {
    out.push(`- **${result.id}** (${result.split}, ${result.locale}, ${result.category}) — ${result.about}`);
    if (result.error) out.push(`  - error: ${result.error}`);
    for (const check of result.checks.filter((candidate) => !candidate.ok)) {
      const said = result.transcript[check.turn - 1]?.say ?? "";
      out.push(`  - turn ${check.turn} "${said.length > 50 ? `${said.slice(0, 47)}...` : said}": ${check.label}${check.detail ? ` — ${check.detail}` : ""}`);
    }
    if (options.verbose) {
      for (const [index, turn] of result.transcript.entries()) {
        out.push(`    > ${index + 1}. shopper: ${turn.say}`);
        out.push(`    >    assistant: ${(turn.reply ?? "(no reply)").replace(/\n+/g, " ⏎ ")}`);
      }
    }
  }
  const passing = results.filter((result) => result.passed).map((result) => result.id);
  out.push("", `### Passing (${passing.length})`, "", passing.length ? passing.join(", ") : "none");
  return out.join("\n");
}
