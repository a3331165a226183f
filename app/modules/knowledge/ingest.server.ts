import { createHash, randomUUID } from "node:crypto";
import type { Job, PrismaClient } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import { runJobsOnce } from "~/modules/jobs";
import { chunkMarkdown } from "./chunking";
import { getEmbedder } from "./embeddings/index.server";
import type { Embedder } from "./embeddings/types";
import { REINDEX_JOB } from "./jobs";

/** What the embedder sees for a chunk: the source title and heading give the passage its context. */
export function embeddingInput(title: string, heading: string | null, content: string) {
  return [title, heading, content].filter(Boolean).join("\n");
}

function chunkHash(embedderId: string, text: string) {
  return createHash("sha256").update(`${embedderId}\n${text}`).digest("hex");
}

export interface ReindexReport {
  sourceId: string;
  chunks: number;
  embedded: number;
  reused: number;
  removed: number;
}

/**
 * Re-chunks a source and embeds only what changed: a chunk whose text (and embedding model) hashes the same
 * as an existing one keeps its vector. Embedding happens before the short write transaction.
 */
export async function reindexSource(
  sourceId: string,
  options: { db?: PrismaClient; embedder?: Embedder } = {},
): Promise<ReindexReport | null> {
  const db = options.db ?? prisma;
  const embedder = options.embedder ?? getEmbedder();
  const source = await db.knowledgeSource.findUnique({ where: { id: sourceId } });
  if (!source) return null; // deleted since the job was queued; its chunks went with it

  const existing = await db.knowledgeChunk.findMany({
    where: { sourceId },
    select: { id: true, contentHash: true, embeddedAt: true },
  });
  const reusable = new Map(existing.filter((chunk) => chunk.embeddedAt).map((chunk) => [chunk.contentHash, chunk.id]));

  const planned = chunkMarkdown(source.body).map((chunk) => {
    const text = embeddingInput(source.title, chunk.heading, chunk.content);
    return { ...chunk, text, hash: chunkHash(embedder.id, text) };
  });
  const kept = new Map<string, string>(); // hash -> existing chunk id
  const toEmbed: typeof planned = [];
  for (const chunk of planned) {
    const id = reusable.get(chunk.hash);
    if (id && !kept.has(chunk.hash)) kept.set(chunk.hash, id);
    else toEmbed.push(chunk);
  }
  const vectors = toEmbed.length > 0 ? await embedder.embed(toEmbed.map((chunk) => chunk.text)) : [];
  const vectorOf = new Map(toEmbed.map((chunk, index) => [chunk, vectors[index]!]));
  const keptIds = new Set(kept.values());
  const published = source.status === "published";
  const removed = existing.filter((chunk) => !keptIds.has(chunk.id)).map((chunk) => chunk.id);

  await db.$transaction(async (tx) => {
    if (removed.length > 0) await tx.knowledgeChunk.deleteMany({ where: { id: { in: removed } } });
    // Move kept chunks out of the way of the (sourceId, ordinal) unique key before renumbering.
    if (keptIds.size > 0) {
      await tx.$executeRaw`UPDATE "KnowledgeChunk" SET ordinal = -1 - ordinal WHERE id = ANY(${[...keptIds]}::text[])`;
    }
    for (const chunk of planned) {
      const keptId = kept.get(chunk.hash);
      if (keptId && !vectorOf.has(chunk)) {
        await tx.$executeRaw`
          UPDATE "KnowledgeChunk" SET ordinal = ${chunk.ordinal}, heading = ${chunk.heading}, language = ${source.language},
                 kind = ${source.kind}::"KnowledgeKind", published = ${published}
          WHERE id = ${keptId}`;
        continue;
      }
      const vector = `[${vectorOf.get(chunk)!.join(",")}]`;
      await tx.$executeRaw`
        INSERT INTO "KnowledgeChunk" ("id", "shopId", "sourceId", "kind", "published", "ordinal", "heading", "content",
                                      "tokenCount", "contentHash", "language", "embedding", "embeddedAt")
        VALUES (${randomUUID()}, ${source.shopId}, ${source.id}, ${source.kind}::"KnowledgeKind", ${published}, ${chunk.ordinal},
                ${chunk.heading}, ${chunk.content}, ${chunk.tokenCount}, ${chunk.hash}, ${source.language}, ${vector}::vector, now())`;
    }
  });
  return { sourceId, chunks: planned.length, embedded: toEmbed.length, reused: planned.length - toEmbed.length, removed: removed.length };
}

/** Job handler for `knowledge.reindex`. */
export async function reindexJob(job: Job) {
  const { sourceId } = z.object({ sourceId: z.string() }).parse(job.payload);
  await reindexSource(sourceId);
}

/**
 * Runs the shop's waiting re-index jobs now, in this process, instead of leaving them to the app's worker
 * (CLI commands, the demo before it serves, benches). Returns how many ran.
 */
export async function indexPendingSources(shopId: string, options: { onProgress?: (done: number) => void; db?: PrismaClient } = {}) {
  let done = 0;
  for (;;) {
    const ran = await runJobsOnce(options.db ?? prisma, { [REINDEX_JOB]: reindexJob }, { workerId: `inline-${process.pid}`, shopId });
    if (ran === 0) return done;
    done += ran;
    options.onProgress?.(done);
  }
}
