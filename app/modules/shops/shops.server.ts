import type { PrismaClient, Shop } from "@prisma/client";
import prisma from "~/db.server";
import { getPool } from "~/lib/db/pool.server";

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
  /** Conversations in the inbox's open views right now (the shopper wrote; not resolved or closed). */
  conversations: { open: number; waitingOnStaff: number };
  orders: { total: number; last30Days: number };
  knowledge: { published: number; drafts: number };
  products: number;
}

/**
 * Headline figures for the dashboard, all scoped to one shop, in one statement on the app's pg pool (six Prisma
 * queries cost more than the counting). Open conversations are the inbox's open views (the shopper wrote, not
 * resolved or closed): an index range, not every conversation the shop ever had.
 */
export async function getShopOverview(shopId: string): Promise<ShopOverview> {
  const { rows } = await getPool().query<{
    id: string;
    domain: string;
    name: string;
    currency: string;
    open: number;
    waitingOnStaff: number;
    orders: number;
    recentOrders: number;
    published: number;
    drafts: number;
    products: number;
  }>(
    `SELECT s."id", s."domain", s."name", s."currency",
       (SELECT count(*) FROM "Conversation" c WHERE c."shopId" = s."id" AND c."status" IN ('open', 'waiting_on_shopper') AND c."lastMessageAuthor" IS NOT NULL)::int AS "open",
       (SELECT count(*) FROM "Conversation" c WHERE c."shopId" = s."id" AND c."status" = 'waiting_on_staff' AND c."lastMessageAuthor" IS NOT NULL)::int AS "waitingOnStaff",
       (SELECT count(*) FROM "Order" o WHERE o."shopId" = s."id")::int AS "orders",
       (SELECT count(*) FROM "Order" o WHERE o."shopId" = s."id" AND o."placedAt" >= now() - interval '30 days')::int AS "recentOrders",
       (SELECT count(*) FROM "KnowledgeSource" k WHERE k."shopId" = s."id" AND k."status" = 'published')::int AS "published",
       (SELECT count(*) FROM "KnowledgeSource" k WHERE k."shopId" = s."id" AND k."status" = 'draft')::int AS "drafts",
       (SELECT count(*) FROM "Product" p WHERE p."shopId" = s."id")::int AS "products"
     FROM "Shop" s WHERE s."id" = $1`,
    [shopId],
  );
  const row = rows[0];
  if (!row) throw new Error(`getShopOverview: no shop ${shopId}`);
  return {
    shop: { id: row.id, domain: row.domain, name: row.name, currency: row.currency },
    conversations: { open: row.open, waitingOnStaff: row.waitingOnStaff },
    orders: { total: row.orders, last30Days: row.recentOrders },
    knowledge: { published: row.published, drafts: row.drafts },
    products: row.products,
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
