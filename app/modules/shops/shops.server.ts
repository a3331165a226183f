import type { PrismaClient, Shop } from "@prisma/client";
import prisma from "~/db.server";

/** The shop record for an authenticated Shopify domain, created with default settings on first sight. */
export async function ensureShop(domain: string, db: PrismaClient = prisma): Promise<Shop> {
  const existing = await db.shop.findUnique({ where: { domain } });
  if (existing && !existing.uninstalledAt) return existing;
  if (existing) {
    return db.shop.update({ where: { id: existing.id }, data: { uninstalledAt: null, installedAt: new Date() } });
  }
  return db.shop.upsert({
    where: { domain },
    create: { domain, name: domain.replace(/\.myshopify\.com$/, ""), settings: { create: {} } },
    update: {},
  });
}

export interface ShopOverview {
  shop: { id: string; domain: string; name: string; currency: string };
  conversations: { open: number; waitingOnStaff: number; resolved: number };
  orders: { total: number; last30Days: number };
  knowledge: { published: number; drafts: number };
  products: number;
}

/** Headline figures for the dashboard, all scoped to one shop. */
export async function getShopOverview(shopId: string, db: PrismaClient = prisma): Promise<ShopOverview> {
  const since = new Date(Date.now() - 30 * 24 * 3600 * 1000);
  const [shop, byStatus, orders, recentOrders, knowledge, products] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { id: true, domain: true, name: true, currency: true } }),
    db.conversation.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } }),
    db.order.count({ where: { shopId } }),
    db.order.count({ where: { shopId, placedAt: { gte: since } } }),
    db.knowledgeSource.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } }),
    db.product.count({ where: { shopId } }),
  ]);
  const conversationCount = (status: string) => byStatus.find((row) => row.status === status)?._count._all ?? 0;
  const knowledgeCount = (status: string) => knowledge.find((row) => row.status === status)?._count._all ?? 0;
  return {
    shop,
    conversations: {
      open: conversationCount("open") + conversationCount("waiting_on_shopper"),
      waitingOnStaff: conversationCount("waiting_on_staff"),
      resolved: conversationCount("resolved") + conversationCount("closed"),
    },
    orders: { total: orders, last30Days: recentOrders },
    knowledge: { published: knowledgeCount("published"), drafts: knowledgeCount("draft") },
    products,
  };
}

/** app/uninstalled: the shop keeps its data (shop/redact deletes it 48 h later) but loses its sessions. */
export async function markShopUninstalled(domain: string, db: PrismaClient = prisma) {
  await db.session.deleteMany({ where: { shop: domain } });
  await db.shop.updateMany({ where: { domain }, data: { uninstalledAt: new Date() } });
}

/** What the storefront widget needs before the shopper says anything. Public data only. */
export async function getWidgetConfig(domain: string, db: PrismaClient = prisma) {
  const shop = await db.shop.findUnique({ where: { domain }, include: { settings: true } });
  if (!shop || shop.uninstalledAt) return null;
  return {
    shopName: shop.name,
    assistantName: shop.settings?.assistantName ?? "Shopdesk Assistant",
    greeting: shop.settings?.greeting ?? "Hi! How can I help you today?",
    locales: shop.locales,
  };
}
