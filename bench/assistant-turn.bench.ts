/**
 * Assistant turn latency, server side: the time of handleShopperMessage (store the message, NLU, retrieval,
 * order tools, offline responder, reply transaction) on the demo shop at scale 10 (2,400 customers, 6,000
 * orders) with its articles, policies and products indexed by the offline embedder. Needs PostgreSQL
 * (BENCH_DATABASE_URL) and no OPENAI_API_KEY (it measures the offline providers).
 *
 * Workload: a seeded, realistic mix of conversations, one conversation per scenario: help-centre questions
 * (shipping, returns, sizing, discount codes…), order status for logged-in customers, order lookups by
 * unverified shoppers followed by order number + email, follow-ups ("and when will it arrive?"), return
 * requests (in and out of the return window), greetings and requests for a person. Orders are picked from
 * the database by state; the first 30 turns are warm-up, at least 320 are measured.
 *
 * Split of a turn's time: every query the turn sends is timed at the pg driver (retrieval = the
 * match_knowledge call, the rest is "other DB"); NLU (analyzeMessage) and the query embedding are re-run on
 * the same input right after the turn and timed on their own; "rest" is what remains (Prisma, responder…).
 * Prints a markdown table; returns the figures for the runner's JSON.
 *
 * Then the online path, on the same shop: the same pipeline with the chat model built by chatModelFromEnv
 * for a local OpenAI-compatible server that streams at a fixed pace (first token 200 ms after the request,
 * then one every 20 ms; bench/support/openai-stream-server.ts, in a child process of its own as a model runs on
 * its own machine: until 2026-12-02 it ran in this process, and its own CPU and garbage counted as the app's).
 * Workload: help-centre questions (answered
 * from the first retrieved passage), order questions by logged-in customers (a lookup_order tool round,
 * then the answer) and greetings. What the app adds = the time the caller waited minus the server's own
 * scheduled time: before the first streamed delta reaches `onEvent`, and before the stored reply does.
 * The query embedding stays offline here (the shop is indexed offline); with OpenAI embeddings one more
 * round trip to the embeddings API comes before the chat request. `ASSISTANT_TURN_ONLY=online` runs this part alone.
 */
import prisma from "~/db.server";
import { getEnv, resolveEnv } from "~/env.server";
import { mulberry32 } from "~/lib/random";
import { analyzeMessage, chatModelFromEnv, loadAssistantProfile } from "~/modules/assistant";
import { FLOW_INTENTS } from "~/modules/assistant/dialogue/state";
import { type ConversationEvent, handleShopperMessage, startConversation } from "~/modules/conversations";
import { seedDemoShop } from "~/modules/demo";
import { getEmbedder, indexPendingSources, queueUnindexedSources, searchKnowledge, syncProductKnowledge } from "~/modules/knowledge";
import { summarize } from "./stats";
import { monotonicMs, type PacedRound, startPacedOpenAIServer } from "./support/openai-stream-server";
import { instrumentPg, statementKind } from "./support/query-profile";

const DOMAIN = "shopdesk-turnbench.myshopify.com";
const SCALE = 10;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The seed's reference time: a start of UTC day like the seed's default, but fixed so reruns on any day see the same shop. */
const SEED_NOW = new Date("2026-11-20T00:00:00Z");
/** The first turn is on Friday at 09:00 in Los Angeles (the shop's team is in); each turn comes 10 s after the previous one. */
const FIRST_TURN_AT = SEED_NOW.getTime() + 17 * HOUR;
const TURN_SPACING_MS = 10_000;
const WARMUP_TURNS = 30;
const MEASURED_TURNS = 320;
const TARGET_P95_MS = 100;
/** The paced model server: first token 200 ms after the request, then one token every 20 ms. */
const MODEL_FIRST_TOKEN_MS = 200;
const MODEL_TOKEN_INTERVAL_MS = 20;
const ONLINE_WARMUP_TURNS = 10;
const ONLINE_MEASURED_TURNS = 120;
const TARGET_ONLINE_ADDED_P95_MS = 30;
/** perf_hooks' GC entry kinds (constants.NODE_PERFORMANCE_GC_*). */
const GC_KINDS: Record<number, string> = { 1: "minor", 2: "major", 4: "incremental", 8: "weak callbacks" };

/** Intents that act on an order (the dialogue's flows); everything else is a question. */
const ORDER_INTENTS = new Set(Object.values(FLOW_INTENTS));

const TURN_TYPES = ["greeting", "knowledge", "order_status", "order_lookup", "verification", "follow_up", "return", "human"] as const;
type TurnType = (typeof TURN_TYPES)[number];

interface Turn {
  type: TurnType;
  text: string;
}

interface Scenario {
  customerId?: string;
  turns: Turn[];
}

interface Sample {
  type: TurnType;
  ms: number;
  queries: number;
  dbMs: number;
  retrievalSqlMs: number;
  embedMs: number;
  nluMs: number;
  intent: string | null;
  escalated: boolean;
  cited: boolean;
}

// ---------------------------------------------------------------- Phrasings

const GREETINGS = ["Hi", "Hello there!", "hey, good morning", "Hi! I have a question"];
/** From the seeded help-centre articles and policies. */
const KNOWLEDGE = [
  "How long does standard shipping take?",
  "Do you ship to Canada?",
  "How much does shipping cost? Is there free shipping?",
  "Do you offer express delivery?",
  "What happens if my parcel is lost?",
  "Will I have to pay customs duties if I order from the UK?",
  "What is your return policy?",
  "How many days do I have to return something?",
  "Can I return boots I've already worn outside?",
  "How do I start a return?",
  "Can I exchange a jacket for a different size?",
  "When will I get my refund?",
  "Which items can't be returned?",
  "My jacket arrived damaged, what should I do?",
  "What size should I order in the hiking boots?",
  "Do your jackets run small?",
  "How do I find my size for the base layers?",
  "Do you have a discount code for my first order?",
  "Can I use two discount codes on one order?",
  "My discount code isn't working at checkout",
  "What payment methods do you accept?",
  "Do you sell gift cards?",
  "How does the two-year warranty work?",
  "How do I reset my password?",
  "Is the Cascade rain shell waterproof?",
  "What are your customer service hours?",
];
const STATUS_MINE = ["Where is my order?", "Hi, where's my package?", "Can you check on my order status?", "Has my order shipped yet?"];
const STATUS_NUMBERED = ["Where is my order {name}?", "What's the status of order {number}?", "Can you track {name} for me?", "Any update on order {name}?"];
const LOOKUP = ["Where is order {name}?", "Can you tell me the status of order {number}?", "I want to track my order {name}", "Hi, has order {name} shipped?"];
const VERIFY = ["It's {email}", "My email is {email}", "Order {name}, email {email}", "{email}"];
const FOLLOW_UP = ["and when will it arrive?", "When will it be delivered?", "ok, is it coming this week?", "When should I expect it to arrive?"];
const RETURNS = [
  "I'd like to return order {name}, it's too small",
  "I want to return {name}, it doesn't fit",
  "Can I return my order {name}? I changed my mind",
  "I need a refund for order {name}, it's not what I expected",
];
const HUMAN = ["Can I talk to a real person please?", "I want to speak to an agent", "Is there a human I can talk to?", "Please connect me to a representative"];

function fill(template: string, order: { name: string; email?: string | null }) {
  return template
    .replace("{name}", order.name)
    .replace("{number}", order.name.replace(/\D/g, ""))
    .replace("{email}", order.email ?? "");
}

// ---------------------------------------------------------------- Setup

/** Migrated by the runner; seeds (idempotent) and indexes the shop's knowledge the way `npm run demo` and the CLI do. */
async function prepareShop() {
  const started = performance.now();
  const summary = await seedDemoShop(prisma, { domain: DOMAIN, scale: SCALE, now: SEED_NOW });
  const seeded = performance.now();
  await syncProductKnowledge(summary.shopId, prisma);
  await queueUnindexedSources(summary.shopId, prisma);
  const indexed = await indexPendingSources(summary.shopId, { db: prisma });
  const chunks = await prisma.knowledgeChunk.count({ where: { shopId: summary.shopId, published: true } });
  // Statistics, as autovacuum keeps them on a live database (it is off on some test servers): without them the
  // planner takes every table for a handful of rows and, for one, sorts every chunk's vector instead of using
  // the HNSW index.
  await prisma.$executeRawUnsafe(`ANALYZE "KnowledgeChunk", "KnowledgeSource", "Order", "OrderLineItem", "Shipment", "Refund", "ReturnRequest", "Customer", "Conversation", "Message", "Product"`);
  return {
    summary,
    setup: { seedSeconds: round((seeded - started) / 1000), indexSeconds: round((performance.now() - seeded) / 1000), sourcesIndexed: indexed, publishedChunks: chunks },
  };
}

/**
 * Removes what earlier runs left: their conversations (created now, after the seed's history; messages
 * cascade), write-back actions, return requests and action log (the seed writes none), so every run starts from
 * the seed.
 */
async function resetBenchActivity(shopId: string) {
  await prisma.orderAction.deleteMany({ where: { shopId } });
  await prisma.returnRequest.deleteMany({ where: { shopId } });
  await prisma.actionLog.deleteMany({ where: { shopId } });
  await prisma.conversation.deleteMany({ where: { shopId, createdAt: { gt: SEED_NOW } } });
}

// ---------------------------------------------------------------- Workload

type PoolOrder = { name: string; email: string | null; customerId: string | null };

async function orderPools(shopId: string) {
  const orders = await prisma.order.findMany({
    where: { shopId },
    select: { name: true, email: true, customerId: true, placedAt: true, status: true, fulfillmentStatus: true, shipments: { select: { deliveredAt: true } } },
    orderBy: { number: "asc" },
  });
  type Row = (typeof orders)[number];
  const onTheWay = (order: Row) => order.status === "open" && order.shipments.some((shipment) => shipment.deliveredAt === null);
  const deliveredDaysAgo = (order: Row) => {
    if (order.status === "cancelled" || order.fulfillmentStatus !== "fulfilled" || order.shipments.length === 0) return undefined;
    if (order.shipments.some((shipment) => shipment.deliveredAt === null)) return undefined;
    return (SEED_NOW.getTime() - Math.max(...order.shipments.map((shipment) => shipment.deliveredAt!.getTime()))) / DAY;
  };
  const latest = new Map<string, Row>();
  for (const order of orders) {
    if (!order.customerId) continue;
    const current = latest.get(order.customerId);
    if (!current || order.placedAt > current.placedAt) latest.set(order.customerId, order);
  }
  const delivered = (order: Row, from: number, to: number) => {
    const days = deliveredDaysAgo(order);
    return days !== undefined && days >= from && days <= to;
  };
  return {
    /** Logged-in customers whose latest order is still on its way ("where is my order?" without a number). */
    latestOnTheWay: [...latest.values()].filter(onTheWay),
    /** Customers' orders on the way or delivered in the last 3 weeks (asked for by number). */
    customerOrders: orders.filter((order) => order.customerId && (onTheWay(order) || delivered(order, 0, 21))),
    /** Any order with an email, for shoppers who are not logged in. */
    lookups: orders.filter((order) => order.email && (onTheWay(order) || delivered(order, 0, 21))),
    /** Delivered within the 30-day return window (at the turn's time). */
    returnable: orders.filter((order) => order.customerId && delivered(order, 0, 25)),
    pastWindow: orders.filter((order) => order.customerId && delivered(order, 45, 120)),
  };
}

/** Draws without replacement (reshuffling when a pool runs out), so a run rarely asks about the same order twice. */
function drawer<T>(items: T[], random: () => number) {
  let bag: T[] = [];
  return () => {
    if (items.length === 0) throw new Error("assistant-turn bench: an order pool is empty (is the shop seeded at scale 10?)");
    if (bag.length === 0) {
      bag = [...items];
      for (let i = bag.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [bag[i], bag[j]] = [bag[j]!, bag[i]!];
      }
    }
    return bag.pop()!;
  };
}

function buildScenarios(pools: Awaited<ReturnType<typeof orderPools>>, totalTurns: number): Scenario[] {
  const random = mulberry32(0x7e12b3c4);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const chance = (probability: number) => random() < probability;
  const draw = {
    latestOnTheWay: drawer(pools.latestOnTheWay, random),
    customerOrders: drawer(pools.customerOrders, random),
    lookups: drawer(pools.lookups, random),
    returnable: drawer(pools.returnable, random),
    pastWindow: drawer(pools.pastWindow, random),
    knowledge: drawer(KNOWLEDGE, random),
  };
  const greeting = (): Turn => ({ type: "greeting", text: pick(GREETINGS) });
  const question = (): Turn => ({ type: "knowledge", text: draw.knowledge() });
  const scenarios: Scenario[] = [];
  let turns = 0;
  while (turns < totalTurns) {
    const roll = random();
    let scenario: Scenario;
    if (roll < 0.32) {
      // A help-centre question, sometimes after a greeting or followed by another one.
      scenario = { turns: [...(chance(0.25) ? [greeting()] : []), question(), ...(chance(0.3) ? [question()] : [])] };
    } else if (roll < 0.54) {
      // A logged-in customer asks about their order, usually followed by "when will it arrive?".
      const numbered = chance(0.5);
      const order: PoolOrder = numbered ? draw.customerOrders() : draw.latestOnTheWay();
      const ask = fill(pick(numbered ? STATUS_NUMBERED : STATUS_MINE), order);
      scenario = { customerId: order.customerId!, turns: [{ type: "order_status", text: ask }, ...(chance(0.7) ? [{ type: "follow_up" as const, text: pick(FOLLOW_UP) }] : [])] };
    } else if (roll < 0.72) {
      // Not logged in: asked for the email on the order, then shown the order; sometimes a follow-up.
      const order = draw.lookups();
      scenario = {
        turns: [
          { type: "order_lookup", text: fill(pick(LOOKUP), order) },
          { type: "verification", text: fill(pick(VERIFY), order) },
          ...(chance(0.5) ? [{ type: "follow_up" as const, text: pick(FOLLOW_UP) }] : []),
        ],
      };
    } else if (roll < 0.86) {
      // A return request by a logged-in customer: mostly within the window, some too late.
      const order = chance(0.75) ? draw.returnable() : draw.pastWindow();
      scenario = { customerId: order.customerId!, turns: [...(chance(0.2) ? [greeting()] : []), { type: "return", text: fill(pick(RETURNS), order) }] };
    } else if (roll < 0.93) {
      scenario = { turns: [greeting(), question()] };
    } else {
      // Asks for a person, straight away or after a question.
      scenario = { turns: [chance(0.5) ? greeting() : question(), { type: "human", text: pick(HUMAN) }] };
    }
    scenarios.push(scenario);
    turns += scenario.turns.length;
  }
  return scenarios;
}

// ---------------------------------------------------------------- Instrumentation



// ---------------------------------------------------------------- Report

function round(value: number) {
  return Math.round(value * 100) / 100;
}

function mean(values: number[]) {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

const EXPECTED: Record<TurnType, (sample: Sample) => boolean> = {
  greeting: (s) => s.intent === "greeting",
  knowledge: (s) => s.intent !== null && !ORDER_INTENTS.has(s.intent) && !["greeting", "thanks", "contact_human_agent"].includes(s.intent),
  order_status: (s) => s.intent === "track_order",
  order_lookup: (s) => s.intent === "track_order",
  verification: (s) => s.intent === "track_order",
  follow_up: (s) => s.intent === "track_order",
  return: (s) => s.intent === "get_refund",
  human: (s) => s.intent === "contact_human_agent" && s.escalated,
};

function figures(samples: Sample[]) {
  const times = samples.map((sample) => sample.ms);
  const nlu = mean(samples.map((s) => s.nluMs));
  const retrieval = mean(samples.map((s) => s.embedMs + s.retrievalSqlMs));
  const otherDb = mean(samples.map((s) => s.dbMs - s.retrievalSqlMs));
  const total = mean(times);
  return {
    ...summarize(times),
    mean: round(total),
    queries: round(mean(samples.map((s) => s.queries))),
    "NLU ms": round(nlu),
    "retrieval ms (embed + match_knowledge)": round(retrieval),
    "other DB ms": round(otherDb),
    "rest ms": round(total - nlu - retrieval - otherDb),
  };
}

function markdown(rows: [string, ReturnType<typeof figures>, string][]) {
  const lines = [
    "| turn type | n | p50 ms | p95 ms | p99 ms | max ms | mean ms | DB round trips | NLU ms | retrieval ms | other DB ms | rest ms | routed as expected |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
  ];
  for (const [name, d, routed] of rows) {
    lines.push(
      `| ${name} | ${d.n} | ${d.p50} | ${d.p95} | ${d.p99} | ${d.max} | ${d.mean} | ${d.queries} | ${d["NLU ms"]} | ${d["retrieval ms (embed + match_knowledge)"]} | ${d["other DB ms"]} | ${d["rest ms"]} | ${routed} |`,
    );
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------- Run

export async function run() {
  if (getEnv().OPENAI_API_KEY) return { skipped: "unset OPENAI_API_KEY: this benchmark measures the offline NLU, embedder and responder" };
  const { summary, setup } = await prepareShop();
  const shopId = summary.shopId;
  await resetBenchActivity(shopId);
  const pools = await orderPools(shopId);
  // ASSISTANT_TURN_ONLY=online measures the online path alone (a quicker loop when working on it).
  if (process.env.ASSISTANT_TURN_ONLY === "online") return { "online (paced OpenAI-compatible server)": await runOnline(shopId, pools) };
  const scenarios = buildScenarios(pools, WARMUP_TURNS + MEASURED_TURNS);

  // What the turn pipeline gives analyzeMessage (conversations/turn.server.ts), to time NLU on its own.
  const profile = await loadAssistantProfile(prisma, shopId);
  const products = await prisma.product.findMany({ where: { shopId, status: "active" }, select: { id: true, title: true }, take: 2_000 });
  const embedder = getEmbedder();

  let current: { queries: number; dbMs: number; retrievalSqlMs: number; retrievals: number } | null = null;
  const restore = instrumentPg((sql, ms) => {
    if (!current) return;
    current.queries++;
    current.dbMs += ms;
    if (sql.includes("match_knowledge")) {
      current.retrievalSqlMs += ms;
      current.retrievals++;
    }
  });
  const samples: Sample[] = [];
  const warmup: number[] = [];
  const retrievedTexts: string[] = [];
  let turnIndex = 0;
  try {
    for (const scenario of scenarios) {
      const { conversation } = await startConversation(prisma, { shopId, customerId: scenario.customerId });
      const history: string[] = [];
      for (const turn of scenario.turns) {
        const now = new Date(FIRST_TURN_AT + turnIndex * TURN_SPACING_MS);
        const queries = { queries: 0, dbMs: 0, retrievalSqlMs: 0, retrievals: 0 };
        current = queries;
        const started = performance.now();
        const result = await handleShopperMessage(prisma, { shopId, conversationId: conversation.id, text: turn.text }, { now });
        const ms = performance.now() - started;
        current = null;

        const nluStarted = performance.now();
        analyzeMessage(turn.text, { orderNamePrefix: profile.shop.orderNamePrefix, products, history: history.slice(-5), shopLanguages: profile.shop.locales });
        const nluMs = performance.now() - nluStarted;
        let embedMs = 0;
        if (queries.retrievals > 0) {
          const embedStarted = performance.now();
          for (let i = 0; i < queries.retrievals; i++) await embedder.embed([turn.text]);
          embedMs = performance.now() - embedStarted;
          retrievedTexts.push(turn.text);
        }
        history.push(turn.text);
        if (turnIndex < WARMUP_TURNS) warmup.push(ms);
        else {
          samples.push({
            type: turn.type,
            ms,
            queries: queries.queries,
            dbMs: queries.dbMs,
            retrievalSqlMs: queries.retrievalSqlMs,
            embedMs,
            nluMs,
            intent: result.intent,
            escalated: result.escalated,
            cited: (result.reply?.citations?.length ?? 0) > 0,
          });
        }
        turnIndex++;
      }
    }
  } finally {
    restore();
  }

  // searchKnowledge alone (embed + SQL) on the questions that retrieved, for reference.
  const searchTimes: number[] = [];
  for (const text of retrievedTexts) {
    const started = performance.now();
    await searchKnowledge({ shopId, query: text, language: "en", limit: 4 });
    searchTimes.push(performance.now() - started);
  }

  // What the workload did to the shop (reset at the start of the next run).
  const actions = await prisma.actionLog.groupBy({ by: ["action"], where: { shopId }, _count: true, orderBy: { action: "asc" } });
  const sideEffects = Object.fromEntries(actions.map((row) => [row.action, row._count]));

  const totalMs = samples.reduce((sum, sample) => sum + sample.ms, 0);
  const routed = (list: Sample[]) => `${Math.round((100 * list.filter((s) => EXPECTED[s.type](s)).length) / Math.max(1, list.length))}%`;
  const rows: [string, ReturnType<typeof figures>, string][] = TURN_TYPES.map((type) => samples.filter((s) => s.type === type))
    .filter((list) => list.length > 0)
    .map((list) => [list[0]!.type, figures(list), routed(list)]);
  const overall = figures(samples);
  rows.push(["**overall**", overall, routed(samples)]);
  const knowledgeTurns = samples.filter((s) => s.type === "knowledge");
  const intents = new Map<string, Map<string, number>>();
  for (const sample of samples) {
    const counts = intents.get(sample.type) ?? new Map<string, number>();
    counts.set(sample.intent ?? "none", (counts.get(sample.intent ?? "none") ?? 0) + 1);
    intents.set(sample.type, counts);
  }
  const roundTrips = samples.map((s) => s.queries);
  const share = (part: number) => `${Math.round((100 * part) / overall.mean)}%`;
  const turnsPerSecond = round(samples.length / (totalMs / 1000));

  console.log(
    [
      "",
      `### assistant-turn: ${samples.length} measured turns (after ${WARMUP_TURNS} warm-up) in ${scenarios.length} conversations, ${summary.orders} orders, ${summary.customers} customers`,
      "",
      markdown(rows),
      "",
      `First turn of the process (loads the NLU and embedding models): ${round(warmup[0]!)} ms; warm-up turns: ${JSON.stringify(summarize(warmup))}.`,
      `DB round trips per turn: mean ${overall.queries}, max ${Math.max(...roundTrips)} (all sequential, so a database r ms away adds about ${overall.queries}·r ms).`,
      `Throughput: ${turnsPerSecond} turns/s (one turn at a time). Target p95 ≤ ${TARGET_P95_MS} ms: ${overall.p95 <= TARGET_P95_MS ? "met" : "MISSED"} (p95 ${overall.p95} ms).`,
      `Mean turn ${overall.mean} ms = NLU ${overall["NLU ms"]} (${share(overall["NLU ms"])}) + retrieval ${overall["retrieval ms (embed + match_knowledge)"]} (${share(overall["retrieval ms (embed + match_knowledge)"])}) + other DB ${overall["other DB ms"]} over ${overall.queries} queries (${share(overall["other DB ms"])}) + rest ${overall["rest ms"]} (${share(overall["rest ms"])}).`,
      `searchKnowledge alone (offline embed + SQL), ms: ${JSON.stringify(summarize(searchTimes))}. Knowledge turns answered with a citation: ${knowledgeTurns.filter((s) => s.cited).length}/${knowledgeTurns.length}.`,
      `Actions taken (action log): ${JSON.stringify(sideEffects)}.`,
      "",
    ].join("\n"),
  );

  const online = await runOnline(shopId, pools);

  return {
    shop: { domain: DOMAIN, orders: summary.orders, customers: summary.customers, seedNow: SEED_NOW.toISOString() },
    setup,
    turns: { warmup: WARMUP_TURNS, measured: samples.length, conversations: scenarios.length },
    "first turn (cold process), ms": round(warmup[0]!),
    "DB round trips per turn": { mean: overall.queries, max: Math.max(...roundTrips) },
    "handleShopperMessage, ms": Object.fromEntries(rows.map(([name, d]) => [name.replace(/\*/g, ""), d])),
    "turns/s (sequential)": turnsPerSecond,
    [`target p95 <= ${TARGET_P95_MS} ms`]: overall.p95 <= TARGET_P95_MS,
    "searchKnowledge alone, ms": summarize(searchTimes),
    sideEffects,
    intents: Object.fromEntries([...intents].map(([type, counts]) => [type, Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]))])),
    "online (paced OpenAI-compatible server)": online,
  };
}

// ---------------------------------------------------------------- Online path

const ONLINE_TURN_TYPES = ["knowledge", "order_status", "greeting"] as const;
type OnlineTurnType = (typeof ONLINE_TURN_TYPES)[number];

interface OnlineSample {
  type: OnlineTurnType;
  /** handleShopperMessage called → first streamed delta reached onEvent. */
  firstDeltaMs: number;
  /** handleShopperMessage called → the stored reply reached onEvent. */
  replyMs: number;
  /** The part of firstDeltaMs / replyMs that is the app's, not the model server's schedule. */
  addedFirstMs: number;
  addedReplyMs: number;
  /** Where the added time goes. */
  beforeRequestMs: number;
  betweenRoundsMs: number;
  tokenToCallerMs: number;
  afterLastTokenMs: number;
  /** Queries (count, summed ms) in the phases before the first request and after the last token. */
  queriesBeforeRequest: number;
  dbBeforeRequestMs: number;
  queriesAfterLastToken: number;
  dbAfterLastTokenMs: number;
  statementsBeforeRequest: { kind: string; ms: number }[];
  statementsAfterLastToken: { kind: string; ms: number }[];
  rounds: number;
  serverLateMs: number;
  /** Garbage-collection pauses of this process between the call and the stored reply (summed ms), and by kind. */
  gcMs: number;
  gcByKind: Record<string, number>;
}

function onlineTurns(pools: Awaited<ReturnType<typeof orderPools>>, total: number) {
  const random = mulberry32(0x51ee7a11);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const orders = drawer(pools.customerOrders, random);
  const questions = drawer(KNOWLEDGE, random);
  return Array.from({ length: total }, (): { type: OnlineTurnType; text: string; customerId?: string } => {
    const roll = random();
    if (roll < 0.6) return { type: "knowledge", text: questions() };
    if (roll < 0.9) {
      const order = orders();
      return { type: "order_status", text: fill(pick(STATUS_NUMBERED), order), customerId: order.customerId! };
    }
    return { type: "greeting", text: pick(GREETINGS) };
  });
}

function pausesByKind(pauses: { kind: string; duration: number }[]) {
  const byKind: Record<string, number> = {};
  for (const pause of pauses) byKind[pause.kind] = (byKind[pause.kind] ?? 0) + pause.duration;
  return byKind;
}

function gcTotals(samples: { gcByKind: Record<string, number> }[]) {
  const totals: Record<string, number> = {};
  for (const sample of samples) for (const [kind, ms] of Object.entries(sample.gcByKind)) totals[kind] = round((totals[kind] ?? 0) + ms);
  return totals;
}

interface TimedQuery {
  kind: string;
  endedAt: number;
  ms: number;
}

function queryPhases(queries: TimedQuery[], firstRequestAt: number, lastTokenAt: number) {
  const before = queries.filter((query) => query.endedAt <= firstRequestAt);
  const after = queries.filter((query) => query.endedAt - query.ms >= lastTokenAt);
  const sum = (list: { ms: number }[]) => list.reduce((total, query) => total + query.ms, 0);
  return {
    queriesBeforeRequest: before.length,
    dbBeforeRequestMs: sum(before),
    queriesAfterLastToken: after.length,
    dbAfterLastTokenMs: sum(after),
    statementsBeforeRequest: before.map(({ kind, ms }) => ({ kind, ms })),
    statementsAfterLastToken: after.map(({ kind, ms }) => ({ kind, ms })),
  };
}

/** Per kind of statement: how many per turn and their mean time. */
function statementsByKind(perTurn: { kind: string; ms: number }[][]) {
  const byKind = new Map<string, number[]>();
  for (const statement of perTurn.flat()) byKind.set(statement.kind, [...(byKind.get(statement.kind) ?? []), statement.ms]);
  return Object.fromEntries([...byKind].map(([kind, times]) => [kind, `${round(times.length / perTurn.length)} × ${round(mean(times))} ms`]));
}

/**
 * Each turn in a new conversation, one at a time, through handleShopperMessage with the chat model
 * chatModelFromEnv builds for OPENAI_API_KEY + OPENAI_BASE_URL (the paced server). A turn that falls back
 * to the offline responder would measure the wrong thing, so the run stops on one.
 */
async function runOnline(shopId: string, pools: Awaited<ReturnType<typeof orderPools>>) {
  const server = await startPacedOpenAIServer({ firstTokenMs: MODEL_FIRST_TOKEN_MS, tokenIntervalMs: MODEL_TOKEN_INTERVAL_MS });
  const chatModel = chatModelFromEnv(resolveEnv({ ...process.env, OPENAI_API_KEY: "sk-bench-local", OPENAI_BASE_URL: server.baseURL }));
  if (!chatModel) throw new Error("assistant-turn bench: chatModelFromEnv built no model with OPENAI_API_KEY set");
  const samples: OnlineSample[] = [];
  const turns = onlineTurns(pools, ONLINE_WARMUP_TURNS + ONLINE_MEASURED_TURNS);
  const heapAtStartMb = round(process.memoryUsage().heapUsed / 1e6);
  const started = Date.now();
  /** The current turn's queries: what each was, when it ended and how long it took. */
  let queries: TimedQuery[] | null = null;
  const restore = instrumentPg((sql, ms) => queries?.push({ kind: statementKind(sql), endedAt: monotonicMs(), ms }));
  // GC entries are timed on performance.now(), the turn on the monotonic clock the model server shares.
  const performanceOffset = performance.now() - monotonicMs();
  const gcPauses: { startTime: number; duration: number; kind: string }[] = [];
  const gcObserver = new PerformanceObserver((list) =>
    gcPauses.push(...list.getEntries().map((entry) => ({ startTime: entry.startTime, duration: entry.duration, kind: GC_KINDS[(entry as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? "other" }))),
  );
  gcObserver.observe({ entryTypes: ["gc"] });
  const turnPauses = (from: number, to: number) => gcPauses.filter((pause) => pause.startTime >= from + performanceOffset && pause.startTime <= to + performanceOffset);
  try {
    for (const [index, turn] of turns.entries()) {
      const { conversation } = await startConversation(prisma, { shopId, customerId: turn.customerId });
      const roundsBefore = server.rounds.length;
      let firstDeltaAt: number | undefined;
      let replyAt: number | undefined;
      const turnQueries: TimedQuery[] = [];
      queries = turnQueries;
      const t0 = monotonicMs();
      const result = await handleShopperMessage(
        prisma,
        { shopId, conversationId: conversation.id, text: turn.text },
        {
          chatModel,
          // The turn's own clock: the order pools are picked at the seed's reference time.
          now: new Date(FIRST_TURN_AT + index * TURN_SPACING_MS),
          onEvent: (event: ConversationEvent) => {
            if (event.type === "delta") firstDeltaAt ??= monotonicMs();
            else if (event.type === "message" && event.message.author === "assistant") replyAt = monotonicMs();
          },
        },
      );
      queries = null;
      if (result.provider !== "openai") throw new Error(`assistant-turn bench: "${turn.text}" was answered offline (${JSON.stringify(result.fallback)})`);
      await server.settled();
      const rounds: PacedRound[] = server.rounds.slice(roundsBefore);
      const firstText = rounds.findIndex((round) => round.kind === "text");
      if (firstDeltaAt === undefined || replyAt === undefined || firstText < 0) throw new Error(`assistant-turn bench: "${turn.text}" streamed nothing`);
      if (index < ONLINE_WARMUP_TURNS) continue;
      const scheduledBeforeFirst = rounds.slice(0, firstText).reduce((sum, round) => sum + round.scheduledMs, 0) + MODEL_FIRST_TOKEN_MS;
      const scheduledTotal = rounds.reduce((sum, round) => sum + round.scheduledMs, 0);
      samples.push({
        type: turn.type,
        firstDeltaMs: firstDeltaAt - t0,
        replyMs: replyAt - t0,
        addedFirstMs: firstDeltaAt - t0 - scheduledBeforeFirst,
        addedReplyMs: replyAt - t0 - scheduledTotal,
        beforeRequestMs: rounds[0]!.receivedAt - t0,
        betweenRoundsMs: rounds.slice(1).reduce((sum, round, i) => sum + (round.receivedAt - rounds[i]!.lastTokenAt), 0),
        tokenToCallerMs: firstDeltaAt - rounds[firstText]!.firstTokenAt,
        afterLastTokenMs: replyAt - rounds.at(-1)!.lastTokenAt,
        ...queryPhases(turnQueries, rounds[0]!.receivedAt, rounds.at(-1)!.lastTokenAt),
        rounds: rounds.length,
        serverLateMs: Math.max(...rounds.map((round) => round.maxLateMs)),
        gcMs: turnPauses(t0, replyAt).reduce((sum, pause) => sum + pause.duration, 0),
        gcByKind: pausesByKind(turnPauses(t0, replyAt)),
      });
    }
  } finally {
    gcObserver.disconnect();
    restore();
    await server.close();
  }

  const row = (name: string, list: OnlineSample[]) => {
    const first = summarize(list.map((s) => s.addedFirstMs));
    const reply = summarize(list.map((s) => s.addedReplyMs));
    return {
      name,
      n: list.length,
      "first delta ms": summarize(list.map((s) => s.firstDeltaMs)),
      "reply ms": summarize(list.map((s) => s.replyMs)),
      "added before first delta ms": first,
      "added before reply ms": reply,
      "mean split ms": {
        "before the first model request": round(mean(list.map((s) => s.beforeRequestMs))),
        "between rounds (tools, next request)": round(mean(list.map((s) => s.betweenRoundsMs))),
        "first text token → caller (transport, SDK, stream gate)": round(mean(list.map((s) => s.tokenToCallerMs))),
        "last token → stored reply (checks, transaction, publish)": round(mean(list.map((s) => s.afterLastTokenMs))),
      },
      "mean queries (summed ms)": {
        "before the first model request": `${round(mean(list.map((s) => s.queriesBeforeRequest)))} (${round(mean(list.map((s) => s.dbBeforeRequestMs)))})`,
        "after the last token": `${round(mean(list.map((s) => s.queriesAfterLastToken)))} (${round(mean(list.map((s) => s.dbAfterLastTokenMs)))})`,
      },
      "model rounds": round(mean(list.map((s) => s.rounds))),
      "GC pauses per turn ms": summarize(list.map((s) => s.gcMs)),
    };
  };
  const rows = [...ONLINE_TURN_TYPES.map((type) => row(type, samples.filter((s) => s.type === type))).filter((r) => r.n > 0), row("**overall**", samples)];
  const overall = rows.at(-1)!;
  const met = overall["added before first delta ms"].p95 <= TARGET_ONLINE_ADDED_P95_MS && overall["added before reply ms"].p95 <= TARGET_ONLINE_ADDED_P95_MS;
  const serverLate = summarize(samples.map((s) => s.serverLateMs));
  console.log(
    [
      `### assistant-turn, online: ${samples.length} measured turns (after ${ONLINE_WARMUP_TURNS} warm-up), model server: first token ${MODEL_FIRST_TOKEN_MS} ms, then a token every ${MODEL_TOKEN_INTERVAL_MS} ms`,
      "",
      "| turn type | n | first delta p50/p95 ms | reply p50/p95 ms | **added before first delta** p50/p95 ms | **added before reply** p50/p95 ms | before request | between rounds | token → caller | last token → reply | rounds |",
      "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
      ...rows.map((r) => {
        const split = Object.values(r["mean split ms"]);
        return `| ${r.name} | ${r.n} | ${r["first delta ms"].p50} / ${r["first delta ms"].p95} | ${r["reply ms"].p50} / ${r["reply ms"].p95} | ${r["added before first delta ms"].p50} / ${r["added before first delta ms"].p95} | ${r["added before reply ms"].p50} / ${r["added before reply ms"].p95} | ${split.join(" | ")} | ${r["model rounds"]} |`;
      }),
      "",
      `Queries before the first model request, mean count (summed ms): ${overall["mean queries (summed ms)"]["before the first model request"]}; after the last token: ${overall["mean queries (summed ms)"]["after the last token"]}.`,
      `By statement, before the first request: ${JSON.stringify(statementsByKind(samples.map((s) => s.statementsBeforeRequest)))}; after the last token: ${JSON.stringify(statementsByKind(samples.map((s) => s.statementsAfterLastToken)))}.`,
      `Split columns are means (ms). Target: the app adds ≤ ${TARGET_ONLINE_ADDED_P95_MS} ms p95 before the first delta and before the reply: ${met ? "met" : "MISSED"}.`,
      `Garbage-collection pauses per turn (call → stored reply), ms: ${JSON.stringify(overall["GC pauses per turn ms"])}; summed by kind over all turns: ${JSON.stringify(gcTotals(samples))}; JS heap in use when the online part started: ${heapAtStartMb} MB.`,
      `Model server behind its own schedule (per turn, worst token), ms: ${JSON.stringify(serverLate)} (counted as added time). Run took ${round((Date.now() - started) / 1000)} s.`,
      "",
    ].join("\n"),
  );
  return {
    model: { firstTokenMs: MODEL_FIRST_TOKEN_MS, tokenIntervalMs: MODEL_TOKEN_INTERVAL_MS, id: chatModel.id },
    turns: { warmup: ONLINE_WARMUP_TURNS, measured: samples.length },
    byType: Object.fromEntries(rows.map(({ name, ...figures }) => [name.replace(/\*/g, ""), figures])),
    [`target added p95 <= ${TARGET_ONLINE_ADDED_P95_MS} ms`]: met,
    "server behind schedule, ms": serverLate,
  };
}
