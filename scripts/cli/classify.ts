/**
 * `npm run cli -- classify`: the offline NLU on JSON lines from stdin, one result line per input line.
 *
 *   echo '{"text":"where is my order #1042?"}' | npm run cli -- classify
 *
 * Each line is `{"text": "...", ...context}`; the optional context keys are those of analyzeMessage
 * (orderNamePrefix, products, history, shopLanguages). A bad line prints `{"error":"line N: ..."}` and the
 * run goes on; the exit code is 1 when any line failed. No database is needed.
 */
import { createInterface } from "node:readline";
import { z } from "zod";
import { analyzeMessage } from "../../app/modules/assistant/nlu";

const LineSchema = z.object({
  text: z.string(),
  orderNamePrefix: z.string().optional(),
  products: z.array(z.object({ id: z.string(), title: z.string() })).optional(),
  history: z.array(z.string()).optional(),
  shopLanguages: z.array(z.string()).optional(),
});

/** Why a line cannot be classified, or its parsed content. */
function parseLine(line: string): { ok: true; value: z.infer<typeof LineSchema> } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `invalid JSON (${(error as Error).message})` };
  }
  const parsed = LineSchema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, error: `${issue.path.join(".") || "line"}: ${issue.message}` };
}

export async function runClassify(input: NodeJS.ReadableStream = process.stdin, write: (line: string) => void = (line) => console.log(line)): Promise<number> {
  let failed = 0;
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber++;
    if (line.trim() === "") continue;
    const parsed = parseLine(line);
    if (!parsed.ok) {
      failed++;
      write(JSON.stringify({ error: `line ${lineNumber}: ${parsed.error}` }));
      continue;
    }
    const { text, ...context } = parsed.value;
    const result = analyzeMessage(text, context);
    write(JSON.stringify({ intent: result.intent, confidence: result.confidence, language: result.language, entities: result.entities, sentiment: result.sentiment }));
  }
  return failed > 0 ? 1 : 0;
}
