/**
 * Shopify webhook intake and processing, end to end (issue 9's acceptance). Needs PostgreSQL
 * (BENCH_DATABASE_URL) and the Remix build (built here when build/ is missing or older than app/).
 *
 * Traffic: ORDERS orders, each in VERSIONS_PER_ORDER versions (orders/create, then orders/updated with
 * updated_at increasing: paid, edited, fulfilled, delivered/refunded; REST payloads with line items, discount
 * allocations, tax lines, customer, fulfillments and refunds — bench/support/shopify-orders.ts), 10% of the
 * events delivered twice with the same X-Shopify-Event-Id, the whole list shuffled. Signed like Shopify signs
 * (base64 HMAC-SHA256 of the raw body with the app's secret) and sent over CONCURRENCY keep-alive connections.
 *
 * 1. Intake, through the real route: the app's Express server (bench/support/webhook-server.ts, a child
 *    process, production mode, the app's default pool; the webhook handler mounted ahead of the Remix build)
 *    for a bench shop with an installed session; POST /webhooks/orders/create and /webhooks/orders/updated.
 *    Latency is the client's, request to end of response.
 * 2. Baseline, in the same run, same traffic: bare node:http + HMAC check + one INSERT … ON CONFLICT DO
 *    NOTHING into a scratch table through pg (another child process, same pool size).
 *    Both servers run side by side: a warm-up run of other orders each, then the measured deliveries in
 *    ROUNDS chunks with the two sides taking turns, so a change in the machine's load falls on both alike.
 *    Each server also reports the CPU time it used per measured delivery, which load elsewhere changes less.
 * 3. Processing: WORKERS concurrent loops of the app's job runner (runJobsOnce with the app's jobHandlers,
 *    scoped to the bench shop) until the queue is drained. Every statement is counted at the pg driver, so
 *    the report says which queries one event costs.
 * 4. Verification: lost = sent events not recorded or not processed, orders missing or whose stored
 *    sourceUpdatedAt/total/financialStatus is not the newest version's, missing line items/refunds/shipments;
 *    doubled = more than one event row or processing job per event id, more rows than the newest version
 *    has (orders, line items, refunds, shipments) or per external id (customers). For up to three orders
 *    not in their newest state the report shows what is stored and their deliveries in processing order.
 * WEBHOOKS_BENCH_INTAKE_ONLY=1 runs 1 and 2 only: verification then covers what intake promises (every event
 * recorded once with one processing job), and processing is reported as skipped.
 * The bench shop (and its jobs, events and orders) and the scratch table are deleted before and after.
 * Prints a markdown table; returns the figures for the runner's JSON.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import prisma from "~/db.server";
import { WEBHOOK_API_VERSION } from "~/lib/shopify/config";
import { mulberry32 } from "~/lib/random";
import { installDemoSession } from "~/modules/demo";
import { runJobsOnce } from "~/modules/jobs";
import { APP_SCOPES } from "~/shopify.server";
import { jobHandlers } from "~/worker.server";
import { type ExpectedOrder, type OrderEvent, orderEvents, VERSIONS_PER_ORDER } from "./support/shopify-orders";
import { perEvent, QueryProfile, type StatementFigures } from "./support/query-profile";
import { summarize } from "./stats";

const DOMAIN = "shopdesk-webhookbench.myshopify.com";
const ORDERS = 800;
const WARMUP_ORDERS = 60;
const CUSTOMERS = 300;
const DUPLICATE_SHARE = 0.1;
/** Connections sending at once, and worker loops processing: WEBHOOKS_BENCH_CONNECTIONS / _WORKERS override. */
const CONCURRENCY = Number(process.env.WEBHOOKS_BENCH_CONNECTIONS ?? 32);
const ROUNDS = 4;
const WORKERS = Number(process.env.WEBHOOKS_BENCH_WORKERS ?? 4);
const FIRST_PLACED_AT = new Date("2026-11-02T14:00:00Z");
const BASELINE_TABLE = "webhooks_bench_baseline";
const REQUEST_TIMEOUT_MS = 30_000;
const SERVER_START_TIMEOUT_MS = 60_000;
const DRAIN_TIMEOUT_MS = 10 * 60_000;
const TARGETS = { ratio: 0.5, p99Ms: 30, processingEventsPerSecond: 500 };
const INTAKE_ONLY = process.env.WEBHOOKS_BENCH_INTAKE_ONLY === "1";
/**
 * The open-loop run: deliveries sent on a fixed schedule whatever the answers, as Shopify sends them (a
 * closed loop of CONCURRENCY connections keeps the server saturated, so its latency is a queue's:
 * connections ÷ throughput). 400 events/s is about ten times a large shop's flash-sale peak.
 */
const PACED_RATE = Number(process.env.WEBHOOKS_BENCH_PACED_RATE ?? 400);
const PACED_ORDERS = 240;

interface Delivery {
  path: string;
  eventId: string;
  headers: Record<string, string | number>;
  body: Buffer;
}

// ---------------------------------------------------------------- Traffic

/** Signs each event like Shopify, delivers DUPLICATE_SHARE of them twice (same event id), shuffles the lot. */
function deliveries(events: OrderEvent[], secret: string, seed: number): Delivery[] {
  const random = mulberry32(seed);
  const list: Delivery[] = [];
  const delivery = (event: OrderEvent, eventId: string, body: Buffer): Delivery => ({
    path: `/webhooks/${event.topic}`,
    eventId,
    body,
    headers: {
      "Content-Type": "application/json",
      "Content-Length": body.length,
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": event.topic,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body).digest("base64"),
      "X-Shopify-Shop-Domain": DOMAIN,
      "X-Shopify-API-Version": WEBHOOK_API_VERSION,
      // A duplicate is a new delivery of the same event: its own webhook id, the same event id.
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Event-Id": eventId,
      "X-Shopify-Triggered-At": event.triggeredAt,
    },
  });
  for (const event of events) {
    const eventId = randomUUID();
    const body = Buffer.from(JSON.stringify(event.payload));
    list.push(delivery(event, eventId, body));
    if (random() < DUPLICATE_SHARE) list.push(delivery(event, eventId, body));
  }
  for (let index = list.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [list[index], list[other]] = [list[other]!, list[index]!];
  }
  return list;
}

function post(agent: http.Agent, port: number, delivery: Delivery) {
  return new Promise<number>((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, method: "POST", path: delivery.path, headers: delivery.headers, agent }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    request.on("error", reject);
    request.end(delivery.body);
  });
}

/** CONCURRENCY keep-alive connections, each sending its next delivery as soon as the previous one is answered. */
async function send(port: number, list: Delivery[]): Promise<Sent> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const sent: Sent = { latencies: [], statuses: {}, seconds: 0 };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < list.length) {
        const delivery = list[next++]!;
        const posted = performance.now();
        const status = await post(agent, port, delivery).catch(() => 0);
        sent.latencies.push(performance.now() - posted);
        sent.statuses[status] = (sent.statuses[status] ?? 0) + 1;
      }
    }),
  );
  sent.seconds = (performance.now() - started) / 1_000;
  agent.destroy();
  return sent;
}

/**
 * Open loop: delivery i goes out at start + i / rate on up to CONCURRENCY keep-alive connections, and its
 * latency runs from that scheduled time, so a delivery kept waiting for a free connection counts its wait.
 */
async function sendPaced(port: number, list: Delivery[], ratePerSecond: number): Promise<Sent> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const sent: Sent = { latencies: [], statuses: {}, seconds: 0 };
  const started = performance.now();
  await Promise.all(
    list.map(async (delivery, index) => {
      const due = started + (index * 1_000) / ratePerSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const status = await post(agent, port, delivery).catch(() => 0);
      sent.latencies.push(performance.now() - due);
      sent.statuses[status] = (sent.statuses[status] ?? 0) + 1;
    }),
  );
  sent.seconds = (performance.now() - started) / 1_000;
  agent.destroy();
  return sent;
}

interface Sent {
  latencies: number[];
  statuses: Record<string, number>;
  seconds: number;
}

/** One side's figures over all its measured rounds. */
function intakeFigures(rounds: Sent[], server: { queries: Record<string, StatementFigures>; cpuMs: number }) {
  const latencies = rounds.flatMap((round) => round.latencies);
  const statuses: Record<string, number> = {};
  for (const round of rounds) for (const [status, count] of Object.entries(round.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  const seconds = rounds.reduce((sum, round) => sum + round.seconds, 0);
  const accepted = statuses["200"] ?? 0;
  const latency = summarize(latencies);
  const queries = Object.values(server.queries).reduce((sum, entry) => sum + entry.count, 0);
  return {
    deliveries: latencies.length,
    accepted,
    statuses,
    seconds: round(seconds),
    acceptedPerSecond: Math.round(accepted / seconds),
    p50Ms: latency.p50,
    p99Ms: latency.p99,
    maxMs: latency.max,
    /** The server process's CPU time per delivery (user + system): what load on the machine does not change much. */
    serverCpuMsPerDelivery: round(server.cpuMs / latencies.length),
    queriesPerDelivery: round(queries / latencies.length),
    /** Statement times are measured inside the server process, so they include its event-loop delay. */
    statements: perEvent(server.queries, latencies.length),
  };
}

// ---------------------------------------------------------------- Servers

function newestMtime(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function ensureBuild() {
  const built = path.join("build", "index.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime("app")) return;
  console.error("[webhooks] build/ is missing or older than app/: running `remix build` first");
  const result = spawnSync(path.resolve("node_modules", ".bin", "remix"), ["build"], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error("`remix build` failed: the bench serves build/ (run `npx remix build`)");
}

interface RunningServer {
  port: number;
  /** End of warm-up: the server counts statements and CPU time from here. */
  mark(): Promise<void>;
  /** Stops the server; resolves with the statements it sent by kind and the CPU time it used since the mark. */
  stop(): Promise<{ queries: Record<string, StatementFigures>; cpuMs: number }>;
}

async function startServer(args: string[], env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, [...(process.env.WEBHOOKS_BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.WEBHOOKS_BENCH_CPU_PROF}`] : []), "--import", "tsx/esm", "bench/support/webhook-server.ts", ...args], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  lines.on("line", (line) => {
    try {
      messages.push(JSON.parse(line));
    } catch {
      return; // not ours (a library's log line)
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const message = async (key: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = messages.find((entry) => key in entry);
      if (found) return found;
      if (child.exitCode !== null) throw new Error(`bench server ${args[0]} exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`bench server ${args[0]} sent no ${key} in ${timeoutMs} ms`);
      await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
  };
  try {
    const { port } = (await message("port", SERVER_START_TIMEOUT_MS)) as { port: number };
    return {
      port,
      mark: async () => {
        child.kill("SIGUSR2");
        await message("marked", 10_000);
      },
      stop: async () => {
        if (child.exitCode !== null) throw new Error(`bench server ${args[0]} exited with ${child.exitCode}`);
        child.kill("SIGTERM");
        const stats = (await message("queries", 10_000)) as { queries: Record<string, StatementFigures>; cpuMs: number };
        await exited;
        return stats;
      },
    };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

/**
 * Both servers run side by side; after a warm-up each, the measured deliveries go in ROUNDS chunks, the two
 * sides taking turns (and turns at going first), so a change in the machine's load falls on both alike.
 */
async function measureIntake(servers: { app: RunningServer; baseline: RunningServer }, warmup: Delivery[], measured: Delivery[], paced: Delivery[]) {
  const sides = ["baseline", "app"] as const;
  for (const side of sides) await send(servers[side].port, warmup);
  // The open-loop run comes before the mark, so the CPU and query figures are the saturated rounds' alone.
  const pacedRuns: Record<(typeof sides)[number], Sent | undefined> = { app: undefined, baseline: undefined };
  for (const side of sides) pacedRuns[side] = await sendPaced(servers[side].port, paced, PACED_RATE);
  for (const side of sides) await servers[side].mark();
  const rounds: Record<(typeof sides)[number], Sent[]> = { app: [], baseline: [] };
  const size = Math.ceil(measured.length / ROUNDS);
  for (let index = 0; index < ROUNDS; index++) {
    const chunk = measured.slice(index * size, (index + 1) * size);
    for (const side of index % 2 === 0 ? sides : [...sides].reverse()) rounds[side].push(await send(servers[side].port, chunk));
  }
  const pacedFigures = (run: Sent) => {
    const latency = summarize(run.latencies);
    return { ratePerSecond: PACED_RATE, deliveries: run.latencies.length, accepted: run.statuses["200"] ?? 0, p50Ms: latency.p50, p99Ms: latency.p99, maxMs: latency.max };
  };
  return {
    app: { ...intakeFigures(rounds.app, await servers.app.stop()), paced: pacedFigures(pacedRuns.app!) },
    baseline: { ...intakeFigures(rounds.baseline, await servers.baseline.stop()), paced: pacedFigures(pacedRuns.baseline!) },
  };
}

// ---------------------------------------------------------------- Bench shop

async function deleteBenchRows() {
  const shop = await prisma.shop.findUnique({ where: { domain: DOMAIN }, select: { id: true } });
  // Jobs have no foreign key to their shop; the shop's deletion cascades to everything else.
  if (shop) await prisma.job.deleteMany({ where: { shopId: shop.id } });
  await prisma.session.deleteMany({ where: { shop: DOMAIN } });
  await prisma.shop.deleteMany({ where: { domain: DOMAIN } });
  await prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS "${BASELINE_TABLE}"`);
}

async function createBenchShop() {
  const shop = await prisma.shop.create({ data: { domain: DOMAIN, name: "Webhooks bench", settings: { create: {} } } });
  await installDemoSession(prisma, DOMAIN, APP_SCOPES);
  await prisma.$executeRawUnsafe(
    `CREATE TABLE "${BASELINE_TABLE}" ("eventId" text PRIMARY KEY, "shopDomain" text NOT NULL, "topic" text NOT NULL, "payload" jsonb NOT NULL, "receivedAt" timestamptz(3) NOT NULL DEFAULT now())`,
  );
  return shop;
}

// ---------------------------------------------------------------- Processing

async function drainQueue(shopId: string) {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, worker) => {
        while ((await runJobsOnce(prisma, jobHandlers, { workerId: `webhooks-bench-${worker}`, shopId })) > 0) {}
      }),
    );
    // Jobs that failed wait for their retry (backoff): wait for them too, within the deadline.
    const waiting = await prisma.job.findFirst({ where: { shopId, status: { in: ["queued", "running"] } }, orderBy: { runAt: "asc" }, select: { runAt: true } });
    if (!waiting || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, Math.max(50, Math.min(waiting.runAt.getTime() - Date.now(), deadline - Date.now()))));
  }
}

async function processQueue(shopId: string) {
  const queued = await prisma.job.count({ where: { shopId, status: "queued" } });
  const profile = new QueryProfile();
  const detach = profile.attach();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  try {
    await drainQueue(shopId);
  } finally {
    detach();
  }
  const seconds = (performance.now() - started) / 1_000;
  const cpu = process.cpuUsage(cpuBefore);
  const processed = await prisma.webhookEvent.count({ where: { shopId, status: "processed" } });
  const outcomes = await prisma.webhookEvent.groupBy({ by: ["status"], where: { shopId }, _count: true });
  const stale = await prisma.webhookEvent.count({ where: { shopId, lastError: { startsWith: "older than" } } });
  const retried = await prisma.job.count({ where: { shopId, attempts: { gt: 1 } } });
  const total = profile.total;
  return {
    workers: WORKERS,
    jobs: queued,
    processed,
    byStatus: Object.fromEntries(outcomes.map((entry) => [entry.status, entry._count])),
    staleNotApplied: stale,
    retriedJobs: retried,
    seconds: round(seconds),
    eventsPerSecond: Math.round(processed / seconds),
    queriesPerEvent: round(total.count / Math.max(1, processed)),
    /** Time from sending a statement to its answer, summed; includes waits for locks and for this process's event loop. */
    dbMsPerEvent: round(total.ms / Math.max(1, processed)),
    /** This process's CPU time per event (the workers' Node side: Prisma, zod, JSON). */
    workerCpuMsPerEvent: round((cpu.user + cpu.system) / 1_000 / Math.max(1, processed)),
    /** Wall time one worker spends per event (workers × elapsed / events): DB time plus Node-side work and waits. */
    workerMsPerEvent: round((seconds * 1_000 * WORKERS) / Math.max(1, processed)),
    statements: perEvent(profile.toJSON(), Math.max(1, processed)),
  };
}

// ---------------------------------------------------------------- Verification

async function verify(shopId: string, sentEventIds: Set<string>, expected: ExpectedOrder[]) {
  const events = await prisma.webhookEvent.findMany({ where: { shopDomain: DOMAIN }, select: { deliveryId: true, status: true } });
  const recorded = new Set(events.map((event) => event.deliveryId));
  const eventsNotRecorded = [...sentEventIds].filter((id) => !recorded.has(id)).length;
  const eventsNotProcessed = events.filter((event) => event.status !== "processed").length;

  const count = async (sql: string) => Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(sql, shopId))[0]!.n);
  const eventRowsDoubled = await count(
    `SELECT count(*) AS n FROM (SELECT "deliveryId" FROM "WebhookEvent" WHERE "shopId" = $1 GROUP BY "platform", "deliveryId" HAVING count(*) > 1) AS d`,
  );
  const jobsDoubled = await count(
    `SELECT count(*) AS n FROM (SELECT "payload"->>'webhookEventId' FROM "Job" WHERE "shopId" = $1 AND "name" = 'webhooks.process' GROUP BY 1 HAVING count(*) > 1) AS d`,
  );
  const customersDoubled = await count(
    `SELECT count(*) AS n FROM (SELECT "externalId" FROM "Customer" WHERE "shopId" = $1 GROUP BY "platform", "externalId" HAVING count(*) > 1) AS d`,
  );

  const rows = await prisma.$queryRaw<
    { externalId: string; sourceUpdatedAt: Date | null; total: string; financialStatus: string; lines: bigint; refunds: bigint; shipments: bigint }[]
  >`
    SELECT o."externalId", o."sourceUpdatedAt", o."total"::text AS "total", o."financialStatus"::text AS "financialStatus",
      (SELECT count(*) FROM "OrderLineItem" AS l WHERE l."orderId" = o."id") AS "lines",
      (SELECT count(*) FROM "Refund" AS r WHERE r."orderId" = o."id") AS "refunds",
      (SELECT count(*) FROM "Shipment" AS s WHERE s."orderId" = o."id") AS "shipments"
    FROM "Order" AS o WHERE o."shopId" = ${shopId}`;
  const byExternalId = new Map<string, (typeof rows)[number][]>();
  for (const row of rows) byExternalId.set(row.externalId, [...(byExternalId.get(row.externalId) ?? []), row]);

  const lost = { eventsNotRecorded, eventsNotProcessed, ordersMissing: 0, ordersNotNewest: 0, lineItemsMissing: 0, refundsMissing: 0, shipmentsMissing: 0 };
  const doubled = { webhookEvents: eventRowsDoubled, jobs: jobsDoubled, orders: 0, lineItems: 0, refunds: 0, shipments: 0, customers: customersDoubled };
  const notNewest: ExpectedOrder[] = [];
  for (const order of expected) {
    const stored = byExternalId.get(order.externalId) ?? [];
    if (stored.length === 0) {
      lost.ordersMissing++;
      continue;
    }
    doubled.orders += stored.length - 1;
    const row = stored[0]!;
    if (
      row.sourceUpdatedAt?.getTime() !== order.updatedAt.getTime() ||
      Number(row.total).toFixed(2) !== order.total ||
      row.financialStatus !== order.financialStatus
    ) {
      lost.ordersNotNewest++;
      if (notNewest.length < 3) notNewest.push(order);
    }
    for (const [field, actual, wanted] of [
      ["lineItems", Number(row.lines), order.lineItems],
      ["refunds", Number(row.refunds), order.refunds],
      ["shipments", Number(row.shipments), order.shipments],
    ] as const) {
      if (actual < wanted) lost[`${field}Missing`] += wanted - actual;
      if (actual > wanted) doubled[field] += actual - wanted;
    }
  }
  const sum = (figures: Record<string, number>) => Object.values(figures).reduce((total, value) => total + value, 0);
  return {
    lost: { total: sum(lost), ...lost, ...(notNewest.length ? { examples: await explain(shopId, notNewest, byExternalId) } : {}) },
    doubled: { total: sum(doubled), ...doubled },
  };
}

/** Intake only: every sent event recorded, once, with exactly one processing job. */
async function verifyIntake(shopId: string, sentEventIds: Set<string>) {
  const events = await prisma.webhookEvent.findMany({ where: { shopDomain: DOMAIN }, select: { deliveryId: true } });
  const recorded = new Set(events.map((event) => event.deliveryId));
  const count = async (sql: string) => Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(sql, shopId))[0]!.n);
  const eventsNotRecorded = [...sentEventIds].filter((id) => !recorded.has(id)).length;
  const jobsMissing = await count(
    `SELECT count(*) AS n FROM "WebhookEvent" AS e WHERE e."shopId" = $1
       AND NOT EXISTS (SELECT 1 FROM "Job" AS j WHERE j."name" = 'webhooks.process' AND j."payload"->>'webhookEventId' = e."id")`,
  );
  const webhookEvents = await count(
    `SELECT count(*) AS n FROM (SELECT "deliveryId" FROM "WebhookEvent" WHERE "shopId" = $1 GROUP BY "platform", "deliveryId" HAVING count(*) > 1) AS d`,
  );
  const jobs = await count(
    `SELECT count(*) AS n FROM (SELECT "payload"->>'webhookEventId' FROM "Job" WHERE "shopId" = $1 AND "name" = 'webhooks.process' GROUP BY 1 HAVING count(*) > 1) AS d`,
  );
  return {
    lost: { total: eventsNotRecorded + jobsMissing, eventsNotRecorded, jobsMissing },
    doubled: { total: webhookEvents + jobs, webhookEvents, jobs },
  };
}

/** For an order that did not end in its newest state: what is stored, what was expected, and its deliveries in processing order. */
async function explain(shopId: string, orders: ExpectedOrder[], stored: Map<string, { sourceUpdatedAt: Date | null; total: string; financialStatus: string }[]>) {
  return Promise.all(
    orders.map(async (order) => {
      const row = stored.get(order.externalId)![0]!;
      const events = await prisma.$queryRaw<Record<string, unknown>[]>`
        SELECT "topic", "deliveryId", "payload"->>'updated_at' AS "updatedAt", "status", "lastError", "attempts", "receivedAt", "processedAt"
        FROM "WebhookEvent" WHERE "shopId" = ${shopId} AND "payload"->>'admin_graphql_api_id' = ${order.externalId}
        ORDER BY "processedAt" NULLS LAST`;
      return {
        externalId: order.externalId,
        stored: { sourceUpdatedAt: row.sourceUpdatedAt, total: row.total, financialStatus: row.financialStatus },
        expected: { sourceUpdatedAt: order.updatedAt, total: order.total, financialStatus: order.financialStatus },
        events,
      };
    }),
  );
}

// ---------------------------------------------------------------- Run

function round(value: number) {
  return Math.round(value * 100) / 100;
}

export async function run(context: { databaseUrl: string }) {
  ensureBuild();
  await deleteBenchRows();
  const shop = await createBenchShop();
  try {
    const secret = randomBytes(24).toString("hex");
    const measured = orderEvents(0, ORDERS, { firstPlacedAt: FIRST_PLACED_AT, customers: CUSTOMERS });
    const warm = orderEvents(ORDERS, WARMUP_ORDERS, { firstPlacedAt: FIRST_PLACED_AT, customers: CUSTOMERS });
    const pacedOrders = orderEvents(ORDERS + WARMUP_ORDERS, PACED_ORDERS, { firstPlacedAt: FIRST_PLACED_AT, customers: CUSTOMERS });
    const measuredDeliveries = deliveries(measured.events, secret, 9);
    const warmupDeliveries = deliveries(warm.events, secret, 99);
    const pacedDeliveries = deliveries(pacedOrders.events, secret, 999);
    const sentEventIds = new Set([...measuredDeliveries, ...warmupDeliveries, ...pacedDeliveries].map((delivery) => delivery.eventId));
    const uniqueMeasured = new Set(measuredDeliveries.map((delivery) => delivery.eventId)).size;

    const serverEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: context.databaseUrl,
      SHOPIFY_API_KEY: "webhooks-bench",
      SHOPIFY_API_SECRET: secret,
      SHOPIFY_APP_URL: "https://shopdesk-bench.example.com",
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      DEMO_MODE: "0",
    };
    console.error(`[webhooks] intake: ${warmupDeliveries.length} warm-up + ${measuredDeliveries.length} deliveries to each of the app and the baseline`);
    const loadBefore = os.loadavg()[0]!;
    const servers = { baseline: await startServer(["baseline", BASELINE_TABLE], serverEnv), app: await startServer(["app"], serverEnv) };
    const { app, baseline } = await measureIntake(servers, warmupDeliveries, measuredDeliveries, pacedDeliveries).catch(async (error) => {
      await Promise.allSettled([servers.app.stop(), servers.baseline.stop()]);
      throw error;
    });
    const baselineStored = Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${BASELINE_TABLE}"`))[0]!.n);
    if (!INTAKE_ONLY) console.error(`[webhooks] processing with ${WORKERS} workers`);
    const processing = INTAKE_ONLY ? undefined : await processQueue(shop.id);
    const loadAfter = os.loadavg()[0]!;
    const verified = INTAKE_ONLY ? await verifyIntake(shop.id, sentEventIds) : await verify(shop.id, sentEventIds, [...measured.expected, ...warm.expected, ...pacedOrders.expected]);

    const ratio = round(app.acceptedPerSecond / baseline.acceptedPerSecond);
    const targets = {
      ratio: { target: `>= ${TARGETS.ratio}`, value: ratio, met: ratio >= TARGETS.ratio },
      p99Ms: { target: `<= ${TARGETS.p99Ms}`, value: app.p99Ms, met: app.p99Ms <= TARGETS.p99Ms },
      processingEventsPerSecond: {
        target: `>= ${TARGETS.processingEventsPerSecond}`,
        value: processing?.eventsPerSecond ?? "skipped",
        met: processing !== undefined && processing.eventsPerSecond >= TARGETS.processingEventsPerSecond,
      },
      lost: { target: 0, value: verified.lost.total, met: verified.lost.total === 0 },
      doubled: { target: 0, value: verified.doubled.total, met: verified.doubled.total === 0 },
    };
    const postgres = (await prisma.$queryRaw<{ server_version: string }[]>`SHOW server_version`)[0]!.server_version;

    const row = (name: string, value: string | number, target: { target: string | number; met: boolean }) =>
      `| ${name} | ${value} | ${target.target} | ${target.met ? "met" : value === "skipped" ? "" : "NOT met"} |`;
    console.log(
      [
        "",
        `Webhooks: ${measuredDeliveries.length} deliveries (${uniqueMeasured} events of ${ORDERS} orders × ${VERSIONS_PER_ORDER} versions, ${measuredDeliveries.length - uniqueMeasured} duplicates, shuffled), ${CONCURRENCY} connections, PostgreSQL ${postgres}, ${os.cpus().length} CPUs, load average ${round(loadBefore)} → ${round(loadAfter)}`,
        "",
        "| | app (real route) | bare-Node baseline |",
        "| --- | --- | --- |",
        `| accepted events/s | ${app.acceptedPerSecond} | ${baseline.acceptedPerSecond} |`,
        `| p50 / p99 ms | ${app.p50Ms} / ${app.p99Ms} | ${baseline.p50Ms} / ${baseline.p99Ms} |`,
        `| queries per delivery | ${app.queriesPerDelivery} | ${baseline.queriesPerDelivery} |`,
        `| server CPU ms per delivery | ${app.serverCpuMsPerDelivery} | ${baseline.serverCpuMsPerDelivery} |`,
        `| open loop at ${PACED_RATE} events/s (${app.paced.deliveries} deliveries): p50 / p99 ms | ${app.paced.p50Ms} / ${app.paced.p99Ms} | ${baseline.paced.p50Ms} / ${baseline.paced.p99Ms} |`,
        "",
        "| figure | value | target | |",
        "| --- | --- | --- | --- |",
        row("ratio app/baseline", ratio, targets.ratio),
        row(`app p99 ms (${CONCURRENCY} connections, saturated)`, app.p99Ms, targets.p99Ms),
        row(`processing events/s (${WORKERS} workers)`, targets.processingEventsPerSecond.value, targets.processingEventsPerSecond),
        row("lost", verified.lost.total, targets.lost),
        row("doubled", verified.doubled.total, targets.doubled),
        "",
      ].join("\n"),
    );
    return {
      workload: {
        orders: ORDERS,
        versionsPerOrder: VERSIONS_PER_ORDER,
        events: uniqueMeasured,
        deliveries: measuredDeliveries.length,
        duplicates: measuredDeliveries.length - uniqueMeasured,
        warmupDeliveries: warmupDeliveries.length,
        concurrency: CONCURRENCY,
        serverPoolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10),
        postgres,
        cpus: os.cpus().length,
        /** The machine's 1-minute load average before intake and after processing: above the CPU count, other work competed. */
        loadAverage: { before: round(loadBefore), after: round(loadAfter) },
      },
      intake: { app, baseline: { ...baseline, storedRows: baselineStored }, ratio },
      processing: processing ?? "skipped (WEBHOOKS_BENCH_INTAKE_ONLY=1)",
      verify: verified,
      targets,
    };
  } finally {
    await deleteBenchRows();
  }
}
