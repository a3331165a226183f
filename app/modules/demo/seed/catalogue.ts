import { PRODUCTS } from "../seed-data";
import { DAY, HOUR } from "./calendar";
import { type GenProduct, type GenVariant, HISTORY_DAYS } from "./model";
import { toCents } from "./money";
import { Rng } from "./random";

function variantCode(title: string): string {
  const tokens = title.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  return tokens.map((token) => (/^\d+$/.test(token) ? token : token.slice(0, tokens.length > 1 ? 3 : 4))).join("");
}

const NOT_RETURNABLE_TAGS = ["non-returnable", "hygiene-item", "personalized", "gift-card"];

/** The catalogue (PRODUCTS) with Shopify ids, SKUs and stock. Sold-out products have no stock in any variant. */
export function buildCatalogue(now: number): GenProduct[] {
  const rng = new Rng(0xca7a1061);
  return PRODUCTS.map((def, index) => {
    const titles = def.variants ?? ["Default Title"];
    const variants = titles.map((title, v): GenVariant => {
      const stock = def.soldOut ? 0 : rng.chance(0.08) ? 0 : rng.int(3, 140);
      return {
        shopifyId: 44_218_304_512_000 + index * 100 + v,
        title,
        sku: title === "Default Title" ? `NW-${def.code}` : `NW-${def.code}-${variantCode(title)}`,
        priceCents: toCents(def.variantPrices?.[v] ?? def.price),
        inventory: def.notShipped ? 0 : stock,
        tracked: !def.notShipped,
      };
    });
    return {
      def,
      shopifyId: 8_104_372_658_000 + index * 1_013,
      variants,
      returnable: !def.tags.some((tag) => NOT_RETURNABLE_TAGS.includes(tag)),
      createdAt: now - (HISTORY_DAYS + 20 + rng.int(0, 400)) * DAY,
      // Stock moves with every sale: each product was last touched within the past few days.
      updatedAt: now - ((index % 7) * 9 + 2) * HOUR,
    };
  });
}

/** Shopify's availability rule for a variant: untracked inventory is always available. */
export const variantAvailable = (variant: GenVariant) => !variant.tracked || variant.inventory > 0;
