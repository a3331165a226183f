import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getOnboardingChecklist, markOnboardingStep } from "~/modules/onboarding";
import { createTestShop, deleteTestShop } from "../support/shops";

describe("the dashboard's setup checklist", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  beforeAll(async () => {
    shop = await createTestShop("Onboarding shop");
  });
  afterAll(() => deleteTestShop(shop.domain));

  const checklist = (demo = false) => getOnboardingChecklist({ shopId: shop.id, shopDomain: shop.domain, apiKey: "api-key-123", demo });
  const stateOf = async () => Object.fromEntries((await checklist()).items.map((item) => [item.step, item.doneBy]));

  it("starts with nothing done and links each step to where it is done", async () => {
    const first = await checklist();
    expect([first.done, first.total, first.complete]).toEqual([0, 5, false]);
    const byStep = Object.fromEntries(first.items.map((item) => [item.step, item]));
    expect(byStep.import_knowledge?.action).toEqual({ label: "Import articles", url: "/app/knowledge/import", external: false });
    expect(byStep.review_policies?.action.url).toBe("/app/knowledge?kind=policy");
    expect(byStep.review_policies?.description).toMatch(/No store policies synced yet/);
    // The theme editor opens the app embeds with this app's chat bubble selected.
    expect(byStep.enable_chat_bubble?.action.url).toBe(`https://${shop.domain}/admin/themes/current/editor?context=apps&activateAppId=api-key-123/chat-bubble`);
    expect(byStep.send_test_message?.action.url).toBe(`https://${shop.domain}`);
    expect(byStep.invite_staff?.action.url).toBe(`https://admin.shopify.com/store/${shop.domain.replace(".myshopify.com", "")}/settings/account`);
    expect(first.items.filter((item) => item.markable).map((item) => item.step)).toEqual(["review_policies", "enable_chat_bubble"]);
    // In the demo, the storefront is the demo's own page.
    expect((await checklist(true)).items.find((item) => item.step === "send_test_message")?.action.url).toBe("/demo/storefront");
  });

  it("reads what the shop holds, and records who marked a step (once)", async () => {
    // A draft article is not knowledge the assistant answers from; a published one is.
    const article = { shopId: shop.id, kind: "article" as const, title: "Shipping", body: "We ship in 2 days.", contentHash: randomUUID() };
    await prisma.knowledgeSource.create({ data: { ...article, status: "draft" } });
    expect((await stateOf()).import_knowledge).toBeNull();
    await prisma.knowledgeSource.create({ data: { ...article, status: "published", contentHash: randomUUID() } });
    await prisma.knowledgeSource.create({ data: { shopId: shop.id, kind: "policy", externalId: "refund_policy", title: "Refund policy", body: "30 days.", contentHash: randomUUID(), status: "published" } });
    expect((await stateOf()).import_knowledge).toBe("data");
    expect((await checklist()).items.find((item) => item.step === "review_policies")?.description).toMatch(/^1 policy from your store settings/);

    const owner = await prisma.staffMember.create({ data: { shopId: shop.id, email: "owner@example.com", name: "Owner" } });
    await markOnboardingStep(prisma, { shopId: shop.id, staffId: owner.id, step: "review_policies" });
    await markOnboardingStep(prisma, { shopId: shop.id, staffId: owner.id, step: "review_policies" });
    expect((await stateOf()).review_policies).toBe("marked");
    const marks = await prisma.actionLog.findMany({ where: { shopId: shop.id, action: "onboarding.review_policies" } });
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ actor: `staff:${owner.id}`, targetType: "onboarding", targetId: "review_policies" });

    // A conversation through the chat bubble that the shopper wrote in proves the embed is on and a message was sent;
    // one the shopper only opened does not.
    await prisma.conversation.create({ data: { shopId: shop.id, tokenHash: randomUUID(), channel: "web_chat" } });
    expect((await stateOf()).send_test_message).toBeNull();
    await prisma.conversation.create({ data: { shopId: shop.id, tokenHash: randomUUID(), channel: "web_chat", lastMessageAuthor: "shopper" } });
    expect(await stateOf()).toMatchObject({ enable_chat_bubble: "data", send_test_message: "data", invite_staff: null });

    // A second person (active) is the team.
    const colleague = await prisma.staffMember.create({ data: { shopId: shop.id, email: "agent@example.com", name: "Agent", active: false } });
    expect((await stateOf()).invite_staff).toBeNull();
    await prisma.staffMember.update({ where: { id: colleague.id }, data: { active: true } });
    const last = await checklist();
    expect([last.done, last.complete]).toEqual([5, true]);
  });
});
