/**
 * The contract between the turn pipeline and a chat model. The pipeline owns the tools (validation,
 * policy, side effects); a provider only decides when to call them and writes the reply.
 */

/** JSON Schema (draft 2020-12 subset OpenAI accepts) for a tool's arguments. */
export type JsonSchema = Record<string, unknown>;

export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

export interface ToolCallRequest {
  /** The provider's call id (OpenAI's `tool_calls[].id`). */
  id: string;
  name: string;
  /** The raw argument text the model produced; it may be malformed JSON. */
  argumentsJson: string;
}

export interface ToolCallRecord {
  /** The call's id as the model saw it. */
  id: string;
  name: string;
  argumentsJson: string;
  /** What was sent back to the model (JSON text). */
  result: string;
}

export interface GenerateRequest {
  /** System prompt: brand voice, rules, retrieved knowledge, verified context. */
  system: string;
  /** Conversation so far, oldest first; the last message is the shopper's new one. */
  messages: ChatMessage[];
  tools: ToolSpec[];
  /**
   * Reads the pipeline already made for the shopper's new message (a logged-in customer's order question needs the
   * order): given to the model as its own calls with their results, after the last message, so it can answer in
   * one round instead of asking for them and waiting a second time. Only reads that change nothing.
   */
  toolResults?: ToolCallRecord[];
  /**
   * Runs one tool call and returns the JSON text to hand back to the model. Never throws: invalid
   * arguments and refusals come back as `{"error": "..."}` so the model can recover.
   */
  executeTool: (call: ToolCallRequest) => Promise<string>;
  /** Streamed reply text, in order, as the model produces it. */
  onDelta?: (text: string) => void;
  signal?: AbortSignal;
  /** Upper bound on model round trips that end in tool calls (default 4). */
  maxToolRounds?: number;
  /** The model to ask instead of the provider's configured one (a shop's own choice). */
  model?: string;
}

export interface GenerateResult {
  text: string;
  /** Every call the model saw this turn with its result: the request's toolResults, then its own. */
  toolCalls: ToolCallRecord[];
  model: string;
  /** Model round trips made. */
  rounds: number;
}

export interface ChatModel {
  /** e.g. "openai:gpt-4o-mini". */
  readonly id: string;
  generate(request: GenerateRequest): Promise<GenerateResult>;
}

/** The model could not produce a reply (after retries): the pipeline falls back to the offline responder. */
export class ChatModelError extends Error {
  constructor(
    message: string,
    readonly kind: "rate_limited" | "server_error" | "timeout" | "bad_response" | "auth" | "aborted" | "unknown",
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ChatModelError";
  }
}
