import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAIEmbedder } from "~/modules/knowledge/embeddings/openai.server";

/** A local server speaking OpenAI's /v1/embeddings wire format (float or base64 float32 encoding). */
function vectorFor(text: string) {
  const vector = new Float32Array(1536);
  for (let index = 0; index < text.length; index++) vector[(text.charCodeAt(index) * 31 + index) % 1536]! += 1;
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

async function readJson(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

describe("OpenAI embeddings through the official SDK", () => {
  let server: Server;
  let baseURL: string;
  const seen: { auth?: string; body: { model: string; input: string[]; encoding_format?: string; dimensions?: number } }[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const body = await readJson(request);
      seen.push({ auth: request.headers.authorization, body });
      if (failuresLeft > 0) {
        failuresLeft--;
        response.writeHead(429, { "content-type": "application/json", "retry-after-ms": "10" });
        response.end(JSON.stringify({ error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } }));
        return;
      }
      const data = body.input.map((text: string, index: number) => {
        const vector = vectorFor(text);
        const embedding = body.encoding_format === "base64" ? Buffer.from(vector.buffer).toString("base64") : Array.from(vector);
        return { object: "embedding", index, embedding };
      });
      // Out of order on purpose: the client must sort by index.
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ object: "list", data: data.reverse(), model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("embeds in input order with the configured model and key, batching large inputs", async () => {
    const embedder = createOpenAIEmbedder({ apiKey: "sk-test-local", baseURL, model: "text-embedding-3-small" });
    const texts = Array.from({ length: 130 }, (_, index) => `passage ${index}`);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(130);
    expect(vectors[7]![0]).toBeCloseTo(vectorFor("passage 7")[0]!, 6);
    expect(Array.from(vectors[129]!).map((value) => Number(value.toFixed(5)))).toEqual(Array.from(vectorFor("passage 129")).map((value) => Number(value.toFixed(5))));
    expect(seen).toHaveLength(2);
    expect(seen[0]!.auth).toBe("Bearer sk-test-local");
    expect(seen[0]!.body).toMatchObject({ model: "text-embedding-3-small", dimensions: 1536 });
    expect(embedder.id).toBe("openai:text-embedding-3-small");
  });

  it("retries a 429 and then succeeds", async () => {
    seen.length = 0;
    failuresLeft = 1;
    const embedder = createOpenAIEmbedder({ apiKey: "sk-test-local", baseURL, model: "text-embedding-3-small" });
    const [vector] = await embedder.embed(["hello"]);
    expect(vector).toHaveLength(1536);
    expect(seen).toHaveLength(2);
  });
});
