/**
 * The support inbox at scale (issue 10's acceptance): one shop with 100,000 conversations and 2,000,000
 * messages (bench/support/inbox-seed.ts, seeded once per database and reused), on PostgreSQL
 * (BENCH_DATABASE_URL). Everything is measured through the app's own functions, as the inbox routes call them
 * (the Prisma client, which the inbox module runs on the app's pg pool), at the seed's reference time:
 * - list: listInbox, first pages of every view (a quarter of the runs the second page), then with filters
 *   (assignee, priorities, tag, language + sentiment, dates, intent, channel), then with searches
 *   (order names, customer names and emails taken from the shop, and support words of different frequency:
 *   "invoice" is in 3% of the messages, "tracking number" 0.8%) over Open, Resolved and Mine;
 * - counts: countInboxViews (the tabs' badges, one statement);
 * - conversation: getConversationDetail and getCustomerPanel together, as the conversation page loads them,
 *   for conversations of 18 to 22 messages (and each on its own); each conversation is opened once first
 *   (reported as firstOpen: its pages may still be on disk), the measured runs then open the same ones again;
 * - live: a staff reply (sendStaffReply: message, conversation, SLA, e-mail job, action log, publishLive in one
 *   transaction) until a widget event stream in ANOTHER process (bench/support/live-receiver.ts, streamEvents
 *   fed by subscribeLive over LISTEN/NOTIFY) has the message; both read the same machine's clock.
 * Prints one JSON line with p50/p95 (ms) and the targets: list ≤ 50 ms p95, conversation ≤ 80 ms p95,
 * live ≤ 200 ms p95. INBOX_BENCH_RUNS sets the runs per measurement (default 200).
 */
import { type ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import readline from "node:readline";
import pg from "pg";
import prisma from "~/db.server";
import { mulberry32 } from "~/lib/random";
import { countInboxViews, getConversationDetail, getCustomerPanel, INBOX_VIEWS, type InboxFilters, listInbox, parseInboxFilters, sendStaffReply } from "~/modules/inbox";
import { measure, summarize } from "./stats";
import { CONVERSATIONS, ensureInboxBenchShop, MESSAGES, SEED_NOW } from "./support/inbox-seed";

export const jsonLine = true;

const RUNS = Number(process.env.INBOX_BENCH_RUNS ?? 200);
const LIVE_SENDS = Number(process.env.INBOX_BENCH_LIVE_SENDS ?? 200);
const TARGETS = { listP95Ms: 50, conversationP95Ms: 80, liveP95Ms: 200 };
const LIVE_TIMEOUT_MS = 5_000;

const round = (value: number) => Math.round(value * 100) / 100;
const figures = (stats: ReturnType<typeof summarize>) => ({ n: stats.n, p50: stats.p50, p95: stats.p95, p99: stats.p99, max: stats.max });

async function benchList(shopId: string, staffId: string) {
  const now = SEED_NOW;
  const list = (filters: InboxFilters) => listInbox(prisma, { shopId, staffId, filters, now });
  const views: Record<string, ReturnType<typeof figures>> = {};
  for (const view of INBOX_VIEWS) {
    const second = (await list({ view })).nextCursor ?? undefined;
    const stats = await measure(RUNS, (index) => list({ view, cursor: index % 4 === 3 ? second : undefined }));
    views[view] = figures(stats);
  }
  const filterQueries = [
    "view=open&assignee=none",
    "view=open&priority=urgent,high",
    "view=waiting&priority=urgent",
    "view=open&tag=refund",
    "view=resolved&language=de&sentiment=negative",
    `view=resolved&from=2026-06-01&to=2026-06-30`,
    "view=open&intent=track_order&channel=email",
    `view=mine&sentiment=negative`,
  ].map((query) => parseInboxFilters(new URLSearchParams(query)));
  const filtered = await measure(RUNS, (index) => list(filterQueries[index % filterQueries.length]!));

  const searches = await searchTerms(shopId);
  const searchViews = ["open", "open", "open", "resolved", "mine"] as const;
  const searched = await measure(RUNS, (index) => list({ view: searchViews[index % searchViews.length]!, q: searches[index % searches.length]! }));
  const hits = await Promise.all(searches.slice(0, 12).map(async (q) => ({ q, open: (await list({ view: "open", q })).rows.length })));
  return { views, filter: figures(filtered), search: figures(searched), searchTerms: searches.length, searchSample: hits };
}

/** Realistic searches: order names, customer last names and emails from the shop, and support words. */
async function searchTerms(shopId: string): Promise<string[]> {
  const orders = await prisma.$queryRaw<{ name: string }[]>`SELECT "name" FROM "Order" WHERE "shopId" = ${shopId} ORDER BY md5("id") LIMIT 12`;
  const customers = await prisma.$queryRaw<{ lastName: string; email: string }[]>`
    SELECT cu."lastName", cu."email" FROM "Conversation" c JOIN "Customer" cu ON cu."id" = c."customerId"
    WHERE c."shopId" = ${shopId} AND c."status" IN ('open', 'waiting_on_staff', 'waiting_on_shopper') ORDER BY md5(c."id") LIMIT 8`;
  const words = ["invoice", "tracking number", "refund", "damaged", "cancel order", "password", "shipping address", "newsletter", "warehouse", "wrong size"];
  const terms = [...orders.map((row) => row.name), ...customers.map((row) => row.lastName), ...customers.slice(0, 4).map((row) => row.email), ...words];
  const random = mulberry32(7);
  for (let index = terms.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [terms[index], terms[other]] = [terms[other]!, terms[index]!];
  }
  return terms;
}

async function benchConversation(shopId: string, staffId: string) {
  const picks = await prisma.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "Conversation" c
    WHERE c."shopId" = ${shopId} AND (SELECT count(*) FROM "Message" m WHERE m."conversationId" = c."id") BETWEEN 18 AND 22
      AND c."id" IN (SELECT "id" FROM "Conversation" WHERE "shopId" = ${shopId} ORDER BY md5("id") LIMIT 2000)
    LIMIT ${RUNS}`;
  const id = (index: number) => picks[index % picks.length]!.id;
  const detail = (index: number) => getConversationDetail(prisma, { shopId, staffId, conversationId: id(index), now: SEED_NOW });
  const panel = (index: number) => getCustomerPanel(prisma, { shopId, conversationId: id(index) });
  // First opening of each conversation (its messages and orders may still be on disk), then the measured runs
  // over the same conversations, as an inbox in use has them in memory.
  const firstOpen = await measure(picks.length, (index) => Promise.all([detail(index), panel(index)]), 0);
  const both = await measure(RUNS, (index) => Promise.all([detail(index), panel(index)]));
  const detailOnly = await measure(RUNS, detail);
  const panelOnly = await measure(RUNS, panel);
  const sample = await detail(0);
  const sampled = await panel(0);
  return {
    conversations: picks.length,
    detailAndPanel: figures(both),
    firstOpen: figures(firstOpen),
    detail: figures(detailOnly),
    panel: figures(panelOnly),
    sample: { messages: sample.messages.length, actions: sample.actions.length, orders: sampled.orders.length, previousConversations: sampled.previousConversations.length },
  };
}

// ---------------------------------------------------------------- live

interface Receiver {
  next(messageId: string): Promise<number>;
  stop(): Promise<void>;
}

async function startReceiver(shopId: string, conversationId: string, databaseUrl: string): Promise<Receiver> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx/esm", "bench/support/live-receiver.ts", shopId, conversationId], {
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  let ready: () => void = () => {};
  const readyNow = new Promise<void>((resolve) => {
    ready = resolve;
  });
  readline.createInterface({ input: child.stdout! }).on("line", (line) => {
    let message: { ready?: boolean; messageId?: string; at?: number };
    try {
      message = JSON.parse(line);
    } catch {
      return; // a library's log line
    }
    if (message.ready) ready();
    if (message.messageId && message.at !== undefined && !arrivals.has(message.messageId)) {
      arrivals.set(message.messageId, message.at);
      waiters.get(message.messageId)?.(message.at);
    }
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await Promise.race([
    readyNow,
    exited.then(() => {
      throw new Error("the live receiver exited before it was ready");
    }),
    new Promise((_, reject) => setTimeout(() => reject(new Error("the live receiver was not ready in 60 s")), 60_000)),
  ]);
  return {
    next: (messageId) =>
      new Promise<number>((resolve, reject) => {
        const known = arrivals.get(messageId);
        if (known !== undefined) return resolve(known);
        const timer = setTimeout(() => reject(new Error(`message ${messageId} not received in ${LIVE_TIMEOUT_MS} ms`)), LIVE_TIMEOUT_MS);
        waiters.set(messageId, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      }),
    stop: async () => {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** A conversation of its own (deleted afterwards with what the replies left behind), so the seeded shop keeps its shape. */
async function benchLive(shopId: string, staffId: string, databaseUrl: string) {
  const conversation = await prisma.conversation.create({
    data: { shopId, tokenHash: `inbox-bench-live-${Date.now()}`, status: "waiting_on_staff", handledByHuman: true, assigneeId: staffId, lastMessageAt: new Date() },
  });
  const question = await prisma.message.create({ data: { shopId, conversationId: conversation.id, author: "shopper", body: "Is anyone there? I need help with my order." } });
  const receiver = await startReceiver(shopId, conversation.id, databaseUrl);
  const samples: number[] = [];
  const sending: number[] = [];
  const afterCommit: number[] = [];
  const lost: string[] = [];
  try {
    // The stream reads its starting point right after it says it is connected.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let index = 0; index < LIVE_SENDS + 10; index++) {
      const sent = performance.timeOrigin + performance.now();
      const { message } = await sendStaffReply(prisma, { shopId, staffId, conversationId: conversation.id, body: `Reply ${index}: your parcel left the warehouse today.`, lastSeenMessageId: question.id });
      const committed = performance.timeOrigin + performance.now();
      const received = await receiver.next(message.id).catch(() => null);
      if (received === null) lost.push(message.id);
      else if (index >= 10) {
        samples.push(received - sent);
        sending.push(committed - sent);
        afterCommit.push(received - committed);
      }
      // Staff do not send a reply every millisecond: a short pause keeps the sends apart.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await receiver.stop();
    await prisma.$executeRaw`DELETE FROM "Job" WHERE "shopId" = ${shopId}`;
    await prisma.$executeRaw`DELETE FROM "ActionLog" WHERE "conversationId" = ${conversation.id}`;
    await prisma.$executeRaw`DELETE FROM "LiveEvent" WHERE "shopId" = ${shopId}`;
    await prisma.conversation.delete({ where: { id: conversation.id } });
  }
  const part = (values: number[]) => {
    const stats = summarize(values);
    return { p50: stats.p50, p95: stats.p95 };
  };
  return {
    sends: LIVE_SENDS,
    lost: lost.length,
    ...figures(summarize(samples)),
    /** Where the time goes: sendStaffReply until its commit, then NOTIFY → the other process's stream has the message. */
    split: { sendMs: part(sending), commitToStreamMs: part(afterCommit) },
  };
}

export async function run(context: { databaseUrl: string }) {
  const client = new pg.Client({ connectionString: context.databaseUrl });
  await client.connect();
  let shop: Awaited<ReturnType<typeof ensureInboxBenchShop>>;
  try {
    shop = await ensureInboxBenchShop(client);
  } finally {
    await client.end();
  }
  const staffId = shop.staffIds[0]!;
  const loadBefore = os.loadavg()[0]!;
  console.error("[inbox] list…");
  const list = await benchList(shop.shopId, staffId);
  console.error("[inbox] counts…");
  const counts = figures(await measure(RUNS, () => countInboxViews(prisma, { shopId: shop.shopId, staffId, now: SEED_NOW })));
  const viewCounts = await countInboxViews(prisma, { shopId: shop.shopId, staffId, now: SEED_NOW });
  console.error("[inbox] conversation…");
  const conversation = await benchConversation(shop.shopId, staffId);
  console.error("[inbox] live…");
  const live = await benchLive(shop.shopId, staffId, context.databaseUrl);
  const loadAfter = os.loadavg()[0]!;
  const postgres = (await prisma.$queryRaw<{ server_version: string }[]>`SHOW server_version`)[0]!.server_version;

  const listP95 = Math.max(...Object.values(list.views).map((view) => view.p95), list.filter.p95, list.search.p95);
  return {
    workload: {
      conversations: CONVERSATIONS,
      messages: MESSAGES,
      views: viewCounts,
      seeded: shop.seeded,
      runsPerMeasurement: RUNS,
      postgres,
      cpus: os.cpus().length,
      /** The machine's 1-minute load average before and after: above the CPU count, other work competed. */
      loadAverage: { before: round(loadBefore), after: round(loadAfter) },
    },
    list,
    counts,
    conversation,
    live,
    targets: {
      listP95Ms: { target: TARGETS.listP95Ms, value: listP95, met: listP95 <= TARGETS.listP95Ms },
      conversationP95Ms: { target: TARGETS.conversationP95Ms, value: conversation.detailAndPanel.p95, met: conversation.detailAndPanel.p95 <= TARGETS.conversationP95Ms },
      liveP95Ms: { target: TARGETS.liveP95Ms, value: live.p95, met: live.lost === 0 && live.p95 <= TARGETS.liveP95Ms },
    },
  };
}
