import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import {
  createArticle,
  deleteSource,
  type Embedder,
  getEmbedder,
  getSource,
  importArticles,
  KnowledgeError,
  listSources,
  parseImportFile,
  reindexSource,
  restoreVersion,
  searchKnowledge,
  setSourceStatus,
  updateSource,
} from "~/modules/knowledge";
import { createTestShop, deleteTestShop } from "../support/shops";

/** The real offline embedder, counting how many texts it was asked to embed. */
function countingEmbedder() {
  const inner = getEmbedder();
  const counter = {
    texts: 0,
    embedder: {
      id: inner.id,
      dimensions: inner.dimensions,
      async embed(texts: string[]) {
        counter.texts += texts.length;
        return inner.embed(texts);
      },
    } satisfies Embedder,
  };
  return counter;
}

const SHIPPING = `# Shipping

## Delivery times
Standard shipping takes 3 to 5 business days within the United States. Express shipping arrives in 1 to 2 business days.

## Costs
Orders over $75 ship free. Below that, standard shipping costs $6.95 and express costs $14.95.

## International
We ship to Canada, the UK and the EU. International parcels take 7 to 14 business days and customs duties are paid on delivery.`;

const DAMAGED = `If your order arrives damaged, broken or defective, contact us within 14 days with a photo of the item and its packaging.
We send a free replacement or a full refund, and you do not need to return the damaged item.`;

async function expectKnowledgeError(promise: Promise<unknown>, status: number, message: RegExp) {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(KnowledgeError);
  expect((error as KnowledgeError).status).toBe(status);
  expect((error as KnowledgeError).message).toMatch(message);
}

describe("knowledge base on the real database", () => {
  let shopId: string;
  let otherShopId: string;
  const domains: string[] = [];
  const counter = countingEmbedder();

  beforeAll(async () => {
    const shop = await createTestShop("Knowledge shop");
    const other = await createTestShop("Other shop");
    shopId = shop.id;
    otherShopId = other.id;
    domains.push(shop.domain, other.domain);
  });
  afterAll(async () => {
    for (const domain of domains) await deleteTestShop(domain);
  });

  it("ingests an article into heading-aware chunks with embeddings, and finds it by a paraphrase", async () => {
    const source = await createArticle(shopId, { title: "Shipping and delivery", body: SHIPPING, status: "published", tags: ["shipping"] });
    const report = await reindexSource(source.id, { embedder: counter.embedder });
    expect(report).toMatchObject({ embedded: report!.chunks, reused: 0 });
    const chunks = await prisma.$queryRaw<{ heading: string | null; dims: number }[]>`
      SELECT heading, vector_dims(embedding) AS dims FROM "KnowledgeChunk" WHERE "sourceId" = ${source.id} ORDER BY ordinal`;
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    expect(chunks.every((chunk) => chunk.dims === 1536)).toBe(true);
    expect(chunks.map((chunk) => chunk.heading).join(" | ")).toContain("Shipping");

    await reindexSource((await createArticle(shopId, { title: "Damaged items", body: DAMAGED, status: "published" })).id);
    const matches = await searchKnowledge({ shopId, query: "my mug showed up cracked, what can I do?" });
    expect(matches[0]?.title).toBe("Damaged items");
    expect(matches[0]!.score).toBeGreaterThan(0);
    const shipping = await searchKnowledge({ shopId, query: "how long until my parcel gets here?" });
    expect(shipping[0]?.title).toBe("Shipping and delivery");
  });

  it("match_knowledge scores each candidate as cosine similarity plus 5% of the normalised text rank, text-only hits included", async () => {
    const returns = await createArticle(shopId, { title: "Return window", body: "Return unworn items within 30 days for a refund. Sale items are final sale.", status: "published" });
    await reindexSource(returns.id);
    // A passage whose embedding is not computed yet is still found by its words, with no vector score.
    const pending = await createArticle(shopId, { title: "Parcel wrapping", body: "Wrapping costs $5 per parcel and includes a handwritten card.", status: "published" });
    await reindexSource(pending.id);
    await prisma.$executeRaw`UPDATE "KnowledgeChunk" SET embedding = NULL WHERE "sourceId" = ${pending.id}`;

    const question = "wrapping per parcel";
    const [vector] = await getEmbedder().embed([question]);
    const embedding = `[${vector!.join(",")}]`;
    type Row = { chunk_id: string; vector_score: number | null; text_score: number | null; score: number };
    const found = await prisma.$queryRaw<Row[]>`
      SELECT chunk_id, vector_score, text_score, score FROM match_knowledge(${shopId}, ${embedding}::vector, ${question}, NULL, 20, NULL)`;
    // The fusion written out plainly, with exact distances: the 40 nearest vectors and the 40 best text ranks.
    const expected = await prisma.$queryRaw<Row[]>`
      WITH q AS (SELECT ${embedding}::vector AS v, plainto_tsquery('english', ${question}) AS t),
      vector_hits AS (
        SELECT c.id FROM "KnowledgeChunk" c, q WHERE c."shopId" = ${shopId} AND c.published AND c.embedding IS NOT NULL
        ORDER BY (c.embedding <=> q.v) LIMIT 40),
      text_hits AS (
        SELECT c.id, ts_rank_cd(c."searchText", q.t, 32) AS rank FROM "KnowledgeChunk" c, q
        WHERE c."shopId" = ${shopId} AND c.published AND c."searchText" @@ q.t ORDER BY rank DESC LIMIT 40),
      scored AS (
        SELECT c.id, 1 - (c.embedding <=> q.v) AS vector_score, t.rank AS text_score,
               coalesce(1 - (c.embedding <=> q.v), 0) + 0.05 * coalesce(t.rank / nullif((SELECT max(rank) FROM text_hits), 0), 0) AS score
        FROM (SELECT id FROM vector_hits UNION SELECT id FROM text_hits) k
        JOIN "KnowledgeChunk" c ON c.id = k.id CROSS JOIN q LEFT JOIN text_hits t ON t.id = k.id)
      SELECT id AS chunk_id, vector_score, text_score::double precision, score::double precision FROM scored
      ORDER BY score DESC, vector_score DESC NULLS LAST, id LIMIT 20`;

    expect(found.map((row) => row.chunk_id)).toEqual(expected.map((row) => row.chunk_id));
    found.forEach((row, index) => {
      const want = expected[index]!;
      expect(row.score).toBeCloseTo(want.score, 9);
      if (want.vector_score === null) expect(row.vector_score).toBeNull();
      else expect(row.vector_score).toBeCloseTo(want.vector_score, 9);
      if (want.text_score === null) expect(row.text_score).toBeNull();
      else expect(row.text_score).toBeCloseTo(want.text_score, 6);
    });
    const wrapping = found.find((row) => row.vector_score === null);
    // The only text hit, so its normalised rank is 1: a score of 0.05 with no vector part.
    expect(wrapping?.text_score).toBeGreaterThan(0);
    expect(wrapping?.score).toBeCloseTo(0.05, 9);
    await reindexSource(pending.id);
  });

  it("re-embeds only the chunks an edit changed, and keeps every version", async () => {
    const section = (name: string, detail: string) =>
      `## ${name}\n\n${Array.from({ length: 10 }, (_, index) => `${name} rule ${index + 1}: ${detail}.`).join(" ")}`;
    const original = [
      section("Return window", "items can be sent back within 30 days of delivery"),
      section("Condition", "items must be unused with their tags attached"),
      section("International", "customs duties are paid on delivery"),
    ].join("\n\n");
    const source = await createArticle(shopId, { title: "Returns policy", body: original, status: "published" });
    const first = (await reindexSource(source.id, { embedder: counter.embedder }))!;
    const before = counter.texts;
    const edited = original.replace("International rule 3: customs duties are paid on delivery", "International rule 3: return postage is free");
    const settleJobs = () =>
      prisma.job.updateMany({ where: { dedupeKey: `knowledge.reindex:${source.id}`, status: "queued" }, data: { status: "succeeded" } });
    await settleJobs(); // reindexSource ran directly; the worker would have done the same
    expect((await getSource(shopId, source.id)).indexed).toBe(true);
    const { changed } = await updateSource(shopId, source.id, { body: edited }, { editor: "test" });
    expect(changed).toBe(true);
    // The edit is queued for re-indexing: the source does not count as indexed until the job ran.
    expect((await getSource(shopId, source.id)).indexed).toBe(false);
    await settleJobs();
    const second = (await reindexSource(source.id, { embedder: counter.embedder }))!;
    expect(first.chunks).toBe(3);
    expect(second.chunks).toBe(first.chunks);
    expect(second.embedded).toBeGreaterThanOrEqual(1);
    expect(second.embedded).toBeLessThan(second.chunks);
    expect(counter.texts - before).toBe(second.embedded);
    // Unchanged content: nothing to embed.
    expect((await reindexSource(source.id, { embedder: counter.embedder }))!.embedded).toBe(0);

    const withVersions = await getSource(shopId, source.id);
    expect(withVersions.versions.map((version) => version.version)).toEqual([2, 1]);
    expect(withVersions.versions[1]!.body).not.toContain("return postage is free");
    await restoreVersion(shopId, source.id, 1);
    expect((await getSource(shopId, source.id)).body).not.toContain("return postage is free");
    expect((await getSource(shopId, source.id)).version).toBe(3);
  });

  it("deleting a source removes its chunks from search", async () => {
    const source = await createArticle(shopId, { title: "Loyalty points", body: "Earn one loyalty point per dollar; 100 points give a $5 reward.", status: "published" });
    await reindexSource(source.id);
    expect((await searchKnowledge({ shopId, query: "how do reward points work?" }))[0]?.title).toBe("Loyalty points");
    await deleteSource(shopId, source.id);
    expect(await prisma.knowledgeChunk.count({ where: { sourceId: source.id } })).toBe(0);
    expect((await searchKnowledge({ shopId, query: "how do reward points work?" })).map((match) => match.title)).not.toContain("Loyalty points");
  });

  it("never returns another shop's chunk, a draft, or another language's passage when filtered", async () => {
    const foreign = await createArticle(otherShopId, { title: "Secret discount", body: "Use code STAFF90 for 90% off everything.", status: "published" });
    await reindexSource(foreign.id);
    const draft = await createArticle(shopId, { title: "Unreleased sale", body: "Our secret summer sale gives 90% off everything.", status: "draft" });
    await reindexSource(draft.id);
    const french = await createArticle(shopId, { title: "Livraison", body: "La livraison standard prend de 3 à 5 jours ouvrables.", language: "fr", status: "published" });
    await reindexSource(french.id);

    const discount = await searchKnowledge({ shopId, query: "is there a code for 90% off everything?", limit: 20 });
    expect(discount.map((match) => match.sourceId)).not.toContain(foreign.id);
    expect(discount.map((match) => match.sourceId)).not.toContain(draft.id);

    const inFrench = await searchKnowledge({ shopId, query: "délai de livraison", language: "fr", limit: 20 });
    expect(inFrench.length).toBeGreaterThan(0);
    expect(inFrench.every((match) => match.language === "fr")).toBe(true);
    const inEnglish = await searchKnowledge({ shopId, query: "délai de livraison", language: "en", limit: 20 });
    expect(inEnglish.map((match) => match.sourceId)).not.toContain(french.id);

    // Publishing the draft makes it searchable.
    await setSourceStatus(shopId, draft.id, "published");
    expect((await searchKnowledge({ shopId, query: "secret summer sale", limit: 3 })).map((match) => match.sourceId)).toContain(draft.id);
  });

  it("refuses bad input with clear errors and writes nothing", async () => {
    const before = await prisma.knowledgeSource.count({ where: { shopId } });
    await expectKnowledgeError(createArticle(shopId, { title: "Empty", body: "   " }), 400, /Body is empty/);
    await expectKnowledgeError(createArticle(shopId, { title: "Huge", body: "x".repeat(50_001) }), 413, /longer than 50,000/);
    await expectKnowledgeError(createArticle(shopId, { title: "", body: "text" }), 400, /Title is required/);
    await expectKnowledgeError(createArticle(shopId, { title: "shipping AND delivery", body: "again" }), 409, /already exists/);
    await expectKnowledgeError(createArticle(shopId, { title: "Bad language", body: "x", language: "english" }), 400, /language code/);
    await expectKnowledgeError(searchKnowledge({ shopId, query: "  " }), 400, /Ask a question/);
    expect(await prisma.knowledgeSource.count({ where: { shopId } })).toBe(before);
  });

  it("imports good rows, reports bad rows by number, refuses unusable files whole", async () => {
    const csv = [
      "id,title,body,tags",
      'gw-1,Gift wrapping,"We wrap any item for $5, with a handwritten card.","gifts,extras"',
      "gw-2,Bad row,,gifts",
      "gw-3,Store hours,Our shop is open 9 to 5 on weekdays.,",
      "gw-4,gift WRAPPING,Duplicate title in the same file.,",
    ].join("\n");
    const report = await importArticles(shopId, parseImportFile("faq.csv", csv));
    expect(report).toMatchObject({ created: 2, updated: 0 });
    expect(report.errors).toEqual([
      { row: 2, message: "Body is empty", field: "body" },
      { row: 4, message: "Duplicate title (also on row 1)", field: "title" },
    ]);
    expect(await prisma.knowledgeSource.count({ where: { shopId, externalId: { in: ["gw-2", "gw-4"] } } })).toBe(0);

    // Re-importing the same ids updates them instead of duplicating.
    const again = await importArticles(shopId, parseImportFile("faq.jsonl", '{"id":"gw-1","title":"Gift wrapping","body":"Gift wrapping now costs $6."}\n{"id":"gw-3","title":"Store hours","body":"Our shop is open 9 to 5 on weekdays."}'));
    expect(again).toMatchObject({ created: 0, updated: 1, unchanged: 1, errors: [] });
    expect((await prisma.knowledgeSource.findFirstOrThrow({ where: { shopId, externalId: "gw-1" } })).version).toBe(2);

    expect(() => parseImportFile("notes.pdf", "x")).toThrow(/Unsupported file type ".pdf"/);
    expect(() => parseImportFile("broken.csv", 'title,body\n"unterminated,quote\n')).toThrow(/Malformed CSV/);
    expect(() => parseImportFile("list.json", '{"title": 1}')).toThrow(/array of articles/);
    expect(() => parseImportFile("big.jsonl", "x".repeat(5 * 1024 * 1024 + 1))).toThrow(/larger than 5 MB/);
    const lines = parseImportFile("rows.jsonl", '{"title":"A","body":"b"}\nnot json\n');
    expect(lines[1]).toEqual({ row: 2, error: "This line is not valid JSON" });
  });

  it("lists sources with filters and counts", async () => {
    const list = await listSources(shopId, { status: "published", language: "en" });
    expect(list.items.every((item) => item.status === "published" && item.language === "en")).toBe(true);
    expect(list.counts.language.fr).toBe(1);
    expect(list.counts.status.published).toBeGreaterThanOrEqual(4);
    const searched = await listSources(shopId, { query: "gift" });
    expect(searched.items.map((item) => item.title)).toContain("Gift wrapping");
    expect((await listSources(otherShopId)).items.map((item) => item.title)).toEqual(["Secret discount"]);
  });
});
