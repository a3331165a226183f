import type { PrismaClient } from "@prisma/client";
import { DEMO_SHOP_NAME, STAFF, STORE_FACTS } from "../seed-data";
import { money } from "./money";
import { stableId } from "./stable-id";

/** The shop itself, its assistant settings and its staff: written directly (no platform holds them). */

export async function seedShop(prisma: PrismaClient, domain: string): Promise<string> {
  const fields = {
    name: DEMO_SHOP_NAME,
    email: STORE_FACTS.supportEmail,
    currency: STORE_FACTS.currency,
    timezone: STORE_FACTS.timezone,
    primaryLocale: "en",
    locales: [...STORE_FACTS.locales],
  };
  const shop = await prisma.shop.upsert({ where: { domain }, create: { domain, ...fields }, update: fields, select: { id: true } });
  return shop.id;
}

/** Created once; a merchant's later edits in the demo admin are kept. */
export async function seedSettings(prisma: PrismaClient, shopId: string) {
  await prisma.shopSettings.upsert({
    where: { shopId },
    update: {},
    create: {
      shopId,
      assistantName: "Juniper",
      greeting: "Hi, I'm Juniper from Northwind Outfitters! I can track your order, start a return or exchange, and help with sizing and shipping questions.",
      brandVoice: "Warm, practical and outdoorsy. Short sentences and plain words, no hype. Use the shopper's first name when you know it.",
      neverSay: ["guaranteed delivery", "I promise", "lifetime warranty", "that's not our problem"],
      returnWindowDays: STORE_FACTS.returnWindowDays,
      autoApproveRefundLimit: money(STORE_FACTS.autoApproveRefundLimit * 100),
      // The prepaid label the seeded US returns deducted; tax is refunded with the items (the default).
      returnFee: money(STORE_FACTS.returnLabelFeeCents),
      returnConditions:
        "Items must be unused, unwashed and returned within 30 days of delivery with the original tags attached and in the original packaging. Footwear may be tried on indoors only. Gift cards, Final Sale items, personalized items, food, fuel canisters and opened socks or underwear can't be returned.",
      allowCancelUnfulfilled: true,
      addressChangeNeedsApproval: true,
      escalationRules: {
        orderValueThreshold: 250,
        keywords: ["chargeback", "lawyer", "fraud", "injury", "injured", "unsafe", "allergic", "better business bureau"],
        frustrationThreshold: 0.7,
        maxFailedTurns: 2,
      },
      businessHours: {
        timezone: STORE_FACTS.timezone,
        days: {
          monday: { open: "08:00", close: "18:00" },
          tuesday: { open: "08:00", close: "18:00" },
          wednesday: { open: "08:00", close: "18:00" },
          thursday: { open: "08:00", close: "18:00" },
          friday: { open: "08:00", close: "18:00" },
          saturday: { open: "09:00", close: "15:00" },
          sunday: null,
        },
        closedOn: "US federal holidays",
        expectedResponse: "within 1 business day",
      },
      widget: { quickReplies: ["Where is my order?", "Start a return", "Sizing help", "Shipping costs"] },
    },
  });
}

/** Staff members by e-mail → their stored ids. */
export async function seedStaff(prisma: PrismaClient, shopId: string): Promise<Map<string, string>> {
  await prisma.staffMember.createMany({
    data: STAFF.map((member) => ({ id: stableId(shopId, `staff:${member.email}`), shopId, email: member.email, name: member.name, role: member.role })),
    skipDuplicates: true,
  });
  const rows = await prisma.staffMember.findMany({ where: { shopId, email: { in: STAFF.map((m) => m.email) } }, select: { id: true, email: true } });
  return new Map(rows.map((row) => [row.email, row.id]));
}
