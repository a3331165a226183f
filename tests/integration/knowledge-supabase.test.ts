import { mulberry32 } from "~/lib/random";
import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { createPostgresStore } from "~/modules/knowledge/store/postgres.server";
import { createSupabaseStore } from "~/modules/knowledge/store/supabase.server";
import type { KnowledgeMatch, MatchParams } from "~/modules/knowledge/store/types";
import { type PostgrestServer, startPostgrestServer } from "../support/postgrest-server";

/**
 * The Supabase path (supabase-js → PostgREST RPC → match_knowledge) must return exactly what the direct
 * Prisma path returns. PostgREST is played by a small local server over the same test database.
 */

const DIMENSIONS = 1536;
const SERVICE_KEY = `test-service-role-${randomUUID()}`;

/** Deterministic, so the vectors are the same on every run. */
const random = mulberry32;

/** A unit vector pointing mostly along `axis` (optionally blended with a second axis), with small noise. */
function unitVector(seed: number, axis: number, blend?: { axis: number; weight: number }) {
  const next = random(seed);
  const vector = Array.from({ length: DIMENSIONS }, () => (next() - 0.5) * 0.02);
  vector[axis]! += 1;
  if (blend) vector[blend.axis]! += blend.weight;
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return vector.map((value) => value / norm);
}

const domains = [`kb-supa-a-${randomUUID().slice(0, 8)}.myshopify.com`, `kb-supa-b-${randomUUID().slice(0, 8)}.myshopify.com`];
let shopId = "";
let otherShopId = "";
const ids = { draftChunk: "", otherShopChunk: "", frenchChunk: "" };
let server: PostgrestServer;

async function addSource(
  shop: string,
  source: { kind: "article" | "policy" | "faq"; title: string; status: "draft" | "published"; language?: string },
  chunks: { heading: string; content: string; language?: string; embedding: number[] }[],
) {
  const created = await prisma.knowledgeSource.create({
    data: {
      shopId: shop,
      kind: source.kind,
      externalId: `ext-${randomUUID().slice(0, 8)}`,
      title: source.title,
      body: chunks.map((chunk) => `## ${chunk.heading}\n\n${chunk.content}`).join("\n\n"),
      language: source.language ?? "en",
      status: source.status,
      contentHash: randomUUID(),
      publishedAt: source.status === "published" ? new Date() : null,
    },
  });
  const chunkIds: string[] = [];
  for (const [ordinal, chunk] of chunks.entries()) {
    const row = await prisma.knowledgeChunk.create({
      data: {
        shopId: shop,
        sourceId: created.id,
        kind: source.kind,
        published: source.status === "published",
        ordinal,
        heading: chunk.heading,
        content: chunk.content,
        tokenCount: chunk.content.split(/\s+/).length,
        contentHash: randomUUID(),
        language: chunk.language ?? source.language ?? "en",
      },
    });
    await prisma.$executeRaw`UPDATE "KnowledgeChunk" SET embedding = ${`[${chunk.embedding.join(",")}]`}::vector, "embeddedAt" = now() WHERE id = ${row.id}`;
    chunkIds.push(row.id);
  }
  return chunkIds;
}

function supabaseStore(serviceRoleKey = SERVICE_KEY) {
  return createSupabaseStore({ url: server.url, serviceRoleKey });
}

function expectSameMatches(actual: KnowledgeMatch[], expected: KnowledgeMatch[]) {
  expect(actual.map((match) => match.chunkId)).toEqual(expected.map((match) => match.chunkId));
  for (const [index, match] of actual.entries()) {
    const reference = expected[index]!;
    expect(match).toMatchObject({
      sourceId: reference.sourceId,
      externalId: reference.externalId,
      kind: reference.kind,
      title: reference.title,
      heading: reference.heading,
      content: reference.content,
      language: reference.language,
    });
    expect(Math.abs(match.score - reference.score)).toBeLessThan(1e-9);
    for (const key of ["vectorScore", "textScore"] as const) {
      if (reference[key] === null) expect(match[key]).toBeNull();
      else expect(Math.abs(match[key]! - reference[key]!)).toBeLessThan(1e-9);
    }
  }
}

describe("knowledge search through Supabase (PostgREST RPC)", () => {
  beforeAll(async () => {
    const [shop, otherShop] = await Promise.all(domains.map((domain, index) => prisma.shop.create({ data: { domain, name: `KB shop ${index}` } })));
    shopId = shop!.id;
    otherShopId = otherShop!.id;

    await addSource(shopId, { kind: "policy", title: "Shipping policy", status: "published" }, [
      {
        heading: "Delivery times",
        content: "Standard shipping takes 3 to 5 business days. Express shipping arrives the next business day.",
        embedding: unitVector(1, 0),
      },
      {
        heading: "International shipping",
        content: "We ship to most countries. Customs duties are paid by the customer on delivery.",
        embedding: unitVector(2, 0, { axis: 1, weight: 0.8 }),
      },
      { heading: "Returns", content: "Refunds are issued within 14 days of receiving the returned item.", embedding: unitVector(3, 2) },
    ]);
    const faq = await addSource(shopId, { kind: "faq", title: "Questions fréquentes", status: "published", language: "fr" }, [
      {
        heading: "Livraison",
        content: "La livraison standard prend de 3 à 5 jours ouvrés.",
        language: "fr",
        embedding: unitVector(4, 0, { axis: 3, weight: 0.5 }),
      },
      { heading: "Sizing", content: "Our shirts run small; order one size up.", language: "en", embedding: unitVector(5, 4) },
    ]);
    ids.frenchChunk = faq[0]!;
    // Both of these match the shipping query perfectly, and must never be returned.
    ids.draftChunk = (
      await addSource(shopId, { kind: "article", title: "Draft shipping update", status: "draft" }, [
        { heading: "Shipping delays", content: "Shipping delays: shipping takes 10 business days.", embedding: unitVector(99, 0) },
      ])
    )[0]!;
    ids.otherShopChunk = (
      await addSource(otherShopId, { kind: "policy", title: "Other shop shipping", status: "published" }, [
        { heading: "Shipping", content: "Shipping shipping shipping takes 3 to 5 business days.", embedding: unitVector(1, 0) },
      ])
    )[0]!;

    server = await startPostgrestServer({ databaseUrl: process.env.DATABASE_URL!, serviceRoleKey: SERVICE_KEY });
  });

  afterAll(async () => {
    await server?.close();
    await prisma.shop.deleteMany({ where: { domain: { in: domains } } });
  });

  const queries: { label: string; params: () => MatchParams }[] = [
    { label: "vector + text", params: () => ({ shopId, embedding: unitVector(1000, 0), queryText: "How long does shipping take?", limit: 10 }) },
    {
      label: "blended vector, different words",
      params: () => ({ shopId, embedding: unitVector(1001, 1, { axis: 2, weight: 0.6 }), queryText: "customs refund", limit: 3 }),
    },
    { label: "stop words only (vector search alone)", params: () => ({ shopId, embedding: unitVector(1002, 4), queryText: "the of and" }) },
    { label: "kinds filter", params: () => ({ shopId, embedding: unitVector(1003, 0), queryText: "shipping", kinds: ["faq"] }) },
  ];

  for (const { label, params } of queries) {
    it(`returns the same ranked chunks and scores as the direct path: ${label}`, async () => {
      const direct = await createPostgresStore().match(params());
      const viaSupabase = await supabaseStore().match(params());
      expect(direct.length).toBeGreaterThan(0);
      expectSameMatches(viaSupabase, direct);
    });
  }

  it("never returns drafts or another shop's chunks", async () => {
    const results = await supabaseStore().match({ shopId, embedding: unitVector(1, 0), queryText: "shipping business days", limit: 50 });
    const returned = results.map((match) => match.chunkId);
    expect(returned.length).toBeGreaterThanOrEqual(3);
    expect(returned).not.toContain(ids.draftChunk);
    expect(returned).not.toContain(ids.otherShopChunk);

    const otherShop = await supabaseStore().match({ shopId: otherShopId, embedding: unitVector(1, 0), queryText: "shipping", limit: 50 });
    expect(otherShop.map((match) => match.chunkId)).toEqual([ids.otherShopChunk]);
  });

  it("filters by language", async () => {
    const params = { shopId, embedding: unitVector(1004, 0), queryText: "livraison shipping", language: "fr", limit: 10 };
    const french = await supabaseStore().match(params);
    expect(french.map((match) => match.chunkId)).toEqual([ids.frenchChunk]);
    expect(french.every((match) => match.language === "fr")).toBe(true);
    expectSameMatches(french, await createPostgresStore().match(params));

    const english = await supabaseStore().match({ ...params, language: "en" });
    expect(english.length).toBeGreaterThan(0);
    expect(english.every((match) => match.language === "en")).toBe(true);
  });

  it("records the RPC call, with the shop id, in the server's request log", async () => {
    const before = server.requests.length;
    await supabaseStore().match({ shopId, embedding: unitVector(1005, 0), queryText: "shipping" });
    const logged = server.requests.slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ path: "/rest/v1/rpc/match_knowledge", status: 200, args: { p_shop_id: shopId, p_query_text: "shipping" } });
    expect(typeof logged[0]!.args.p_query_embedding).toBe("string");
  });

  it("fails clearly with a wrong service key, without echoing the key", async () => {
    const wrongKey = `wrong-key-${randomUUID()}`;
    const before = server.requests.length;
    const failure = await supabaseStore(wrongKey)
      .match({ shopId, embedding: unitVector(1, 0), queryText: "shipping" })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toMatch(/match_knowledge via Supabase failed/);
    expect(message).toMatch(/401/);
    expect(message).toMatch(/PGRST301/);
    expect(message).toMatch(/Invalid API key/);
    expect(message).not.toContain(wrongKey);
    expect(message).not.toContain(SERVICE_KEY);
    expect(server.requests.length).toBe(before);
  });

  it("rejects unknown argument names like PostgREST does", async () => {
    const client = createClient(server.url, SERVICE_KEY, { auth: { persistSession: false, autoRefreshToken: false } });
    const { data, error } = await client.rpc("match_knowledge", { p_shop_id: shopId, p_query_embedding: unitVector(1, 0), p_query_text: "x", p_bogus: 1 });
    expect(data).toBeNull();
    expect(error).toMatchObject({ code: "PGRST202" });
    expect(error?.details).toContain("p_bogus");

    // A JS array for a vector argument is accepted too (sent as a vector literal).
    const ok = await client.rpc("match_knowledge", { p_shop_id: shopId, p_query_embedding: unitVector(1, 0), p_query_text: "shipping", p_kinds: ["policy"] });
    expect(ok.error).toBeNull();
    expect((ok.data as { kind: string }[]).every((row) => row.kind === "policy")).toBe(true);
  });
});
