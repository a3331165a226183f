import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getPool } from "~/lib/db/pool.server";
import {
  ANALYTICS_ROLLUP_JOB,
  ANALYTICS_TICK_JOB,
  type AnalyticsSegment,
  analyticsJobs,
  analyticsSegmentCondition,
  computeDays,
  computePeriodSummary,
  exportConversationsCsv,
  DEFAULT_PRESET,
  getAnalyticsReport,
  getDashboardReport,
  getPeriodMetrics,
  queueRollupRefresh,
  refreshRollups,
  scheduleAnalyticsTick,
} from "~/modules/analytics";
import { runJobsOnce } from "~/modules/jobs";
import { jobHandlers } from "~/worker.server";
import { phrase } from "~/modules/assistant";
import { InboxError, listInbox, parseInboxFilters } from "~/modules/inbox";
import { type FixtureConversation, writeConversations, writeCustomer, writeOrder } from "../support/analytics-fixture";
import { cli } from "../support/cli";
import { createTestShop, deleteTestShop } from "../support/shops";

/**
 * Every figure on a shop whose answers are worked out by hand below. The shop is in New York (UTC−5 in November):
 * local days start at 05:00Z. The period is 2026-11-10 … 2026-11-14; "now" is 2026-11-20 17:00Z, so every
 * conversation of the period is past its 72-hour window.
 */

const NOW = new Date("2026-11-20T17:00:00Z");
const PERIOD = { from: "2026-11-10", to: "2026-11-14" };
const notFound = (language: "en" | "fr") => `${phrase(language, "notFound")} ${phrase(language, "offerHuman")}`;
/** What the turn pipeline stores on a reply to a question the knowledge did not answer. */
const noGoodMatch = { unanswered: { reason: "no_good_match" } };

describe("analytics on a hand-computed shop", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  let ids: Record<string, string> = {};

  beforeAll(async () => {
    shop = await createTestShop("Analytics shop");
    await prisma.shop.update({ where: { id: shop.id }, data: { timezone: "America/New_York" } });
    const cust1 = await writeCustomer(shop.id, "cust1@example.com");
    const cust2 = await writeCustomer(shop.id, "cust2@example.com");
    const cust3 = await writeCustomer(shop.id, "cust3@example.com");
    const staff = await prisma.staffMember.create({ data: { shopId: shop.id, email: "agent@example.com", name: "Agent" } });
    const chat = (key: string, createdAt: string, extra: Partial<FixtureConversation> = {}, answerAfterSeconds = 2): FixtureConversation => ({
      key,
      createdAt,
      email: `${key.toLowerCase()}@example.com`,
      intent: "order_status",
      messages: [
        { author: "shopper", at: createdAt, body: "Where is my order?" },
        { author: "assistant", at: new Date(Date.parse(createdAt) + answerAfterSeconds * 1000).toISOString() },
      ],
      ...extra,
    });
    const specs: FixtureConversation[] = [
      // 2026-11-10 (local): A, B, C, D1, E1
      {
        ...chat("A", "2026-11-10T15:00:00Z", { status: "resolved", resolvedAt: "2026-11-10T15:02:00Z", csat: 5, sentiment: 0.5 }, 5),
        messages: [
          { author: "shopper", at: "2026-11-10T15:00:00Z", body: "Where is my order #1001?" },
          { author: "assistant", at: "2026-11-10T15:00:05Z" },
          { author: "shopper", at: "2026-11-10T15:01:00Z", body: "Thanks!" },
        ],
      },
      {
        // Comes back after 71 hours in the same conversation: not automated.
        ...chat("B", "2026-11-10T16:00:00Z"),
        messages: [
          { author: "shopper", at: "2026-11-10T16:00:00Z" },
          { author: "assistant", at: "2026-11-10T16:00:04Z" },
          { author: "shopper", at: "2026-11-13T15:00:04Z", body: "It still hasn't arrived" },
          { author: "assistant", at: "2026-11-13T15:00:08Z" },
        ],
      },
      {
        // Writes again after 73 hours: a new question, not coming back; automated, resolved at the last answer.
        ...chat("C", "2026-11-10T17:00:00Z", { intent: "change_order" }),
        messages: [
          { author: "shopper", at: "2026-11-10T17:00:00Z" },
          { author: "assistant", at: "2026-11-10T17:00:03Z" },
          { author: "shopper", at: "2026-11-13T18:00:03Z", body: "Can I also change the size?" },
          { author: "assistant", at: "2026-11-13T18:00:06Z" },
        ],
      },
      // D1's customer comes back in a new conversation (D2) exactly 71 hours after D1's answer.
      chat("D1", "2026-11-10T18:00:00Z", { customerId: cust1.id, email: null }),
      chat("D2", "2026-11-13T17:00:02Z", { customerId: cust1.id, email: null }),
      // E1's customer only says thanks 11 hours later (E2), and asks something new 73 hours + 1 s later (E3).
      chat("E1", "2026-11-10T19:00:00Z", { customerId: cust2.id, email: null }),
      {
        ...chat("E2", "2026-11-11T06:00:00Z", { customerId: cust2.id, email: null, intent: "other" }),
        messages: [
          { author: "shopper", at: "2026-11-11T06:00:00Z", body: "Thank you so much!" },
          { author: "assistant", at: "2026-11-11T06:00:02Z", body: "You're welcome!" },
        ],
      },
      { ...chat("E3", "2026-11-13T20:00:03Z", { customerId: cust2.id, email: null, intent: "gift_card" }) },
      // 2026-11-11: E2, F, G, J
      {
        // Handed off; a staff note at 14:05 and the assistant's handoff reply do not count as the first response.
        key: "F",
        createdAt: "2026-11-11T14:00:00Z",
        email: "f@example.com",
        intent: "contact_human_agent",
        status: "resolved",
        resolvedAt: "2026-11-11T14:30:00Z",
        escalatedAt: "2026-11-11T14:00:02Z",
        handledByHuman: true,
        csat: 4,
        sentiment: -0.6,
        messages: [
          { author: "shopper", at: "2026-11-11T14:00:00Z", body: "I want to talk to a person" },
          { author: "assistant", at: "2026-11-11T14:00:02Z", body: "I'm handing you over to our team." },
          { author: "staff", at: "2026-11-11T14:05:00Z", body: "Looking into it", internal: true },
          { author: "staff", at: "2026-11-11T14:10:00Z", body: "Hi, I'm here to help." },
          { author: "shopper", at: "2026-11-11T14:12:00Z", body: "ok" },
        ],
      },
      {
        // Staff took over without a handoff, by e-mail.
        key: "G",
        createdAt: "2026-11-11T15:00:00Z",
        email: "g@example.com",
        channel: "email",
        intent: "refund",
        status: "resolved",
        resolvedAt: "2026-11-11T16:00:00Z",
        handledByHuman: true,
        csat: 2,
        messages: [
          { author: "shopper", at: "2026-11-11T15:00:00Z" },
          { author: "assistant", at: "2026-11-11T15:00:03Z" },
          { author: "staff", at: "2026-11-11T15:20:00Z" },
        ],
      },
      // 23:30 on 2026-11-11 in New York (04:30Z on the 12th): the 11th.
      chat("J", "2026-11-12T04:30:00Z", { language: "de", intent: "shipping" }),
      // 2026-11-12: H, I, O (K has no shopper message and does not count)
      {
        ...chat("H", "2026-11-12T14:00:00Z", { intent: "complaint", escalatedAt: "2026-11-12T14:00:01Z", status: "waiting_on_staff", sentiment: -0.8 }, 1),
      },
      {
        // Handed off, answered by staff at 15:05, handed back (escalatedAt cleared): the action log remembers.
        ...chat("I", "2026-11-12T15:00:00Z", { intent: "refund", status: "open", csat: 5 }),
        messages: [
          { author: "shopper", at: "2026-11-12T15:00:00Z" },
          { author: "assistant", at: "2026-11-12T15:00:02Z" },
          { author: "staff", at: "2026-11-12T15:05:00Z" },
        ],
        actions: [
          { action: "conversation.routed", at: "2026-11-12T15:00:02Z" },
          { action: "conversation.handed_back", at: "2026-11-12T15:10:00Z" },
        ],
      },
      { key: "K", createdAt: "2026-11-12T16:00:00Z", email: "k@example.com", messages: [{ author: "assistant", at: "2026-11-12T16:00:00Z", body: "Hi! How can I help?" }] },
      chat("O", "2026-11-12T18:00:00Z", { customerId: cust3.id, email: null }),
      // 2026-11-13: D2, E3, M, N, O2
      chat("O2", "2026-11-13T09:00:00Z", { customerId: cust3.id, email: null }),
      {
        ...chat("M", "2026-11-13T14:00:00Z", { intent: "shipping" }),
        messages: [
          { author: "shopper", at: "2026-11-13T14:00:00Z", body: "Do you ship to Iceland?" },
          { author: "assistant", at: "2026-11-13T14:00:02Z", body: notFound("en"), metadata: noGoodMatch },
          { author: "shopper", at: "2026-11-13T14:00:30Z", body: "ok thanks" },
        ],
      },
      {
        ...chat("N", "2026-11-13T15:00:00Z", { intent: "shipping", language: "fr" }),
        messages: [
          { author: "shopper", at: "2026-11-13T15:00:00Z", body: "Livrez-vous en Islande ?" },
          { author: "assistant", at: "2026-11-13T15:00:02Z", body: notFound("fr"), metadata: noGoodMatch },
        ],
      },
      // 2026-11-14: Q, R, P, Y
      {
        ...chat("Q", "2026-11-14T14:00:00Z", { intent: "shipping" }),
        messages: [
          { author: "shopper", at: "2026-11-14T14:00:00Z", body: "shipping to iceland??" },
          { author: "assistant", at: "2026-11-14T14:00:02Z", body: notFound("en"), metadata: noGoodMatch },
        ],
      },
      {
        ...chat("R", "2026-11-14T15:00:00Z", { intent: "payment" }),
        messages: [
          { author: "shopper", at: "2026-11-14T15:00:00Z", body: "Can I pay with Bitcoin?" },
          // A chat model's own words: the mark, not the text, makes it unanswered.
          { author: "assistant", at: "2026-11-14T15:00:02Z", body: "Hmm, I'm not sure about that one. Shall I ask a colleague?", metadata: { unanswered: { reason: "said_unknown" } } },
        ],
      },
      {
        // The offline sentence without the mark (text is not what decides): answered.
        ...chat("P", "2026-11-14T14:30:00Z", { email: "p@example.com" }),
        messages: [
          { author: "shopper", at: "2026-11-14T14:30:00Z", body: "Where is my order?" },
          { author: "assistant", at: "2026-11-14T14:30:02Z", body: `Quoting the bot: "${notFound("en")}"` },
        ],
      },
      // 23:30 on the 14th (inside), 00:30 on the 15th (outside).
      chat("Y", "2026-11-15T04:30:00Z"),
      chat("Z", "2026-11-15T05:30:00Z"),
      // Within 72 hours of NOW: pending, even the one already handed off (L2).
      chat("L", "2026-11-19T15:00:00Z"),
      chat("L2", "2026-11-19T16:00:00Z", { escalatedAt: "2026-11-19T16:00:02Z", status: "waiting_on_staff" }),
    ];
    ids = await writeConversations(shop.id, specs, staff.id);
    // cust3's orders: o1 in O2's window (O2 started after O, so O2 claims it); o2 after both windows; o3 before O;
    // o4 cancelled. P's guest order by e-mail.
    await writeOrder(shop.id, { customerId: cust3.id, email: "cust3@example.com", placedAt: "2026-11-13T10:00:00Z", total: "120.00" });
    await writeOrder(shop.id, { customerId: cust3.id, email: "cust3@example.com", placedAt: "2026-11-14T12:00:00Z", total: "80.00" });
    await writeOrder(shop.id, { customerId: cust3.id, email: "cust3@example.com", placedAt: "2026-11-12T17:00:00Z", total: "60.00" });
    await writeOrder(shop.id, { customerId: cust3.id, email: "cust3@example.com", placedAt: "2026-11-12T20:00:00Z", total: "70.00", status: "cancelled" });
    await writeOrder(shop.id, { email: "p@example.com", placedAt: "2026-11-14T20:00:00Z", total: "45.50" });
  });

  afterAll(() => deleteTestShop(shop.domain));

  const direct = async (period = PERIOD, now = NOW) => {
    const client = await getPool().connect();
    try {
      return await computeDays(async (text, values) => (await client.query(text, values)).rows, { shopId: shop.id, timeZone: "America/New_York", period, now });
    } finally {
      client.release();
    }
  };

  /** The period's figures computed from the conversations (no rollups). */
  const summary = async (period = PERIOD, now = NOW) => (await computePeriodSummary({ shopId: shop.id, period, now }))!;

  /** The conversations of the period a segment's drill-down lists, by key. */
  async function segment(name: AnalyticsSegment, period = PERIOD, now = NOW): Promise<string[]> {
    const values: unknown[] = [];
    const param = (value: unknown, cast?: string) => {
      values.push(value);
      return cast ? `$${values.length}::${cast}` : `$${values.length}`;
    };
    const condition = analyticsSegmentCondition(name, "c", param, { now });
    const { rows } = await getPool().query<{ id: string }>(
      `SELECT c."id" FROM "Conversation" c WHERE c."shopId" = ${param(shop.id)}
         AND c."createdAt" >= (${param(period.from)}::date::timestamp AT TIME ZONE 'America/New_York')
         AND c."createdAt" < ((${param(period.to)}::date + 1)::timestamp AT TIME ZONE 'America/New_York') AND ${condition}`,
      values,
    );
    const keyOf = new Map(Object.entries(ids).map(([key, id]) => [id, key]));
    return rows.map((row) => keyOf.get(row.id)!).sort();
  }

  it("counts conversations with a shopper message, by the day they started in the shop's zone (23:30 is that day)", async () => {
    const days = await direct();
    expect(days.map((day) => [day.day, day.conversations])).toEqual([
      ["2026-11-10", 5],
      ["2026-11-11", 4],
      ["2026-11-12", 3],
      ["2026-11-13", 5],
      ["2026-11-14", 4],
    ]);
    expect(await segment("conversations", { from: "2026-11-11", to: "2026-11-11" })).toEqual(["E2", "F", "G", "J"]);
    expect(await segment("conversations", { from: "2026-11-12", to: "2026-11-12" })).toEqual(["H", "I", "O"]);
    expect(await segment("conversations", { from: "2026-11-14", to: "2026-11-14" })).toEqual(["P", "Q", "R", "Y"]);
    expect(await segment("conversations", { from: "2026-11-15", to: "2026-11-15" })).toEqual(["Z"]);
  });

  it("decides automated conversations: returning at 71 h is not, at 73 h is; thanks is not coming back; staff or a handoff never are", async () => {
    expect(await segment("automated")).toEqual(["A", "C", "D2", "E1", "E3", "J", "M", "N", "O2", "P", "Q", "R", "Y"]);
    const figures = await summary();
    expect(figures.conversations).toBe(21);
    expect(figures.automated).toBe(13);
    expect(figures.pending).toBe(0);
    expect(figures.automatedRate).toBeCloseTo(13 / 21, 12);
  });

  it("keeps every conversation pending until 72 hours after the assistant's last answer, and out of the rate", async () => {
    const around = { from: "2026-11-19", to: "2026-11-20" };
    const early = await summary(around);
    // A handoff within the window is pending too: counting only the failures of recent days would bias the rate down.
    expect([early.conversations, early.automated, early.pending, early.automatedRate, early.handedOff]).toEqual([2, 0, 2, null, 1]);
    expect(await segment("pending", around)).toEqual(["L", "L2"]);
    // L was answered at 15:00:02Z on the 19th: decided at 15:00:02Z on the 22nd; L2 an hour later.
    const justBefore = await summary(around, new Date("2026-11-22T15:00:01Z"));
    expect(justBefore.pending).toBe(2);
    const between = await summary(around, new Date("2026-11-22T15:00:02Z"));
    expect([between.automated, between.pending, between.automatedRate]).toEqual([1, 1, 1]);
    const after = await summary(around, new Date("2026-11-22T16:00:02Z"));
    expect([after.automated, after.pending, after.automatedRate]).toEqual([1, 0, 0.5]);
  });

  it("computes the handoff rate, including a handoff that was handed back", async () => {
    const figures = await summary();
    expect(await segment("handed_off")).toEqual(["F", "H", "I"]);
    expect(figures.handedOff).toBe(3);
    expect(figures.handoffRate).toBeCloseTo(3 / 21, 12);
    expect(await segment("reached_staff")).toEqual(["F", "G", "H", "I"]);
    expect(figures.reachedStaff).toBe(4);
  });

  it("measures first response to the first staff reply, without assistant messages or notes: median and p90", async () => {
    const figures = await summary();
    // F 600 s (not the 14:05 note, not the assistant at 14:00:02), G 1200 s, I 300 s; H has no staff reply yet.
    // Sorted 300, 600, 1200: median 600; p90 at rank 0.9 × 2 = 1.8 → 600 + 0.8 × 600 = 1080.
    expect(figures.firstResponseSeconds).toEqual({ median: 600, p90: 1080, count: 3 });
    expect(await segment("first_response")).toEqual(["F", "G", "I"]);
  });

  it("measures resolution: marked resolved, or the assistant's last answer for automated conversations", async () => {
    const figures = await summary();
    // Eleven automated conversations resolved 2 s after the first message (E1, J, D2, E3, M, N, O2, Q, R, P, Y),
    // A resolved by its rating at 120 s, F 1800 s, G 3600 s, C at its last answer 73 h 6 s = 262806 s.
    // 15 values: median = the 8th = 2; p90 at rank 0.9 × 14 = 12.6 → 1800 + 0.6 × (3600 − 1800) = 2880.
    expect(figures.resolutionSeconds).toEqual({ median: 2, p90: 2880, count: 15 });
    expect(await segment("resolved")).toEqual(["A", "C", "D2", "E1", "E3", "F", "G", "J", "M", "N", "O2", "P", "Q", "R", "Y"]);
  });

  it("averages CSAT with its distribution and responses", async () => {
    const figures = await summary();
    expect(figures.csat).toEqual({ average: 4, responses: 4, distribution: { "1": 0, "2": 1, "3": 0, "4": 1, "5": 2 } });
    expect(await segment("rated")).toEqual(["A", "F", "G", "I"]);
    expect(await segment("csat_5")).toEqual(["A", "I"]);
  });

  it("breaks volume down by intent, language and channel, and averages sentiment", async () => {
    const figures = await summary();
    expect(figures.byIntent).toEqual({ order_status: 9, shipping: 4, refund: 2, change_order: 1, complaint: 1, contact_human_agent: 1, gift_card: 1, other: 1, payment: 1 });
    expect(figures.byLanguage).toEqual({ en: 19, de: 1, fr: 1 });
    expect(figures.byChannel).toEqual({ web_chat: 20, email: 1 });
    expect(figures.sentiment.scored).toBe(3);
    expect(figures.sentiment.average).toBeCloseTo((0.5 - 0.6 - 0.8) / 3, 12);
  });

  it("finds unanswered questions and groups similar ones", async () => {
    expect((await summary()).unanswered).toBe(4);
    expect(await segment("unanswered")).toEqual(["M", "N", "Q", "R"]);
    const report = await getAnalyticsReport({ shopId: shop.id, period: PERIOD, now: NOW });
    const groups = report!.unanswered;
    const iceland = groups.find((group) => group.examples.includes("Do you ship to Iceland?"));
    expect(iceland?.examples).toContain("shipping to iceland??");
    expect(iceland?.conversationIds).toEqual(expect.arrayContaining([ids.M, ids.Q]));
    const bitcoin = groups.find((group) => group.examples.includes("Can I pay with Bitcoin?"));
    expect(bitcoin?.count).toBe(1);
    expect(bitcoin).not.toBe(iceland);
    expect(groups.reduce((sum, group) => sum + group.count, 0)).toBe(4);

    // The days keep which message asked, not its words: erasing the message (customers/redact) reaches the dashboard.
    const asked = await prisma.message.findFirstOrThrow({ where: { conversationId: ids.M, body: "Do you ship to Iceland?" } });
    await prisma.message.update({ where: { id: asked.id }, data: { body: "[redacted]" } });
    try {
      const erased = (await getAnalyticsReport({ shopId: shop.id, period: PERIOD, now: NOW }))!.unanswered;
      expect(erased.flatMap((group) => group.examples)).not.toContain("Do you ship to Iceland?");
      expect(erased.flatMap((group) => group.examples)).not.toContain("[redacted]");
      expect(erased.reduce((sum, group) => sum + group.count, 0)).toBe(3);
    } finally {
      await prisma.message.update({ where: { id: asked.id }, data: { body: asked.body } });
    }
  });

  it("attributes orders placed within 24 hours after a conversation once, to the latest conversation", async () => {
    const figures = await summary();
    // o1 (120.00) goes to O2, which started after O; o2 is after both windows, o3 before, o4 cancelled; P's 45.50.
    expect(figures.influenced).toEqual({ orders: 2, revenue: { USD: 165.5 } });
    expect(await segment("influenced")).toEqual(["O2", "P"]);
  });

  it("gives an empty shop zeros and no rates", async () => {
    const empty = await createTestShop("Empty analytics shop");
    try {
      const report = await getAnalyticsReport({ shopId: empty.id, period: PERIOD, now: NOW });
      expect(report?.summary).toMatchObject({
        conversations: 0,
        automatedRate: null,
        handoffRate: null,
        firstResponseSeconds: { median: null, p90: null, count: 0 },
        resolutionSeconds: { median: null, p90: null, count: 0 },
        csat: { average: null, responses: 0 },
        byIntent: {},
        unanswered: 0,
      });
      expect(report?.days).toHaveLength(5);
      expect(report?.unanswered).toEqual([]);
      expect(await getAnalyticsReport({ shopId: "no-such-shop", period: PERIOD, now: NOW })).toBeNull();
    } finally {
      await deleteTestShop(empty.domain);
    }
  });

  it("agrees between rollups and the direct computation; closed days come from rollups, today is live", async () => {
    await prisma.analyticsDailyRollup.deleteMany({ where: { shopId: shop.id } });
    const before = await getAnalyticsReport({ shopId: shop.id, period: PERIOD, now: NOW });
    expect(before?.source.missing).toHaveLength(10); // the period and the one before, no rollups yet
    const refreshed = await refreshRollups(undefined, { shopId: shop.id, now: NOW });
    // Every closed day since the first conversation (the 10th) up to yesterday (the 19th).
    expect(refreshed?.days).toEqual(["2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13", "2026-11-14", "2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"]);
    const fromRollups = await getAnalyticsReport({ shopId: shop.id, period: PERIOD, now: NOW });
    expect(fromRollups?.source).toMatchObject({ fromRollups: 5, computed: 5, missing: ["2026-11-05", "2026-11-06", "2026-11-07", "2026-11-08", "2026-11-09"] });
    expect(fromRollups?.summary).toEqual(await summary());
    expect(fromRollups?.summary).toEqual(before?.summary);
    expect(fromRollups?.unanswered).toEqual(before?.unanswered);

    // The rollup is what a closed day shows: a conversation written into the 14th afterwards appears on refresh.
    const late = await writeConversations(shop.id, [
      { key: "late", createdAt: "2026-11-14T16:00:00Z", messages: [{ author: "shopper", at: "2026-11-14T16:00:00Z" }] },
    ]);
    expect((await getAnalyticsReport({ shopId: shop.id, period: PERIOD, now: NOW }))?.summary.conversations).toBe(21);
    await refreshRollups(undefined, { shopId: shop.id, now: NOW });
    expect((await getAnalyticsReport({ shopId: shop.id, period: PERIOD, now: NOW }))?.summary.conversations).toBe(22);
    await prisma.conversation.delete({ where: { id: late.late! } });
    await refreshRollups(undefined, { shopId: shop.id, now: NOW, days: PERIOD });

    // Today (the 20th in New York) is always computed from the conversations.
    const today = { from: "2026-11-20", to: "2026-11-20" };
    const now = new Date("2026-11-20T22:00:00Z");
    await writeConversations(shop.id, [{ key: "today", createdAt: "2026-11-20T21:00:00Z", messages: [{ author: "shopper", at: "2026-11-20T21:00:00Z" }] }]);
    const live = await getAnalyticsReport({ shopId: shop.id, period: today, now });
    expect(live?.summary.conversations).toBe(1);
    expect(live?.source).toMatchObject({ fromRollups: 1, computed: 1 });
  });

  it("reads the dashboard's period from its URL (an unreadable one gives the default, with the reason); days without a rollup queue a refresh", async () => {
    await prisma.analyticsDailyRollup.deleteMany({ where: { shopId: shop.id } });
    await prisma.job.deleteMany({ where: { name: ANALYTICS_ROLLUP_JOB, shopId: shop.id } });
    const dashboard = (query: Record<string, string>) => getDashboardReport(prisma, { shopId: shop.id, timeZone: "America/New_York", query: new URLSearchParams(query) });
    try {
      const asked = await dashboard({ from: PERIOD.from, to: PERIOD.to });
      expect(asked?.choice).toEqual({ kind: "custom", period: PERIOD });
      expect(asked?.periodError).toBeNull();
      expect(asked?.report.period).toEqual(PERIOD);
      expect(asked?.report.summary).toEqual(await summary());
      expect(await prisma.job.count({ where: { name: ANALYTICS_ROLLUP_JOB, shopId: shop.id, status: "queued" } })).toBe(1);

      const unreadable = await dashboard({ from: "2026-11-14", to: "2026-11-10" });
      expect(unreadable?.choice).toEqual({ kind: "preset", preset: DEFAULT_PRESET });
      expect(unreadable?.periodError).toBe("to: to must not be before from");
      expect(unreadable?.report.period.to).toBe(unreadable?.report.today);

      expect(await getDashboardReport(prisma, { shopId: "no-such-shop", timeZone: "UTC", query: new URLSearchParams() })).toBeNull();
    } finally {
      await prisma.job.deleteMany({ where: { name: ANALYTICS_ROLLUP_JOB, shopId: shop.id } });
    }
  });

  it("lists a figure's conversations in the inbox's All view (the dashboard's drill-down)", async () => {
    const staff = await prisma.staffMember.findFirstOrThrow({ where: { shopId: shop.id } });
    const keyOf = new Map(Object.entries(ids).map(([key, id]) => [id, key]));
    const drill = async (query: string) => {
      const page = await listInbox(prisma, { shopId: shop.id, staffId: staff.id, filters: parseInboxFilters(new URLSearchParams(query)), now: NOW, limit: 200 });
      return page.rows.map((row) => keyOf.get(row.id)).sort();
    };
    expect(await drill("view=all&metric=automated&from=2026-11-10&to=2026-11-14")).toEqual(["A", "C", "D2", "E1", "E3", "J", "M", "N", "O2", "P", "Q", "R", "Y"]);
    expect(await drill("view=all&metric=first_response&from=2026-11-10&to=2026-11-14")).toEqual(["F", "G", "I"]);
    expect(await drill("view=all&metric=csat_2&from=2026-11-10&to=2026-11-14")).toEqual(["G"]);
    // A figure of one day, and the existing filters beside it (a language's conversations).
    expect(await drill("view=all&metric=conversations&from=2026-11-11&to=2026-11-11")).toEqual(["E2", "F", "G", "J"]);
    expect(await drill("view=all&metric=conversations&language=de&from=2026-11-10&to=2026-11-14")).toEqual(["J"]);
    await expect(drill("view=all&metric=revenue_per_visitor")).rejects.toBeInstanceOf(InboxError);
    expect(() => parseInboxFilters(new URLSearchParams("view=all&metric=DROP TABLE"))).toThrow(/metric must name a dashboard figure/);
  });

  it("refreshes rollups in the worker: the hourly tick queues a refresh per shop, the refresh stores the days", async () => {
    await prisma.analyticsDailyRollup.deleteMany({ where: { shopId: shop.id } });
    await prisma.job.deleteMany({ where: { name: { in: [ANALYTICS_TICK_JOB, ANALYTICS_ROLLUP_JOB] } } });
    try {
      // The tick (no shop of its own) queues its successor an hour on, and a refresh for each shop with conversations.
      await scheduleAnalyticsTick(prisma);
      const tick = await prisma.job.findFirstOrThrow({ where: { name: ANALYTICS_TICK_JOB, status: "queued" } });
      await analyticsJobs(prisma)[ANALYTICS_TICK_JOB]();
      expect(await prisma.job.count({ where: { name: ANALYTICS_TICK_JOB, status: "queued", runAt: { gt: new Date(Date.now() + 50 * 60_000) } } })).toBe(1);
      expect(await prisma.job.count({ where: { name: ANALYTICS_ROLLUP_JOB, shopId: shop.id, status: "queued" } })).toBe(1);
      // Queued twice, waiting once.
      expect(await queueRollupRefresh(prisma, shop.id)).toBeNull();
      await prisma.job.delete({ where: { id: tick.id } });

      expect(await runJobsOnce(prisma, jobHandlers, { shopId: shop.id, workerId: "analytics-test" })).toBe(1);
      expect(await prisma.job.findFirstOrThrow({ where: { name: ANALYTICS_ROLLUP_JOB, shopId: shop.id } })).toMatchObject({ status: "succeeded" });
      // Every closed day since the shop's first conversation, up to yesterday (real time).
      expect(await prisma.analyticsDailyRollup.count({ where: { shopId: shop.id, day: { gte: new Date("2026-11-10"), lte: new Date("2026-11-19") } } })).toBe(10);
      const day = await prisma.analyticsDailyRollup.findUniqueOrThrow({ where: { shopId_day: { shopId: shop.id, day: new Date("2026-11-11") } } });
      expect(day).toMatchObject({ timeZone: "America/New_York", conversations: 4, automated: 1, handedOff: 1, reachedStaff: 2, firstResponseSeconds: [600, 1200] });
    } finally {
      await prisma.job.deleteMany({ where: { name: { in: [ANALYTICS_TICK_JOB, ANALYTICS_ROLLUP_JOB] } } });
    }
  });

  it("exports one CSV row per conversation of the period", async () => {
    const exported = await exportConversationsCsv({ shopId: shop.id, period: PERIOD, now: NOW });
    const lines = exported!.csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "conversation_id,started_at,day,channel,language,intent,status,outcome,handed_off,reached_staff,first_response_seconds,resolution_seconds,csat,sentiment,unanswered_questions,influenced_orders,influenced_revenue",
    );
    expect(exported?.rows).toBe(21);
    expect(lines).toHaveLength(22);
    const row = (key: string) => lines.find((line) => line.startsWith(ids[key]!))!.split(",");
    expect(row("F")).toEqual([ids.F, "2026-11-11T14:00:00.000Z", "2026-11-11", "web_chat", "en", "contact_human_agent", "resolved", "not automated", "true", "true", "600", "1800", "4", "-0.6", "0", "0", ""]);
    expect(row("J").slice(2, 8)).toEqual(["2026-11-11", "web_chat", "de", "shipping", "waiting_on_shopper", "automated"]);
    expect(row("O2").at(-1)).toBe("USD 120.00");
    expect(lines.some((line) => line.startsWith(ids.K!))).toBe(false);
  });

  it("prints the period's metrics as one JSON object through the real CLI", async () => {
    const result = await cli("metrics", "--shop", shop.domain, "--from", PERIOD.from, "--to", PERIOD.to);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      shop: shop.domain,
      from: PERIOD.from,
      to: PERIOD.to,
      timeZone: "America/New_York",
      conversations: 21,
      automatedRate: Math.round((13 / 21) * 10_000) / 10_000,
      handoffRate: Math.round((3 / 21) * 10_000) / 10_000,
      firstResponseSeconds: { median: 600, p90: 1080 },
      resolutionSeconds: { median: 2, p90: 2880 },
      csat: { average: 4, responses: 4 },
      byIntent: { order_status: 9, shipping: 4, refund: 2, change_order: 1, complaint: 1, contact_human_agent: 1, gift_card: 1, other: 1, payment: 1 },
    });
    const metrics = await getPeriodMetrics({ shopId: shop.id, period: PERIOD });
    expect(metrics?.summary.conversations).toBe(21);
    const bad = await cli("metrics", "--shop", shop.domain, "--from", "2026-11-14", "--to", "2026-11-10");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/to must not be before from/);
    const unknown = await cli("metrics", "--shop", "no-such-shop.myshopify.com", "--from", PERIOD.from, "--to", PERIOD.to);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no shop no-such-shop\.myshopify\.com/);
  }, 240_000);
});
