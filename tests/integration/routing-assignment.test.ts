import { randomUUID } from "node:crypto";
import type { Priority } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { handleShopperMessage, requestHandoff, startConversation } from "~/modules/conversations";
import { NOTIFY_ESCALATION_JOB } from "~/modules/notifications";
import { pickAssignee, routeHandoff, startWaiting, stopWaiting } from "~/modules/routing";
import { type AssistantFixture, createAssistantFixture, deleteAssistantFixture, NOW as FIXTURE_NOW } from "../support/assistant-fixtures";
import { createTestShop, deleteTestShop } from "../support/shops";

/** Routing on the real database: who gets a handoff, how urgent it is, when it is due. */

// Friday 2026-11-20 16:00 in New York: one business hour left today.
const NOW = new Date("2026-11-20T21:00:00Z");
const NINE_TO_FIVE = {
  days: {
    monday: { open: "09:00", close: "17:00" },
    tuesday: { open: "09:00", close: "17:00" },
    wednesday: { open: "09:00", close: "17:00" },
    thursday: { open: "09:00", close: "17:00" },
    friday: { open: "09:00", close: "17:00" },
    saturday: null,
    sunday: null,
  },
};

const shops: { id: string; domain: string }[] = [];

async function shopWith(settings: { routing?: object; sla?: object; businessHours?: object; escalationRules?: object } = {}) {
  const shop = await createTestShop("Routing shop");
  shops.push(shop);
  await prisma.shop.update({ where: { id: shop.id }, data: { timezone: "America/New_York" } });
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { businessHours: NINE_TO_FIVE, ...settings } });
  return shop.id;
}

async function staff(shopId: string, name: string, flags: { available?: boolean; active?: boolean } = {}) {
  const row = await prisma.staffMember.create({ data: { shopId, name, email: `${name.toLowerCase()}-${randomUUID().slice(0, 6)}@example.com`, ...flags } });
  return row.id;
}

/** A conversation just handed off, as the conversations module leaves it before routing. */
async function handedOff(shopId: string, options: { customerId?: string; priority?: Priority; assigneeId?: string; verifiedOrderIds?: string[]; escalatedAt?: Date } = {}) {
  const row = await prisma.conversation.create({
    data: {
      shopId,
      tokenHash: randomUUID(),
      status: "waiting_on_staff",
      escalatedAt: options.escalatedAt ?? NOW,
      escalationReason: "requested: The shopper asked for a person.",
      lastIntent: "track_order",
      customerId: options.customerId ?? null,
      priority: options.priority ?? "normal",
      assigneeId: options.assigneeId ?? null,
      verifiedOrderIds: options.verifiedOrderIds ?? [],
    },
  });
  return row.id;
}

async function inProgress(shopId: string, assigneeId: string, count: number, status: "open" | "waiting_on_staff" | "waiting_on_shopper" | "resolved" = "open") {
  for (let i = 0; i < count; i++) await prisma.conversation.create({ data: { shopId, tokenHash: randomUUID(), status, assigneeId } });
}

const assigneesOf = async (ids: string[]) => {
  const rows = await prisma.conversation.findMany({ where: { id: { in: ids } }, select: { id: true, assigneeId: true } });
  return ids.map((id) => rows.find((row) => row.id === id)!.assigneeId);
};

function tally(ids: (string | null)[]) {
  const counts: Record<string, number> = {};
  for (const id of ids) counts[id ?? "none"] = (counts[id ?? "none"] ?? 0) + 1;
  return counts;
}

afterAll(async () => {
  const ids = shops.map((shop) => shop.id);
  await prisma.job.deleteMany({ where: { shopId: { in: ids } } });
  await prisma.liveEvent.deleteMany({ where: { shopId: { in: ids } } });
  for (const shop of shops) await deleteTestShop(shop.domain);
});

describe("round robin", () => {
  it("takes turns among available, active staff of this shop only", async () => {
    const shopId = await shopWith();
    const ann = await staff(shopId, "Ann");
    const bob = await staff(shopId, "Bob");
    const cat = await staff(shopId, "Cat");
    await staff(shopId, "Dan", { available: false });
    await staff(shopId, "Eve", { active: false });
    // Another shop's agent, never assigned and first by name: must never be picked here.
    const otherShop = await shopWith();
    const aaron = await staff(otherShop, "Aaron");

    const picked: (string | null)[] = [];
    for (let i = 0; i < 7; i++) {
      const id = await handedOff(shopId);
      const result = await routeHandoff(prisma, { shopId, conversationId: id, now: NOW });
      expect(result).toMatchObject({ routed: true, assigned: true });
      picked.push(result.assigneeId);
    }
    expect(picked).toEqual([ann, bob, cat, ann, bob, cat, ann]);
    expect(picked).not.toContain(aaron);
    expect((await prisma.staffMember.findUniqueOrThrow({ where: { id: aaron } })).lastAssignedAt).toBeNull();
  });

  it("stays fair when handoffs arrive at the same moment", async () => {
    const shopId = await shopWith();
    const people = [await staff(shopId, "Ann"), await staff(shopId, "Bob"), await staff(shopId, "Cat")];
    const ids = await Promise.all(Array.from({ length: 9 }, () => handedOff(shopId)));
    // All nine at once, with one and the same clock.
    const results = await Promise.all(ids.map((conversationId) => routeHandoff(prisma, { shopId, conversationId, now: NOW })));
    expect(results.every((result) => result.assigned)).toBe(true);
    expect(tally(await assigneesOf(ids))).toEqual(Object.fromEntries(people.map((id) => [id, 3])));

    // pickAssignee on its own is serialised the same way.
    const picks = await Promise.all(Array.from({ length: 6 }, () => pickAssignee(prisma, { shopId, strategy: "round_robin", now: NOW })));
    expect(tally(picks.map((pick) => pick!.id))).toEqual(Object.fromEntries(people.map((id) => [id, 2])));
  });
});

describe("least busy", () => {
  it("picks whoever has the fewest conversations in progress, ties in round-robin order", async () => {
    const shopId = await shopWith({ routing: { assignment: "least_busy" } });
    const ann = await staff(shopId, "Ann");
    const bob = await staff(shopId, "Bob");
    const cat = await staff(shopId, "Cat");
    const dan = await staff(shopId, "Dan", { available: false });
    await inProgress(shopId, ann, 2, "waiting_on_shopper");
    await inProgress(shopId, bob, 1, "waiting_on_staff");
    // Finished work does not count; the unavailable Dan is idle but away.
    await inProgress(shopId, bob, 3, "resolved");

    const route = async () => (await routeHandoff(prisma, { shopId, conversationId: await handedOff(shopId), now: NOW })).assigneeId;
    expect(await route()).toBe(cat); // Ann 2, Bob 1, Cat 0
    expect(await route()).toBe(bob); // Bob and Cat at 1: Bob was assigned longer ago (never)
    expect(await route()).toBe(cat); // Ann 2, Bob 2, Cat 1
    expect(await route()).toBe(ann); // all at 2: Ann was assigned longest ago
    const picked = await prisma.conversation.count({ where: { shopId, assigneeId: dan } });
    expect(picked).toBe(0);
  });
});

describe("routeHandoff", () => {
  it("logs, publishes and queues the assignee's notification once per escalation", async () => {
    const shopId = await shopWith();
    const ann = await staff(shopId, "Ann");
    const conversationId = await handedOff(shopId);
    const result = await routeHandoff(prisma, { shopId, conversationId, now: NOW });
    // Normal priority, first response in 240 business minutes: 1 h on Friday, 3 h from Monday 09:00 New York.
    expect(result).toEqual({
      routed: true,
      priority: "normal",
      assigneeId: ann,
      assigned: true,
      slaDueAt: new Date("2026-11-23T17:00:00Z"),
      slaKind: "first_response",
    });
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conversation).toMatchObject({ assigneeId: ann, slaKind: "first_response", slaDueAt: new Date("2026-11-23T17:00:00Z"), waitingSince: NOW });

    const log = await prisma.actionLog.findMany({ where: { shopId, conversationId }, orderBy: { action: "asc" } });
    expect(log.map((entry) => [entry.action, entry.actor, entry.targetId])).toEqual([
      ["conversation.assigned", "system", ann],
      ["conversation.routed", "system", conversationId],
    ]);
    expect(log[1]!.idempotencyKey).toBe(`route:${conversationId}:${NOW.getTime()}`);

    const events = await prisma.liveEvent.findMany({ where: { shopId, conversationId } });
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe("conversation.updated");
    expect((events[0]!.payload as { fields: string[] }).fields).toEqual(expect.arrayContaining(["assigneeId", "slaDueAt", "slaKind", "waitingSince"]));

    const jobs = await prisma.job.findMany({ where: { shopId, name: NOTIFY_ESCALATION_JOB } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ name: "notifications.escalation-assigned", payload: { conversationId, staffId: ann }, dedupeKey: `escalation:${conversationId}:${ann}`, status: "queued" });

    // The same escalation routed again changes nothing.
    const again = await routeHandoff(prisma, { shopId, conversationId, now: new Date(NOW.getTime() + 60_000) });
    expect(again).toMatchObject({ routed: false, assigned: false, assigneeId: ann });
    expect(await prisma.actionLog.count({ where: { shopId, conversationId } })).toBe(2);
    expect(await prisma.job.count({ where: { shopId, name: NOTIFY_ESCALATION_JOB } })).toBe(1);
    expect(await prisma.liveEvent.count({ where: { shopId, conversationId } })).toBe(1);
  });

  it("leaves the conversation unassigned with the manual strategy, with auto-assign off, or with nobody available", async () => {
    const manualShop = await shopWith({ routing: { assignment: "manual" } });
    await staff(manualShop, "Ann");
    const offShop = await shopWith({ routing: { assignment: "round_robin", autoAssign: false } });
    await staff(offShop, "Ann");
    const awayShop = await shopWith();
    await staff(awayShop, "Ann", { available: false });

    for (const shopId of [manualShop, offShop, awayShop]) {
      const conversationId = await handedOff(shopId);
      const result = await routeHandoff(prisma, { shopId, conversationId, now: NOW });
      expect(result).toMatchObject({ routed: true, assigned: false, assigneeId: null, slaKind: "first_response" });
      expect(result.slaDueAt).toEqual(new Date("2026-11-23T17:00:00Z"));
      const actions = await prisma.actionLog.findMany({ where: { shopId, conversationId }, select: { action: true } });
      expect(actions.map((entry) => entry.action)).toEqual(["conversation.routed"]);
      expect(await prisma.job.count({ where: { shopId } })).toBe(0);
    }
  });

  it("keeps an existing assignee and the higher of the current and the computed priority", async () => {
    const shopId = await shopWith();
    const ann = await staff(shopId, "Ann");
    const bob = await staff(shopId, "Bob");
    const conversationId = await handedOff(shopId, { assigneeId: bob, priority: "urgent" });
    const result = await routeHandoff(prisma, { shopId, conversationId, now: NOW });
    // Urgent: first response in 15 business minutes.
    expect(result).toMatchObject({ assigneeId: bob, assigned: false, priority: "urgent", slaDueAt: new Date("2026-11-20T21:15:00Z") });
    expect(await prisma.job.count({ where: { shopId } })).toBe(0);
    expect(await prisma.conversation.count({ where: { shopId, assigneeId: ann } })).toBe(0);
  });

  it("raises priority for a VIP customer, an order above the threshold and frustration", async () => {
    const shopId = await shopWith({ routing: { vipTag: "Gold" }, escalationRules: { orderValueThreshold: 250 } });
    await staff(shopId, "Ann");
    const customer = await prisma.customer.create({ data: { shopId, platform: "shopify", externalId: randomUUID(), email: "gold@example.com", tags: ["gold", "wholesale"] } });
    const plain = await prisma.customer.create({ data: { shopId, platform: "shopify", externalId: randomUUID(), email: "plain@example.com", tags: ["VIP"] } });
    const order = await prisma.order.create({
      data: { shopId, customerId: plain.id, platform: "shopify", externalId: randomUUID(), name: "#5001", number: 5001, currency: "USD", subtotal: 400, total: 400, placedAt: NOW, sourceUpdatedAt: NOW },
    });

    const vip = await routeHandoff(prisma, { shopId, conversationId: await handedOff(shopId, { customerId: customer.id }), now: NOW });
    expect(vip.priority).toBe("high");
    // "VIP" is not this shop's VIP tag; the verified $400 order is above the $250 threshold.
    const bigOrder = await routeHandoff(prisma, { shopId, conversationId: await handedOff(shopId, { customerId: plain.id, verifiedOrderIds: [order.id] }), now: NOW });
    expect(bigOrder.priority).toBe("high");
    // High: first response in 60 business minutes, the last hour of Friday.
    expect(bigOrder.slaDueAt).toEqual(new Date("2026-11-20T22:00:00Z"));
    // The same order named in chat by its logged-in owner counts too; VIP + frustration is urgent.
    const focus = await routeHandoff(prisma, {
      shopId,
      conversationId: await handedOff(shopId, { customerId: plain.id }),
      now: NOW,
      signals: { focusOrderName: "#5001" },
    });
    expect(focus.priority).toBe("high");
    const angryVip = await routeHandoff(prisma, { shopId, conversationId: await handedOff(shopId, { customerId: customer.id }), now: NOW, signals: { frustration: 0.7 } });
    expect(angryVip.priority).toBe("urgent");
    const routedLog = await prisma.actionLog.findFirstOrThrow({ where: { shopId, action: "conversation.routed", conversation: { customerId: plain.id, verifiedOrderIds: { has: order.id } } } });
    expect(routedLog.input).toMatchObject({ orderValue: 400, orderValueThreshold: 250, vipTag: "Gold" });
  });

  it("measures the next response once a person has answered, and never picks another shop's conversation", async () => {
    const shopId = await shopWith();
    const ann = await staff(shopId, "Ann");
    const conversationId = await handedOff(shopId, { assigneeId: ann });
    await prisma.message.create({ data: { shopId, conversationId, author: "staff", staffId: ann, body: "Hi, looking into it.", createdAt: new Date(NOW.getTime() - 3_600_000) } });
    const result = await routeHandoff(prisma, { shopId, conversationId, now: NOW });
    // Normal next response: 480 business minutes → 1 h Friday + 7 h Monday = Monday 16:00 New York.
    expect(result).toMatchObject({ slaKind: "next_response", slaDueAt: new Date("2026-11-23T21:00:00Z") });

    const otherShop = await shopWith();
    await expect(routeHandoff(prisma, { shopId: otherShop, conversationId, now: NOW })).rejects.toThrow(/no conversation/);
  });
});

describe("startWaiting / stopWaiting", () => {
  it("starts the clock at the first unanswered message and clears it on a reply", async () => {
    const shopId = await shopWith();
    const ann = await staff(shopId, "Ann");
    const conversationId = await handedOff(shopId, { assigneeId: ann, priority: "high" });
    await prisma.message.create({ data: { shopId, conversationId, author: "staff", staffId: ann, body: "Done!", createdAt: NOW } });

    // Saturday: the wait starts now, and the next-response target (120 min, high) is Monday 11:00.
    const saturday = new Date("2026-11-21T15:00:00Z");
    expect(await startWaiting(prisma, { shopId, conversationId, now: saturday })).toEqual({
      started: true,
      waitingSince: saturday,
      slaDueAt: new Date("2026-11-23T16:00:00Z"),
      slaKind: "next_response",
    });
    // A second message does not move the start.
    const later = await startWaiting(prisma, { shopId, conversationId, now: new Date("2026-11-22T15:00:00Z") });
    expect(later).toMatchObject({ started: false, waitingSince: saturday });
    expect(await prisma.liveEvent.count({ where: { shopId, conversationId, type: "conversation.updated" } })).toBe(1);

    // A reply written before the wait began does not clear it; the Monday reply does.
    expect(await stopWaiting(prisma, { shopId, conversationId, now: new Date("2026-11-21T14:00:00Z") })).toBe(false);
    expect(await stopWaiting(prisma, { shopId: await shopWith(), conversationId, now: new Date("2026-11-23T14:00:00Z") })).toBe(false);
    expect(await stopWaiting(prisma, { shopId, conversationId, now: new Date("2026-11-23T14:00:00Z") })).toBe(true);
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ waitingSince: null, slaDueAt: null, slaKind: null });
    expect(await prisma.liveEvent.count({ where: { shopId, conversationId, type: "conversation.updated" } })).toBe(2);
  });
});

describe("handoffs from the shopper side are routed", () => {
  let fx: AssistantFixture;
  beforeAll(async () => {
    fx = await createAssistantFixture();
  });
  afterAll(async () => {
    await prisma.job.deleteMany({ where: { shopId: fx.shopId } });
    await prisma.liveEvent.deleteMany({ where: { shopId: fx.shopId } });
    await deleteAssistantFixture(fx);
  });

  it("asking for a person in a message", async () => {
    const { conversation } = await startConversation(prisma, { shopId: fx.shopId, customerId: fx.alice.id });
    const turn = await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: conversation.id, text: "I want to talk to a human please" }, { now: FIXTURE_NOW });
    expect(turn.escalated).toBe(true);
    const routed = await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    // Friday 10:00 in Los Angeles; normal first response in 240 business minutes: 14:00 the same day.
    expect(routed).toMatchObject({ status: "waiting_on_staff", assigneeId: fx.staffId, slaKind: "first_response", slaDueAt: new Date("2026-11-20T22:00:00Z") });
    expect(await prisma.actionLog.count({ where: { conversationId: conversation.id, action: { in: ["conversation.routed", "conversation.assigned"] } } })).toBe(2);
    expect(await prisma.job.count({ where: { shopId: fx.shopId, name: NOTIFY_ESCALATION_JOB, dedupeKey: `escalation:${conversation.id}:${fx.staffId}` } })).toBe(1);
  });

  it("pressing “Talk to a person”, and writing again once a person owns it", async () => {
    const { conversation } = await startConversation(prisma, { shopId: fx.shopId });
    await requestHandoff(prisma, { shopId: fx.shopId, conversationId: conversation.id, now: FIXTURE_NOW });
    const routed = await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(routed).toMatchObject({ assigneeId: fx.staffId, slaKind: "first_response", waitingSince: FIXTURE_NOW, slaDueAt: new Date("2026-11-20T22:00:00Z") });
    expect(await prisma.actionLog.count({ where: { conversationId: conversation.id, action: "conversation.routed" } })).toBe(1);

    // A person answers and owns the conversation; the shopper writes back on Saturday.
    await prisma.message.create({ data: { shopId: fx.shopId, conversationId: conversation.id, author: "staff", staffId: fx.staffId, body: "Hi, Sam here.", createdAt: new Date(FIXTURE_NOW.getTime() + 60_000) } });
    await stopWaiting(prisma, { shopId: fx.shopId, conversationId: conversation.id, now: new Date(FIXTURE_NOW.getTime() + 60_000) });
    await prisma.conversation.update({ where: { id: conversation.id }, data: { handledByHuman: true, status: "waiting_on_shopper" } });
    const saturday = new Date("2026-11-21T18:00:00Z");
    const turn = await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: conversation.id, text: "Any news?" }, { now: saturday });
    expect(turn.reply).toBeNull();
    // Normal next response (480 business minutes, 08:00–18:00 weekdays in Los Angeles): Monday 16:00.
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).toMatchObject({
      status: "waiting_on_staff",
      waitingSince: saturday,
      slaKind: "next_response",
      slaDueAt: new Date("2026-11-24T00:00:00Z"),
    });
  });
});
