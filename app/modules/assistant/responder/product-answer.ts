import type { ToolContext } from "../tools/context";
import { formatMoney } from "./format";
import { type PhraseLanguage, phrase } from "./phrases";

/** Answers about the shop's catalogue: price, options, stock. */

export async function productReply(ctx: ToolContext, matches: { id: string; score: number }[], language: PhraseLanguage): Promise<string | undefined> {
  const ids = matches.filter((match) => match.score >= 0.7).slice(0, 3).map((match) => match.id);
  if (ids.length === 0) return undefined;
  const products = await ctx.db.product.findMany({
    where: { shopId: ctx.profile.shop.id, id: { in: ids }, status: "active" },
    include: { variants: { orderBy: { externalId: "asc" } } },
  });
  if (products.length === 0) return undefined;
  const lines: string[] = [];
  for (const product of ids.map((id) => products.find((candidate) => candidate.id === id)).filter((product) => product !== undefined)) {
    const min = formatMoney(String(product.priceMin), product.currency, language);
    const max = formatMoney(String(product.priceMax), product.currency, language);
    lines.push(phrase(language, "productPrice", { title: product.title, price: min === max ? min : `${min}–${max}` }));
    if (!product.available || product.variants.every((variant) => !variant.available)) {
      lines.push(phrase(language, "productSoldOut", { title: product.title }));
      continue;
    }
    const named = product.variants.filter((variant) => variant.title && variant.title !== "Default Title");
    const inStock = named.filter((variant) => variant.available).map((variant) => variant.title);
    const soldOut = named.filter((variant) => !variant.available).map((variant) => variant.title);
    if (inStock.length > 0) lines.push(phrase(language, "productOptions", { options: inStock.join(", ") }));
    if (soldOut.length > 0) lines.push(phrase(language, "productSoldOutOptions", { options: soldOut.join(", ") }));
  }
  return lines.join(" ");
}

