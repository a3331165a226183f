import { afterAll, beforeAll } from "vitest";
import prisma from "~/db.server";
import { createOpenAIChatModel } from "~/modules/assistant/llm/openai.server";
import { startConversation } from "~/modules/conversations";
import { type AssistantFixture, createAssistantFixture, deleteAssistantFixture } from "./assistant-fixtures";
import { type OpenAIChatServer, startOpenAIChatServer } from "./openai-chat-server";

export interface OnlineAssistant {
  /** The fixture shop (assistant-fixtures). */
  readonly fx: AssistantFixture;
  /** The local server speaking the Chat Completions wire format: script its answers, read what it was sent. */
  readonly server: OpenAIChatServer;
  /** A chat model (the official SDK) pointed at the local server. */
  model(): ReturnType<typeof createOpenAIChatModel>;
  /** A new conversation in the fixture shop; its id. */
  newConversation(customerId?: string): Promise<string>;
}

/**
 * The turn pipeline against a chat model: the fixture shop and a local OpenAI-compatible server, created before the
 * enclosing describe's tests and removed after them. Call it inside a describe.
 */
export function useOnlineAssistant(options: { maxRetries: number }): OnlineAssistant {
  let fx: AssistantFixture | undefined;
  let server: OpenAIChatServer | undefined;
  beforeAll(async () => {
    fx = await createAssistantFixture();
    server = await startOpenAIChatServer();
  });
  afterAll(async () => {
    await server?.close();
    await deleteAssistantFixture(fx);
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useOnlineAssistant: used before its beforeAll ran");
    return value;
  };
  return {
    get fx() {
      return ready(fx);
    },
    get server() {
      return ready(server);
    },
    model: () => createOpenAIChatModel({ apiKey: "sk-local-test", baseURL: ready(server).baseURL, model: "gpt-4o-mini", maxRetries: options.maxRetries, timeoutMs: 5_000 }),
    newConversation: async (customerId) => (await startConversation(prisma, { shopId: ready(fx).shopId, ...(customerId ? { customerId } : {}) })).conversation.id,
  };
}
