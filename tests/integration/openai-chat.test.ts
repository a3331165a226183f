import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resolveEnv } from "~/env.server";
import { chatModelFromEnv } from "~/modules/assistant/llm/index.server";
import { createOpenAIChatModel, type OpenAIChatLogEvent, type OpenAIChatModelOptions } from "~/modules/assistant/llm/openai.server";
import { ChatModelError, type GenerateRequest, type ToolCallRequest, type ToolSpec } from "~/modules/assistant/llm/types";
import { type OpenAIChatServer, type ScriptedResponse, startOpenAIChatServer } from "../support/openai-chat-server";

const API_KEY = "sk-test-chat-4b1d9e0c7a2f";

const ORDER_STATUS: ToolSpec = {
  name: "order_status",
  description: "Look up an order by number and the shopper's email.",
  parameters: {
    type: "object",
    properties: { order: { type: "string" }, email: { type: "string" } },
    required: ["order"],
    additionalProperties: false,
  },
};
const SHIPPING_POLICY: ToolSpec = {
  name: "shipping_policy",
  description: "The store's shipping policy for a country.",
  parameters: { type: "object", properties: { country: { type: "string" } }, required: ["country"], additionalProperties: false },
};

let server: OpenAIChatServer;

beforeAll(async () => {
  server = await startOpenAIChatServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());
// Every scripted response must have been asked for: an unused one means the client made fewer calls than expected.
afterEach(() => expect(server.pending()).toBe(0));

function chatModel(overrides: Partial<OpenAIChatModelOptions> = {}) {
  return createOpenAIChatModel({ apiKey: API_KEY, baseURL: server.baseURL, model: "gpt-4o-mini", timeoutMs: 5_000, ...overrides });
}

/** A request whose executor records its calls and answers with `results[name]` (or a default). */
function turn(overrides: Partial<GenerateRequest> = {}, results: Record<string, string> = {}) {
  const deltas: string[] = [];
  const executed: ToolCallRequest[] = [];
  const request: GenerateRequest = {
    system: "You are the store's support assistant.",
    messages: [{ role: "user", content: "Where is my order #1001?" }],
    tools: [ORDER_STATUS, SHIPPING_POLICY],
    executeTool: async (call) => {
      executed.push(call);
      return results[call.name] ?? '{"ok":true}';
    },
    onDelta: (text) => deltas.push(text),
    ...overrides,
  };
  return { request, deltas, executed };
}

async function failureOf(promise: Promise<unknown>): Promise<ChatModelError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ChatModelError);
  return error as ChatModelError;
}

describe("OpenAI chat model: streaming", () => {
  it("streams the answer in order and sends the key, model, messages and tools", async () => {
    const answer = "Your order #1001 shipped yesterday 📦 and should arrive by Friday.";
    server.enqueue({ type: "text", text: answer, pieces: 5 });
    const { request, deltas } = turn({ messages: [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello! How can I help?" },
      { role: "user", content: "Where is my order #1001?" },
    ] });

    const model = chatModel();
    const result = await model.generate(request);

    expect(model.id).toBe("openai:gpt-4o-mini");
    expect(deltas).toHaveLength(5);
    expect(deltas.join("")).toBe(answer);
    expect(result).toEqual({ text: answer, toolCalls: [], model: "gpt-4o-mini-2024-07-18", rounds: 1 });

    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.body).toMatchObject({ model: "gpt-4o-mini", stream: true, tool_choice: "auto" });
    expect(sent.body.messages).toEqual([
      { role: "system", content: "You are the store's support assistant." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello! How can I help?" },
      { role: "user", content: "Where is my order #1001?" },
    ]);
    expect(sent.body.tools).toEqual([
      { type: "function", function: { name: "order_status", description: ORDER_STATUS.description, parameters: ORDER_STATUS.parameters } },
      { type: "function", function: { name: "shipping_policy", description: SHIPPING_POLICY.description, parameters: SHIPPING_POLICY.parameters } },
    ]);
  });

  it("hands each delta over as it arrives, before the stream ends", async () => {
    let release!: () => void;
    // The stand-in holds the rest of the reply until the first delta reached onDelta; a client that
    // buffered the whole stream would stall here and time out.
    server.enqueue({ type: "text", text: "One, two, three.", pieces: 3, gate: new Promise<void>((resolve) => (release = resolve)) });
    const { request, deltas } = turn({
      onDelta: (text) => {
        deltas.push(text);
        release();
      },
    });
    const result = await chatModel({ timeoutMs: 2_000 }).generate(request);
    expect(result.text).toBe("One, two, three.");
    expect(deltas).toHaveLength(3);
  });

  it("omits tools and tool_choice when the turn has no tools", async () => {
    server.enqueue({ type: "text", text: "Hello!" });
    const { request } = turn({ tools: [] });
    await chatModel({ temperature: 0.2 }).generate(request);
    const body = server.requests[0]!.body;
    expect(body).not.toHaveProperty("tools");
    expect(body).not.toHaveProperty("tool_choice");
    expect(body.temperature).toBe(0.2);
  });
});

describe("OpenAI chat model: tool loop", () => {
  it("runs a streamed tool call and sends its result back under the call's id", async () => {
    const args = '{"order":"#1001","email":"ana@example.com"}';
    const status = '{"status":"shipped","shippedAt":"2024-05-03"}';
    server.enqueue(
      { type: "tool_calls", calls: [{ id: "call_order_1", name: "order_status", arguments: args, pieces: 4 }] },
      { type: "text", text: "Order #1001 shipped on May 3." },
    );
    const events: OpenAIChatLogEvent[] = [];
    const { request, deltas, executed } = turn({}, { order_status: status });

    const result = await chatModel({ logger: (event) => events.push(event) }).generate(request);

    expect(executed).toEqual([{ id: "call_order_1", name: "order_status", argumentsJson: args }]);
    expect(result).toEqual({
      text: "Order #1001 shipped on May 3.",
      toolCalls: [{ id: "call_order_1", name: "order_status", argumentsJson: args, result: status }],
      model: "gpt-4o-mini-2024-07-18",
      rounds: 2,
    });
    expect(deltas.join("")).toBe(result.text);

    expect(server.requests).toHaveLength(2);
    const second = server.requests[1]!.body;
    expect(second.tool_choice).toBe("auto");
    expect(second.messages.slice(0, 2)).toEqual(server.requests[0]!.body.messages);
    expect(second.messages.slice(2)).toEqual([
      { role: "assistant", content: null, tool_calls: [{ id: "call_order_1", type: "function", function: { name: "order_status", arguments: args } }] },
      { role: "tool", tool_call_id: "call_order_1", content: status },
    ]);

    expect(events.map((event) => event.type)).toEqual(["completion", "completion"]);
    expect(events[0]).toMatchObject({ round: 1, toolChoice: "auto", finishReason: "tool_calls", toolCalls: ["order_status"], usage: { promptTokens: 42, completionTokens: 7 } });
    expect(events[1]).toMatchObject({ round: 2, finishReason: "stop", toolCalls: [] });
    // The log carries no shopper data and no key.
    const logged = JSON.stringify(events);
    expect(logged).not.toContain("ana@example.com");
    expect(logged).not.toContain("shipped on");
    expect(logged).not.toContain(API_KEY);
  });

  it("streams text written before a tool call and keeps it in the reply", async () => {
    server.enqueue(
      { type: "tool_calls", text: "Let me check that order.", calls: [{ id: "call_1", name: "order_status", arguments: '{"order":"#1001"}' }] },
      { type: "text", text: "It shipped on May 3." },
    );
    const { request, deltas } = turn();
    const result = await chatModel().generate(request);
    expect(result.text).toBe("Let me check that order.\n\nIt shipped on May 3.");
    expect(deltas.join("")).toBe(result.text);
    expect(server.requests[1]!.body.messages[2]).toMatchObject({ role: "assistant", content: "Let me check that order." });
  });

  it("runs parallel tool calls in order and answers each under its own id", async () => {
    server.enqueue(
      {
        type: "tool_calls",
        calls: [
          { id: "call_a", name: "order_status", arguments: '{"order":"#1001"}', pieces: 5 },
          { id: "call_b", name: "shipping_policy", arguments: '{"country":"CA"}', pieces: 2 },
        ],
      },
      { type: "text", text: "Shipped; Canada takes 5-7 days." },
    );
    const { request, executed } = turn({}, { order_status: '{"status":"shipped"}', shipping_policy: '{"days":"5-7"}' });
    const result = await chatModel().generate(request);

    expect(executed).toEqual([
      { id: "call_a", name: "order_status", argumentsJson: '{"order":"#1001"}' },
      { id: "call_b", name: "shipping_policy", argumentsJson: '{"country":"CA"}' },
    ]);
    expect(result.toolCalls.map((call) => call.result)).toEqual(['{"status":"shipped"}', '{"days":"5-7"}']);
    expect(server.requests[1]!.body.messages.slice(2)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_a", type: "function", function: { name: "order_status", arguments: '{"order":"#1001"}' } },
          { id: "call_b", type: "function", function: { name: "shipping_policy", arguments: '{"country":"CA"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_a", content: '{"status":"shipped"}' },
      { role: "tool", tool_call_id: "call_b", content: '{"days":"5-7"}' },
    ]);
    expect(result.text).toBe("Shipped; Canada takes 5-7 days.");
  });

  it("passes malformed arguments to the executor raw and returns the model's recovery", async () => {
    const invalid = '{"error":"arguments are not valid JSON"}';
    server.enqueue(
      { type: "tool_calls", calls: [{ id: "call_bad", name: "order_status", arguments: '{"order": "#10', pieces: 3 }] },
      { type: "text", text: "Could you send me the full order number?" },
    );
    const { request, executed } = turn({}, { order_status: invalid });
    const result = await chatModel().generate(request);

    expect(executed).toEqual([{ id: "call_bad", name: "order_status", argumentsJson: '{"order": "#10' }]);
    expect(server.requests[1]!.body.messages.at(-1)).toEqual({ role: "tool", tool_call_id: "call_bad", content: invalid });
    expect(result.text).toBe("Could you send me the full order number?");
  });

  it("sends reads the pipeline already made as the model's own calls, after the shopper's message, and reports them", async () => {
    server.enqueue({ type: "text", text: "Order #1001 shipped on May 3." });
    const status = '{"status":"shipped","shippedAt":"2024-05-03"}';
    const prior = { id: "call_lookup_1", name: "order_status", argumentsJson: '{"order":"#1001"}', result: status };
    const { request, executed } = turn();
    const result = await chatModel().generate({ ...request, toolResults: [prior] });

    expect(executed).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body.messages.slice(-3)).toEqual([
      { role: "user", content: request.messages.at(-1)!.content },
      { role: "assistant", content: null, tool_calls: [{ id: "call_lookup_1", type: "function", function: { name: "order_status", arguments: '{"order":"#1001"}' } }] },
      { role: "tool", tool_call_id: "call_lookup_1", content: status },
    ]);
    expect(result).toMatchObject({ text: "Order #1001 shipped on May 3.", toolCalls: [prior], rounds: 1 });
  });

  it("answers a call to a tool it was not given with an error, without running it", async () => {
    server.enqueue(
      { type: "tool_calls", calls: [{ id: "call_x", name: "refund_everything", arguments: '{"order":"#1001"}' }] },
      { type: "text", text: "I can't issue refunds, but I can check your order." },
    );
    const events: OpenAIChatLogEvent[] = [];
    const { request, executed } = turn();
    const result = await chatModel({ logger: (event) => events.push(event) }).generate(request);

    expect(executed).toEqual([]);
    const error = '{"error":"unknown tool refund_everything"}';
    expect(server.requests[1]!.body.messages.at(-1)).toEqual({ role: "tool", tool_call_id: "call_x", content: error });
    expect(result.toolCalls).toEqual([{ id: "call_x", name: "refund_everything", argumentsJson: '{"order":"#1001"}', result: error }]);
    expect(events).toContainEqual({ type: "unknown_tool", round: 1, name: "refund_everything" });
  });

  it("after maxToolRounds makes one last call with tool_choice none and returns its text", async () => {
    const call = { id: "call_loop", name: "order_status", arguments: '{"order":"#1001"}' };
    server.enqueue(
      { type: "tool_calls", calls: [call] },
      { type: "tool_calls", calls: [{ ...call, id: "call_loop_2" }] },
      { type: "text", text: "I couldn't find more details, sorry." },
    );
    const { request, executed } = turn({ maxToolRounds: 2 });
    const result = await chatModel().generate(request);

    expect(server.requests.map((sent) => sent.body.tool_choice)).toEqual(["auto", "auto", "none"]);
    expect(executed.map((sent) => sent.id)).toEqual(["call_loop", "call_loop_2"]);
    expect(result).toMatchObject({ text: "I couldn't find more details, sorry.", rounds: 3 });
    expect(result.toolCalls).toHaveLength(2);
  });

  it("ignores tool calls the model makes on the tool_choice none call", async () => {
    server.enqueue({ type: "tool_calls", text: "Here is what I know.", calls: [{ id: "call_late", name: "order_status", arguments: "{}" }] });
    const { request, executed } = turn({ maxToolRounds: 0 });
    const result = await chatModel().generate(request);
    expect(server.requests.map((sent) => sent.body.tool_choice)).toEqual(["none"]);
    expect(executed).toEqual([]);
    expect(result).toMatchObject({ text: "Here is what I know.", toolCalls: [], rounds: 1 });
  });
});

describe("OpenAI chat model: failures", () => {
  it("retries a 429 after the server's retry-after-ms and then succeeds", async () => {
    server.enqueue(
      { type: "error", status: 429, message: "Rate limit reached for gpt-4o-mini", errorType: "requests", code: "rate_limit_exceeded", retryAfterMs: 20 },
      { type: "text", text: "Hello!" },
    );
    const result = await chatModel().generate(turn().request);
    expect(result.text).toBe("Hello!");
    expect(server.requests).toHaveLength(2);
  });

  it("retries two 500s and then succeeds", async () => {
    const failure = { type: "error", status: 500, message: "The server had an error", errorType: "server_error", retryAfterMs: 10 } as const;
    server.enqueue(failure, failure, { type: "text", text: "Hello!" });
    const result = await chatModel({ maxRetries: 2 }).generate(turn().request);
    expect(result.text).toBe("Hello!");
    expect(server.requests).toHaveLength(3);
  });

  it("gives up on a persistent 500 with kind server_error", async () => {
    const failure = { type: "error", status: 500, message: "The server had an error", errorType: "server_error", retryAfterMs: 10 } as const;
    server.enqueue(failure, failure, failure);
    const error = await failureOf(chatModel({ maxRetries: 2 }).generate(turn().request));
    expect(error).toMatchObject({ kind: "server_error", status: 500 });
    expect(server.requests).toHaveLength(3);
  });

  it("gives up on a persistent 429 with kind rate_limited", async () => {
    const failure = { type: "error", status: 429, message: "Rate limit reached", errorType: "requests", code: "rate_limit_exceeded", retryAfterMs: 10 } as const;
    server.enqueue(failure, failure);
    const error = await failureOf(chatModel({ maxRetries: 1 }).generate(turn().request));
    expect(error).toMatchObject({ kind: "rate_limited", status: 429 });
    expect(server.requests).toHaveLength(2);
  });

  it("fails a 401 at once with kind auth, keeping the key out of the error and the log", async () => {
    // Worst case: the server echoes the whole key back in its error message.
    server.enqueue({ type: "error", status: 401, message: `Incorrect API key provided: ${API_KEY}.`, code: "invalid_api_key" });
    const events: OpenAIChatLogEvent[] = [];
    const error = await failureOf(chatModel({ logger: (event) => events.push(event) }).generate(turn().request));

    expect(error).toMatchObject({ kind: "auth", status: 401 });
    expect(error.message).toContain("Incorrect API key provided");
    expect(error.message).not.toContain(API_KEY);
    expect(String(error.cause ?? "")).not.toContain(API_KEY);
    expect(server.requests).toHaveLength(1);
    expect(events).toEqual([expect.objectContaining({ type: "failure", kind: "auth", status: 401 })]);
    expect(JSON.stringify(events)).not.toContain(API_KEY);
  });

  it("times out when the server never answers", async () => {
    server.enqueue({ type: "hang" });
    const error = await failureOf(chatModel({ timeoutMs: 300, maxRetries: 0 }).generate(turn().request));
    expect(error.kind).toBe("timeout");
    expect(error.message).not.toContain(API_KEY);
    expect(server.requests).toHaveLength(1);
  });

  it("times out when the stream stalls after it started", async () => {
    server.enqueue({ type: "hang", afterText: "Let me see" });
    const { request, deltas } = turn();
    const error = await failureOf(chatModel({ timeoutMs: 300, maxRetries: 0 }).generate(request));
    expect(error.kind).toBe("timeout");
    expect(deltas).toEqual(["Let me see"]);
  });

  it("reports a stream with invalid JSON as bad_response", async () => {
    server.enqueue({ type: "malformed_stream" });
    const error = await failureOf(chatModel().generate(turn().request));
    expect(error.kind).toBe("bad_response");
  });

  it("reports a stream that ends before the model finished as bad_response", async () => {
    server.enqueue({ type: "truncated_stream", text: "Your order" });
    const error = await failureOf(chatModel().generate(turn().request));
    expect(error.kind).toBe("bad_response");
  });

  it("reports a streamed tool call without an id as bad_response, without running it", async () => {
    server.enqueue({ type: "tool_calls", calls: [{ id: "", name: "order_status", arguments: '{"order":"#1001"}' }] });
    const { request, executed } = turn();
    const error = await failureOf(chatModel().generate(request));
    expect(error.kind).toBe("bad_response");
    expect(executed).toEqual([]);
  });

  it("reports an empty answer as bad_response", async () => {
    server.enqueue({ type: "text", text: "" });
    const error = await failureOf(chatModel().generate(turn().request));
    expect(error.kind).toBe("bad_response");
  });

  it("stops with kind aborted when the caller aborts mid-stream", async () => {
    server.enqueue({ type: "hang", afterText: "Checking" });
    const controller = new AbortController();
    const { request } = turn({ signal: controller.signal, onDelta: () => controller.abort() });
    // timeoutMs is long so only the abort can end this call.
    const error = await failureOf(chatModel({ timeoutMs: 30_000 }).generate(request));
    expect(error.kind).toBe("aborted");
  });

  it("makes no request when the signal is already aborted", async () => {
    const { request } = turn({ signal: AbortSignal.abort() });
    const error = await failureOf(chatModel().generate(request));
    expect(error.kind).toBe("aborted");
    expect(server.requests).toHaveLength(0);
  });
});

describe("chatModelFromEnv", () => {
  it("builds the OpenAI model from OPENAI_* settings", async () => {
    const model = chatModelFromEnv(resolveEnv({ OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: server.baseURL, OPENAI_CHAT_MODEL: "gpt-4.1-mini" }));
    expect(model?.id).toBe("openai:gpt-4.1-mini");
    server.enqueue({ type: "text", text: "Hello!" });
    const result = await model!.generate(turn().request);
    expect(result.text).toBe("Hello!");
    expect(server.requests[0]!.body.model).toBe("gpt-4.1-mini");
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("returns undefined without an API key", () => {
    expect(chatModelFromEnv(resolveEnv({}))).toBeUndefined();
  });
});

describe("the stand-in server", () => {
  // The SDK's own stream accumulator must rebuild exactly the non-streamed message from the stand-in's
  // chunks; otherwise the tool-call tests above would be testing against a made-up wire format.
  it("streams tool calls that the SDK reassembles into the non-streamed message", async () => {
    const script: ScriptedResponse = {
      type: "tool_calls",
      text: "Checking both.",
      calls: [
        { id: "call_a", name: "order_status", arguments: '{"order":"#1001","email":"ana@example.com"}', pieces: 6 },
        { id: "call_b", name: "shipping_policy", arguments: '{"country":"CA"}' },
      ],
    };
    server.enqueue(script, script);
    const client = new OpenAI({ apiKey: API_KEY, baseURL: server.baseURL, maxRetries: 0 });
    const params = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "Hi" }] };

    const plain = await client.chat.completions.create(params);
    const streamed = await client.chat.completions.stream(params).finalChatCompletion();

    expect(plain.choices[0]!.message.tool_calls).toHaveLength(2);
    expect(streamed.choices[0]!.message.tool_calls).toEqual(plain.choices[0]!.message.tool_calls);
    expect(streamed.choices[0]!.message.content).toBe(plain.choices[0]!.message.content);
    expect(streamed.choices[0]!.finish_reason).toBe("tool_calls");
  });
});
