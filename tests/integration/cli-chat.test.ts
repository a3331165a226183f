import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { type AssistantFixture, createAssistantFixture, deleteAssistantFixture } from "../support/assistant-fixtures";

/** `npm run cli -- chat` with piped input, as a developer tries the assistant on a shop's data. */
function chat(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx/esm", "scripts/cli.ts", "chat", ...args], {
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL, OPENAI_API_KEY: "" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("npm run cli -- chat", () => {
  let fx: AssistantFixture;
  beforeAll(async () => {
    fx = await createAssistantFixture();
  });
  afterAll(() => deleteAssistantFixture(fx));

  it("chats as a logged-in customer: greeting, order status with tracking, knowledge with its source", async () => {
    const { code, stdout, stderr } = await chat(["--shop", fx.domain, "--customer", "alice@example.com"], "where is order #1003?\nhow long does standard delivery take?\n/quit\n");
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("Maple (offline)");
    expect(stdout).toContain("logged in as alice@example.com");
    expect(stdout).toContain("you> where is order #1003?");
    expect(stdout).toContain("1Z999AA10123456786");
    expect(stdout).toMatch(/intent track_order/);
    expect(stdout).toContain("3 to 5 business days");
    expect(stdout).toContain("sources: Shipping rates and delivery times");
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { shopId: fx.shopId, customerId: fx.alice.id }, include: { messages: true } });
    expect(conversation.messages).toHaveLength(4);
  });

  it("ends on quit or exit, typed with or without a slash, without sending it to the assistant", async () => {
    const { code, stdout, stderr } = await chat(["--shop", fx.domain], "how long does standard delivery take?\nexit\nwhere is order #1003?\n");
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("3 to 5 business days");
    expect(stdout).not.toContain("you> exit");
    expect(stdout).not.toContain("#1003");
  });

  it("refuses an unknown shop or customer with a clear message", async () => {
    const shop = await chat(["--shop", "nowhere-1234.myshopify.com"], "");
    expect(shop.code).toBe(1);
    expect(shop.stderr).toContain("no shop nowhere-1234.myshopify.com");
    const customer = await chat(["--shop", fx.domain, "--customer", "nobody@example.com"], "");
    expect(customer.code).toBe(1);
    expect(customer.stderr).toContain("no customer with email nobody@example.com");
  });
});
