import { randomUUID } from "node:crypto";
import prisma from "~/db.server";
import { recordWebhook } from "~/modules/commerce";
import { getShopOverview } from "~/modules/shops";
import { measure } from "./stats";

/** Hot paths of the foundation: webhook intake (must answer Shopify fast) and the dashboard's figures. */
export async function run(context: { shopDomain: string }) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: context.shopDomain } });
  const intake = await measure(300, () =>
    recordWebhook({
      platform: "shopify",
      shopDomain: shop.domain,
      topic: "orders/updated",
      deliveryId: `bench-${randomUUID()}`,
      payload: { id: 1, note: "benchmark" },
    }),
  );
  await prisma.job.deleteMany({ where: { shopId: shop.id, name: "webhooks.process" } });
  await prisma.webhookEvent.deleteMany({ where: { shopId: shop.id, deliveryId: { startsWith: "bench-" } } });
  const overview = await measure(100, () => getShopOverview(shop.id));
  return { "webhook intake (record + enqueue), ms": intake, "dashboard overview (500+ orders), ms": overview };
}
