import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getAnalyticsReport, getPeriodMetrics, localDay, refreshRollups } from "~/modules/analytics";
import { PRIVACY_RETENTION_JOB, privacyRetentionJob, deleteExpiredConversations } from "~/modules/privacy";
import { findInDatabase, literal } from "../support/database-scan";
import { createTestShop, deleteTestShop } from "../support/shops";

/**
 * Conversation retention on the real database: which conversations go (1 day past the shop's limit) and which stay
 * (1 day inside it, still being worked, another shop's, a shop that keeps everything), that nothing referring to a
 * deleted conversation is left anywhere in the database, and that the dashboard's figures keep counting them.
 */

const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
const ago = (days: number, ms = 0) => new Date(NOW.getTime() - days * DAY - ms);
const CANARY = "retention-canary-4711";

type Shop = Awaited<ReturnType<typeof createTestShop>>;

interface ChatSpec {
  status: "open" | "waiting_on_staff" | "waiting_on_shopper" | "resolved" | "closed";
  /** Days since its last message. */
  lastDaysAgo: number;
  handledByHuman?: boolean;
  csat?: number;
  shopperText?: string;
  unanswered?: boolean;
}

/** A conversation: the shopper asks an hour before the last activity, the assistant answers at it. */
async function chat(shop: Shop, spec: ChatSpec) {
  const last = ago(spec.lastDaysAgo);
  const asked = new Date(last.getTime() - 60 * 60_000);
  const conversation = await prisma.conversation.create({
    data: {
      shopId: shop.id,
      status: spec.status,
      handledByHuman: spec.handledByHuman ?? false,
      tokenHash: randomUUID(),
      shopperEmail: `${randomUUID().slice(0, 8)}@example.com`,
      lastIntent: "shipping",
      createdAt: asked,
      lastMessageAt: last,
      lastMessageAuthor: "assistant",
      resolvedAt: spec.status === "resolved" || spec.status === "closed" ? last : null,
      escalatedAt: spec.status === "waiting_on_staff" ? last : null,
      csatScore: spec.csat ?? null,
      messages: {
        create: [
          { shopId: shop.id, author: "shopper", body: spec.shopperText ?? "Do you ship to Iceland?", createdAt: asked },
          {
            shopId: shop.id,
            author: "assistant",
            body: "I couldn't find that.",
            createdAt: last,
            ...(spec.unanswered ? { metadata: { unanswered: { reason: "no_good_match" } } } : {}),
          },
        ],
      },
    },
  });
  return conversation;
}

describe("conversation retention", () => {
  let shop: Shop;
  let other: Shop;
  let keepsAll: Shop;
  const ids: Record<string, string> = {};
  const gone: Record<string, string> = {};
  let orderId: string;
  const period = { from: localDay(ago(120), "UTC"), to: localDay(ago(1), "UTC") };

  beforeAll(async () => {
    shop = await createTestShop("Retention shop");
    other = await createTestShop("Longer retention shop");
    keepsAll = await createTestShop("Keeps everything");
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { conversationRetentionDays: 30 } });
    await prisma.shopSettings.update({ where: { shopId: other.id }, data: { conversationRetentionDays: 365 } });
    const staff = await prisma.staffMember.create({ data: { shopId: shop.id, email: "agent@example.com", name: "Agent" } });
    const order = await prisma.order.create({
      data: {
        shopId: shop.id,
        platform: "shopify",
        externalId: "gid://shopify/Order/1",
        name: "#1001",
        number: 1001,
        currency: "USD",
        subtotal: 40,
        total: 40,
        placedAt: ago(60),
        sourceUpdatedAt: ago(60),
      },
    });
    orderId = order.id;

    // 31 days since its last activity: deleted, with everything that refers to it.
    const expired = await chat(shop, { status: "resolved", lastDaysAgo: 31, csat: 2, shopperText: `Where is my parcel? ${CANARY}`, unanswered: true });
    ids.expired = expired.id;
    const note = await prisma.message.create({
      data: { shopId: shop.id, conversationId: expired.id, author: "staff", visibility: "internal", staffId: staff.id, body: `note ${CANARY}`, createdAt: ago(31, 1000) },
    });
    const staffReply = await prisma.message.create({
      data: { shopId: shop.id, conversationId: expired.id, author: "staff", staffId: staff.id, body: "It left our warehouse.", createdAt: ago(31, 2000) },
    });
    const messages = await prisma.message.findMany({ where: { conversationId: expired.id }, select: { id: true } });
    messages.forEach((message, index) => {
      gone[`message ${index}`] = message.id;
    });
    expect(messages.map((message) => message.id)).toEqual(expect.arrayContaining([note.id, staffReply.id]));
    await prisma.actionLog.create({
      data: { shopId: shop.id, conversationId: expired.id, actor: "system", action: "conversation.routed", idempotencyKey: `routed:${randomUUID()}`, createdAt: ago(31, 3000) },
    });
    await prisma.notification.create({
      data: { shopId: shop.id, kind: "staff_reply", conversationId: expired.id, recipient: "shopper@example.com", subject: `Re: ${CANARY}`, status: "sent", dedupeKey: `staff_reply:${staffReply.id}` },
    });
    await prisma.liveEvent.create({ data: { shopId: shop.id, conversationId: expired.id, type: "message.created", createdAt: ago(31) } });
    await prisma.conversationRead.create({ data: { conversationId: expired.id, staffId: staff.id, lastReadAt: ago(31) } });
    await prisma.staffPresence.create({ data: { conversationId: expired.id, staffId: staff.id, shopId: shop.id, expiresAt: ago(31) } });
    await prisma.job.createMany({
      data: [
        { shopId: shop.id, name: "notifications.staff-reply", payload: { messageId: staffReply.id }, status: "succeeded", finishedAt: ago(31) },
        { shopId: shop.id, name: "notifications.escalation-assigned", payload: { conversationId: expired.id, staffId: staff.id }, status: "succeeded", finishedAt: ago(31) },
      ],
    });
    // The order's records stay, without the link.
    await prisma.returnRequest.create({ data: { shopId: shop.id, orderId, conversationId: expired.id, reason: "Too small", amount: 40 } });
    await prisma.orderAction.create({
      data: { shopId: shop.id, orderId, conversationId: expired.id, kind: "return", status: "accepted", actor: "assistant", idempotencyKey: `return:${randomUUID()}` },
    });
    // A conversation merged into it: a closed shell, gone with it.
    const shell = await prisma.conversation.create({
      data: { shopId: shop.id, status: "closed", mergedIntoId: expired.id, tokenHash: randomUUID(), createdAt: ago(33), lastMessageAt: ago(33), resolvedAt: ago(32) },
    });
    ids.shell = shell.id;
    // The assistant answered and the shopper never came back: not being worked.
    ids.abandoned = (await chat(shop, { status: "waiting_on_shopper", lastDaysAgo: 31, shopperText: `Hello ${CANARY}` })).id;

    // Kept: 1 day inside the limit, still being worked, or touched recently.
    ids.recent = (await chat(shop, { status: "resolved", lastDaysAgo: 29, csat: 5 })).id;
    ids.open = (await chat(shop, { status: "open", lastDaysAgo: 100 })).id;
    ids.handoff = (await chat(shop, { status: "waiting_on_staff", lastDaysAgo: 100 })).id;
    ids.takenOver = (await chat(shop, { status: "waiting_on_shopper", handledByHuman: true, lastDaysAgo: 100 })).id;
    const tagged = await chat(shop, { status: "resolved", lastDaysAgo: 45 });
    ids.tagged = tagged.id;
    await prisma.actionLog.create({
      data: { shopId: shop.id, conversationId: tagged.id, actor: "staff:agent", action: "conversation.tagged", idempotencyKey: `tag:${randomUUID()}`, createdAt: ago(10) },
    });
    // Other shops: a 365-day limit, and none set.
    ids.otherShop = (await chat(other, { status: "resolved", lastDaysAgo: 100 })).id;
    ids.keepsAll = (await chat(keepsAll, { status: "resolved", lastDaysAgo: 400 })).id;

    Object.assign(gone, { expired: ids.expired, shell: ids.shell, abandoned: ids.abandoned });
    await refreshRollups(undefined, { shopId: shop.id, now: NOW });
  });

  afterAll(async () => {
    for (const each of [shop, other, keepsAll]) await deleteTestShop(each.domain);
  });

  it("deletes what is past the limit and not being worked; keeps the rest, and other shops' conversations", async () => {
    const before = await getPeriodMetrics({ shopId: shop.id, period, now: NOW });
    const questionsBefore = (await getAnalyticsReport({ shopId: shop.id, period, now: NOW }))!.unanswered.flatMap((group) => group.conversationIds);
    expect(questionsBefore).toContain(ids.expired);
    expect(before!.summary.conversations).toBe(7); // the merged shell has no message of its own

    const runs = await deleteExpiredConversations(prisma, NOW);
    expect(runs.find((run) => run.shopId === shop.id)).toEqual({ shopId: shop.id, retentionDays: 30, deleted: 3 });
    expect(runs.find((run) => run.shopId === other.id)).toEqual({ shopId: other.id, retentionDays: 365, deleted: 0 });
    expect(runs.some((run) => run.shopId === keepsAll.id)).toBe(false);

    const left = await prisma.conversation.findMany({ where: { shopId: { in: [shop.id, other.id, keepsAll.id] } }, select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual([ids.recent, ids.open, ids.handoff, ids.takenOver, ids.tagged, ids.otherShop, ids.keepsAll].sort());

    // Nothing anywhere in the database still names a deleted conversation or message, or holds what was said.
    const patterns = Object.fromEntries([...Object.entries(gone).map(([label, id]) => [label, literal(id)]), ["canary", literal(CANARY)]]);
    expect(await findInDatabase(patterns)).toEqual([]);
    // Uuid columns are not text: the foreign keys by hand.
    for (const table of ["Message", "ActionLog", "Notification", "LiveEvent", "ConversationRead", "StaffPresence", "ConversationSearch", "ReturnRequest", "OrderAction"]) {
      const [row] = await prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${table}" WHERE "conversationId" = ANY($1::text[])`, Object.values(gone));
      expect({ table, n: row!.n }).toEqual({ table, n: 0 });
    }
    // The order's return request and order action stay, unlinked.
    expect(await prisma.returnRequest.findMany({ where: { orderId }, select: { conversationId: true, reason: true } })).toEqual([{ conversationId: null, reason: "Too small" }]);
    expect(await prisma.orderAction.findMany({ where: { orderId }, select: { conversationId: true, status: true } })).toEqual([{ conversationId: null, status: "accepted" }]);

    // The run is in the action log: who, how many.
    const logged = await prisma.actionLog.findMany({ where: { shopId: shop.id, action: "privacy.conversation_retention" } });
    expect(logged).toEqual([expect.objectContaining({ actor: "system", result: { deleted: 3 }, input: expect.objectContaining({ retentionDays: 30 }) })]);

    // The dashboard's figures still count them (counts, times, ratings); the deleted question is not listed.
    const after = await getPeriodMetrics({ shopId: shop.id, period, now: NOW });
    expect(after!.summary).toEqual(before!.summary);
    const questionsAfter = (await getAnalyticsReport({ shopId: shop.id, period, now: NOW }))!.unanswered.flatMap((group) => group.conversationIds);
    expect(questionsAfter).not.toContain(ids.expired);
    // A later refresh of the same days (the hourly job) keeps them too.
    await refreshRollups(undefined, { shopId: shop.id, now: new Date(NOW.getTime() + 3_600_000), days: period });
    expect((await getPeriodMetrics({ shopId: shop.id, period, now: NOW }))!.summary).toEqual(before!.summary);
  });

  it("a second run deletes nothing and logs nothing; two days later the conversation 1 day inside the limit goes", async () => {
    expect((await deleteExpiredConversations(prisma, NOW)).find((run) => run.shopId === shop.id)).toEqual({ shopId: shop.id, retentionDays: 30, deleted: 0 });
    expect(await prisma.actionLog.count({ where: { shopId: shop.id, action: "privacy.conversation_retention" } })).toBe(1);

    const later = new Date(NOW.getTime() + 2 * DAY);
    expect((await deleteExpiredConversations(prisma, later)).find((run) => run.shopId === shop.id)).toEqual({ shopId: shop.id, retentionDays: 30, deleted: 1 });
    expect(await prisma.conversation.findUnique({ where: { id: ids.recent } })).toBeNull();
    // Its last message is 47 days old, but staff tagged it 12 days ago.
    expect(await prisma.conversation.findUnique({ where: { id: ids.tagged } })).not.toBeNull();
    expect(await prisma.actionLog.count({ where: { shopId: shop.id, action: "privacy.conversation_retention" } })).toBe(2);
  });

  it("is part of the hourly privacy retention job", async () => {
    const result = await privacyRetentionJob(prisma)();
    expect(result).toEqual({ payloads: expect.any(Number), exports: expect.any(Number), conversations: expect.any(Number) });
    expect(await prisma.conversation.count({ where: { id: { in: [ids.open!, ids.handoff!, ids.takenOver!, ids.otherShop!, ids.keepsAll!] } } })).toBe(5);
    await prisma.job.deleteMany({ where: { name: PRIVACY_RETENTION_JOB, status: "queued" } });
  });
});
