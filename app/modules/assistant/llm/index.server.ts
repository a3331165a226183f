import { type Env, getEnv } from "~/env.server";
import { createOpenAIChatModel } from "./openai.server";
import type { ChatModel } from "./types";

/** The OpenAI chat model when OPENAI_API_KEY is set; `undefined` means the caller uses the offline responder. */
export function chatModelFromEnv(env: Env = getEnv()): ChatModel | undefined {
  if (!env.OPENAI_API_KEY) return undefined;
  return createOpenAIChatModel({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, model: env.OPENAI_CHAT_MODEL });
}
