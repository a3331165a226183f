/**
 * Retrieval quality through the real path: each corpus is imported as a shop's published articles, chunked and
 * embedded by the offline embedder, and every query goes through searchKnowledge (hybrid SQL with RRF).
 * Reports recall@1, recall@3 and MRR per corpus (see bench/retrieval-quality.ts for the corpora).
 */
import { randomUUID } from "node:crypto";
import prisma from "~/db.server";
import { createArticle, reindexSource, searchKnowledge } from "~/modules/knowledge";
import { evaluateRetrieval } from "./retrieval-quality";

export async function run() {
  const shops = new Map<string, string>();
  try {
    const result = await evaluateRetrieval(
      async (corpusId, query) => {
        const matches = await searchKnowledge({ shopId: shops.get(corpusId)!, query, limit: 10 });
        return [...new Set(matches.map((match) => match.externalId ?? match.sourceId))];
      },
      async (corpusId, docs) => {
        const shop = await prisma.shop.create({ data: { domain: `quality-${corpusId}-${randomUUID().slice(0, 6)}.myshopify.com`, name: corpusId } });
        shops.set(corpusId, shop.id);
        const titles = new Set<string>();
        for (const doc of docs) {
          // Two documents may share a title (a FAQ and its agent note); titles are unique per shop.
          const title = titles.has(doc.title.toLowerCase()) ? `${doc.title} (${doc.id})` : doc.title;
          titles.add(title.toLowerCase());
          const source = await createArticle(shop.id, { title, body: doc.body, status: "published", externalId: doc.id });
          await reindexSource(source.id);
        }
      },
    );
    return { corpora: result.corpora, overall: result.overall, missesAt3: Object.fromEntries(Object.entries(result.misses).map(([id, list]) => [id, list.slice(0, 5)])) };
  } finally {
    await prisma.shop.deleteMany({ where: { id: { in: [...shops.values()] } } });
  }
}
