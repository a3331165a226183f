import OpenAI from "openai";
import { EMBEDDING_DIMENSIONS, type Embedder } from "./types";

const BATCH_SIZE = 96;

/** OpenAI (or any OpenAI-compatible server) embeddings, batched; the SDK retries 429/5xx with backoff. */
export function createOpenAIEmbedder(options: { apiKey: string; baseURL?: string; model: string; timeoutMs?: number }): Embedder {
  const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 3, timeout: options.timeoutMs ?? 20_000 });
  return {
    id: `openai:${options.model}`,
    dimensions: EMBEDDING_DIMENSIONS,
    async embed(texts) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += BATCH_SIZE) {
        const batch = texts.slice(start, start + BATCH_SIZE).map((text) => text.trim() || " ");
        const response = await client.embeddings.create({ model: options.model, input: batch, dimensions: EMBEDDING_DIMENSIONS });
        const ordered = [...response.data].sort((a, b) => a.index - b.index);
        if (ordered.length !== batch.length) throw new Error(`Embedding service returned ${ordered.length} vectors for ${batch.length} texts`);
        for (const item of ordered) {
          if (item.embedding.length !== EMBEDDING_DIMENSIONS) {
            throw new Error(`Embedding service returned ${item.embedding.length} dimensions, expected ${EMBEDDING_DIMENSIONS}`);
          }
          vectors.push(item.embedding);
        }
      }
      return vectors;
    },
  };
}
