import { createHash } from "node:crypto";
import { type KnowledgeKind, Prisma, type PrismaClient, type PublishStatus } from "@prisma/client";
import prisma from "~/db.server";
import { enqueueJob } from "~/modules/jobs";
import { KnowledgeError } from "./errors";
import { REINDEX_JOB } from "./jobs";
import { type ArticleInput, ArticleInputSchema, firstIssue, type ValidArticle } from "./validation";

/**
 * Knowledge sources: merchant articles, shop policies, products and imports. Every edit of the content keeps a
 * version; every change that affects retrieval queues a re-index of the source's chunks.
 */

export function sourceContentHash(source: { title: string; body: string; tags: string[]; language: string }) {
  return createHash("sha256")
    .update([source.title, source.body, source.tags.join(","), source.language].join("\n"))
    .digest("hex");
}

export function parseArticle(input: unknown): ValidArticle {
  const parsed = ArticleInputSchema.safeParse(input);
  if (!parsed.success) {
    const { message, field } = firstIssue(parsed.error);
    throw new KnowledgeError(message, field === "body" && /longer/.test(message) ? 413 : 400, field);
  }
  return parsed.data;
}

type Db = PrismaClient | Prisma.TransactionClient;

async function assertTitleFree(db: Db, shopId: string, kind: KnowledgeKind, title: string, exceptId?: string) {
  const clash = await db.knowledgeSource.findFirst({
    where: { shopId, kind, title: { equals: title, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw new KnowledgeError(`An article titled "${title}" already exists`, 409, "title");
}

export function queueReindex(db: Db, shopId: string, sourceId: string) {
  return enqueueJob(db, { name: REINDEX_JOB, shopId, payload: { sourceId }, dedupeKey: `${REINDEX_JOB}:${sourceId}` });
}

export async function createArticle(
  shopId: string,
  input: ArticleInput & { kind?: KnowledgeKind; externalId?: string | null },
  options: { editor?: string; db?: PrismaClient } = {},
) {
  const article = parseArticle(input);
  const db = options.db ?? prisma;
  const kind = input.kind ?? "article";
  await assertTitleFree(db, shopId, kind, article.title);
  const status: PublishStatus = article.status ?? "draft";
  try {
    return await db.$transaction(async (tx) => {
      const source = await tx.knowledgeSource.create({
        data: {
          shopId,
          kind,
          externalId: input.externalId ?? null,
          title: article.title,
          body: article.body,
          tags: article.tags,
          language: article.language,
          status,
          publishedAt: status === "published" ? new Date() : null,
          contentHash: sourceContentHash(article),
          versions: {
            create: { version: 1, title: article.title, body: article.body, tags: article.tags, editedBy: options.editor ?? null },
          },
        },
      });
      await queueReindex(tx, shopId, source.id);
      return source;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new KnowledgeError("A source with this id already exists", 409, "externalId");
    }
    throw error;
  }
}

export async function getSource(shopId: string, sourceId: string, db: PrismaClient = prisma) {
  const source = await db.knowledgeSource.findFirst({
    where: { id: sourceId, shopId },
    include: {
      versions: { orderBy: { version: "desc" } },
      _count: { select: { chunks: true } },
    },
  });
  if (!source) throw new KnowledgeError("This knowledge source does not exist", 404);
  // Indexed = every chunk embedded and no re-index waiting (after an edit the old chunks are still there).
  const [embedded, pending] = await Promise.all([
    db.knowledgeChunk.count({ where: { sourceId, shopId, embeddedAt: { not: null } } }),
    db.job.count({ where: { dedupeKey: `${REINDEX_JOB}:${sourceId}`, status: { in: ["queued", "running"] } } }),
  ]);
  return { ...source, indexed: pending === 0 && source._count.chunks > 0 && embedded === source._count.chunks };
}

/** Edits content and/or status. A content change becomes a new version; the previous ones stay. */
export async function updateSource(
  shopId: string,
  sourceId: string,
  patch: Partial<ArticleInput>,
  options: { editor?: string; db?: PrismaClient } = {},
) {
  const db = options.db ?? prisma;
  const current = await db.knowledgeSource.findFirst({ where: { id: sourceId, shopId } });
  if (!current) throw new KnowledgeError("This knowledge source does not exist", 404);
  const next = parseArticle({
    title: patch.title ?? current.title,
    body: patch.body ?? current.body,
    tags: patch.tags ?? current.tags,
    language: patch.language ?? current.language,
    status: patch.status ?? current.status,
  });
  if (next.title.toLowerCase() !== current.title.toLowerCase()) await assertTitleFree(db, shopId, current.kind, next.title, current.id);
  const contentHash = sourceContentHash(next);
  const contentChanged = contentHash !== current.contentHash;
  const status = next.status ?? current.status;
  if (!contentChanged && status === current.status) return { source: current, changed: false };

  const version = contentChanged ? current.version + 1 : current.version;
  const source = await db.$transaction(async (tx) => {
    const updated = await tx.knowledgeSource.update({
      where: { id: current.id },
      data: {
        title: next.title,
        body: next.body,
        tags: next.tags,
        language: next.language,
        status,
        contentHash,
        version,
        publishedAt: status === "published" ? (current.publishedAt ?? new Date()) : null,
      },
    });
    // Search filters on the chunks' copy of the state, so it follows the source at once.
    if (status !== current.status) {
      await tx.knowledgeChunk.updateMany({ where: { sourceId: current.id }, data: { published: status === "published" } });
    }
    if (contentChanged) {
      await tx.knowledgeSourceVersion.create({
        data: { sourceId: current.id, version, title: next.title, body: next.body, tags: next.tags, editedBy: options.editor ?? null },
      });
      await queueReindex(tx, shopId, current.id);
    }
    return updated;
  });
  return { source, changed: true };
}

export function setSourceStatus(shopId: string, sourceId: string, status: PublishStatus, options: { editor?: string } = {}) {
  return updateSource(shopId, sourceId, { status }, options);
}

/** Brings back an earlier version's content as a new version (history is never rewritten). */
export async function restoreVersion(shopId: string, sourceId: string, version: number, options: { editor?: string } = {}) {
  const old = await prisma.knowledgeSourceVersion.findFirst({ where: { sourceId, version, source: { shopId } } });
  if (!old) throw new KnowledgeError(`Version ${version} does not exist`, 404);
  return updateSource(shopId, sourceId, { title: old.title, body: old.body, tags: old.tags }, options);
}

export async function deleteSource(shopId: string, sourceId: string, db: PrismaClient = prisma) {
  const { count } = await db.knowledgeSource.deleteMany({ where: { id: sourceId, shopId } });
  if (count === 0) throw new KnowledgeError("This knowledge source does not exist", 404);
}

export interface SourceFilters {
  query?: string;
  kind?: KnowledgeKind;
  language?: string;
  status?: PublishStatus;
  page?: number;
  pageSize?: number;
}

/** The knowledge list: filtered, paginated, with counts per kind, status and language for the filters. */
export async function listSources(shopId: string, filters: SourceFilters = {}, db: PrismaClient = prisma) {
  const pageSize = Math.min(Math.max(filters.pageSize ?? 25, 1), 100);
  const page = Math.max(filters.page ?? 1, 1);
  const where: Prisma.KnowledgeSourceWhereInput = {
    shopId,
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.language ? { language: filters.language } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.query?.trim()
      ? {
          OR: [
            { title: { contains: filters.query.trim(), mode: "insensitive" } },
            { body: { contains: filters.query.trim(), mode: "insensitive" } },
            { tags: { has: filters.query.trim().toLowerCase() } },
          ],
        }
      : {}),
  };
  const [items, total, byKind, byStatus, byLanguage] = await Promise.all([
    db.knowledgeSource.findMany({
      where,
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true, kind: true, title: true, status: true, language: true, tags: true, version: true, updatedAt: true, externalId: true,
        _count: { select: { chunks: true } },
      },
    }),
    db.knowledgeSource.count({ where }),
    db.knowledgeSource.groupBy({ by: ["kind"], where: { shopId }, _count: { _all: true } }),
    db.knowledgeSource.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } }),
    db.knowledgeSource.groupBy({ by: ["language"], where: { shopId }, _count: { _all: true } }),
  ]);
  const counts = <K extends string>(rows: ({ _count: { _all: number } } & Record<string, unknown>)[], key: K) =>
    Object.fromEntries(rows.map((row) => [String(row[key]), row._count._all])) as Record<string, number>;
  return {
    items: items.map(({ _count, ...item }) => ({ ...item, chunks: _count.chunks })),
    total,
    page,
    pageSize,
    counts: { kind: counts(byKind, "kind"), status: counts(byStatus, "status"), language: counts(byLanguage, "language") },
  };
}
