import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import type { Stream } from "openai/streaming";
import { type ChatModel, ChatModelError, type GenerateRequest, type GenerateResult, type ToolCallRecord, type ToolCallRequest } from "./types";

/**
 * What the provider reports about each round trip. Carries no message text, tool arguments or tool
 * results (shopper data) and never the API key.
 */
export type OpenAIChatLogEvent =
  | {
      type: "completion";
      round: number;
      /** The model the server reported, e.g. a dated snapshot of the requested one. */
      model: string;
      toolChoice: "auto" | "none";
      finishReason: string;
      toolCalls: string[];
      durationMs: number;
      usage?: { promptTokens: number; completionTokens: number };
    }
  | { type: "unknown_tool"; round: number; name: string }
  | { type: "failure"; round: number; kind: ChatModelError["kind"]; status?: number; message: string };

export interface OpenAIChatModelOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** Longest wait for a response to start, and for each streamed chunk after that (default 20 s). */
  timeoutMs?: number;
  /** SDK retries for 408/409/429/5xx and connection failures, with backoff (default 2). */
  maxRetries?: number;
  temperature?: number;
  logger?: (event: OpenAIChatLogEvent) => void;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_MAX_TOOL_ROUNDS = 4;

interface RoundResult {
  text: string;
  toolCalls: ToolCallRequest[];
  model: string;
  finishReason: string;
  usage?: { promptTokens: number; completionTokens: number };
}

/**
 * A chat model on OpenAI's Chat Completions API (or a compatible server), streamed, with a tool loop.
 *
 * Text the model writes before calling tools ("Let me check that order…") is streamed too, so the
 * result's `text` is everything sent to `onDelta`, with a paragraph break between rounds: what the
 * shopper saw is what gets stored.
 */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: timeoutMs,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
  });
  const log = options.logger ?? (() => {});
  const toError = (error: unknown, signal: AbortSignal | undefined, stalled = false) =>
    toChatModelError(error, options.apiKey, signal, stalled);

  /** The stream's chunks, with SDK failures turned into ChatModelError and a limit on the gap between chunks. */
  async function* chunksOf(stream: Stream<ChatCompletionChunk>, signal: AbortSignal | undefined) {
    // The SDK's timeout stops at the response headers; without this a stalled stream would wait for
    // Node's five-minute body timeout.
    let stalled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        stream.controller.abort();
      }, timeoutMs);
    };
    try {
      arm();
      for await (const chunk of stream) {
        arm();
        yield chunk;
      }
    } catch (error) {
      throw toError(error, signal, stalled);
    } finally {
      clearTimeout(timer);
    }
    // An aborted SDK stream just ends, so an early end has to be explained here.
    if (signal?.aborted || stalled) throw toError(undefined, signal, stalled);
  }

  async function completeRound(
    request: GenerateRequest,
    messages: ChatCompletionMessageParam[],
    tools: ChatCompletionTool[],
    toolChoice: "auto" | "none",
    onText: (text: string) => void,
  ): Promise<RoundResult> {
    let stream: Stream<ChatCompletionChunk>;
    try {
      stream = await client.chat.completions.create(
        {
          model: request.model ?? options.model,
          messages,
          // The API rejects an empty tools list, and tool_choice without tools.
          tools: tools.length > 0 ? tools : undefined,
          tool_choice: tools.length > 0 ? toolChoice : undefined,
          temperature: options.temperature,
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal: request.signal },
      );
    } catch (error) {
      throw toError(error, request.signal);
    }

    let text = "";
    let model = "";
    let finishReason: string | null = null;
    let usage: RoundResult["usage"];
    // Streamed tool calls arrive as fragments keyed by index: id and name first, then the arguments in pieces.
    const calls = new Map<number, ToolCallRequest>();
    for await (const chunk of chunksOf(stream, request.signal)) {
      model ||= chunk.model;
      if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
      // We never ask for n > 1, so only choice 0 exists.
      const choice = chunk.choices.find((candidate) => candidate.index === 0);
      if (!choice) continue;
      if (choice.delta.content) {
        text += choice.delta.content;
        onText(choice.delta.content);
      }
      for (const fragment of choice.delta.tool_calls ?? []) {
        let call = calls.get(fragment.index);
        if (!call) {
          call = { id: "", name: "", argumentsJson: "" };
          calls.set(fragment.index, call);
        }
        if (fragment.id) call.id = fragment.id;
        if (fragment.function?.name) call.name = fragment.function.name;
        if (fragment.function?.arguments) call.argumentsJson += fragment.function.arguments;
      }
      finishReason = choice.finish_reason ?? finishReason;
    }

    if (!finishReason) throw new ChatModelError("OpenAI chat stream ended before the model finished", "bad_response");
    const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
    if (toolCalls.some((call) => !call.id || !call.name)) {
      throw new ChatModelError("OpenAI chat stream sent a tool call without an id or name", "bad_response");
    }
    return { text, toolCalls, model: model || (request.model ?? options.model), finishReason, usage };
  }

  return {
    id: `openai:${options.model}`,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const maxToolRounds = request.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS;
      const knownTools = new Set(request.tools.map((tool) => tool.name));
      const tools: ChatCompletionTool[] = request.tools.map((tool) => ({
        type: "function",
        function: { name: tool.name, description: tool.description, parameters: tool.parameters },
      }));
      const messages: ChatCompletionMessageParam[] = [
        { role: "system", content: request.system },
        ...request.messages.map((message) => ({ role: message.role, content: message.content })),
      ];
      const toolCalls: ToolCallRecord[] = [...(request.toolResults ?? [])];
      if (toolCalls.length > 0) {
        // The wire form of calls the model made itself: its message with the calls, then one tool message each.
        messages.push({
          role: "assistant",
          content: null,
          tool_calls: toolCalls.map((call) => ({ id: call.id, type: "function", function: { name: call.name, arguments: call.argumentsJson } })),
        });
        for (const call of toolCalls) messages.push({ role: "tool", tool_call_id: call.id, content: call.result });
      }
      let reply = "";
      const emit = (text: string) => {
        reply += text;
        request.onDelta?.(text);
      };

      let round = 0;
      let toolRounds = 0;
      try {
        for (;;) {
          round++;
          // Once the tool budget is spent the model must answer with what it has.
          const toolChoice = toolRounds < maxToolRounds ? "auto" : "none";
          let roundText = "";
          const started = Date.now();
          const result = await completeRound(request, messages, tools, toolChoice, (text) => {
            if (!roundText && reply) emit("\n\n");
            roundText += text;
            emit(text);
          });
          log({
            type: "completion",
            round,
            model: result.model,
            toolChoice,
            finishReason: result.finishReason,
            toolCalls: result.toolCalls.map((call) => call.name),
            durationMs: Date.now() - started,
            usage: result.usage,
          });

          if (result.toolCalls.length === 0 || toolChoice === "none") {
            if (!result.text) throw new ChatModelError("OpenAI chat model returned an empty answer", "bad_response");
            return { text: reply, toolCalls, model: result.model, rounds: round };
          }

          messages.push({
            role: "assistant",
            content: result.text || null,
            tool_calls: result.toolCalls.map((call) => ({
              id: call.id,
              type: "function",
              function: { name: call.name, arguments: call.argumentsJson },
            })),
          });
          // Sequential, in the model's order: tools may depend on each other's side effects.
          for (const call of result.toolCalls) {
            let output: string;
            if (knownTools.has(call.name)) {
              output = await request.executeTool(call);
            } else {
              log({ type: "unknown_tool", round, name: call.name });
              output = JSON.stringify({ error: `unknown tool ${call.name}` });
            }
            toolCalls.push({ id: call.id, name: call.name, argumentsJson: call.argumentsJson, result: output });
            messages.push({ role: "tool", tool_call_id: call.id, content: output });
          }
          toolRounds++;
        }
      } catch (error) {
        if (error instanceof ChatModelError) {
          log({ type: "failure", round, kind: error.kind, status: error.status, message: error.message });
        }
        throw error;
      }
    },
  };
}

function toChatModelError(error: unknown, apiKey: string, signal: AbortSignal | undefined, stalled: boolean): ChatModelError {
  // A misbehaving server or proxy may echo the key back in an error body.
  const scrub = (text: string) => text.replaceAll(apiKey, "[redacted]");
  const detail = error instanceof Error ? scrub(error.message) : "no error";
  const cause = error instanceof Error && !String(error).includes(apiKey) ? error : undefined;
  const fail = (kind: ChatModelError["kind"], message: string, status?: number) =>
    new ChatModelError(`OpenAI chat completion ${message}`, kind, status, { cause });

  if (signal?.aborted || error instanceof APIUserAbortError) return fail("aborted", "aborted");
  if (stalled) return fail("timeout", "stalled mid-stream");
  if (error instanceof APIConnectionTimeoutError) return fail("timeout", "timed out");
  if (error instanceof APIError) {
    const { status } = error;
    if (status === 401 || status === 403) return fail("auth", `was refused: ${detail}`, status);
    if (status === 429) return fail("rate_limited", `was rate limited: ${detail}`, status);
    if (status === 408) return fail("timeout", `timed out: ${detail}`, status);
    // No status: the connection failed, or the server sent an error event mid-stream.
    if (status === undefined || status >= 500) return fail("server_error", `failed: ${detail}`, status);
    return fail("unknown", `failed: ${detail}`, status);
  }
  // The SDK throws SyntaxError for an event whose data is not JSON.
  if (error instanceof SyntaxError) return fail("bad_response", `sent a malformed stream: ${detail}`);
  return fail("unknown", `failed: ${detail}`);
}
