import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

/** `npm run cli -- classify` with `input` on stdin. The database URL points nowhere: classify must not need it. */
function classify(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx/esm", "scripts/cli.ts", "classify"], {
      env: { ...process.env, DATABASE_URL: "postgresql://nobody@127.0.0.1:9/none" },
      timeout: 120_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("npm run cli -- classify", () => {
  it("prints intent, language, entities and sentiment for each JSON line", async () => {
    const input = [
      { text: "where is my order #1042? my email is Jane@Example.com" },
      { text: "où est ma commande ?" },
      { text: "WHERE IS MY REFUND??? this is ridiculous", history: ["where is my refund"] },
      { text: "is the parka waterproof?", products: [{ id: "p1", title: "Summit 700-Fill Down Parka" }] },
      { text: "Gibt es eine Gebühr, wenn ich meine Bestellung storniere?" },
      { text: "eres un inútil, quiero hablar con una persona" },
    ]
      .map((line) => JSON.stringify(line))
      .join("\n");
    const result = await classify(`${input}\n`);
    expect(result.code, result.stderr).toBe(0);
    const [order, french, angry, product, german, abusive] = lines(result.stdout);
    expect(lines(result.stdout)).toHaveLength(6);
    expect(Object.keys(order!).sort()).toEqual(["confidence", "entities", "intent", "language", "sentiment"]);
    expect(order).toMatchObject({ intent: "track_order", language: "en", entities: { orderNumbers: ["#1042"], emails: ["jane@example.com"] } });
    expect(french).toMatchObject({ language: "fr", intent: "track_order" });
    // A policy question in German is not a cancellation; an insult in Spanish is flagged as abusive.
    expect(german).toMatchObject({ language: "de", intent: "check_cancellation_fee" });
    expect(abusive).toMatchObject({ language: "es", intent: "contact_human_agent", sentiment: { abusive: true } });
    expect(order).toMatchObject({ sentiment: { abusive: false } });
    expect((angry!.sentiment as { frustration: number }).frustration).toBeGreaterThan(0.7);
    expect(product).toMatchObject({ intent: "product_question", entities: { products: [{ id: "p1" }] } });
  });

  it("reports a bad line as an error line, goes on, and exits 1", async () => {
    const result = await classify('{"text":"hi"}\nnot json\n\n{"message":"hello"}\n{"text":"cancel my order"}\n');
    expect(result.code).toBe(1);
    const output = lines(result.stdout);
    expect(output).toHaveLength(4);
    expect(output[0]).toMatchObject({ intent: "greeting" });
    expect(output[1]!.error).toMatch(/^line 2: invalid JSON/);
    expect(output[2]!.error).toMatch(/^line 4: text: /);
    expect(output[3]).toMatchObject({ intent: "cancel_order" });
  });
});
