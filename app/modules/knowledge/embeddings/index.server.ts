import { getEnv } from "~/env.server";
import { createOfflineEmbedder } from "./offline";
import { createOpenAIEmbedder } from "./openai.server";
import type { Embedder } from "./types";

let cached: Embedder | undefined;

/** OpenAI text-embedding-3-small when OPENAI_API_KEY is set, otherwise the offline model. */
export function getEmbedder(): Embedder {
  if (cached) return cached;
  const env = getEnv();
  const embedder = env.OPENAI_API_KEY
    ? createOpenAIEmbedder({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, model: env.OPENAI_EMBEDDING_MODEL })
    : createOfflineEmbedder();
  cached = embedder;
  return embedder;
}
