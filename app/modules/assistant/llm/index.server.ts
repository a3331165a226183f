import { type Env, getEnv } from "~/env.server";
import { createOpenAIChatModel } from "./openai.server";
import type { ChatModel } from "./types";

let cached: { key: string; model: ChatModel } | undefined;

/**
 * The chat model every reply path uses (storefront, CLI, inbox drafts): OpenAI's when OPENAI_API_KEY is set,
 * `undefined` otherwise, meaning the offline responder answers. One client per configuration, so its
 * connection pool is shared by all turns.
 */
export function chatModelFromEnv(env: Env = getEnv()): ChatModel | undefined {
  if (!env.OPENAI_API_KEY) return undefined;
  const key = [env.OPENAI_API_KEY, env.OPENAI_BASE_URL ?? "", env.OPENAI_CHAT_MODEL].join("\u0000");
  if (cached?.key !== key) cached = { key, model: createOpenAIChatModel({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, model: env.OPENAI_CHAT_MODEL }) };
  return cached.model;
}
