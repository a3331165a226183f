import type { PrismaClient } from "@prisma/client";
import { type BrandTone, isBrandTone } from "./brand-voice";
import type { ProductRef } from "./nlu/entities";
import { hasPhrases, PHRASE_LANGUAGES } from "./responder/phrases";
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
  /** An https URL, shown beside the assistant's name in the chat widget. */
  avatarUrl: string | null;
  brandTone: BrandTone;
  brandVoice: string;
  neverSay: string[];
  /**
   * The languages the merchant lets the assistant reply in, the shop's primary one first; empty: no
   * restriction (any language it speaks).
   */
  replyLanguages: string[];
  returnWindowDays: number;
  autoApproveRefundLimit: number;
  returnConditions: string;
  /** Lower-case product tags that are never accepted back (gift cards never are either). */
  nonReturnableTags: string[];
  /** Every return waits for a person's approval. */
  returnNeedsApproval: boolean;
  /** Every refund waits for a person's approval: the assistant approves none on its own, whatever the limit. */
  refundNeedsApproval: boolean;
  allowCancelUnfulfilled: boolean;
  /** Minutes after placing during which an order may be cancelled; null: until it ships. */
  cancelWindowMinutes: number | null;
  addressChangeNeedsApproval: boolean;
  escalation: EscalationRules;
  businessHours: BusinessHours;
  quickReplies: string[];
  /** The OpenAI chat model for this shop; null: the environment's (OPENAI_CHAT_MODEL). */
  chatModel: string | null;
}

export interface AssistantProfile {
  shop: AssistantShop;
  settings: AssistantSettings;
}

export class ShopNotFoundError extends Error {}

/**
 * Profiles are read on every turn; a short cache keeps that off the database. A settings save invalidates this
 * process's entry (invalidateAssistantProfile), so the next message uses the new settings; other app instances
 * pick them up when their entry expires, within 15 s.
 */
const profiles = perShopCache<AssistantProfile>(15_000);

export function loadAssistantProfile(db: PrismaClient, shopId: string): Promise<AssistantProfile> {
  return profiles(shopId, () => readAssistantProfile(db, shopId));
}

/** After a settings change: this process's next turn for the shop reads the settings afresh. */
export function invalidateAssistantProfile(shopId: string): void {
  profiles.invalidate(shopId);
}

/**
 * The merchant's allowed reply languages (those the assistant has words for), ordered for picking a fallback:
 * the shop's primary language, then its storefront languages, then the rest.
 */
export function orderReplyLanguages(allowed: string[], shop: { primaryLocale: string; locales: string[] }): string[] {
  const preferred = [shop.primaryLocale, ...shop.locales, ...PHRASE_LANGUAGES].map((locale) => locale.slice(0, 2).toLowerCase());
  const wanted = new Set<string>(allowed.map((code) => code.toLowerCase()).filter(hasPhrases));
  return [...new Set(preferred)].filter((code) => wanted.has(code));
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
      avatarUrl: s?.assistantAvatarUrl ?? null,
      brandTone: s && isBrandTone(s.brandTone) ? s.brandTone : "friendly",
      brandVoice: s?.brandVoice ?? "Friendly, concise and helpful.",
      neverSay: s?.neverSay ?? [],
      replyLanguages: orderReplyLanguages(s?.replyLanguages ?? [], shop),
      returnWindowDays: s?.returnWindowDays ?? 30,
      autoApproveRefundLimit: Number(s?.autoApproveRefundLimit ?? 50),
      returnConditions: s?.returnConditions ?? "Items must be unused and in their original packaging.",
      nonReturnableTags: (s?.nonReturnableTags ?? ["final sale", "final-sale", "non-returnable"]).map((tag) => tag.trim().toLowerCase()).filter(Boolean),
      returnNeedsApproval: s?.returnNeedsApproval ?? false,
      refundNeedsApproval: s?.refundNeedsApproval ?? false,
      allowCancelUnfulfilled: s?.allowCancelUnfulfilled ?? true,
      cancelWindowMinutes: s?.cancelWindowMinutes ?? null,
      addressChangeNeedsApproval: s?.addressChangeNeedsApproval ?? true,
      escalation: parseEscalationRules(s?.escalationRules),
      businessHours: parseBusinessHours(s?.businessHours),
      quickReplies: Array.isArray(widget.quickReplies) ? widget.quickReplies.filter((v): v is string => typeof v === "string").slice(0, 6) : [],
      chatModel: s?.chatModel ?? null,
    },
  };
}
