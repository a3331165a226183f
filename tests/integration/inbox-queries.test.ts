import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getPool } from "~/lib/db/pool.server";
import {
  countInboxViews,
  getConversationDetail,
  getCustomerPanel,
  INBOX_VIEWS,
  InboxError,
  type InboxFilters,
  type InboxView,
  inboxFiltersToSearchParams,
  listInbox,
  parseInboxFilters,
  selectConversationIds,
  validateInboxFilters,
} from "~/modules/inbox";
import { createTestShop, deleteTestShop } from "../support/shops";

/**
 * The inbox's read side on the real database: which conversations each view holds (and its count), the SLA
 * order and keyset pages, filters and full-text search, unread state per staff member, the conversation view
 * (transcript, action log, presence) and the customer panel, never another shop's rows.
 */

const NOW = new Date("2026-12-01T12:00:00Z");
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

type Shop = Awaited<ReturnType<typeof createTestShop>>;

interface ConversationSeed {
  status?: "open" | "waiting_on_staff" | "waiting_on_shopper" | "resolved" | "closed";
  priority?: "low" | "normal" | "high" | "urgent";
  assigneeId?: string | null;
  handledByHuman?: boolean;
  slaDueAt?: Date | null;
  snoozedUntil?: Date | null;
  lastMessageAt?: Date;
  createdAt?: Date;
  lastMessageAuthor?: "shopper" | "assistant" | "staff";
  tags?: string[];
  language?: string;
  channel?: "web_chat" | "email" | "admin";
  lastIntent?: string | null;
  sentiment?: number | null;
  customerId?: string | null;
  shopperEmail?: string | null;
  shopperName?: string | null;
  verifiedOrderIds?: string[];
  mergedIntoId?: string | null;
  subject?: string;
}

async function conversation(shopId: string, seed: ConversationSeed = {}) {
  const lastMessageAt = seed.lastMessageAt ?? minutes(-30);
  return prisma.conversation.create({
    data: {
      shopId,
      tokenHash: randomUUID(),
      status: seed.status ?? "open",
      priority: seed.priority ?? "normal",
      assigneeId: seed.assigneeId ?? null,
      handledByHuman: seed.handledByHuman ?? false,
      slaDueAt: seed.slaDueAt ?? null,
      slaKind: seed.slaDueAt ? "first_response" : null,
      waitingSince: seed.slaDueAt ? minutes(-60) : null,
      snoozedUntil: seed.snoozedUntil ?? null,
      lastMessageAt,
      createdAt: seed.createdAt ?? minutes(-120),
      lastMessageAuthor: seed.lastMessageAuthor ?? "shopper",
      lastMessagePreview: "latest words",
      tags: seed.tags ?? [],
      language: seed.language ?? "en",
      channel: seed.channel ?? "web_chat",
      lastIntent: seed.lastIntent ?? null,
      sentiment: seed.sentiment ?? null,
      customerId: seed.customerId ?? null,
      shopperEmail: seed.shopperEmail ?? null,
      shopperName: seed.shopperName ?? null,
      verifiedOrderIds: seed.verifiedOrderIds ?? [],
      mergedIntoId: seed.mergedIntoId ?? null,
      subject: seed.subject ?? null,
    },
  });
}

async function staffMember(shopId: string, name: string) {
  return prisma.staffMember.create({ data: { shopId, name, email: `${name.toLowerCase().replace(/\s+/g, ".")}@example.com` } });
}

/** Every row of a view across pages of `limit`, following nextCursor. */
async function allPages(shopId: string, staffId: string, filters: Partial<InboxFilters> & { view: InboxView }, limit = 2) {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listInbox(prisma, { shopId, staffId, filters: { ...filters, cursor }, now: NOW, limit });
    ids.push(...page.rows.map((row) => row.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error("pagination did not end");
}

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<InboxError> {
  const error = await (typeof promise === "function" ? Promise.resolve().then(promise) : promise).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InboxError);
  return error as InboxError;
}

describe("inbox views, counts and order", () => {
  let shop: Shop;
  let other: Shop;
  let me: { id: string };
  let colleague: { id: string };
  const ids: Record<string, string> = {};
  const expected: Record<InboxView, string[]> = { mine: [], unassigned: [], waiting: [], open: [], snoozed: [], resolved: [], all: [] };

  beforeAll(async () => {
    shop = await createTestShop("Inbox queries");
    other = await createTestShop("Someone else's shop");
    me = await staffMember(shop.id, "Mia Me");
    colleague = await staffMember(shop.id, "Cole League");
    const otherStaff = await staffMember(other.id, "Otto Other");
    const add = async (name: string, views: InboxView[], seed: ConversationSeed) => {
      ids[name] = (await conversation(shop.id, seed)).id;
      // All: every conversation with a message, whatever its status, except those merged into another.
      for (const view of [...views, ...(seed.mergedIntoId ? [] : (["all"] as const))]) expected[view].push(ids[name]!);
    };
    await add("assistantHandling", ["open"], { status: "open" });
    await add("escalatedUnassigned", ["waiting", "unassigned", "open"], { status: "waiting_on_staff", slaDueAt: minutes(-10), priority: "high" });
    await add("waitingMine", ["waiting", "mine", "open"], { status: "waiting_on_staff", assigneeId: me.id, handledByHuman: true, slaDueAt: minutes(45) });
    await add("colleagueReplied", ["open"], { status: "waiting_on_shopper", assigneeId: colleague.id, handledByHuman: true });
    await add("takenOverUnassigned", ["unassigned", "open"], { status: "waiting_on_shopper", handledByHuman: true });
    await add("snoozedMine", ["snoozed"], { status: "waiting_on_shopper", assigneeId: me.id, handledByHuman: true, snoozedUntil: minutes(600) });
    await add("snoozeOver", ["mine", "open"], { status: "open", assigneeId: me.id, snoozedUntil: minutes(-5) });
    await add("resolved", ["resolved"], { status: "resolved", assigneeId: me.id, handledByHuman: true });
    await add("closed", ["resolved"], { status: "closed" });
    await add("merged", [], { status: "closed", mergedIntoId: ids.closed });
    // Another shop's conversations, assigned to "me" by id and matching every view's conditions.
    await conversation(other.id, { status: "waiting_on_staff", slaDueAt: minutes(-100), assigneeId: otherStaff.id });
    await conversation(other.id, { status: "waiting_on_staff", slaDueAt: minutes(-100) });
    await conversation(other.id, { status: "resolved" });
  });
  afterAll(async () => {
    await deleteTestShop(shop.domain);
    await deleteTestShop(other.domain);
  });

  it("puts each conversation in exactly the views it belongs to, and counts agree with the lists", async () => {
    const counts = await countInboxViews(prisma, { shopId: shop.id, staffId: me.id, now: NOW });
    for (const view of INBOX_VIEWS) {
      const listed = await allPages(shop.id, me.id, { view });
      expect(new Set(listed), view).toEqual(new Set(expected[view]));
      expect(listed.length, `${view}: no row twice`).toBe(new Set(listed).size);
      expect(counts[view], `${view} count`).toBe(expected[view].length);
    }
    // Mine is the caller's: the colleague's mine holds nothing but what is assigned to them.
    expect(await allPages(shop.id, colleague.id, { view: "mine" })).toEqual([ids.colleagueReplied]);
    expect((await countInboxViews(prisma, { shopId: shop.id, staffId: colleague.id, now: NOW })).mine).toBe(1);
  });

  it("wakes a snoozed conversation once its time has passed", async () => {
    const later = minutes(601);
    const page = await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "mine" }, now: later });
    expect(page.rows.map((row) => row.id)).toContain(ids.snoozedMine);
    expect((await countInboxViews(prisma, { shopId: shop.id, staffId: me.id, now: later })).snoozed).toBe(0);
  });

  it("never shows another shop's conversations, whatever the staff id", async () => {
    const otherIds = (await prisma.conversation.findMany({ where: { shopId: other.id }, select: { id: true } })).map((row) => row.id);
    for (const view of INBOX_VIEWS) {
      const listed = await allPages(shop.id, me.id, { view }, 50);
      expect(listed.filter((id) => otherIds.includes(id))).toEqual([]);
    }
    const selected = await selectConversationIds(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "open" }, now: NOW });
    expect(selected.ids.filter((id) => otherIds.includes(id))).toEqual([]);
    await expect(getConversationDetail(prisma, { shopId: shop.id, staffId: me.id, conversationId: otherIds[0]! })).rejects.toMatchObject({ status: 404 });
    await expect(getCustomerPanel(prisma, { shopId: shop.id, conversationId: otherIds[0]! })).rejects.toMatchObject({ status: 404 });
  });

  it("reads the same through the Prisma client, the pg pool and a Prisma transaction", async () => {
    const viaPrisma = await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "open" }, now: NOW });
    const viaPool = await listInbox(getPool(), { shopId: shop.id, staffId: me.id, filters: { view: "open" }, now: NOW });
    const viaTransaction = await prisma.$transaction((tx) => listInbox(tx, { shopId: shop.id, staffId: me.id, filters: { view: "open" }, now: NOW }));
    expect(viaPool).toEqual(viaPrisma);
    expect(viaTransaction).toEqual(viaPrisma);
    expect(await prisma.$transaction((tx) => countInboxViews(tx, { shopId: shop.id, staffId: me.id, now: NOW }))).toEqual(
      await countInboxViews(getPool(), { shopId: shop.id, staffId: me.id, now: NOW }),
    );
    // Inside a transaction the reads run in it: they see its uncommitted writes.
    const seen = await prisma
      .$transaction(async (tx) => {
        const fresh = await tx.conversation.create({ data: { shopId: shop.id, tokenHash: randomUUID(), status: "waiting_on_staff", lastMessageAt: minutes(-1), lastMessageAuthor: "shopper" } });
        const page = await listInbox(tx, { shopId: shop.id, staffId: me.id, filters: { view: "waiting" }, now: NOW, limit: 200 });
        throw Object.assign(new Error("roll back"), { seen: page.rows.some((row) => row.id === fresh.id) });
      })
      .catch((error: { seen?: boolean }) => error.seen);
    expect(seen).toBe(true);
  });

  it("leaves out a conversation nobody has written in yet (the shopper only opened the chat)", async () => {
    const opened = await prisma.conversation.create({ data: { shopId: shop.id, tokenHash: randomUUID(), status: "open", lastMessageAt: minutes(-1) } });
    const before = await countInboxViews(prisma, { shopId: shop.id, staffId: me.id, now: NOW });
    const page = await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "open" }, now: NOW, limit: 200 });
    expect(page.rows.some((row) => row.id === opened.id)).toBe(false);
    await prisma.message.create({ data: { shopId: shop.id, conversationId: opened.id, author: "shopper", body: "Hello?" } });
    await prisma.conversation.update({ where: { id: opened.id }, data: { lastMessageAuthor: "shopper", lastMessagePreview: "Hello?" } });
    expect((await countInboxViews(prisma, { shopId: shop.id, staffId: me.id, now: NOW })).open).toBe(before.open + 1);
    await prisma.conversation.delete({ where: { id: opened.id } });
  });
});

describe("inbox order, pages, filters and search", () => {
  let shop: Shop;
  let other: Shop;
  let me: { id: string };
  let colleague: { id: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    shop = await createTestShop("Inbox order");
    other = await createTestShop("Other order shop");
    me = await staffMember(shop.id, "Ada Agent");
    colleague = await staffMember(shop.id, "Bo Agent");
    const customer = await prisma.customer.create({
      data: { shopId: shop.id, platform: "shopify", externalId: "c-1", firstName: "Wilhelmina", lastName: "Quartermaine", email: "wq@example.com" },
    });
    await prisma.order.create({
      data: {
        shopId: shop.id,
        customerId: customer.id,
        platform: "shopify",
        externalId: "o-1",
        name: "#4711",
        number: 4711,
        currency: "USD",
        subtotal: 10,
        total: 10,
        placedAt: minutes(-5000),
        sourceUpdatedAt: minutes(-5000),
      },
    });
    const make = async (name: string, seed: ConversationSeed) => {
      ids[name] = (await conversation(shop.id, seed)).id;
    };
    // SLA order: most overdue first, then due soonest, then (no SLA) urgent → low, then latest activity.
    await make("overdue60", { status: "waiting_on_staff", slaDueAt: minutes(-60), priority: "low" });
    await make("overdue5", { status: "waiting_on_staff", slaDueAt: minutes(-5), priority: "normal" });
    await make("due30", { status: "waiting_on_staff", slaDueAt: minutes(30), priority: "urgent" });
    await make("due30high", { status: "waiting_on_staff", slaDueAt: minutes(30), priority: "low", lastMessageAt: minutes(-1) });
    await make("due30older", { status: "waiting_on_staff", slaDueAt: minutes(30), priority: "low", lastMessageAt: minutes(-90) });
    await make("urgentNoSla", { status: "open", priority: "urgent", lastMessageAt: minutes(-300) });
    await make("highNoSla", { status: "waiting_on_shopper", priority: "high", handledByHuman: true, assigneeId: colleague.id, tags: ["vip", "refund"], language: "de" });
    await make("normalRecent", { status: "open", lastMessageAt: minutes(-2), channel: "email", lastIntent: "track_order", sentiment: -0.7, customerId: customer.id });
    await make("normalOld", { status: "open", lastMessageAt: minutes(-400), createdAt: new Date("2026-11-20T10:00:00Z"), sentiment: 0.8, shopperEmail: "Guest.Person@Example.com" });
    await make("lowNoSla", { status: "open", priority: "low", lastMessageAt: minutes(-3), assigneeId: me.id, sentiment: 0.1 });
    // Same instant, same everything: the id breaks the tie, so pages neither skip nor repeat.
    await make("twinA", { status: "open", priority: "low", lastMessageAt: minutes(-500) });
    await make("twinB", { status: "open", priority: "low", lastMessageAt: minutes(-500) });
    await make("resolvedNew", { status: "resolved", lastMessageAt: minutes(-10) });
    await make("resolvedOld", { status: "resolved", lastMessageAt: minutes(-1000), customerId: customer.id });

    // A word only in the oldest message of one conversation, then newer messages without it.
    const base = minutes(-5000).getTime();
    await prisma.message.create({ data: { shopId: shop.id, conversationId: ids.normalOld!, author: "shopper", body: "My parcel with the zanzibarite stone never came", createdAt: new Date(base) } });
    for (let index = 1; index <= 5; index++) {
      await prisma.message.create({ data: { shopId: shop.id, conversationId: ids.normalOld!, author: index % 2 ? "assistant" : "shopper", body: `later message ${index}`, createdAt: new Date(base + index * 60_000) } });
    }
    await prisma.message.create({ data: { shopId: shop.id, conversationId: ids.resolvedNew!, author: "shopper", body: "Where is the Zanzibarite order?", createdAt: minutes(-20) } });
    await prisma.message.create({ data: { shopId: shop.id, conversationId: ids.highNoSla!, author: "shopper", body: "refund for the blue kettle please", createdAt: minutes(-20) } });
    // The same word in another shop never shows.
    const foreign = await conversation(other.id, { status: "open" });
    await prisma.message.create({ data: { shopId: other.id, conversationId: foreign.id, author: "shopper", body: "zanzibarite kettle", createdAt: minutes(-20) } });
  });
  afterAll(async () => {
    await deleteTestShop(shop.domain);
    await deleteTestShop(other.domain);
  });

  it("sorts by SLA urgency (breached first), then priority, then latest activity", async () => {
    const page = await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "open" }, now: NOW, limit: 50 });
    const order = page.rows.map((row) => Object.entries(ids).find(([, id]) => id === row.id)![0]);
    const [twinFirst, twinSecond] = [ids.twinA!, ids.twinB!].sort();
    expect(order).toEqual([
      "overdue60",
      "overdue5",
      "due30",
      "due30high",
      "due30older",
      "urgentNoSla",
      "highNoSla",
      "normalRecent",
      "normalOld",
      "lowNoSla",
      ...(twinFirst === ids.twinA ? ["twinA", "twinB"] : ["twinB", "twinA"]),
    ]);
    expect(twinFirst! < twinSecond!).toBe(true);
    expect(page.rows.filter((row) => row.breached).map((row) => row.id)).toEqual([ids.overdue60, ids.overdue5]);
    expect(page.nextCursor).toBeNull();
    const resolved = await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "resolved" }, now: NOW });
    expect(resolved.rows.map((row) => row.id)).toEqual([ids.resolvedNew, ids.resolvedOld]);
  });

  it("pages with a cursor return every row once, in the same order, for every page size", async () => {
    const whole = (await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "open" }, now: NOW, limit: 200 })).rows.map((row) => row.id);
    expect(whole).toHaveLength(12);
    for (const size of [1, 2, 3, 5, 11]) expect(await allPages(shop.id, me.id, { view: "open" }, size), `page size ${size}`).toEqual(whole);
    expect(await allPages(shop.id, me.id, { view: "resolved" }, 1)).toEqual([ids.resolvedNew, ids.resolvedOld]);
    // The URL form of a page's filters carries its cursor.
    const first = await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "open" }, now: NOW, limit: 4 });
    const params = inboxFiltersToSearchParams({ view: "open", cursor: first.nextCursor! });
    const second = await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: parseInboxFilters(params), now: NOW, limit: 4 });
    expect(second.rows.map((row) => row.id)).toEqual(whole.slice(4, 8));
    // Bulk selection covers the same rows without paging.
    expect((await selectConversationIds(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "open" }, now: NOW })).ids).toEqual(whole);
    expect(await selectConversationIds(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "open" }, now: NOW, max: 3 })).toEqual({ ids: whole.slice(0, 3), truncated: true });
  });

  it("filters by assignee, priority, intent, sentiment, language, channel, tag and dates, alone and combined", async () => {
    const list = async (query: string) =>
      (await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: parseInboxFilters(new URLSearchParams(query)), now: NOW, limit: 200 })).rows.map(
        (row) => Object.entries(ids).find(([, id]) => id === row.id)![0],
      );
    expect(await list("view=open&assignee=me")).toEqual(["lowNoSla"]);
    expect(await list(`view=open&assignee=${colleague.id}`)).toEqual(["highNoSla"]);
    expect((await list("view=open&assignee=none")).sort()).toEqual(
      ["overdue60", "overdue5", "due30", "due30high", "due30older", "urgentNoSla", "normalRecent", "normalOld", "twinA", "twinB"].sort(),
    );
    expect(await list("view=open&priority=urgent&priority=high")).toEqual(["due30", "urgentNoSla", "highNoSla"]);
    expect(await list("view=open&priority=urgent,high&assignee=none")).toEqual(["due30", "urgentNoSla"]);
    expect(await list("view=open&intent=track_order")).toEqual(["normalRecent"]);
    expect(await list("view=open&sentiment=negative")).toEqual(["normalRecent"]);
    expect(await list("view=open&sentiment=positive")).toEqual(["normalOld"]);
    expect(await list("view=open&sentiment=neutral&priority=low")).toEqual(["overdue60", "due30high", "due30older", "lowNoSla", ...[ids.twinA!, ids.twinB!].sort().map((id) => (id === ids.twinA ? "twinA" : "twinB"))]);
    expect(await list("view=open&language=de")).toEqual(["highNoSla"]);
    expect(await list("view=open&channel=email")).toEqual(["normalRecent"]);
    expect(await list("view=open&tag=refund")).toEqual(["highNoSla"]);
    expect(await list("view=open&tag=refund&language=en")).toEqual([]);
    // Dates are days in the shop's time zone (UTC here): normalOld started on 2026-11-20, the rest on 2026-12-01.
    expect(await list("view=open&to=2026-11-20")).toEqual(["normalOld"]);
    expect(await list("view=open&from=2026-11-20&to=2026-11-20")).toEqual(["normalOld"]);
    expect(await list("view=open&from=2026-11-21")).not.toContain("normalOld");
    expect((await list("view=open&from=2026-12-01")).length).toBe(11);
  });

  it("finds a word in an older message, a customer by name, email or order name, and an anonymous shopper's email", async () => {
    const search = async (q: string, view: InboxView = "open") =>
      (await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: { view, q }, now: NOW })).rows.map((row) => Object.entries(ids).find(([, id]) => id === row.id)?.[0] ?? row.id);
    expect(await search("zanzibarite")).toEqual(["normalOld"]);
    expect(await search("Zanzibarite", "resolved")).toEqual(["resolvedNew"]);
    expect(await search("zanzibarite stone")).toEqual(["normalOld"]);
    expect(await search('"stone never came"')).toEqual(["normalOld"]);
    expect(await search("zanzibarite -stone")).toEqual([]);
    expect(await search("kettle")).toEqual(["highNoSla"]);
    expect(await search("quartermaine")).toEqual(["normalRecent"]);
    expect(await search("Wilhelmina", "resolved")).toEqual(["resolvedOld"]);
    expect(await search("wq@example.com")).toEqual(["normalRecent"]);
    expect(await search("#4711")).toEqual(["normalRecent"]);
    expect(await search("4711", "resolved")).toEqual(["resolvedOld"]);
    expect(await search("guest.person@example.com")).toEqual(["normalOld"]);
    expect(await search("nothing-matches-this")).toEqual([]);
    expect(await search("!!!")).toEqual([]);
    // Words of a search may be in different messages of one conversation; a phrase must be in one message.
    expect(await search("zanzibarite later")).toEqual(["normalOld"]);
    expect(await search('"zanzibarite later"')).toEqual([]);
    expect(await search("zanzibarite or kettle")).toEqual(["highNoSla", "normalOld"]);
    // Search with a filter and across pages.
    expect(await search("zanzibarite")).toEqual(await allPages(shop.id, me.id, { view: "open", q: "zanzibarite" }, 1).then((list) => list.map(() => "normalOld")));
    const matching = await allPages(shop.id, me.id, { view: "open", q: "later message" }, 1);
    expect(matching).toEqual([ids.normalOld]);
  });

  it("marks unread for each staff member: never read, or read before a message that is not staff's own", async () => {
    await prisma.conversationRead.createMany({
      data: [
        { conversationId: ids.normalRecent!, staffId: me.id, lastReadAt: minutes(-1) },
        { conversationId: ids.normalOld!, staffId: me.id, lastReadAt: minutes(-500) },
        { conversationId: ids.normalOld!, staffId: colleague.id, lastReadAt: minutes(-400) },
      ],
    });
    await prisma.conversation.update({ where: { id: ids.lowNoSla! }, data: { lastMessageAuthor: "staff" } });
    const unread = async (staffId: string) => {
      const rows = (await listInbox(prisma, { shopId: shop.id, staffId, filters: { view: "open" }, now: NOW, limit: 200 })).rows;
      return Object.fromEntries(rows.map((row) => [Object.entries(ids).find(([, id]) => id === row.id)![0], row.unread]));
    };
    const mine = await unread(me.id);
    expect(mine.normalRecent).toBe(false);
    expect(mine.normalOld).toBe(true);
    expect(mine.lowNoSla).toBe(false);
    expect(mine.urgentNoSla).toBe(true);
    const theirs = await unread(colleague.id);
    expect(theirs.normalRecent).toBe(true);
    expect(theirs.normalOld).toBe(false);
  });

  it("shows what the list promises for a row", async () => {
    const page = await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "open", q: "quartermaine" }, now: NOW });
    expect(page.rows[0]).toMatchObject({
      id: ids.normalRecent,
      customer: { name: "Wilhelmina Quartermaine", email: "wq@example.com", loggedIn: true, verified: false },
      lastMessagePreview: "latest words",
      lastMessageAuthor: "shopper",
      lastMessageAt: minutes(-2).toISOString(),
      priority: "normal",
      status: "open",
      assignee: null,
      channel: "email",
      lastIntent: "track_order",
      sentiment: -0.7,
      breached: false,
      tags: [],
      handledByHuman: false,
    });
    const [high] = (await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "open", tag: "vip" }, now: NOW })).rows;
    expect(high).toMatchObject({ assignee: { id: colleague.id, name: "Bo Agent" }, tags: ["vip", "refund"], language: "de" });
    const [overdue] = (await listInbox(prisma, { shopId: shop.id, staffId: me.id, filters: { view: "waiting" }, now: NOW, limit: 1 })).rows;
    expect(overdue).toMatchObject({ id: ids.overdue60, breached: true, slaDueAt: minutes(-60).toISOString(), slaKind: "first_response", waitingSince: minutes(-60).toISOString() });
  });
});

describe("search words kept by the database", () => {
  let shop: Shop;
  let staffId: string;
  beforeAll(async () => {
    shop = await createTestShop("Inbox search upkeep");
    staffId = (await staffMember(shop.id, "Sam Search")).id;
  });
  afterAll(async () => deleteTestShop(shop.domain));

  const found = async (q: string) => (await listInbox(prisma, { shopId: shop.id, staffId, filters: { view: "open", q }, now: NOW })).rows.map((row) => row.id);
  /** What the triggers keep must equal the words of the conversations' messages now. */
  async function expectInStep() {
    const drift = await prisma.$queryRaw<{ conversationId: string }[]>`
      SELECT c."id" AS "conversationId" FROM "Conversation" c
      LEFT JOIN "ConversationSearch" s ON s."conversationId" = c."id"
      LEFT JOIN LATERAL (SELECT tsvector_to_array(strip(to_tsvector('simple', string_agg(m."body", ' ')))) AS "lexemes" FROM "Message" m WHERE m."conversationId" = c."id") w ON true
      WHERE c."shopId" = ${shop.id} AND coalesce(s."lexemes", '{}') IS DISTINCT FROM coalesce(w."lexemes", '{}')`;
    expect(drift).toEqual([]);
  }

  it("adds a new message's words, forgets edited and deleted ones, and follows messages moved to another conversation", async () => {
    const first = await conversation(shop.id, { status: "open" });
    const second = await conversation(shop.id, { status: "open" });
    await prisma.message.create({ data: { shopId: shop.id, conversationId: first.id, author: "shopper", body: "The quokka mug is chipped" } });
    await prisma.message.createMany({
      data: [
        { shopId: shop.id, conversationId: first.id, author: "assistant", body: "Sorry about the mug" },
        { shopId: shop.id, conversationId: second.id, author: "shopper", body: "Where is my axolotl poster?" },
      ],
    });
    expect(await found("quokka")).toEqual([first.id]);
    expect(await found("axolotl")).toEqual([second.id]);
    await expectInStep();

    // An erased message (customers/redact rewrites the body) takes its words with it.
    await prisma.message.updateMany({ where: { conversationId: first.id, author: "shopper" }, data: { body: "[redacted]" } });
    expect(await found("quokka")).toEqual([]);
    expect(await found("mug")).toEqual([first.id]);
    // A turn updating a message's intent leaves the words alone.
    await prisma.message.updateMany({ where: { conversationId: second.id }, data: { intent: "track_order" } });
    expect(await found("axolotl")).toEqual([second.id]);

    // A merge moves the messages: the words move with them.
    await prisma.message.updateMany({ where: { conversationId: second.id }, data: { conversationId: first.id } });
    expect(await found("axolotl")).toEqual([first.id]);
    await prisma.message.deleteMany({ where: { conversationId: first.id, body: { contains: "axolotl" } } });
    expect(await found("axolotl")).toEqual([]);
    await expectInStep();
    expect(await prisma.conversationSearch.findUnique({ where: { conversationId: second.id } })).toBeNull();
  });
});

describe("inbox filters", () => {
  const reject = async (query: string, field: string) => {
    const error = await refusal(() => parseInboxFilters(new URLSearchParams(query)));
    expect(error.status, query).toBe(400);
    expect(error.field, query).toBe(field);
  };

  it("refuses bad values with 400 and the field", async () => {
    await reject("view=everything", "view");
    await reject("view=open&view=mine", "view");
    await reject("priority=extreme", "priority");
    await reject("priority=high,nope", "priority");
    await reject("assignee=bob", "assignee");
    await reject("intent=Track Order", "intent");
    await reject("sentiment=angry", "sentiment");
    await reject("language=eng", "language");
    await reject("channel=fax", "channel");
    await reject(`tag=${"x".repeat(51)}`, "tag");
    await reject("from=2026-13-01", "from");
    await reject("from=2026-02-30", "from");
    await reject("to=yesterday", "to");
    await reject("from=2026-12-02&to=2026-12-01", "to");
    await reject(`q=${"a".repeat(201)}`, "q");
    await reject("cursor=not-a-cursor!", "cursor");
    await reject(`cursor=${Buffer.from('{"sort":"sla"}').toString("base64url")}`, "cursor");
    // A Resolved cursor in an open view: the sort keys differ.
    const recent = Buffer.from(JSON.stringify({ sort: "recent", lastMessageAt: NOW.toISOString(), id: "x" })).toString("base64url");
    await reject(`view=open&cursor=${recent}`, "cursor");
    expect(parseInboxFilters(new URLSearchParams(`view=resolved&cursor=${recent}`)).cursor).toBe(recent);
    const error = await refusal(listInbox(prisma, { shopId: randomUUID(), staffId: randomUUID(), filters: { view: "open" }, limit: 0 }));
    expect([error.status, error.field]).toEqual([400, "limit"]);
    const bad = await refusal(() => validateInboxFilters({ view: "open", priority: ["urgent", 3] }));
    expect(bad.field).toBe("priority");
  });

  it("reads the defaults and ignores Shopify's own parameters", () => {
    expect(parseInboxFilters(new URLSearchParams("shop=x.myshopify.com&host=abc&embedded=1&q=%20%20&priority="))).toEqual({ view: "open" });
  });

  it("round-trips through the URL", () => {
    const filters: InboxFilters = {
      view: "resolved",
      assignee: "3f2b1c9e-8d7a-4e6f-9b1a-2c3d4e5f6a7b",
      priority: ["urgent", "low"],
      intent: "track_order",
      sentiment: "negative",
      language: "de",
      channel: "email",
      tag: "needs follow-up",
      from: "2026-11-01",
      to: "2026-11-30",
      q: 'refund "blue kettle" -damaged',
      cursor: Buffer.from(JSON.stringify({ sort: "recent", lastMessageAt: NOW.toISOString(), id: "abc" })).toString("base64url"),
    };
    expect(parseInboxFilters(inboxFiltersToSearchParams(filters))).toEqual(filters);
    expect(parseInboxFilters(new URLSearchParams(inboxFiltersToSearchParams(filters).toString()))).toEqual(filters);
    // Priorities come back in one canonical order whatever order they were given in.
    expect(parseInboxFilters(new URLSearchParams("priority=low,urgent,low")).priority).toEqual(["urgent", "low"]);
    expect(parseInboxFilters(inboxFiltersToSearchParams({ view: "mine" }))).toEqual({ view: "mine" });
  });
});

describe("conversation detail and customer panel", () => {
  let shop: Shop;
  let other: Shop;
  let me: { id: string };
  let colleague: { id: string };
  let away: { id: string };
  let customerId: string;
  let conversationId: string;
  const orderIds: Record<string, string> = {};

  beforeAll(async () => {
    shop = await createTestShop("Inbox detail");
    other = await createTestShop("Other detail shop");
    await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { routing: { vipTag: "gold" } } });
    me = await staffMember(shop.id, "Dana Detail");
    colleague = await staffMember(shop.id, "Eli Colleague");
    away = await staffMember(shop.id, "Fay Away");
    const customer = await prisma.customer.create({
      data: { shopId: shop.id, platform: "shopify", externalId: "c-9", firstName: "Grace", lastName: "Hopper", email: "grace@example.com", phone: "+15550100", tags: ["Gold", "newsletter"] },
    });
    customerId = customer.id;
    const order = (name: string, total: number, extra: { financialStatus?: "paid" | "voided" | "partially_refunded"; currency?: string; placedDaysAgo: number; customerId?: string | null }) =>
      prisma.order.create({
        data: {
          shopId: shop.id,
          customerId: extra.customerId === undefined ? customer.id : extra.customerId,
          platform: "shopify",
          externalId: name,
          name,
          number: Number(name.slice(1)),
          currency: extra.currency ?? "USD",
          subtotal: total,
          total,
          financialStatus: extra.financialStatus ?? "paid",
          placedAt: minutes(-extra.placedDaysAgo * 1440),
          sourceUpdatedAt: minutes(-extra.placedDaysAgo * 1440),
        },
      });
    orderIds.first = (await order("#1001", 100, { placedDaysAgo: 30 })).id;
    orderIds.refunded = (await order("#1002", 50.5, { placedDaysAgo: 10, financialStatus: "partially_refunded" })).id;
    orderIds.voided = (await order("#1003", 70, { placedDaysAgo: 5, financialStatus: "voided" })).id;
    orderIds.euro = (await order("#1004", 40, { placedDaysAgo: 3, currency: "EUR" })).id;
    orderIds.guest = (await order("#1005", 25, { placedDaysAgo: 2, customerId: null })).id;
    await prisma.orderLineItem.createMany({
      data: [
        { shopId: shop.id, orderId: orderIds.refunded, externalId: "li-1", title: "Blue kettle", variantTitle: "1.5 l", quantity: 2, unitPrice: 25.25, refundedQuantity: 1 },
        { shopId: shop.id, orderId: orderIds.refunded, externalId: "li-2", title: "Tea towel", quantity: 1, unitPrice: 0 },
      ],
    });
    await prisma.shipment.create({
      data: {
        shopId: shop.id,
        orderId: orderIds.refunded,
        platform: "shopify",
        externalId: "f-1",
        status: "in_transit",
        carrier: "UPS",
        trackingNumber: "1Z999",
        trackingUrl: "https://ups.example/1Z999",
        trackingNumbers: ["1Z999", "1Z998"],
        trackingUrls: ["https://ups.example/1Z999", "https://ups.example/1Z998"],
      },
    });
    await prisma.refund.createMany({
      data: [
        { shopId: shop.id, orderId: orderIds.refunded, platform: "shopify", externalId: "r-1", amount: 20.25, currency: "USD", status: "succeeded", reason: "damaged" },
        { shopId: shop.id, orderId: orderIds.refunded, platform: "shopify", externalId: "r-2", amount: 5, currency: "USD", status: "pending" },
      ],
    });
    await prisma.returnRequest.create({ data: { shopId: shop.id, orderId: orderIds.refunded, reason: "Too small", amount: 25.25, status: "approved" } });
    await prisma.orderAction.create({ data: { shopId: shop.id, orderId: orderIds.first, kind: "cancel", actor: `staff:${me.id}`, idempotencyKey: "cancel-1" } });

    const previous = await conversation(shop.id, { status: "resolved", customerId, createdAt: minutes(-20_000), lastMessageAt: minutes(-19_000), subject: "Old question", sentiment: 0.5 });
    await prisma.conversation.update({ where: { id: previous.id }, data: { csatScore: 5 } });
    await prisma.message.createMany({
      data: [
        { shopId: shop.id, conversationId: previous.id, author: "shopper", body: "hello", sentiment: 0.6, createdAt: minutes(-20_000) },
        { shopId: shop.id, conversationId: previous.id, author: "shopper", body: "thanks", sentiment: 0.8, createdAt: minutes(-19_999) },
      ],
    });
    const current = await conversation(shop.id, {
      status: "waiting_on_staff",
      assigneeId: me.id,
      handledByHuman: true,
      customerId,
      verifiedOrderIds: [orderIds.refunded, orderIds.guest],
      slaDueAt: minutes(-1),
      tags: ["damaged"],
      createdAt: minutes(-60),
      sentiment: -0.5,
    });
    conversationId = current.id;
    await prisma.conversation.update({ where: { id: conversationId }, data: { escalationReason: "frustration", summary: "Kettle arrived dented", escalatedAt: minutes(-50) } });
    const at = (n: number) => minutes(-60 + n);
    await prisma.message.create({ data: { shopId: shop.id, conversationId, author: "shopper", body: "Where is order #1002?", sentiment: -0.2, intent: "track_order", createdAt: at(0) } });
    await prisma.message.create({
      data: {
        shopId: shop.id,
        conversationId,
        author: "assistant",
        body: "It is on its way with UPS.",
        createdAt: at(1),
        metadata: {
          provider: "offline",
          citations: [{ sourceId: "src-1", chunkId: "ch-1", title: "Shipping policy" }],
          toolCalls: [{ name: "lookup_order", ok: true }, { name: "track_shipment", ok: false, code: "not_found" }],
          orderCard: { id: orderIds.refunded, name: "#1002", status: "open", financialStatus: "paid", fulfillmentStatus: "fulfilled", currency: "USD", total: "50.50", items: [{ title: "Blue kettle", variantTitle: "1.5 l", quantity: 2 }], shipments: [{ carrier: "UPS", trackingNumber: "1Z999", trackingUrl: "https://ups.example/1Z999", status: "in_transit" }] },
          quickReplies: ["Thanks"],
        },
      },
    });
    await prisma.message.create({ data: { shopId: shop.id, conversationId, author: "shopper", body: "It arrived dented. I want a person!", sentiment: -0.8, createdAt: at(2) } });
    await prisma.message.create({ data: { shopId: shop.id, conversationId, author: "assistant", body: "A teammate will take over.", createdAt: at(3), metadata: { handoff: { reason: "frustration" }, memory: { awaiting: { kind: "verification" } } } } });
    await prisma.message.create({ data: { shopId: shop.id, conversationId, author: "staff", staffId: colleague.id, visibility: "internal", body: "@Dana please check the photos", createdAt: at(4), metadata: { mentions: [me.id] } } });
    await prisma.message.create({ data: { shopId: shop.id, conversationId, author: "staff", staffId: me.id, body: "So sorry! A replacement is on its way.", createdAt: at(5) } });
    await prisma.actionLog.createMany({
      data: [
        { shopId: shop.id, conversationId, actor: "assistant", action: "conversation.escalated", reason: "frustration", idempotencyKey: "a1", createdAt: at(3) },
        { shopId: shop.id, conversationId, actor: `staff:${me.id}`, action: "conversation.assigned", targetType: "staff", targetId: me.id, idempotencyKey: "a2", input: { assigneeId: me.id }, createdAt: at(4) },
        { shopId: shop.id, conversationId, actor: "staff:gone", action: "conversation.tagged", idempotencyKey: "a3", createdAt: at(5) },
      ],
    });
    await prisma.staffPresence.createMany({
      data: [
        { conversationId, staffId: colleague.id, shopId: shop.id, typing: true, expiresAt: minutes(1) },
        { conversationId, staffId: away.id, shopId: shop.id, typing: false, expiresAt: minutes(-1) },
        { conversationId, staffId: me.id, shopId: shop.id, typing: false, expiresAt: minutes(1) },
      ],
    });
    // An anonymous shopper who verified one order, with an earlier conversation under the same email.
    await conversation(shop.id, { status: "resolved", shopperEmail: "anon@example.com", createdAt: minutes(-9000), subject: "Earlier as a guest" });
  });
  afterAll(async () => {
    await deleteTestShop(shop.domain);
    await deleteTestShop(other.domain);
  });

  it("returns the header, the transcript oldest first with notes and what the assistant did, the action log and others' presence", async () => {
    const detail = await getConversationDetail(prisma, { shopId: shop.id, staffId: me.id, conversationId, now: NOW });
    expect(detail.conversation).toMatchObject({
      id: conversationId,
      status: "waiting_on_staff",
      assignee: { id: me.id, name: "Dana Detail" },
      tags: ["damaged"],
      snoozed: false,
      sla: { dueAt: minutes(-1).toISOString(), kind: "first_response", breached: true },
      escalationReason: "frustration",
      summary: "Kettle arrived dented",
      handledByHuman: true,
      mergedIntoId: null,
      csat: null,
      customerId,
    });
    expect(detail.messages.map((message) => [message.author, message.visibility, message.body])).toEqual([
      ["shopper", "public", "Where is order #1002?"],
      ["assistant", "public", "It is on its way with UPS."],
      ["shopper", "public", "It arrived dented. I want a person!"],
      ["assistant", "public", "A teammate will take over."],
      ["staff", "internal", "@Dana please check the photos"],
      ["staff", "public", "So sorry! A replacement is on its way."],
    ]);
    expect(detail.olderMessagesOmitted).toBe(false);
    const [question, answer, , handoff, note, reply] = detail.messages;
    expect(question).toMatchObject({ intent: "track_order", sentiment: -0.2, staff: null, citations: [], toolCalls: [], orderCard: null, handoff: null });
    expect(answer).toMatchObject({
      provider: "offline",
      citations: [{ sourceId: "src-1", chunkId: "ch-1", title: "Shipping policy" }],
      toolCalls: [
        { name: "lookup_order", ok: true, code: null },
        { name: "track_shipment", ok: false, code: "not_found" },
      ],
      orderCard: { name: "#1002", total: "50.50", items: [{ title: "Blue kettle", quantity: 2 }], shipments: [{ trackingNumber: "1Z999" }] },
      quickReplies: ["Thanks"],
    });
    expect(handoff).toMatchObject({ handoff: { reason: "frustration" }, needsVerification: true });
    expect(note).toMatchObject({ staff: { id: colleague.id, name: "Eli Colleague" }, mentions: [me.id] });
    expect(reply!.staff).toEqual({ id: me.id, name: "Dana Detail" });
    expect(detail.actions.map((action) => [action.actorName, action.action])).toEqual([
      ["Assistant", "conversation.escalated"],
      ["Dana Detail", "conversation.assigned"],
      ["A former staff member", "conversation.tagged"],
    ]);
    expect(detail.actions[1]).toMatchObject({ actor: `staff:${me.id}`, targetType: "staff", targetId: me.id, input: { assigneeId: me.id } });
    // Presence: the colleague typing (unexpired); not the one whose presence expired, not the viewer.
    expect(detail.presence).toEqual([{ staffId: colleague.id, name: "Eli Colleague", typing: true, expiresAt: minutes(1).toISOString() }]);
    const later = await getConversationDetail(prisma, { shopId: shop.id, staffId: me.id, conversationId, now: minutes(2) });
    expect(later.presence).toEqual([]);
    const asColleague = await getConversationDetail(getPool(), { shopId: shop.id, staffId: colleague.id, conversationId, now: NOW });
    expect(asColleague.presence.map((entry) => entry.name)).toEqual(["Dana Detail"]);
    await expect(getConversationDetail(prisma, { shopId: other.id, staffId: me.id, conversationId })).rejects.toMatchObject({ status: 404 });
    await expect(getConversationDetail(prisma, { shopId: shop.id, staffId: me.id, conversationId: randomUUID() })).rejects.toMatchObject({ status: 404 });
  });

  it("builds the customer panel: who, lifetime value net of refunds, orders with lines, shipments, refunds and returns, history and mood", async () => {
    const panel = await getCustomerPanel(prisma, { shopId: shop.id, conversationId });
    expect(panel.customer).toMatchObject({
      id: customerId,
      name: "Grace Hopper",
      email: "grace@example.com",
      phone: "+15550100",
      tags: ["Gold", "newsletter"],
      vip: true,
      // 100.00 + 50.50 paid, less the 20.25 refund that succeeded (the pending 5.00 and the voided order do not count).
      lifetimeValue: "130.25",
      currency: "USD",
      ordersCount: 4,
      otherCurrencyOrders: 1,
      redacted: false,
    });
    expect(panel.identity).toEqual({ loggedIn: true, verified: true, shopperName: null, shopperEmail: null });
    expect(panel.orders.map((order) => [order.name, order.verified, order.ownOrder])).toEqual([
      ["#1005", true, false],
      ["#1004", false, true],
      ["#1003", false, true],
      ["#1002", true, true],
      ["#1001", false, true],
    ]);
    const refunded = panel.orders.find((order) => order.name === "#1002")!;
    expect(refunded).toMatchObject({ total: "50.50", financialStatus: "partially_refunded", currency: "USD" });
    expect(refunded.lineItems.map((line) => [line.title, line.quantity, line.unitPrice, line.refundedQuantity])).toEqual([
      ["Blue kettle", 2, "25.25", 1],
      ["Tea towel", 1, "0.00", 0],
    ]);
    expect(refunded.shipments).toEqual([
      expect.objectContaining({ carrier: "UPS", status: "in_transit", trackingNumbers: ["1Z999", "1Z998"], trackingUrls: ["https://ups.example/1Z999", "https://ups.example/1Z998"] }),
    ]);
    expect(refunded.refunds.map((refund) => [refund.amount, refund.status])).toEqual([
      ["20.25", "succeeded"],
      ["5.00", "pending"],
    ]);
    expect(refunded.returnRequests).toEqual([expect.objectContaining({ status: "approved", amount: "25.25", reason: "Too small" })]);
    expect(panel.orders.find((order) => order.name === "#1001")!.actions).toEqual([expect.objectContaining({ kind: "cancel", status: "requested", actor: `staff:${me.id}` })]);
    expect(panel.previousConversations).toEqual([expect.objectContaining({ subject: "Old question", status: "resolved", csatScore: 5 })]);
    // Mood: the earlier conversation averaged 0.7, this one -0.5 over its two scored messages.
    expect(panel.sentimentTrend.conversations.map((point) => Math.round(point.sentiment * 100) / 100)).toEqual([0.7, -0.5]);
    expect(panel.sentimentTrend.messages.map((point) => point.sentiment)).toEqual([-0.2, -0.8]);
  });

  it("shows an anonymous shopper's verified orders and earlier conversations under the same email, without a customer", async () => {
    const anonymous = await conversation(shop.id, { status: "waiting_on_staff", shopperEmail: "Anon@Example.com", verifiedOrderIds: [orderIds.guest!] });
    const panel = await getCustomerPanel(prisma, { shopId: shop.id, conversationId: anonymous.id });
    expect(panel.customer).toBeNull();
    expect(panel.identity).toEqual({ loggedIn: false, verified: true, shopperName: null, shopperEmail: "Anon@Example.com" });
    expect(panel.orders.map((order) => [order.name, order.verified])).toEqual([["#1005", true]]);
    expect(panel.previousConversations.map((entry) => entry.subject)).toEqual(["Earlier as a guest"]);
    const unverified = await conversation(shop.id, { status: "open" });
    expect(await getCustomerPanel(getPool(), { shopId: shop.id, conversationId: unverified.id })).toMatchObject({
      customer: null,
      identity: { loggedIn: false, verified: false },
      orders: [],
      previousConversations: [],
    });
    await expect(getCustomerPanel(prisma, { shopId: other.id, conversationId: anonymous.id })).rejects.toMatchObject({ status: 404 });
  });
});
