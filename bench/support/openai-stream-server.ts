import { fork } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

/**
 * An OpenAI-compatible Chat Completions server (`POST /v1/chat/completions`, `stream: true`) with a fixed
 * pace, for measuring what the app adds around a model: each response's first token goes out
 * `firstTokenMs` after the request arrived, then one token every `tokenIntervalMs`, on an absolute schedule
 * (a late timer does not push the following tokens back).
 *
 * It answers like a well-behaved model, from what the request contains, so the app's guardrails pass and
 * the whole pipeline runs: a question about an order number calls `lookup_order`; a tool result is
 * summarised with its own figures (order name, status, carrier, tracking number, total); anything else is
 * answered from the first reference passage in the system prompt, cited as [1].
 *
 * It runs in a child process of its own, as a model runs on its own machine: in the app's process its request
 * parsing, token writes and garbage were counted as time the app adds. Times are read from the machine's
 * monotonic clock (monotonicMs), the same in both processes.
 */

/** Milliseconds on the monotonic clock every process of the machine shares (CLOCK_MONOTONIC). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export interface PacedRound {
  /** monotonicMs() when the request body had arrived. */
  receivedAt: number;
  kind: "text" | "tool_calls";
  tokens: number;
  /** The server's own time for this response by its schedule: first token + (tokens − 1) intervals. */
  scheduledMs: number;
  /** monotonicMs() when the first and the last token were written. */
  firstTokenAt: number;
  lastTokenAt: number;
  /** How far behind its schedule the server wrote tokens (event-loop or CPU contention), max over tokens. */
  maxLateMs: number;
}

export interface PacedOpenAIServer {
  baseURL: string;
  firstTokenMs: number;
  tokenIntervalMs: number;
  /** Every completed response, in order of completion. */
  rounds: PacedRound[];
  /** Resolves once every request that has arrived has been answered and reported. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

interface RequestBody {
  model: string;
  stream?: boolean;
  tools?: unknown[];
  messages: { role: string; content?: string | null }[];
}

const ORDER_NUMBER = /(?:#\s?|\border\s+)(\d{3,})/i;

/** Roughly how GPT tokenizers cut English: a word with its leading space, long words in pieces of ≤ 6 characters. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const word of text.match(/\s*\S+/g) ?? []) {
    if (word.trim().length <= 8) {
      tokens.push(word);
      continue;
    }
    const lead = word.length - word.trimStart().length;
    const core = word.slice(lead);
    for (let start = 0; start < core.length; start += 6) tokens.push((start === 0 ? word.slice(0, lead) : "") + core.slice(start, start + 6));
  }
  return tokens;
}

function firstPassageSentences(system: string): string | undefined {
  const block = system.split("Reference passages:\n```\n")[1]?.split("\n```")[0];
  if (!block || block.startsWith("(none found)")) return undefined;
  const first = block.split(/\n\n(?=\[\d+\] )/)[0]!;
  const content = first
    .split("\n")
    .slice(1)
    .filter((line) => !line.startsWith("#"))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
  const sentences = content.match(/[^.!?]+[.!?]+(\s|$)/g) ?? [content];
  return sentences.slice(0, 2).join("").trim() || undefined;
}

function summariseToolResult(content: string): string {
  try {
    const view = JSON.parse(content) as {
      name?: string;
      fulfillmentStatus?: string;
      total?: string;
      currency?: string;
      shipments?: { carrier: string | null; trackingNumber: string | null }[];
      error?: string;
    };
    if (!view.name) return "I couldn't look that order up with the details I have. Could you check the order number and the email used at checkout?";
    const shipment = view.shipments?.find((candidate) => candidate.trackingNumber);
    const shipped = shipment ? ` It shipped with ${shipment.carrier ?? "the carrier"}, tracking number ${shipment.trackingNumber}.` : " It has not shipped yet.";
    return `Your order ${view.name} is ${view.fulfillmentStatus ?? "being processed"}.${shipped} The total was ${view.total} ${view.currency}. Is there anything else I can help with?`;
  } catch {
    return "Sorry, I couldn't read that order's details just now.";
  }
}

/** What a sensible model would do with this request. */
function plan(body: RequestBody): { kind: "text"; text: string } | { kind: "tool_calls"; name: string; arguments: string } {
  const last = body.messages.at(-1);
  if (last?.role === "tool") return { kind: "text", text: summariseToolResult(String(last.content ?? "")) };
  const question = String(last?.content ?? "");
  const orderNumber = question.match(ORDER_NUMBER)?.[1];
  if (orderNumber && body.tools?.length) return { kind: "tool_calls", name: "lookup_order", arguments: JSON.stringify({ order_number: `#${orderNumber}` }) };
  const passage = firstPassageSentences(String(body.messages[0]?.content ?? ""));
  if (!passage) return { kind: "text", text: "Hello! I can help with orders, returns, shipping and our products. What can I do for you today?" };
  return { kind: "text", text: `Here is what our help centre says: ${passage} [1] Let me know if you have any other questions.` };
}

async function readBody(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const sleepUntil = (at: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - monotonicMs())));

interface PaceOptions {
  firstTokenMs: number;
  tokenIntervalMs: number;
}

/** The server itself, in this process: reports each request's arrival and each completed round. */
async function servePaced(options: PaceOptions, report: { received(): void; round(round: PacedRound): void }) {
  const { firstTokenMs, tokenIntervalMs } = options;
  let completions = 0;

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const raw = await readBody(request);
    const receivedAt = monotonicMs();
    if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: `Unknown request URL: ${request.method} ${request.url}`, type: "invalid_request_error" } }));
      return;
    }
    const body = JSON.parse(raw) as RequestBody;
    if (!body.stream) throw new Error("the paced server only streams");
    report.received();
    const id = `chatcmpl-paced-${++completions}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], usage: null })}\n\n`;

    const planned = plan(body);
    // Each delta is one token's worth: content tokens, or a tool call's opening and its argument pieces.
    const deltas: Record<string, unknown>[] =
      planned.kind === "text"
        ? tokenize(planned.text).map((content, index) => (index === 0 ? { role: "assistant", content } : { content }))
        : [
            { role: "assistant", content: null, tool_calls: [{ index: 0, id: `call_${completions}`, type: "function", function: { name: planned.name, arguments: "" } }] },
            ...(planned.arguments.match(/.{1,8}/g) ?? []).map((piece) => ({ tool_calls: [{ index: 0, function: { arguments: piece } }] })),
          ];

    let maxLateMs = 0;
    let firstTokenAt = 0;
    let lastTokenAt = 0;
    for (const [index, delta] of deltas.entries()) {
      const due = receivedAt + firstTokenMs + index * tokenIntervalMs;
      await sleepUntil(due);
      const now = monotonicMs();
      maxLateMs = Math.max(maxLateMs, now - due);
      if (index === 0) {
        response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "x-request-id": `req_${id}` });
        firstTokenAt = now;
      }
      response.write(chunk(delta));
      lastTokenAt = now;
    }
    response.write(chunk({}, planned.kind === "tool_calls" ? "tool_calls" : "stop"));
    response.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage: { prompt_tokens: 500, completion_tokens: deltas.length, total_tokens: 500 + deltas.length } })}\n\n`);
    response.end("data: [DONE]\n\n");
    report.round({ receivedAt, kind: planned.kind, tokens: deltas.length, scheduledMs: firstTokenMs + (deltas.length - 1) * tokenIntervalMs, firstTokenAt, lastTokenAt, maxLateMs });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else {
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: `paced server failed: ${String(error)}`, type: "server_error" } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

type ChildMessage = { type: "listening"; port: number } | { type: "received" } | { type: "round"; round: PacedRound };

/** Starts the paced server in a child process (this file, run with --paced-server). */
export async function startPacedOpenAIServer(options: PaceOptions): Promise<PacedOpenAIServer> {
  const child = fork(fileURLToPath(import.meta.url), ["--paced-server", JSON.stringify(options)], { execArgv: ["--import", "tsx/esm"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const rounds: PacedRound[] = [];
  let received = 0;
  let waiting: (() => void)[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the paced server exited (${code}) before listening`)));
    child.on("message", (message: ChildMessage) => {
      if (message.type === "listening") resolve(message.port);
      else if (message.type === "received") received++;
      else {
        rounds.push(message.round);
        if (rounds.length === received) for (const settle of waiting.splice(0)) settle();
      }
    });
  });
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    firstTokenMs: options.firstTokenMs,
    tokenIntervalMs: options.tokenIntervalMs,
    rounds,
    // A request's arrival is reported before its first token, so a turn that has its reply has every arrival counted.
    settled: () => (rounds.length === received ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        waiting = [];
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}

if (process.argv[2] === "--paced-server") {
  const send = (message: ChildMessage) => process.send?.(message);
  const server = await servePaced(JSON.parse(process.argv[3]!) as PaceOptions, { received: () => send({ type: "received" }), round: (round) => send({ type: "round", round }) });
  send({ type: "listening", port: (server.address() as AddressInfo).port });
  process.on("disconnect", () => process.exit(0));
}
