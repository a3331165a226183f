import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";

/**
 * A stand-in for OpenAI's Chat Completions endpoint (`POST /v1/chat/completions`), scripted per test.
 * Each request takes the next scripted response from a queue and is answered in the wire format
 * OpenAI uses: a `chat.completion` JSON object, or with `stream: true` server-sent
 * `chat.completion.chunk` events ending in `data: [DONE]`. Streamed tool calls are split the way
 * OpenAI splits them: a first fragment with index, id, type and name and empty arguments, then
 * argument fragments carrying only the index. Every request's headers and parsed body are recorded.
 *
 * It also answers `POST /v1/embeddings` (unscripted: hashed bag-of-words vectors, so similar texts land
 * near each other), because OPENAI_API_KEY switches the app's embedder too: a test that configures the app
 * the way a merchant does needs both endpoints at one base URL.
 */

export interface ScriptedToolCall {
  id: string;
  name: string;
  arguments: string;
  /** How many fragments the streamed arguments are split into (default 3). */
  pieces?: number;
}

export type ScriptedResponse =
  | {
      type: "text";
      text: string;
      /** How many content deltas the streamed text is split into (default 3). */
      pieces?: number;
      /** The exact content deltas to stream (their concatenation is `text`); overrides `pieces`. */
      deltas?: string[];
      /** The model to report (default: the requested one with a snapshot date appended). */
      model?: string;
      /** Streaming pauses after the first delta until this settles: proves the client reads as it arrives. */
      gate?: Promise<unknown>;
    }
  | { type: "tool_calls"; calls: ScriptedToolCall[]; /** Text the model writes before calling. */ text?: string }
  | { type: "error"; status: number; message: string; errorType?: string; code?: string | null; retryAfterMs?: number }
  /** A stream whose second event is cut off mid-JSON. */
  | { type: "malformed_stream" }
  /** A stream that sends `text` and then closes without a finish reason or `[DONE]`. */
  | { type: "truncated_stream"; text: string }
  /** A stream that stops sending (connection left open) before response headers, or after `afterText`. */
  | { type: "hang"; afterText?: string };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: ChatCompletionCreateParams;
}

export interface RecordedEmbeddingRequest {
  headers: IncomingHttpHeaders;
  body: { model: string; input: string | string[]; dimensions?: number; encoding_format?: string };
}

export interface OpenAIChatServer {
  /** Pass as the SDK's `baseURL`. */
  baseURL: string;
  /** Chat completion requests, in order. */
  requests: RecordedRequest[];
  embeddingRequests: RecordedEmbeddingRequest[];
  enqueue(...responses: ScriptedResponse[]): void;
  /** Scripted responses not yet used. */
  pending(): number;
  /** Forgets recorded requests and unused scripts. */
  reset(): void;
  close(): Promise<void>;
}

const SNAPSHOT_SUFFIX = "-2024-07-18";

/** Splits text into `pieces` non-empty parts (fewer if the text is shorter), never inside a code point. */
export function splitText(text: string, pieces: number): string[] {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / pieces));
  const parts: string[] = [];
  for (let start = 0; start < chars.length; start += size) parts.push(chars.slice(start, start + size).join(""));
  return parts;
}

const EMBEDDING_DIMENSIONS = 1536;

/** Words hashed into buckets, L2-normalised: texts sharing words get a high cosine similarity. */
export function standInEmbedding(text: string, dimensions = EMBEDDING_DIMENSIONS): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let hash = 2166136261;
    for (const char of word) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619);
    vector[(hash >>> 0) % dimensions]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

function answerEmbeddings(raw: string, request: IncomingMessage, response: ServerResponse, recorded: RecordedEmbeddingRequest[]) {
  let body: RecordedEmbeddingRequest["body"];
  try {
    body = JSON.parse(raw) as RecordedEmbeddingRequest["body"];
  } catch {
    sendError(response, 400, "We could not parse the JSON body of your request.");
    return;
  }
  recorded.push({ headers: request.headers, body });
  const inputs = typeof body.input === "string" ? [body.input] : body.input;
  const data = inputs.map((text, index) => {
    const vector = standInEmbedding(text, body.dimensions ?? EMBEDDING_DIMENSIONS);
    // The SDK asks for base64 unless told otherwise, and decodes it back to floats.
    const embedding = body.encoding_format === "base64" ? Buffer.from(vector.buffer).toString("base64") : Array.from(vector);
    return { object: "embedding", index, embedding };
  });
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify({ object: "list", data, model: body.model, usage: { prompt_tokens: inputs.length, total_tokens: inputs.length } }));
}

async function readBody(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendError(response: ServerResponse, status: number, message: string, extra: { type?: string; code?: string | null; retryAfterMs?: number } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": `req_${status}` };
  if (extra.retryAfterMs !== undefined) headers["retry-after-ms"] = String(extra.retryAfterMs);
  response.writeHead(status, headers);
  response.end(JSON.stringify({ error: { message, type: extra.type ?? "invalid_request_error", param: null, code: extra.code ?? null } }));
}

export async function startOpenAIChatServer(): Promise<OpenAIChatServer> {
  const queue: ScriptedResponse[] = [];
  const requests: RecordedRequest[] = [];
  const embeddingRequests: RecordedEmbeddingRequest[] = [];
  let completions = 0;

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const raw = await readBody(request);
    if (request.method === "POST" && request.url === "/v1/embeddings") {
      answerEmbeddings(raw, request, response, embeddingRequests);
      return;
    }
    if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
      sendError(response, 404, `Unknown request URL: ${request.method} ${request.url}`);
      return;
    }
    let body: ChatCompletionCreateParams;
    try {
      body = JSON.parse(raw) as ChatCompletionCreateParams;
    } catch {
      sendError(response, 400, "We could not parse the JSON body of your request.");
      return;
    }
    requests.push({ method: request.method, path: request.url, headers: request.headers, body });
    const script = queue.shift();
    if (!script) {
      // Not retryable, so a test that under-scripts fails fast with this message.
      sendError(response, 400, "stand-in: no scripted response left");
      return;
    }
    if (script.type === "error") {
      sendError(response, script.status, script.message, { type: script.errorType, code: script.code, retryAfterMs: script.retryAfterMs });
      return;
    }
    if (script.type === "hang" && script.afterText === undefined) return; // never answers

    const id = `chatcmpl-${++completions}`;
    const created = Math.floor(Date.now() / 1000);
    const model = (script.type === "text" && script.model) || `${body.model}${SNAPSHOT_SUFFIX}`;
    const usage = { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 };

    if (!body.stream) {
      if (script.type !== "text" && script.type !== "tool_calls") {
        sendError(response, 500, `stand-in: ${script.type} needs stream: true`);
        return;
      }
      const toolCalls =
        script.type === "tool_calls"
          ? script.calls.map((call) => ({ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } }))
          : undefined;
      response.writeHead(200, { "content-type": "application/json", "x-request-id": `req_${id}` });
      response.end(
        JSON.stringify({
          id,
          object: "chat.completion",
          created,
          model,
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: script.text ?? null, refusal: null, annotations: [], ...(toolCalls && { tool_calls: toolCalls }) },
              logprobs: null,
              finish_reason: toolCalls ? "tool_calls" : "stop",
            },
          ],
          usage,
          service_tier: "default",
          system_fingerprint: "fp_standin",
        }),
      );
      return;
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const event = (delta: Record<string, unknown>, finishReason: string | null = null) =>
      `data: ${JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        service_tier: "default",
        system_fingerprint: "fp_standin",
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        ...(includeUsage && { usage: null }),
      })}\n\n`;
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "x-request-id": `req_${id}` });

    if (script.type === "hang") {
      response.write(event({ role: "assistant", content: "", refusal: null }));
      response.write(event({ content: script.afterText }));
      return; // and never finishes
    }
    if (script.type === "truncated_stream") {
      response.write(event({ role: "assistant", content: "", refusal: null }));
      response.end(event({ content: script.text }));
      return;
    }
    if (script.type === "malformed_stream") {
      response.write(event({ role: "assistant", content: "", refusal: null }));
      response.end(`data: {"id":"${id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel\n\n`);
      return;
    }

    const deltas: Record<string, unknown>[] = [{ role: "assistant", content: "", refusal: null }];
    if (script.type === "text") {
      deltas.push(...(script.deltas ?? splitText(script.text, script.pieces ?? 3)).map((content) => ({ content })));
    } else {
      if (script.text) deltas.push(...splitText(script.text, 3).map((content) => ({ content })));
      for (const [index, call] of script.calls.entries()) {
        const opening = { tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }] };
        // A reply that only calls tools opens with content null and the first call in the role chunk.
        if (index === 0 && !script.text) Object.assign(deltas[0]!, { content: null }, opening);
        else deltas.push(opening);
        for (const fragment of splitText(call.arguments, call.pieces ?? 3)) {
          deltas.push({ tool_calls: [{ index, function: { arguments: fragment } }] });
        }
      }
    }
    for (const [position, delta] of deltas.entries()) {
      response.write(event(delta));
      if (position === 1 && script.type === "text" && script.gate) await script.gate;
    }
    response.write(event({}, script.type === "tool_calls" ? "tool_calls" : "stop"));
    if (includeUsage) {
      response.write(
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, service_tier: "default", system_fingerprint: "fp_standin", choices: [], usage })}\n\n`,
      );
    }
    response.end("data: [DONE]\n\n");
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, `stand-in failed: ${String(error)}`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    embeddingRequests,
    enqueue: (...responses) => {
      for (const script of responses) {
        if (script.type === "text" && script.deltas && script.deltas.join("") !== script.text) throw new Error("stand-in: a script's deltas must add up to its text");
      }
      queue.push(...responses);
    },
    pending: () => queue.length,
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      embeddingRequests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hung responses would otherwise keep close() waiting.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
