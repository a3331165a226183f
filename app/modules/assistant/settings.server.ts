import type { PrismaClient } from "@prisma/client";
import type { ProductRef } from "./nlu/entities";
import { perShopCache } from "./shop-cache";
import { type BusinessHours, type EscalationRules, parseBusinessHours, parseEscalationRules } from "~/modules/routing";

/** Everything about a shop the assistant needs for one turn, read once per turn. */
export interface AssistantShop {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  primaryLocale: string;
  locales: string[];
  orderNamePrefix: string;
  supportEmail: string | null;
}

export interface AssistantSettings {
  assistantName: string;
  greeting: string;
  brandVoice: string;
  neverSay: string[];
  returnWindowDays: number;
  autoApproveRefundLimit: number;
  returnConditions: string;
  allowCancelUnfulfilled: boolean;
  /** Minutes after placing during which an order may be cancelled; null: until it ships. */
  cancelWindowMinutes: number | null;
  addressChangeNeedsApproval: boolean;
  escalation: EscalationRules;
  businessHours: BusinessHours;
  quickReplies: string[];
}

export interface AssistantProfile {
  shop: AssistantShop;
  settings: AssistantSettings;
}

export class ShopNotFoundError extends Error {}

/** Profiles are read on every turn; a short cache keeps that off the database (settings edits apply within 15 s). */
const profiles = perShopCache<AssistantProfile>(15_000);

export function loadAssistantProfile(db: PrismaClient, shopId: string): Promise<AssistantProfile> {
  return profiles(shopId, () => readAssistantProfile(db, shopId));
}

/** Description text kept per product for recognising product words: the opening of a long description is plenty. */
const CATALOGUE_DESCRIPTION_CHARS = 3_000;

/**
 * Active products' titles, for recognising the ones a message names, with their type, brand, tags and
 * description, for telling a product the shop sells from one it does not (a minute stale at most). The same
 * array is returned while cached, so the NLU indexes it once.
 */
const catalogues = perShopCache<ProductRef[]>(60_000);

export function catalogueTitles(db: PrismaClient, shopId: string): Promise<ProductRef[]> {
  return catalogues(shopId, async () => {
    const rows = await db.product.findMany({
      where: { shopId, status: "active" },
      select: { id: true, title: true, productType: true, vendor: true, tags: true, description: true },
      orderBy: { id: "asc" },
      take: 2_000,
    });
    return rows.map((row) => ({ ...row, description: row.description.slice(0, CATALOGUE_DESCRIPTION_CHARS) }));
  });
}

async function readAssistantProfile(db: PrismaClient, shopId: string): Promise<AssistantProfile> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, include: { settings: true } });
  if (!shop || shop.uninstalledAt) throw new ShopNotFoundError(`shop ${shopId} is not installed`);
  const s = shop.settings;
  const widget = (s?.widget ?? {}) as { quickReplies?: unknown };
  return {
    shop: {
      id: shop.id,
      name: shop.name,
      currency: shop.currency,
      timezone: shop.timezone,
      primaryLocale: shop.primaryLocale,
      locales: shop.locales.length > 0 ? shop.locales : [shop.primaryLocale],
      orderNamePrefix: shop.orderNamePrefix,
      supportEmail: shop.email,
    },
    settings: {
      assistantName: s?.assistantName ?? "Shopdesk Assistant",
      greeting: s?.greeting ?? "Hi! How can I help you today?",
      brandVoice: s?.brandVoice ?? "Friendly, concise and helpful.",
      neverSay: s?.neverSay ?? [],
      returnWindowDays: s?.returnWindowDays ?? 30,
      autoApproveRefundLimit: Number(s?.autoApproveRefundLimit ?? 50),
      returnConditions: s?.returnConditions ?? "Items must be unused and in their original packaging.",
      allowCancelUnfulfilled: s?.allowCancelUnfulfilled ?? true,
      cancelWindowMinutes: s?.cancelWindowMinutes ?? null,
      addressChangeNeedsApproval: s?.addressChangeNeedsApproval ?? true,
      escalation: parseEscalationRules(s?.escalationRules),
      businessHours: parseBusinessHours(s?.businessHours),
      quickReplies: Array.isArray(widget.quickReplies) ? widget.quickReplies.filter((v): v is string => typeof v === "string").slice(0, 6) : [],
    },
  };
}
