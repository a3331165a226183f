import type { PrismaClient } from "@prisma/client";
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

/** Active products' titles, for recognising the ones a message names (a minute stale at most). */
const catalogues = perShopCache<{ id: string; title: string }[]>(60_000);

export function catalogueTitles(db: PrismaClient, shopId: string) {
  return catalogues(shopId, () => db.product.findMany({ where: { shopId, status: "active" }, select: { id: true, title: true }, take: 2_000 }));
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
      addressChangeNeedsApproval: s?.addressChangeNeedsApproval ?? true,
      escalation: parseEscalationRules(s?.escalationRules),
      businessHours: parseBusinessHours(s?.businessHours),
      quickReplies: Array.isArray(widget.quickReplies) ? widget.quickReplies.filter((v): v is string => typeof v === "string").slice(0, 6) : [],
    },
  };
}
