import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import {
  applyOrder,
  enqueueShopifyBackfill,
  reconcileShopifyOrders,
  runShopifyBackfill,
  SHOPIFY_BACKFILL_JOB,
  applyShopifyDelivery,
  SHOPIFY_RECONCILE_JOB,
  type ShopifyAdminFor,
  shopifyBackfillJob,
  shopifyGraphql,
  shopifyReconcileJob,
  shopifyRest,
  shopifySyncStatus,
} from "~/modules/commerce";
import { runJobsOnce } from "~/modules/jobs";
import { SYNC_PRODUCTS_JOB } from "~/modules/knowledge";
import { runSyncStart } from "../../scripts/cli/sync";
import {
  type AdminGraphqlServer,
  buildFakeShop,
  type FakeOrder,
  type FakeShop,
  fakeOrder,
  graphqlOrderNode,
  restOrderPayload,
  startAdminGraphqlServer,
} from "../support/admin-graphql-server";
import { createTestShop, deleteTestShop } from "../support/shops";
import { cli } from "../support/cli";

/**
 * Backfill and reconciliation of a Shopify shop through the official Admin API client, against a local server
 * that speaks the Admin GraphQL wire format (cost extensions, THROTTLED, 401, cursor pagination).
 */

const TOKEN = "shpat_backfill_test";
const NOW = Date.now();
/** Small pages so every resource spans several (orders: 3 a page is what fits Shopify's 1,000-point limit). */
const PAGES = { customers: 5, products: 3, orders: 3 };
const DAY = 24 * 3600_000;

const domains: string[] = [];
const servers: AdminGraphqlServer[] = [];

async function installedShop(scope = "read_customers,read_orders,write_orders,read_products") {
  const shop = await createTestShop("Backfill shop");
  domains.push(shop.domain);
  await prisma.session.create({ data: { id: `offline_${shop.domain}`, shop: shop.domain, state: "", isOnline: false, scope, accessToken: TOKEN } });
  return shop;
}

async function fakeShopServer(shop: FakeShop = buildFakeShop({ now: NOW, customers: 12, products: 7, recentOrders: 100, oldOrders: 30 })) {
  const server = await startAdminGraphqlServer(shop, { token: TOKEN });
  servers.push(server);
  return server;
}

const runOptions = (server: AdminGraphqlServer) => ({ sleep: server.clock.sleep, clock: server.clock.now, pageSizes: PAGES });
const handlers = (server: AdminGraphqlServer, adminFor: ShopifyAdminFor) => ({
  [SHOPIFY_BACKFILL_JOB]: shopifyBackfillJob(prisma, adminFor, runOptions(server)),
  [SHOPIFY_RECONCILE_JOB]: shopifyReconcileJob(prisma, adminFor, runOptions(server)),
});
const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
const recentCount = (shop: FakeShop) => shop.orders.filter((order) => new Date(order.createdAt).getTime() >= NOW - 60 * DAY).length;

afterAll(async () => {
  for (const server of servers) await server.close();
  for (const domain of domains) await deleteTestShop(domain);
});

describe("Shopify backfill", () => {
  let server: AdminGraphqlServer;
  let shop: Awaited<ReturnType<typeof installedShop>>;

  beforeAll(async () => {
    server = await fakeShopServer();
    shop = await installedShop();
  });

  it("reads customers, products and the last 60 days of orders page by page, with totals and progress", async () => {
    const result = await runShopifyBackfill(prisma, shop.id, server.client(shop.domain), runOptions(server));
    expect(result).toMatchObject({ status: "done", resumed: false });

    const recent = recentCount(server.shop);
    expect(recent).toBe(100);
    expect(await prisma.customer.count({ where: { shopId: shop.id } })).toBe(12);
    expect(await prisma.product.count({ where: { shopId: shop.id } })).toBe(7);
    expect(await prisma.productVariant.count({ where: { shopId: shop.id } })).toBe(25 + 6 * 2);
    expect(await prisma.order.count({ where: { shopId: shop.id } })).toBe(recent);
    const oldest = server.shop.orders.at(-1)!;
    expect(await prisma.order.count({ where: { shopId: shop.id, externalId: gid("Order", oldest.id) } })).toBe(0);

    const status = await shopifySyncStatus(prisma, shop.id);
    expect(status.backfill.customers).toMatchObject({ status: "done", done: 12, total: 12, cursor: false, lastError: null });
    expect(status.backfill.products).toMatchObject({ status: "done", done: 7, total: 7, cursor: false });
    expect(status.backfill.orders).toMatchObject({ status: "done", done: recent, total: recent, cursor: false });
    expect(new Date(status.backfill.orders.since!).getTime()).toBeGreaterThan(NOW - 60 * DAY - 60_000);
    expect(status.backfill.orders.lastSuccessAt).not.toBeNull();

    // Real pagination: every orders page after the first continues from the previous page's cursor.
    const orderPages = server.log.filter((request) => request.root === "orders" && request.status === 200 && !request.throttled);
    expect(orderPages).toHaveLength(Math.ceil(recent / PAGES.orders));
    expect(orderPages[0]!.variables.after).toBeNull();
    expect(new Set(orderPages.map((request) => request.variables.after)).size).toBe(orderPages.length);
    expect(orderPages.every((request) => String(request.variables.query).startsWith("created_at:>='"))).toBe(true);
    expect(server.log.filter((request) => request.root === "customers" && !request.throttled)).toHaveLength(3);
    // No query went over Shopify's 1,000-point limit (the server refuses those).
    expect(Math.max(...server.log.map((request) => request.requestedQueryCost ?? 0))).toBeLessThanOrEqual(1000);
  });

  it("completes orders and products whose children did not fit in a page", async () => {
    const big = server.shop.orders[0]!;
    const order = await prisma.order.findUniqueOrThrow({
      where: { shopId_platform_externalId: { shopId: shop.id, platform: "shopify", externalId: gid("Order", big.id) } },
      include: { lineItems: true, refunds: true, shipments: true },
    });
    expect(order.lineItems).toHaveLength(12);
    expect(order.refunds).toHaveLength(3);
    expect(order.shipments).toHaveLength(3);
    expect(server.log.filter((request) => request.root === "orderDetails").length).toBeGreaterThanOrEqual(1);
    expect(server.log.filter((request) => request.root === "refunds")).toHaveLength(2);

    const product = await prisma.product.findUniqueOrThrow({
      where: { shopId_platform_externalId: { shopId: shop.id, platform: "shopify", externalId: gid("Product", server.shop.products[0]!.id) } },
      include: { variants: true },
    });
    expect(product.variants).toHaveLength(25);
    expect(product.description).toBe("Product 0 is great.\n- Soft\n- Warm");
  });

  it("queues the catalogue's knowledge refresh and the first reconciliation", async () => {
    expect(await prisma.job.count({ where: { shopId: shop.id, name: SYNC_PRODUCTS_JOB, status: "queued" } })).toBe(1);
    const reconcile = await prisma.job.findMany({ where: { shopId: shop.id, name: SHOPIFY_RECONCILE_JOB, status: "queued" } });
    expect(reconcile).toHaveLength(1);
    expect(reconcile[0]!.runAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(reconcile[0]!.runAt.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
  });

  it("skips an install-triggered backfill when this installation is already backfilled", async () => {
    const before = server.log.length;
    const result = await runShopifyBackfill(prisma, shop.id, server.client(shop.domain), { ...runOptions(server), trigger: "install" });
    expect(result.status).toBe("skipped");
    expect(server.log.length).toBe(before);
  });

  it("reads every order when the shop granted read_all_orders", async () => {
    const allShop = await installedShop("read_customers,read_orders,read_all_orders,read_products");
    const allServer = await fakeShopServer();
    await runShopifyBackfill(prisma, allShop.id, allServer.client(allShop.domain), runOptions(allServer));
    expect(await prisma.order.count({ where: { shopId: allShop.id } })).toBe(130);
    const status = await shopifySyncStatus(prisma, allShop.id);
    expect(status.backfill.orders).toMatchObject({ status: "done", done: 130, total: 130, since: null });
    expect(allServer.log.filter((request) => request.root === "orders").every((request) => request.variables.query === null)).toBe(true);
  });
});

describe("cost-based throttling", () => {
  it("waits the computed time after THROTTLED and retries the same page; waits before a page when the bucket runs low", async () => {
    const server = await fakeShopServer(buildFakeShop({ now: NOW, customers: 12, products: 7, recentOrders: 9, oldOrders: 0 }));
    const shop = await installedShop();
    const customerRequests = () => server.log.filter((request) => request.root === "customers").length;
    // Another app spends the shop's bucket just before the second customers page…
    server.faults.push({ when: (request) => request.root === "customers" && customerRequests() === 2, action: "drain-before" });
    // …and leaves only 10 points after the retried page.
    server.faults.push({ when: (request) => request.root === "customers" && customerRequests() === 3, action: "drain-after", available: 10 });

    await runShopifyBackfill(prisma, shop.id, server.client(shop.domain), runOptions(server));

    const [first, throttled, retry, last] = server.log.filter((request) => request.root === "customers");
    expect(first!.throttled).toBe(false);
    expect(throttled!.throttled).toBe(true);
    expect(throttled!.currentlyAvailable).toBe(0);
    // The same page again, after waiting (requested - available) / restoreRate seconds through the injected sleep.
    expect(retry!.throttled).toBe(false);
    expect(retry!.variables.after).toBe(throttled!.variables.after);
    expect(retry!.variables.after).not.toBeNull();
    const throttleWait = Math.ceil(((throttled!.requestedQueryCost! - 0) / server.bucket.restoreRate) * 1000);
    expect(retry!.waitedMs).toBe(throttleWait);
    // Only 10 points left: the next page waits until the bucket holds what a page costs, and is not throttled.
    expect(retry!.currentlyAvailable).toBe(10);
    const lowWait = Math.ceil(((retry!.requestedQueryCost! - 10) / server.bucket.restoreRate) * 1000);
    expect(last!.waitedMs).toBe(lowWait);
    expect(last!.throttled).toBe(false);
    expect(server.clock.sleeps.slice(0, 2)).toEqual([throttleWait, lowWait]);

    expect(await prisma.customer.count({ where: { shopId: shop.id } })).toBe(12);
    expect(await prisma.order.count({ where: { shopId: shop.id } })).toBe(9);
  });
});

describe("resuming after a crash", () => {
  it("fails the job when the connection breaks on orders page 3, and the retry continues from the stored cursor", async () => {
    const server = await fakeShopServer();
    const shop = await installedShop();
    let orderPages = 0;
    server.faults.push({ when: (request) => request.root === "orders" && ++orderPages === 3, action: "reset" });
    const jobs = handlers(server, async () => server.client(shop.domain));

    await enqueueShopifyBackfill(prisma, shop.id, "install");
    expect(await runJobsOnce(prisma, jobs, { shopId: shop.id, workerId: "test" })).toBe(1);

    const job = await prisma.job.findFirstOrThrow({ where: { shopId: shop.id, name: SHOPIFY_BACKFILL_JOB } });
    expect(job).toMatchObject({ status: "queued", attempts: 1 });
    expect(job.lastError).toMatch(/could not be reached/);
    let status = await shopifySyncStatus(prisma, shop.id);
    expect(status.backfill.customers.status).toBe("done");
    expect(status.backfill.products.status).toBe("done");
    expect(status.backfill.orders).toMatchObject({ status: "failed", done: 2 * PAGES.orders, cursor: true });
    expect(status.backfill.orders.lastError).toMatch(/could not be reached/);

    const crashed = server.log.filter((request) => request.root === "orders").at(-1)!;
    expect(crashed.status).toBe(0);
    const readBefore = server.log.filter((request) => request.root === "orders" && request.status === 200).map((request) => request.variables.after);
    expect(readBefore).toHaveLength(2);
    const firstRun = server.log.length;

    // The queue's retry (its backoff cut short).
    await prisma.job.update({ where: { id: job.id }, data: { runAt: new Date() } });
    expect(await runJobsOnce(prisma, jobs, { shopId: shop.id, workerId: "test" })).toBe(1);

    expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "succeeded", attempts: 2 });
    const rerun = server.log.slice(firstRun);
    expect(rerun.some((request) => request.root === "customers" || request.root === "products" || request.root === "counts")).toBe(false);
    const rerunPages = rerun.filter((request) => request.root === "orders");
    expect(rerunPages[0]!.variables.after).toBe(crashed.variables.after);
    for (const after of readBefore) expect(rerunPages.some((request) => request.variables.after === after)).toBe(false);

    const recent = recentCount(server.shop);
    expect(await prisma.order.count({ where: { shopId: shop.id } })).toBe(recent);
    status = await shopifySyncStatus(prisma, shop.id);
    expect(status.backfill.orders).toMatchObject({ status: "done", done: recent, total: recent, cursor: false, lastError: null });
  });
});

describe("an invalid access token", () => {
  it("stops the backfill with status failed and Shopify's reason, without retrying", async () => {
    const server = await fakeShopServer();
    const shop = await installedShop();
    const jobs = handlers(server, async () => server.client(shop.domain, "shpat_revoked"));
    await enqueueShopifyBackfill(prisma, shop.id, "install");
    expect(await runJobsOnce(prisma, jobs, { shopId: shop.id, workerId: "test" })).toBe(1);

    expect(server.log).toHaveLength(1);
    expect(server.log[0]!.status).toBe(401);
    const status = await shopifySyncStatus(prisma, shop.id);
    for (const resource of ["customers", "products", "orders"] as const) {
      expect(status.backfill[resource].status).toBe("failed");
      expect(status.backfill[resource].lastError).toContain("HTTP 401");
      expect(status.backfill[resource].lastError).toContain("Invalid API key or access token");
    }
    expect(await prisma.job.count({ where: { shopId: shop.id, status: "queued" } })).toBe(0);
    expect(await runJobsOnce(prisma, jobs, { shopId: shop.id, workerId: "test" })).toBe(0);
    expect(server.log).toHaveLength(1);
  });
});

describe("reconciliation", () => {
  let server: AdminGraphqlServer;
  let shop: Awaited<ReturnType<typeof installedShop>>;
  let jobs: ReturnType<typeof handlers>;

  const stored = (order: FakeOrder) =>
    prisma.order.findUnique({
      where: { shopId_platform_externalId: { shopId: shop.id, platform: "shopify", externalId: gid("Order", order.id) } },
      include: { refunds: true },
    });

  async function runQueuedReconcile() {
    const queued = await prisma.job.findMany({ where: { shopId: shop.id, name: SHOPIFY_RECONCILE_JOB, status: "queued" } });
    expect(queued).toHaveLength(1);
    await prisma.job.update({ where: { id: queued[0]!.id }, data: { runAt: new Date() } });
    expect(await runJobsOnce(prisma, jobs, { shopId: shop.id, workerId: "test" })).toBe(1);
    return queued[0]!.id;
  }

  beforeAll(async () => {
    server = await fakeShopServer();
    shop = await installedShop();
    jobs = handlers(server, async () => server.client(shop.domain));
    await runShopifyBackfill(prisma, shop.id, server.client(shop.domain), runOptions(server));
  });

  it("repairs the orders whose webhooks were lost and reports how many", async () => {
    const fake = server.shop;
    const changedAt = new Date(Date.now() - 1_000).toISOString();
    // Refunded on Shopify; the refunds/create and orders/updated webhooks never arrived.
    const refunded = fake.orders[10]!;
    const line = refunded.lineItems[0]!;
    refunded.refunds.push({
      id: 99_000_001,
      note: "Damaged",
      createdAt: changedAt,
      lines: [{ id: 99_000_002, lineItemId: line.id, quantity: 1, restockType: "NO_RESTOCK", subtotal: line.price, tax: "0.00" }],
      transactions: [{ id: 99_000_003, kind: "REFUND", status: "SUCCESS", amount: line.price, gateway: "shopify_payments" }],
    });
    refunded.financialStatus = "PARTIALLY_REFUNDED";
    refunded.updatedAt = changedAt;
    // Cancelled on Shopify; orders/cancelled lost.
    const cancelled = fake.orders[12]!;
    Object.assign(cancelled, { cancelledAt: changedAt, cancelReason: "CUSTOMER", financialStatus: "VOIDED", updatedAt: changedAt });
    // Placed after the backfill; orders/create lost.
    const placed = fakeOrder(fake.customers, fake.products, 500, Date.now() - 3_600_000, 2);
    placed.updatedAt = changedAt;
    fake.orders.push(placed);
    // Updated on Shopify and its webhook did arrive: nothing to repair.
    const delivered = fake.orders[20]!;
    delivered.updatedAt = changedAt;
    delivered.email = "new-address@example.com";
    await applyShopifyDelivery(prisma, "orders/updated", { shopId: shop.id, payload: restOrderPayload(delivered, fake), triggeredAt: null });

    expect(await stored(placed)).toBeNull();
    await runQueuedReconcile();

    const status = await shopifySyncStatus(prisma, shop.id);
    expect(status.reconcile.orders).toMatchObject({ status: "done", done: 4, repaired: 3, lastError: null });
    expect(status.reconcile.orders.lastSuccessAt).not.toBeNull();
    const repairedRefund = await stored(refunded);
    expect(repairedRefund).toMatchObject({ financialStatus: "partially_refunded" });
    expect(repairedRefund!.refunds.map((refund) => refund.externalId)).toContain(gid("Refund", 99_000_001));
    expect(await stored(cancelled)).toMatchObject({ status: "cancelled", cancelReason: "customer", financialStatus: "voided" });
    expect(await stored(placed)).toMatchObject({ name: `#${placed.number}` });
    expect(await stored(delivered)).toMatchObject({ email: "new-address@example.com" });
    // Read with `updated_at:>` a little before the backfill started.
    const query = String(server.log.filter((request) => request.root === "orders").at(-1)!.variables.query);
    expect(query).toMatch(/^updated_at:>'\d{4}-\d\d-\d\dT/);
  });

  it("reports 0 repaired when nothing changed, and keeps exactly one next run queued", async () => {
    const previousJob = await runQueuedReconcile();
    const status = await shopifySyncStatus(prisma, shop.id);
    expect(status.reconcile.orders).toMatchObject({ status: "done", repaired: 0 });
    expect(await prisma.job.findUniqueOrThrow({ where: { id: previousJob } })).toMatchObject({ status: "succeeded", dedupeKey: null });
    const next = await prisma.job.findMany({ where: { shopId: shop.id, name: SHOPIFY_RECONCILE_JOB, status: "queued" } });
    expect(next).toHaveLength(1);
    expect(next[0]!.dedupeKey).toBe(`${SHOPIFY_RECONCILE_JOB}:${shop.id}`);
    expect(next[0]!.runAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(status.reconcile.orders.nextRunAt).toBe(next[0]!.runAt.toISOString());
  });

  it("reads the window of a failed run again", async () => {
    const before = await shopifySyncStatus(prisma, shop.id);
    server.faults.push({ when: (request) => request.root === "orders", action: "reset" });
    await expect(reconcileShopifyOrders(prisma, shop.id, server.client(shop.domain), runOptions(server))).rejects.toThrow(/could not be reached/);
    const failed = await shopifySyncStatus(prisma, shop.id);
    expect(failed.reconcile.orders.status).toBe("failed");
    const result = await reconcileShopifyOrders(prisma, shop.id, server.client(shop.domain), runOptions(server));
    expect(result).toMatchObject({ status: "done", repaired: 0 });
    expect(result.status === "done" && result.since.toISOString()).toBe(failed.reconcile.orders.since);
    expect(new Date(failed.reconcile.orders.since!).getTime()).toBeLessThan(new Date(before.reconcile.orders.startedAt!).getTime());
  });

  it("stops for an uninstalled shop", async () => {
    await prisma.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
    const before = server.log.length;
    await runQueuedReconcile();
    expect(server.log.length).toBe(before);
    expect(await prisma.job.count({ where: { shopId: shop.id, name: SHOPIFY_RECONCILE_JOB, status: "queued" } })).toBe(0);
  });
});

describe("one mapping for both connectors", () => {
  it("an order read through GraphQL lands in the same state as the same order delivered as a REST webhook", async () => {
    const fake = buildFakeShop({ now: NOW, customers: 4, products: 3, recentOrders: 10, oldOrders: 0 });
    const viaGraphql = await installedShop();
    const viaWebhook = await installedShop();
    // Order 0: 12 lines, 3 refunds, 3 fulfillments, code and automatic discounts; 1: delivered; 5: cancelled; 9: no email.
    const picked = [0, 1, 5, 9].map((index) => fake.orders[index]!);
    const full = { ...shopifyGraphql.NESTED_DETAIL_SIZES, refunds: 50, fulfillments: 50 };
    for (const order of picked) {
      const graphql = shopifyGraphql.orderFromGraphql(shopifyGraphql.OrderNode.parse(graphqlOrderNode(order, fake, full)));
      const rest = shopifyRest.orderSnapshot(shopifyRest.OrderPayload.parse(restOrderPayload(order, fake)));
      expect(graphql).toEqual(rest);
      await applyOrder(prisma, viaGraphql.id, graphql);
      await applyShopifyDelivery(prisma, "orders/create", { shopId: viaWebhook.id, payload: restOrderPayload(order, fake), triggeredAt: null });
    }

    const housekeeping = new Set(["id", "shopId", "orderId", "customerId", "createdAt", "updatedAt"]);
    const comparable = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(comparable);
      if (value instanceof Date || value === null || typeof value !== "object") return value;
      if (value.constructor?.name === "Decimal") return String(value);
      return Object.fromEntries(Object.entries(value).filter(([key]) => !housekeeping.has(key)).map(([key, child]) => [key, comparable(child)]));
    };
    const load = (shopId: string) =>
      prisma.order.findMany({
        where: { shopId },
        orderBy: { externalId: "asc" },
        include: {
          customer: true,
          lineItems: { orderBy: { externalId: "asc" } },
          refunds: { orderBy: { externalId: "asc" } },
          shipments: { orderBy: { externalId: "asc" } },
        },
      });
    const [fromGraphql, fromWebhook] = [await load(viaGraphql.id), await load(viaWebhook.id)];
    expect(fromGraphql).toHaveLength(4);
    expect(fromGraphql[0]!.lineItems.length + fromGraphql[0]!.refunds.length + fromGraphql[0]!.shipments.length).toBeGreaterThan(0);
    expect(comparable(fromGraphql)).toEqual(comparable(fromWebhook));
    const big = fromGraphql.find((order) => order.externalId === gid("Order", fake.orders[0]!.id))!;
    expect(big).toMatchObject({ financialStatus: "partially_refunded", fulfillmentStatus: "partial" });
    expect(big.lineItems.filter((line) => line.refundedQuantity > 0).length).toBeGreaterThan(0);
    expect(big.shipments.map((shipment) => shipment.status).sort()).toEqual(["in_transit", "in_transit", "in_transit"]);
  });
});

describe("npm run cli -- sync", () => {

  it("starts a resync (queued, or run here with --now) and prints the state per resource", async () => {
    const server = await fakeShopServer(buildFakeShop({ now: NOW, customers: 3, products: 2, recentOrders: 5, oldOrders: 2 }));
    const shop = await installedShop();

    const queued = await cli("sync", "start", "--shop", shop.domain);
    expect(queued.code, queued.stderr).toBe(0);
    const { jobId } = JSON.parse(queued.stdout.trim()) as { jobId: string };
    expect(await prisma.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ name: SHOPIFY_BACKFILL_JOB, status: "queued", payload: { shopId: shop.id, trigger: "resync" } });

    const lines: string[] = [];
    const code = await runSyncStart(shop.domain, { now: true, handlers: async () => handlers(server, async () => server.client(shop.domain)) }, (line) => lines.push(line));
    expect(code).toBe(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({ job: { status: "succeeded" }, backfill: { orders: { status: "done", done: 5, total: 5 } } });
    expect(await prisma.job.count({ where: { shopId: shop.id, name: SHOPIFY_BACKFILL_JOB } })).toBe(1);

    const printed = await cli("sync", "status", "--shop", shop.domain);
    expect(printed.code, printed.stderr).toBe(0);
    const status = JSON.parse(printed.stdout.trim());
    expect(status).toMatchObject({
      shop: shop.domain,
      backfill: {
        customers: { status: "done", done: 3, total: 3, cursor: false, lastError: null },
        products: { status: "done", done: 2, total: 2, cursor: false },
        orders: { status: "done", done: 5, total: 5, cursor: false },
      },
      reconcile: { orders: { status: "idle", repaired: 0, lastSuccessAt: null } },
    });
    expect(status.backfill.orders.lastSuccessAt).toEqual(expect.any(String));
    expect(status.reconcile.orders.nextRunAt).toEqual(expect.any(String));

    const unknown = await cli("sync", "status", "--shop", "nobody-here.myshopify.com");
    expect(unknown.code).toBe(1);
  });

  it("says nothing was read for a shop with no Shopify behind it (the demo store)", async () => {
    const server = await fakeShopServer(buildFakeShop({ now: NOW, customers: 1, products: 1, recentOrders: 1, oldOrders: 0 }));
    const shop = await installedShop();
    const lines: string[] = [];
    const code = await runSyncStart(shop.domain, { now: true, handlers: async () => handlers(server, async () => null) }, (line) => lines.push(line));
    expect(code).toBe(1);
    expect(server.log).toHaveLength(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({ backfill: { orders: { status: "idle", finishedAt: null } } });
  });
});
