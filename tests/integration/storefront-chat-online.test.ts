import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_SECRET, resetEnvForTests } from "~/env.server";
import { TOOL_SPECS } from "~/modules/assistant/tools/registry.server";
import { appProxyQuery } from "~/modules/demo";
import type { ConversationSnapshot, StreamEvent } from "~/modules/storefront";
import { action as startAction } from "~/routes/proxy.conversations";
import { action as messageAction } from "~/routes/proxy.messages";
import { type AssistantFixture, createAssistantFixture, deleteAssistantFixture } from "../support/assistant-fixtures";
import { type OpenAIChatServer, startOpenAIChatServer } from "../support/openai-chat-server";

/**
 * The online model as a merchant turns it on: OPENAI_API_KEY and OPENAI_BASE_URL in the environment, nothing
 * passed by the caller. The shopper's message goes through the storefront chat API (signed as Shopify's app
 * proxy signs it) and the CLI; the model is a local server speaking OpenAI's wire format, which also answers
 * the embedding requests the same key switches on. Nothing here hands a chat model to the pipeline, so these
 * tests fail if a reply path stops picking the configured model up.
 */
const API_KEY = "sk-storefront-online-test";
const CHAT_MODEL = "gpt-4.1-mini";
const APP_URL = "http://localhost:3000";
const QUESTION = "How long does standard delivery take?";
type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;

const OPENAI_VARIABLES = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_CHAT_MODEL"] as const;
const savedEnv = Object.fromEntries(OPENAI_VARIABLES.map((name) => [name, process.env[name]]));

function configureOpenAI(baseURL: string) {
  process.env.OPENAI_API_KEY = API_KEY;
  process.env.OPENAI_BASE_URL = baseURL;
  process.env.OPENAI_CHAT_MODEL = CHAT_MODEL;
  resetEnvForTests();
}

let ipCounter = 0;

describe("storefront chat with OPENAI_API_KEY set", () => {
  let server: OpenAIChatServer;
  let fx: AssistantFixture;
  beforeAll(async () => {
    server = await startOpenAIChatServer();
    configureOpenAI(server.baseURL);
    // Indexed with the configured (OpenAI-compatible) embedder, as a merchant's shop would be.
    fx = await createAssistantFixture();
  });
  afterAll(async () => {
    for (const name of OPENAI_VARIABLES) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    resetEnvForTests();
    await deleteAssistantFixture(fx);
    await server.close();
  });

  function signed(path: string, body: unknown, token?: string) {
    const query = appProxyQuery({ search: new URLSearchParams(), shopDomain: fx.domain, apiSecret: DEV_SHOPIFY_API_SECRET, loggedInCustomerId: null });
    const headers = new Headers({ "x-forwarded-for": `198.51.100.${++ipCounter % 250}`, "content-type": "application/json" });
    if (token) headers.set("X-Shopdesk-Conversation", token);
    return new Request(`${APP_URL}/proxy/${path}?${query.toString()}`, { method: "POST", headers, body: JSON.stringify(body) });
  }
  const call = (handler: unknown, request: Request) => (handler as Handler)({ request, params: {}, context: {} });

  async function start() {
    const response = await call(startAction, signed("conversations", { locale: "en" }));
    expect(response.status).toBe(200);
    return (await response.json()) as ConversationSnapshot;
  }

  /** Reads the SSE body frame by frame; `onEvent` sees each event as it arrives. */
  async function readEvents(response: Response, onEvent: (event: StreamEvent) => void = () => {}): Promise<StreamEvent[]> {
    const events: StreamEvent[] = [];
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split("\n").find((line) => line.startsWith("data: "));
        if (frame.startsWith("event:") && data) {
          const event = JSON.parse(data.slice(6)) as StreamEvent;
          events.push(event);
          onEvent(event);
        }
        end = buffer.indexOf("\n\n");
      }
    }
    return events;
  }

  const deltaText = (events: StreamEvent[]) => events.map((event) => (event.type === "delta" ? event.text : "")).join("");
  const doneOf = (events: StreamEvent[]) => {
    const done = events.at(-1);
    if (done?.type !== "done" || !done.message) throw new Error(`the stream did not end with a reply: ${JSON.stringify(done)}`);
    return done.message;
  };

  it("streams the model's reply to the shopper as the model writes it, grounded in the shop's prompt and tools", async () => {
    server.reset();
    let finishModel!: () => void;
    const modelFinishes = new Promise<void>((resolve) => {
      finishModel = resolve;
    });
    const answer = "Standard delivery takes 3 to 5 business days within the US [1]. Orders over $75 ship free.";
    server.enqueue({ type: "text", text: answer, deltas: ["Standard delivery takes 3 to 5 business days within the US [1]. ", "Orders over $75 ", "ship free."], gate: modelFinishes });
    const { token } = await start();

    const response = await call(messageAction, signed("messages", { text: QUESTION }, token));
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    // The model holds the rest of its answer until the shopper has seen the start of it (or 5 s have passed:
    // an app that buffers the whole reply would otherwise wait for the SDK's stall timeout).
    let firstDelta: string | undefined;
    let modelReleased = false;
    const heldTooLong = setTimeout(() => {
      modelReleased = true;
      finishModel();
    }, 5_000);
    let firstDeltaWhileModelWriting = false;
    const events = await readEvents(response, (event) => {
      if (event.type !== "delta" || firstDelta !== undefined) return;
      firstDelta = event.text;
      firstDeltaWhileModelWriting = !modelReleased;
      finishModel();
    });
    clearTimeout(heldTooLong);
    finishModel();

    // The shopper saw the model's first words while it was still writing, and in the end exactly what was stored.
    expect(firstDeltaWhileModelWriting).toBe(true);
    expect(firstDelta).toBeTruthy();
    expect(answer.startsWith(firstDelta!)).toBe(true);
    const reply = doneOf(events);
    expect(reply.body).toBe(answer);
    expect(deltaText(events)).toBe(answer);
    expect(events.some((event) => event.type === "reset")).toBe(false);
    expect(reply.citations).toEqual([expect.objectContaining({ title: "Shipping rates and delivery times" })]);
    const stored = await prisma.message.findUniqueOrThrow({ where: { id: reply.id } });
    expect(stored.metadata).toMatchObject({ provider: "openai" });
    expect(stored.metadata).not.toHaveProperty("fallback");

    // The model server got one streamed request with the configured key and model, the shop's system prompt
    // with the retrieved passage, every tool, and the shopper's message last.
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.body).toMatchObject({ model: CHAT_MODEL, stream: true });
    const system = request!.body.messages[0] as { role: string; content: string };
    expect(system.role).toBe("system");
    expect(system.content).toContain('You are Maple, the customer service assistant of the online store "Alder & Pine"');
    expect(system.content).toContain('Never say: "guaranteed delivery"');
    expect(system.content).toContain("[1] Shipping rates and delivery times");
    expect(system.content).toContain("Standard delivery takes 3 to 5 business days within the US.");
    const tools = (request!.body.tools ?? []).map((tool) => (tool as { function: { name: string } }).function.name);
    expect(tools).toEqual(TOOL_SPECS.map((spec) => spec.name));
    expect(tools).toContain("lookup_order");
    expect(request!.body.messages.at(-1)).toEqual({ role: "user", content: QUESTION });
    // The same key switched retrieval to the OpenAI-compatible embedder: the question was embedded there.
    expect(server.embeddingRequests.some((embedding) => JSON.stringify(embedding.body.input).includes(QUESTION))).toBe(true);
  });

  it("answers offline and logs the incident when the model server keeps failing", async () => {
    server.reset();
    // The first try and the SDK's two retries.
    for (let attempt = 0; attempt < 3; attempt++) server.enqueue({ type: "error", status: 500, message: "The server had an error while processing your request." });
    const { token } = await start();
    const events = await readEvents(await call(messageAction, signed("messages", { text: QUESTION }, token)));
    const reply = doneOf(events);

    expect(server.requests).toHaveLength(3);
    expect(reply.body).toContain("3 to 5 business days");
    expect(deltaText(events)).toBe(reply.body);
    expect(events.some((event) => event.type === "reset")).toBe(false);
    const stored = await prisma.message.findUniqueOrThrow({ where: { id: reply.id } });
    expect(stored.metadata).toMatchObject({ provider: "offline", fallback: { kind: "server_error" } });
    const incident = await prisma.actionLog.findFirstOrThrow({ where: { shopId: fx.shopId, action: "assistant.llm_fallback", targetId: reply.id } });
    expect(incident.reason).toMatch(/^server_error: /);
    expect(incident.reason).not.toContain(API_KEY);
  });

  it("answers offline and logs the incident when the model server is down", async () => {
    server.reset();
    const gone = await startOpenAIChatServer();
    await gone.close();
    configureOpenAI(gone.baseURL);
    try {
      const { token } = await start();
      const events = await readEvents(await call(messageAction, signed("messages", { text: QUESTION }, token)));
      const reply = doneOf(events);
      expect(reply.body).toContain("3 to 5 business days");
      const stored = await prisma.message.findUniqueOrThrow({ where: { id: reply.id } });
      expect(stored.metadata).toMatchObject({ provider: "offline", fallback: { kind: "server_error" } });
      const incident = await prisma.actionLog.findFirstOrThrow({ where: { shopId: fx.shopId, action: "assistant.llm_fallback", targetId: reply.id } });
      expect(incident.reason).toMatch(/^server_error: .*connection/i);
      expect(server.requests).toHaveLength(0);
    } finally {
      configureOpenAI(server.baseURL);
    }
  });

  it("npm run cli -- chat uses the configured model too", async () => {
    server.reset();
    const answer = "Standard delivery takes 3 to 5 business days within the US [1].";
    server.enqueue({ type: "text", text: answer, pieces: 4 });
    const child = spawn(process.execPath, ["--import", "tsx/esm", "scripts/cli.ts", "chat", "--shop", fx.domain], { env: process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdin.end(`${QUESTION}\n/quit\n`);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });

    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`Maple (openai:${CHAT_MODEL})`);
    expect(stdout).toContain(`Maple: ${answer}`);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body.messages.at(-1)).toEqual({ role: "user", content: QUESTION });
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { shopId: fx.shopId, messages: { some: { body: answer } } }, include: { messages: true } });
    expect(conversation.messages.find((message) => message.author === "assistant")?.metadata).toMatchObject({ provider: "openai" });
  }, 120_000); // a fresh Node process compiles the app with tsx first
});
