/**
 * Runs Shopify Theme Check over the theme app extension with the
 * `theme-check:theme-app-extension` config (the same checks `shopify app deploy`
 * applies). Prints `file:line severity check message` per offense (theme-check
 * positions are 0-indexed; lines are printed 1-indexed) and exits 1 when any
 * offense has error severity.
 *
 * Usage: tsx scripts/theme-check.ts [extension-dir]   (default extensions/chat-bubble)
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Offense, Severity, themeCheckRun } from "@shopify/theme-check-node";

const SEVERITY_NAMES: Record<Severity, string> = {
  [Severity.ERROR]: "error",
  [Severity.WARNING]: "warning",
  [Severity.INFO]: "info",
};

function formatOffense(offense: Offense, cwd: string): string {
  const file = offense.uri.startsWith("file:") ? path.relative(cwd, fileURLToPath(offense.uri)) : offense.uri;
  const severity = SEVERITY_NAMES[offense.severity] ?? String(offense.severity);
  return `${file}:${offense.start.line + 1} ${severity} ${offense.check} ${offense.message}`;
}

async function main(): Promise<number> {
  const cwd = process.cwd();
  const root = path.resolve(cwd, process.argv[2] ?? "extensions/chat-bubble");
  const { theme, offenses } = await themeCheckRun(root, "theme-check:theme-app-extension");

  const sorted = [...offenses].sort(
    (a, b) => a.uri.localeCompare(b.uri) || a.start.index - b.start.index || a.severity - b.severity,
  );
  for (const offense of sorted) console.log(formatOffense(offense, cwd));

  const errors = offenses.filter((o) => o.severity === Severity.ERROR).length;
  console.log(
    `theme-check: ${theme.length} files in ${path.relative(cwd, root) || "."}, ` +
      `${offenses.length} offenses (${errors} errors)`,
  );
  return errors > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error("theme-check failed:", error);
    process.exitCode = 1;
  },
);
