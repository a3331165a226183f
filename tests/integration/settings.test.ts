import { randomInt } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loadAssistantProfile } from "~/modules/assistant";
import { handleShopperMessage, startConversation } from "~/modules/conversations";
import type { Env } from "~/env.server";
import { openConversation } from "~/modules/storefront";
import { loadSettingsPage, type ModelOptions, modelOptionsFromEnv, type SettingsForm, saveShopSettings } from "~/modules/settings";
import { type AssistantFixture, createAssistantFixture, deleteAssistantFixture, NOW } from "../support/assistant-fixtures";

/** The Settings page's module on a real database: validation, the write and its action log, and the assistant's next turn. */
describe("shop settings", () => {
  let fx: AssistantFixture;
  let owner: { id: string; name: string; role: "owner" };
  const noModel: ModelOptions = { configurable: false, defaultModel: "gpt-4o-mini" };
  const shop = () => ({ id: fx.shopId, timezone: "America/Los_Angeles", currency: "USD" });

  beforeAll(async () => {
    fx = await createAssistantFixture();
    const member = await prisma.staffMember.create({ data: { shopId: fx.shopId, email: "olive@alderpine.example", name: "Olive Owner", role: "owner" } });
    owner = { id: member.id, name: member.name, role: "owner" };
  });
  afterAll(() => deleteAssistantFixture(fx));

  /** The page's form as loaded, with the fields a test changes. */
  async function edited(changes: Partial<SettingsForm> = {}) {
    const page = await loadSettingsPage(prisma, shop(), noModel);
    return { form: { ...page.form, ...changes }, updatedAt: page.updatedAt };
  }

  async function save(changes: Partial<SettingsForm>, options: { model?: ModelOptions } = {}) {
    const { form, updatedAt } = await edited(changes);
    return saveShopSettings(prisma, { shop: shop(), editor: owner, form, updatedAt, model: options.model ?? noModel });
  }

  // Its own address per test: the storefront limits new conversations per IP (and the limiter outlives a run).
  const storefrontCaller = () => ({ shopId: fx.shopId, customerId: null, ip: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(256)}` });

  const settingsLog = () => prisma.actionLog.findMany({ where: { shopId: fx.shopId, action: "settings.updated" }, orderBy: { createdAt: "asc" } });

  async function chat(customerId?: string, language = "en") {
    const { conversation } = await startConversation(prisma, { shopId: fx.shopId, customerId, language });
    let turns = 0;
    return (text: string) => handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: conversation.id, text }, { now: new Date(NOW.getTime() + 5_000 * turns++) });
  }

  beforeEach(async () => {
    // Each test starts from the fixture's values for what the tests change.
    const reset = await save({
      assistantName: "Maple",
      autoApproveRefundLimit: "50.00",
      replyLanguages: ["en", "fr", "de", "es"],
      approvals: { cancel: false, addressChange: true, return: false, refund: false },
      nonReturnableTags: "final sale, final-sale, non-returnable",
      handoffKeywords: "chargeback\nlawyer",
    });
    expect(reset.ok).toBe(true);
  });

  it("loads the stored values into the form, the JSON settings included", async () => {
    const page = await loadSettingsPage(prisma, shop(), noModel);
    expect(page.form).toMatchObject({
      assistantName: "Maple",
      autoApproveRefundLimit: "50.00",
      returnWindowDays: "30",
      replyLanguages: ["en", "fr", "de", "es"],
      handoffKeywords: "chargeback\nlawyer",
      orderValueThreshold: "500",
      frustrationThreshold: "70",
      maxFailedTurns: "2",
      timezone: "America/Los_Angeles",
      expectedResponse: "within 2 hours",
      cancelWindow: "until_shipped",
      webhookPayloadRetentionDays: "30",
      conversationRetentionDays: "",
    });
    expect(page.form.hours.monday).toEqual({ open: true, from: "08:00", to: "18:00" });
    expect(page.form.hours.saturday.open).toBe(false);
    expect(page.options.timezones).toContain("Europe/Paris");
    expect(page.modelConfigurable).toBe(false);
  });

  it("rejects an invalid form field by field and saves nothing", async () => {
    const before = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: fx.shopId } });
    const logged = (await settingsLog()).length;
    const base = await edited();
    const result = await saveShopSettings(prisma, {
      shop: shop(),
      editor: owner,
      updatedAt: base.updatedAt,
      model: { configurable: true, defaultModel: "gpt-4o-mini" },
      form: {
        ...base.form,
        assistantName: "   ",
        avatarUrl: "http://cdn.example.com/a.png",
        replyLanguages: [],
        returnWindowDays: "0",
        autoApproveRefundLimit: "12.345",
        returnFee: "-1",
        cancelWindow: "minutes",
        cancelWindowMinutes: "soon",
        orderValueThreshold: "0",
        frustrationThreshold: "150",
        maxFailedTurns: "0",
        timezone: "Mars/Olympus_Mons",
        hours: { ...base.form.hours, monday: { open: true, from: "25:00", to: "18:00" } },
        conversationRetentionDays: "0",
        webhookPayloadRetentionDays: "1000",
        chatModel: "gpt 4o; drop table",
        neverSay: "x".repeat(201),
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok || !("fieldErrors" in result)) throw new Error("expected field errors");
    expect(result.status).toBe(400);
    expect(result.fieldErrors).toEqual({
      assistantName: "Enter a name.",
      avatarUrl: "Enter an https:// address of an image, or leave it empty.",
      replyLanguages: "Choose at least one language.",
      returnWindowDays: "The return window must be at least 1.",
      autoApproveRefundLimit: "The auto-approve limit must be an amount like 50 or 49.99.",
      returnFee: "The return fee must be an amount like 50 or 49.99.",
      cancelWindowMinutes: "The cancellation window must be a whole number.",
      orderValueThreshold: "The order value must be more than 0, or left empty.",
      frustrationThreshold: "The frustration threshold can be at most 100.",
      maxFailedTurns: "Unanswered messages must be at least 1.",
      timezone: "Choose a time zone from the list.",
      "hours.monday.from": "Enter a time like 09:00.",
      conversationRetentionDays: "Conversation retention must be at least 1.",
      webhookPayloadRetentionDays: "Webhook payload retention can be at most 365.",
      chatModel: "A model name uses letters, digits and . _ : / - only, like gpt-4o-mini.",
      "neverSay.0": "Each entry can be at most 200 characters.",
    });
    expect(await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: fx.shopId } })).toEqual(before);
    expect(await settingsLog()).toHaveLength(logged);
  });

  it("one invalid field is enough to save none of the valid ones", async () => {
    const result = await save({ assistantName: "Sage", returnWindowDays: "400" });
    expect(result).toMatchObject({ ok: false, status: 400, fieldErrors: { returnWindowDays: "The return window can be at most 365." } });
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: fx.shopId } })).assistantName).toBe("Maple");
  });

  it("saves a change with an action-log entry of who changed which field from what to what", async () => {
    const logged = (await settingsLog()).length;
    const result = await save({
      assistantName: "Sage",
      autoApproveRefundLimit: "20",
      nonReturnableTags: "Clearance, FINAL SALE, clearance",
      cancelWindow: "minutes",
      cancelWindowMinutes: "90",
      hours: { ...(await edited()).form.hours, saturday: { open: true, from: "10:00", to: "14:00" } },
      conversationRetentionDays: "365",
    });
    expect(result.ok).toBe(true);
    const row = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: fx.shopId } });
    expect(row).toMatchObject({ assistantName: "Sage", cancelWindowMinutes: 90, conversationRetentionDays: 365, nonReturnableTags: ["clearance", "final sale"] });
    expect(row.autoApproveRefundLimit.toFixed(2)).toBe("20.00");
    expect(row.businessHours).toMatchObject({ timezone: "America/Los_Angeles", expectedResponse: "within 2 hours", days: { saturday: { open: "10:00", close: "14:00" }, sunday: null } });

    const entries = await settingsLog();
    expect(entries).toHaveLength(logged + 1);
    const entry = entries.at(-1)!;
    expect(entry).toMatchObject({ actor: `staff:${owner.id}`, targetType: "shop_settings", targetId: row.id });
    expect(entry.reason).toMatch(/^Olive Owner changed assistantName: Maple → Sage; /);
    const input = entry.input as { staff: { id: string; name: string }; changes: { field: string; from: string; to: string }[] };
    expect(input.staff).toEqual({ id: owner.id, name: "Olive Owner" });
    expect(input.changes).toEqual([
      { field: "assistantName", from: "Maple", to: "Sage" },
      { field: "nonReturnableTags", from: "final sale, final-sale, non-returnable", to: "clearance, final sale" },
      { field: "autoApproveRefundLimit", from: "50.00", to: "20.00" },
      { field: "cancelWindowMinutes", from: "until shipped", to: "90" },
      { field: "businessHours.saturday", from: "closed", to: "10:00–14:00" },
      { field: "retention.conversationDays", from: "kept", to: "365" },
    ]);
    // Saving the same form again changes nothing and logs nothing.
    const again = await save({});
    expect(again).toMatchObject({ ok: true, changes: [] });
    expect(await settingsLog()).toHaveLength(logged + 1);
    await save({ cancelWindow: "until_shipped", cancelWindowMinutes: "", conversationRetentionDays: "", hours: { ...(await edited()).form.hours, saturday: { open: false, from: "10:00", to: "14:00" } } });
  });

  it("keeps the OpenAI model out of reach without a key, and the key out of the page and the log", async () => {
    const before = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: fx.shopId } });
    expect(before.chatModel).toBeNull();
    // Without a key the field is not on the page: whatever is posted for it is ignored.
    expect(await save({ chatModel: "gpt-4.1" })).toMatchObject({ ok: true, changes: [] });
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: fx.shopId } })).chatModel).toBeNull();
    const withKey: ModelOptions = { configurable: true, defaultModel: "gpt-4o-mini" };
    expect(await save({ chatModel: "gpt-4.1" }, { model: withKey })).toMatchObject({ ok: true, changes: [{ field: "chatModel", from: "(default)", to: "gpt-4.1" }] });
    expect((await loadAssistantProfile(prisma, fx.shopId)).settings.chatModel).toBe("gpt-4.1");
    expect(await save({ chatModel: "" }, { model: withKey })).toMatchObject({ ok: true, changes: [{ field: "chatModel", from: "gpt-4.1", to: "(default)" }] });
    const fromEnv = modelOptionsFromEnv({ OPENAI_API_KEY: "sk-test-do-not-show-0123456789", OPENAI_CHAT_MODEL: "gpt-4o-mini" } as Env);
    const page = await loadSettingsPage(prisma, shop(), fromEnv);
    expect(page).toMatchObject({ modelConfigurable: true, defaultChatModel: "gpt-4o-mini" });
    expect(JSON.stringify(page)).not.toContain("sk-test-do-not-show");
  });

  it("lets only owners and admins change settings", async () => {
    const agent = await prisma.staffMember.findUniqueOrThrow({ where: { id: fx.staffId } });
    const { form, updatedAt } = await edited({ autoApproveRefundLimit: "5000" });
    const result = await saveShopSettings(prisma, { shop: shop(), editor: { id: agent.id, name: agent.name, role: agent.role }, form, updatedAt, model: noModel });
    expect(result).toEqual({ ok: false, status: 403, message: "Only the store owner and admins can change settings." });
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: fx.shopId } })).autoApproveRefundLimit.toFixed(2)).toBe("50.00");
  });

  it("refuses a save from a page opened before someone else saved", async () => {
    const stale = await edited({ assistantName: "Birch" });
    expect((await save({ greeting: "Hello from Alder & Pine!" })).ok).toBe(true);
    const result = await saveShopSettings(prisma, { shop: shop(), editor: owner, form: stale.form, updatedAt: stale.updatedAt, model: noModel });
    expect(result).toMatchObject({ ok: false, status: 409 });
    const row = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: fx.shopId } });
    expect(row.assistantName).toBe("Maple");
    expect(row.greeting).toBe("Hello from Alder & Pine!");
    await save({ greeting: "Hi, I'm Maple from Alder & Pine! Ask me about orders, returns or shipping." });
  });

  it("applies a save from the next shopper message: the new name and the new refund limit", async () => {
    // The profile is cached: a change made behind the module's back is not seen for a while…
    expect((await loadAssistantProfile(prisma, fx.shopId)).settings.assistantName).toBe("Maple");
    await prisma.shopSettings.update({ where: { shopId: fx.shopId }, data: { greeting: "changed behind its back" } });
    expect((await loadAssistantProfile(prisma, fx.shopId)).settings.greeting).not.toBe("changed behind its back");
    await prisma.shopSettings.update({ where: { shopId: fx.shopId }, data: { greeting: "Hi, I'm Maple from Alder & Pine! Ask me about orders, returns or shipping." } });

    const say = await chat(fx.alice.id);
    expect((await say("tell me a joke")).reply!.body).toMatch(/^I'm Maple, this shop's assistant/);
    const underLimit = await say("I'd like to return order #1001, the tee doesn't fit");
    expect(underLimit.reply!.body).toBe("Here's the return I'd ask the store to open for order #1001: 1 × Trail Tee. Once the items are back with us, you'd get $38.00 back. Shall I send this request?");
    await say("no");

    // …but a save through the Settings module applies to the very next message.
    expect((await save({ assistantName: "Sage", autoApproveRefundLimit: "20" })).ok).toBe(true);
    expect((await say("tell me a joke")).reply!.body).toMatch(/^I'm Sage, this shop's assistant/);
    const overLimit = await say("I'd like to return order #1001, the tee doesn't fit");
    expect(overLimit.reply!.body).toBe(
      "Here's the return I'd ask the store to open for order #1001: 1 × Trail Tee. Once the items are back with us, you'd get $38.00 back. A team member will review this return before it's approved. Shall I send this request?",
    );
  });

  it("gives the storefront widget the assistant's new name and avatar on its next request", async () => {
    const caller = storefrontCaller();
    expect((await openConversation(caller, { locale: "en" })).assistant).toEqual({ name: "Maple", greeting: expect.any(String) });
    expect((await save({ assistantName: "Sage", avatarUrl: "https://cdn.example.com/sage.png" })).ok).toBe(true);
    expect((await openConversation(caller, { locale: "en" })).assistant).toEqual({ name: "Sage", greeting: expect.any(String), avatarUrl: "https://cdn.example.com/sage.png" });
    expect((await save({ avatarUrl: "" })).ok).toBe(true);
    expect((await openConversation(caller, { locale: "en" })).assistant).not.toHaveProperty("avatarUrl");
  });

  it("sends every return to staff when returns or refunds need approval", async () => {
    for (const approvals of [
      { cancel: false, addressChange: true, return: true, refund: false },
      { cancel: false, addressChange: true, return: false, refund: true },
    ]) {
      expect((await save({ approvals })).ok).toBe(true);
      const say = await chat(fx.alice.id);
      const preview = await say("I'd like to return order #1001, the tee doesn't fit");
      expect(preview.reply!.body).toMatch(/\$38\.00 back\. A team member will review this return before it's approved\. Shall I send this request\?$/);
    }
  });

  it("hands cancellations to staff when they need approval", async () => {
    expect((await save({ approvals: { cancel: true, addressChange: true, return: false, refund: false } })).ok).toBe(true);
    const say = await chat(fx.alice.id);
    const turn = await say("Please cancel order #1004");
    expect(turn.escalated).toBe(true);
    expect(await prisma.orderAction.count({ where: { orderId: fx.orders.unfulfilled } })).toBe(0);
  });

  it("refuses returns of products carrying the merchant's non-returnable tags", async () => {
    await prisma.product.update({ where: { shopId_platform_externalId: { shopId: fx.shopId, platform: "shopify", externalId: "p-tee" } }, data: { tags: ["Clearance"] } });
    try {
      const say = await chat(fx.alice.id);
      expect((await say("I'd like to return order #1001, the tee doesn't fit")).reply!.body).toMatch(/^Here's the return/);
      await say("no");
      expect((await save({ nonReturnableTags: "clearance" })).ok).toBe(true);
      const refused = await say("I'd like to return order #1001, the tee doesn't fit");
      expect(refused.reply!.body).toMatch(/^I'm sorry, I can't do that/);
      expect(refused.reply!.body).toMatch(/can't be returned/);
    } finally {
      await prisma.product.update({ where: { shopId_platform_externalId: { shopId: fx.shopId, platform: "shopify", externalId: "p-tee" } }, data: { tags: [] } });
    }
  });

  it("hands off on the merchant's new keywords", async () => {
    const say = await chat(fx.alice.id);
    expect((await say("I might have to talk to my bank about this order")).escalated).toBe(false);
    expect((await save({ handoffKeywords: "bank\nlawyer" })).ok).toBe(true);
    const again = await chat(fx.alice.id);
    expect((await again("I might have to talk to my bank about this order")).escalated).toBe(true);
  });

  describe("reply languages", () => {
    it("answers a language the merchant did not allow in the allowed one, saying which it speaks", async () => {
      expect((await save({ replyLanguages: ["en"] })).ok).toBe(true);
      const say = await chat(fx.alice.id, "en");
      const turn = await say("Bonjour, pouvez-vous me dire où en est ma commande #1003 ?");
      expect(turn.reply!.body).toMatch(/^Your package from order #1003 is on its way/);
      expect(turn.reply!.body).toMatch(/\(Sorry, I can only reply in English here\.\)$/);
    });

    it("falls back to the shop's primary allowed language when the conversation's is not allowed either", async () => {
      expect((await save({ replyLanguages: ["de", "fr"] })).ok).toBe(true);
      const say = await chat(fx.alice.id, "en");
      // German is allowed: answered in German.
      const german = await say("Hallo, wo ist meine Bestellung #1003? Wann kommt sie an?");
      expect(german.reply!.body).toMatch(/Bestellung #1003/);
      expect(german.reply!.body).not.toMatch(/nur auf/);
      // Spanish is not, and neither is the conversation's English: French comes first of the allowed languages in
      // the shop's storefront order (en, fr, de, es).
      const fresh = await chat(fx.alice.id, "en");
      const spanish = await fresh("Hola, ¿dónde está mi pedido #1003? ¿Cuándo llega?");
      expect(spanish.reply!.body).toMatch(/commande #1003/);
      expect(spanish.reply!.body).toMatch(/\(Désolé, je ne peux répondre ici qu'en français ou allemand\.\)$/);
    });

    it("greets a shopper on a storefront in a language not allowed in an allowed one", async () => {
      const caller = storefrontCaller();
      expect((await openConversation(caller, { locale: "fr" })).assistant.greeting).toBe("Bonjour ! Je suis Maple, l'assistant d'Alder & Pine. Comment puis-je vous aider ?");
      expect((await save({ replyLanguages: ["en"] })).ok).toBe(true);
      expect((await openConversation(caller, { locale: "fr" })).assistant.greeting).toBe("Hi, I'm Maple from Alder & Pine! Ask me about orders, returns or shipping.");
    });

    it("with every language allowed, answers each shopper in their own", async () => {
      const say = await chat(fx.alice.id, "en");
      const turn = await say("Bonjour, pouvez-vous me dire où en est ma commande #1003 ?");
      expect(turn.reply!.body).toMatch(/commande #1003/);
      expect(turn.reply!.body).not.toMatch(/Désolé|Sorry/);
    });
  });
});
