import type { PrismaClient } from "@prisma/client";
import prisma from "~/db.server";
import { enqueueJob } from "~/modules/jobs";
import { SYNC_PRODUCTS_JOB } from "./jobs";
import { queueReindex, sourceContentHash } from "./sources.server";

function formatMoney(amount: number, currency: string) {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount);
}

/** A product as a knowledge article, so the assistant can answer "do you have it in M?" and "how much is it?". */
export function productArticle(product: {
  title: string;
  description: string;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  currency: string;
  priceMin: { toString(): string };
  priceMax: { toString(): string };
  available: boolean;
  variants: { title: string; sku: string | null; price: { toString(): string }; available: boolean; inventoryQuantity: number }[];
}) {
  const min = Number(product.priceMin.toString());
  const max = Number(product.priceMax.toString());
  const price = min === max ? formatMoney(min, product.currency) : `${formatMoney(min, product.currency)} to ${formatMoney(max, product.currency)}`;
  const lines = [
    product.description.trim(),
    "",
    "## Price and availability",
    `${product.title} costs ${price}. ${product.available ? "It is in stock." : "It is currently sold out."}`,
    ...(product.vendor ? [`Brand: ${product.vendor}.`] : []),
    ...(product.productType ? [`Category: ${product.productType}.`] : []),
  ];
  if (product.variants.length > 1 || (product.variants[0] && product.variants[0].title !== "Default Title")) {
    lines.push("", "## Options");
    for (const variant of product.variants) {
      lines.push(
        `- ${variant.title}: ${formatMoney(Number(variant.price.toString()), product.currency)}, ${variant.available && variant.inventoryQuantity > 0 ? "in stock" : "sold out"}${variant.sku ? ` (SKU ${variant.sku})` : ""}`,
      );
    }
  }
  return lines.join("\n").trim();
}

/** Mirrors the shop's products into knowledge sources (kind "product"); unchanged products are left alone. */
export async function syncProductKnowledge(shopId: string, db: PrismaClient = prisma) {
  // Deleted products (tombstones kept by the commerce sync) leave the knowledge base.
  const products = await db.product.findMany({ where: { shopId, status: { not: "deleted" } }, include: { variants: true }, orderBy: { title: "asc" } });
  const existing = new Map(
    (
      await db.knowledgeSource.findMany({
        where: { shopId, kind: "product" },
        select: { id: true, externalId: true, contentHash: true, version: true, status: true },
      })
    ).map(
      (source) => [source.externalId, source],
    ),
  );
  let changed = 0;
  for (const product of products) {
    const content = { title: product.title, body: productArticle(product), tags: product.tags, language: "en" };
    const contentHash = sourceContentHash(content);
    const status = product.status === "active" ? ("published" as const) : ("draft" as const);
    const current = existing.get(product.externalId);
    if (current?.contentHash === contentHash && current.status === status) continue;
    changed++;
    if (current?.contentHash === contentHash) {
      // Only availability of the listing changed (archived, re-activated): no new version, no re-embedding.
      await db.$transaction([
        db.knowledgeSource.update({ where: { id: current.id }, data: { status } }),
        db.knowledgeChunk.updateMany({ where: { sourceId: current.id }, data: { published: status === "published" } }),
      ]);
      continue;
    }
    await db.$transaction(async (tx) => {
      const source = current
        ? await tx.knowledgeSource.update({ where: { id: current.id }, data: { ...content, contentHash, status, version: current.version + 1 } })
        : await tx.knowledgeSource.create({
            data: { shopId, kind: "product", externalId: product.externalId, ...content, contentHash, status, publishedAt: new Date() },
          });
      await tx.knowledgeSourceVersion.create({
        data: { sourceId: source.id, version: source.version, title: content.title, body: content.body, tags: content.tags, editedBy: "product sync" },
      });
      await queueReindex(tx, shopId, source.id);
    });
  }
  const productIds = new Set(products.map((product) => product.externalId));
  const gone = [...existing.values()].filter((source) => !productIds.has(source.externalId ?? "")).map((source) => source.id);
  if (gone.length > 0) await db.knowledgeSource.deleteMany({ where: { id: { in: gone }, shopId } });
  return { products: products.length, changed, removed: gone.length };
}

/** Queues a re-index for every source of the shop that has no chunks yet (seeded or imported data). */
export async function queueUnindexedSources(shopId: string, db: PrismaClient = prisma) {
  const sources = await db.knowledgeSource.findMany({ where: { shopId, chunks: { none: {} } }, select: { id: true } });
  for (const source of sources) await queueReindex(db, shopId, source.id);
  return sources.length;
}

/** Job handler for SYNC_PRODUCTS_JOB. */
export async function syncProductsJob(job: { payload: unknown }) {
  const shopId = (job.payload as { shopId?: unknown }).shopId;
  if (typeof shopId !== "string") throw new Error("knowledge.sync-products needs { shopId }");
  await syncProductKnowledge(shopId);
}

/** Queues one refresh of the shop's product knowledge, however many product changes ask for it meanwhile. */
export function queueProductKnowledgeSync(db: PrismaClient, shopId: string) {
  return enqueueJob(db, { name: SYNC_PRODUCTS_JOB, shopId, payload: { shopId }, dedupeKey: `${SYNC_PRODUCTS_JOB}:${shopId}` });
}
