import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loadAssistantProfile } from "~/modules/assistant";
import { extractEntities, NAMED_PRODUCT_SCORE } from "~/modules/assistant/nlu/entities";
import { answerProductQuestion } from "~/modules/assistant/responder/product-answer";
import { catalogueTitles } from "~/modules/assistant/settings.server";
import type { ToolContext } from "~/modules/assistant/tools/context";
import { createTestShop, deleteTestShop } from "../support/shops";

/**
 * answerProductQuestion on PostgreSQL: products and variants as the commerce sync stores them, the catalogue
 * as catalogueTitles loads it, answers in English, French and German.
 */

let shop: Awaited<ReturnType<typeof createTestShop>>;
let otherShop: Awaited<ReturnType<typeof createTestShop>>;
let ctx: ToolContext;
const ids = { jacket: "", tee: "", archived: "", foreign: "" };

async function addProduct(
  shopId: string,
  spec: { handle: string; title: string; description: string; status?: string; productType?: string; tags?: string[]; variants: [string, number, number][] },
) {
  const prices = spec.variants.map(([, price]) => price);
  const product = await prisma.product.create({
    data: {
      shopId,
      platform: "shopify",
      externalId: `gid://shopify/Product/${spec.handle}`,
      handle: spec.handle,
      title: spec.title,
      description: spec.description,
      productType: spec.productType,
      tags: spec.tags ?? [],
      status: spec.status ?? "active",
      currency: "EUR",
      priceMin: Math.min(...prices),
      priceMax: Math.max(...prices),
      available: spec.variants.some(([, , stock]) => stock > 0),
    },
  });
  await prisma.productVariant.createMany({
    data: spec.variants.map(([title, price, stock], i) => ({
      shopId,
      productId: product.id,
      externalId: `${spec.handle}-${i + 1}`,
      title,
      price,
      inventoryQuantity: stock,
      available: stock > 0,
    })),
  });
  return product.id;
}

beforeAll(async () => {
  shop = await createTestShop("Alder & Pine products");
  otherShop = await createTestShop("Another shop");
  await prisma.shop.update({ where: { id: shop.id }, data: { currency: "EUR", locales: ["en", "fr", "de"] } });
  ids.jacket = await addProduct(shop.id, {
    handle: "cascade-rain-jacket",
    title: "Cascade Rain Jacket",
    productType: "Jackets",
    tags: ["waterproof"],
    description:
      "<p>A packable rain jacket for long days on the trail.</p><p>Waterproof and breathable 2.5-layer shell with fully taped seams.</p><ul><li>Made with 100% recycled nylon.</li><li>Regular fit with room for a fleece.</li></ul>",
    variants: [
      ["S", 180, 4],
      ["M", 180, 0],
      ["L", 180, 7],
    ],
  });
  ids.tee = await addProduct(shop.id, {
    handle: "trail-tee",
    title: "Trail Tee",
    description: "A soft organic-cotton tee with a compass print. Machine wash cold.",
    variants: [["Default Title", 38, 25]],
  });
  ids.archived = await addProduct(shop.id, {
    handle: "old-parka",
    title: "Old Parka",
    status: "archived",
    description: "Waterproof parka.",
    variants: [["Default Title", 250, 3]],
  });
  ids.foreign = await addProduct(otherShop.id, {
    handle: "foreign-shell",
    title: "Foreign Shell",
    description: "Waterproof shell.",
    variants: [["Default Title", 99, 3]],
  });
  ctx = {
    db: prisma,
    profile: await loadAssistantProfile(prisma, shop.id),
    conversation: { id: "conversation", customerId: null, verifiedOrderIds: [] },
    actor: "assistant",
    now: new Date(),
  };
});

afterAll(async () => {
  await deleteTestShop(shop.domain);
  await deleteTestShop(otherShop.domain);
});

describe("answerProductQuestion", () => {
  it("English: the product under discussion, answered from its description (HTML stripped)", async () => {
    const answer = await answerProductQuestion(ctx, { question: "is it waterproof?", language: "en", productIds: [], focusProductId: ids.jacket });
    expect(answer).toEqual({
      kind: "answer",
      productId: ids.jacket,
      text: 'Yes, Cascade Rain Jacket is waterproof. The product page says: "Waterproof and breathable 2.5-layer shell with fully taped seams."',
    });
  });

  it("a product named in the message wins over the one under discussion", async () => {
    const answer = await answerProductQuestion(ctx, { question: "how do I wash the trail tee?", language: "en", productIds: [ids.tee], focusProductId: ids.jacket });
    expect(answer).toEqual({ kind: "answer", productId: ids.tee, text: 'The Trail Tee product page says: "Machine wash cold."' });
  });

  it("French: sizes in stock and sold out, from the variants", async () => {
    const answer = await answerProductQuestion(ctx, { question: "Quelles tailles avez-vous ?", language: "fr", productIds: [ids.jacket] });
    expect(answer).toEqual({ kind: "answer", productId: ids.jacket, text: "Cascade Rain Jacket est disponible en S, L. Épuisé pour le moment : M." });
    const price = await answerProductQuestion(ctx, { question: "Combien coûte-t-elle ?", language: "fr", productIds: [ids.jacket] });
    expect(price).toMatchObject({ kind: "answer", text: "Le prix de Cascade Rain Jacket est de 180,00\u00a0€." });
  });

  it("German: the material named in German, then the sentence quoted as the merchant wrote it", async () => {
    const answer = await answerProductQuestion(ctx, { question: "Woraus ist die Jacke?", language: "de", productIds: [], focusProductId: ids.jacket });
    expect(answer).toEqual({
      kind: "answer",
      productId: ids.jacket,
      text: "Material: 100 % recyceltes Nylon. Auf der Produktseite von Cascade Rain Jacket steht: „Made with 100% recycled nylon.“",
    });
  });

  it("says when the description doesn't answer", async () => {
    expect(await answerProductQuestion(ctx, { question: "is it waterproof?", language: "en", productIds: [ids.tee] })).toEqual({
      kind: "not_in_description",
      productId: ids.tee,
      title: "Trail Tee",
    });
    expect(await answerProductQuestion(ctx, { question: "Ist es wasserdicht?", language: "de", productIds: [], focusProductId: ids.tee })).toMatchObject({
      kind: "not_in_description",
    });
  });

  it("a product the shop doesn't sell is unknown, even with another product under discussion", async () => {
    const question = "do you have the Nimbus rain jacket?";
    const entities = extractEntities(question, { products: await catalogueTitles(prisma, shop.id) });
    expect(entities.products.filter((match) => match.score >= NAMED_PRODUCT_SCORE)).toEqual([]);
    expect(await answerProductQuestion(ctx, { question, language: "en", productIds: [], focusProductId: ids.jacket })).toEqual({
      kind: "unknown_product",
      name: "Nimbus rain jacket",
    });
    expect(await answerProductQuestion(ctx, { question: "vendez-vous des coques d'iPhone ?", language: "fr", productIds: [], focusProductId: ids.tee })).toEqual({
      kind: "unknown_product",
      name: "coques d'iPhone",
    });
  });

  it("answers only about this shop's active products, and nothing without a product", async () => {
    expect(await answerProductQuestion(ctx, { question: "is it waterproof?", language: "en", productIds: [ids.foreign] })).toBeUndefined();
    expect(await answerProductQuestion(ctx, { question: "is it waterproof?", language: "en", productIds: [ids.archived] })).toBeUndefined();
    expect(await answerProductQuestion(ctx, { question: "is it waterproof?", language: "en", productIds: [] })).toBeUndefined();
  });

  it("catalogueTitles gives the NLU this shop's active products with their descriptions", async () => {
    const catalogue = await catalogueTitles(prisma, shop.id);
    expect(catalogue.map((product) => product.title).sort()).toEqual(["Cascade Rain Jacket", "Trail Tee"]);
    expect(catalogue.find((product) => product.id === ids.jacket)).toMatchObject({ productType: "Jackets", tags: ["waterproof"], description: expect.stringContaining("recycled nylon") });
  });
});
