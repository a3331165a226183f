import type { PrismaClient } from "@prisma/client";
import { ARTICLES, POLICIES } from "../seed-data";
import { DAY, HOUR } from "./calendar";
import { sha256, stableId } from "./stable-id";

/** Help-centre articles and the four shop policies, published as version 1; not indexed (the demo indexes them at start). */

export const articleId = (shopId: string, slug: string) => stableId(shopId, `knowledge:article:${slug}`);

export async function seedKnowledge(prisma: PrismaClient, shopId: string, now: number) {
  const id = (key: string) => stableId(shopId, key);
  const publishedAt = now - 90 * DAY;
  const sources = [
    ...ARTICLES.map((article, i) => ({
      id: articleId(shopId, article.slug),
      kind: "article" as const,
      externalId: null,
      title: article.title,
      body: article.body,
      tags: article.tags,
      publishedAt: publishedAt + i * HOUR,
    })),
    ...POLICIES.map((policy, i) => ({
      id: id(`knowledge:policy:${policy.externalId}`),
      kind: "policy" as const,
      externalId: policy.externalId,
      title: policy.title,
      body: policy.body,
      tags: policy.tags,
      publishedAt: publishedAt - (i + 1) * DAY,
    })),
  ];
  await prisma.knowledgeSource.createMany({
    data: sources.map((source) => ({
      id: source.id,
      shopId,
      kind: source.kind,
      externalId: source.externalId,
      title: source.title,
      body: source.body,
      tags: source.tags,
      language: "en",
      status: "published",
      version: 1,
      contentHash: sha256(`${source.title}\n${source.body}`),
      publishedAt: new Date(source.publishedAt),
      createdAt: new Date(source.publishedAt),
    })),
    skipDuplicates: true,
  });
  // A policy synced earlier under another id keeps that id.
  const storedPolicies = await prisma.knowledgeSource.findMany({
    where: { shopId, kind: "policy", externalId: { in: POLICIES.map((p) => p.externalId) } },
    select: { id: true, externalId: true },
  });
  const storedSourceIds = new Set(
    (await prisma.knowledgeSource.findMany({ where: { shopId, id: { in: sources.map((s) => s.id) } }, select: { id: true } })).map((row) => row.id),
  );
  for (const row of storedPolicies) storedSourceIds.add(row.id);
  const policyIdByKey = new Map(storedPolicies.map((row) => [row.externalId ?? "", row.id]));
  await prisma.knowledgeSourceVersion.createMany({
    data: sources.flatMap((source) => {
      const sourceId = source.kind === "policy" ? policyIdByKey.get(source.externalId ?? "") : source.id;
      if (!sourceId || !storedSourceIds.has(sourceId)) return [];
      return [
        {
          id: id(`knowledge-version:${source.kind}:${source.externalId ?? source.id}:1`),
          sourceId,
          version: 1,
          title: source.title,
          body: source.body,
          tags: source.tags,
          createdAt: new Date(source.publishedAt),
        },
      ];
    }),
    skipDuplicates: true,
  });

}
