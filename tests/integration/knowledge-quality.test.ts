import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { createArticle, reindexSource, searchKnowledge } from "~/modules/knowledge";
import { buildFaqHoldoutCorpus, datasetsDir, evaluateRetrieval } from "../../bench/retrieval-quality";
import { createTestShop, deleteTestShop } from "../support/shops";

const hasDatasets = existsSync(datasetsDir());
if (!hasDatasets && process.env.CI !== "true") {
  console.warn(`[knowledge-quality] skipped: the shared datasets folder ${datasetsDir()} is absent`);
}

// Through the real path (chunking, offline embeddings, the SQL function) on held-out paraphrased questions.
describe.skipIf(!hasDatasets && process.env.CI !== "true")("retrieval quality on the real database", () => {
  const domains: string[] = [];
  afterAll(async () => {
    for (const domain of domains) await deleteTestShop(domain);
  });

  it("finds the right FAQ article in the top 3 for at least 90% of held-out paraphrases", async () => {
    expect(existsSync(datasetsDir()), `datasets folder ${datasetsDir()} is required when CI=true`).toBe(true);
    let shopId = "";
    const result = await evaluateRetrieval(
      async (_corpus, query) => {
        const matches = await searchKnowledge({ shopId, query, limit: 10 });
        return [...new Set(matches.map((match) => match.externalId ?? match.sourceId))];
      },
      async (_corpus, docs) => {
        const shop = await createTestShop("Quality shop");
        domains.push(shop.domain);
        shopId = shop.id;
        const titles = new Set<string>();
        for (const doc of docs) {
          const title = titles.has(doc.title.toLowerCase()) ? `${doc.title} (${doc.id})` : doc.title;
          titles.add(title.toLowerCase());
          await reindexSource((await createArticle(shop.id, { title, body: doc.body, status: "published", externalId: doc.id })).id);
        }
      },
      [buildFaqHoldoutCorpus()],
    );
    expect(result.overall.queries).toBeGreaterThanOrEqual(20);
    expect(result.overall.recallAt3, JSON.stringify(result.misses)).toBeGreaterThanOrEqual(0.9);
    expect(await prisma.knowledgeChunk.count({ where: { shopId } })).toBeGreaterThan(0);
  });
});
