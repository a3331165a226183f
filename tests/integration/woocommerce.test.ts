import { createHmac, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import {
  connectWooCommerce,
  createWooWebhookHandler,
  disconnectWooCommerce,
  enqueueWooBackfill,
  requestWooReconcile,
  runWooBackfill,
  WOO_BACKFILL_JOB,
  WOO_RECONCILE_JOB,
  WOO_WEBHOOK_JOB,
  WooApiError,
  type WooSettings,
  wooBackfillJob,
  wooConnection,
  wooReconcileJob,
  wooWebhookJob,
} from "~/modules/commerce";
import { openWooSecrets } from "~/modules/commerce/connectors/woocommerce/connection.server";
import { integrationsOverview, retryFailure } from "~/modules/integrations";
import { type JobHandlers, runJobsOnce } from "~/modules/jobs";
import { createTestShop, deleteTestShop } from "../support/shops";
import { FakeWooStore, type StoreKey } from "../support/woocommerce-store";

/**
 * The WooCommerce connector end to end over loopback HTTP: the official client against a store speaking the
 * REST API v3 wire format (OAuth 1.0a signatures, 401s, 429/5xx, pagination headers, webhooks CRUD), the
 * store's webhook deliveries POSTed to the app's handler, and the job handlers on the real database.
 */

const ENCRYPTION_KEY = randomBytes(32).toString("base64");

describe("WooCommerce connector", () => {
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  let store: FakeWooStore;
  let key: StoreKey;
  let webhookServer: Server;
  let port: number;
  let settings: WooSettings;
  let handlers: JobHandlers;
  let integrationId: string;
  const logged: string[] = [];

  const startWebhookServer = async (listenOn = 0) => {
    webhookServer = createServer(createWooWebhookHandler({ db: prisma, encryptionKey: ENCRYPTION_KEY }));
    await new Promise<void>((resolve) => webhookServer.listen(listenOn, "127.0.0.1", resolve));
    port = (webhookServer.address() as AddressInfo).port;
  };
  const stopWebhookServer = () =>
    new Promise<void>((resolve) => {
      webhookServer.closeAllConnections();
      webhookServer.close(() => resolve());
    });
  const drain = async () => {
    while ((await runJobsOnce(prisma, handlers, { shopId: shop.id })) > 0) {}
  };
  const wooOrder = (id: number) => prisma.order.findUnique({ where: { shopId_platform_externalId: { shopId: shop.id, platform: "woocommerce", externalId: String(id) } }, include: { refunds: true, lineItems: true, shipments: true } });
  /** POSTs a body to the connection's route as WooCommerce would, signed with `secret`. */
  const post = async (body: string, headers: Record<string, string>, path = `/webhooks/woocommerce/${integrationId}`) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", body, headers: { "Content-Type": "application/json", ...headers } });
    await response.arrayBuffer();
    return response.status;
  };
  const signed = (body: string, secret: string, topic: string, deliveryId = randomBytes(16).toString("hex")) => ({
    "X-WC-Webhook-Topic": topic,
    "X-WC-Webhook-Resource": topic.split(".")[0]!,
    "X-WC-Webhook-Event": topic.split(".")[1]!,
    "X-WC-Webhook-Delivery-ID": deliveryId,
    "X-WC-Webhook-Signature": createHmac("sha256", secret).update(body).digest("base64"),
  });
  const webhookSecret = async () => {
    const integration = await prisma.integration.findUniqueOrThrow({ where: { id: integrationId } });
    return openWooSecrets(integration.encryptedCredentials!, { encryptionKey: ENCRYPTION_KEY }).webhookSecret;
  };

  beforeAll(async () => {
    for (const method of ["log", "info", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack}` : typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
      });
    }
    shop = await createTestShop("Woo shop");
    store = await new FakeWooStore().start();
    key = store.addKey();
    await startWebhookServer();
    settings = { encryptionKey: ENCRYPTION_KEY, appUrl: `http://127.0.0.1:${port}`, allowHttp: true, request: { retries: 3, baseDelayMs: 5, maxDelayMs: 40 } };
    handlers = {
      [WOO_WEBHOOK_JOB]: wooWebhookJob(prisma, () => settings),
      [WOO_BACKFILL_JOB]: wooBackfillJob(prisma, () => settings),
      [WOO_RECONCILE_JOB]: wooReconcileJob(prisma, () => settings),
    };
    const ada = store.addCustomer({ email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" });
    store.addCustomer({ email: "grace@example.com", firstName: "Grace", lastName: "Hopper" });
    store.addCustomer({ email: "alan@example.com", firstName: "Alan", lastName: "Turing" });
    for (let index = 0; index < 230; index++) {
      store.addOrder({ email: `shopper${index}@example.com`, customerId: index === 0 ? Number(ada.id) : 0, tracking: index === 1 ? { provider: "UPS", number: "1Z999AA10123456784", link: "https://ups.example/track/1Z999AA10123456784" } : undefined });
    }
    store.addRefund([...store.orders.keys()][2]!, { amount: 12, reason: "Too small", quantity: 1 });
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await stopWebhookServer();
    await store.close();
    await deleteTestShop(shop.domain);
  });

  it("refuses wrong keys with WooCommerce's 401 and an unreachable address, storing nothing", async () => {
    const wrong = await connectWooCommerce(prisma, shop.id, { storeUrl: store.url, consumerKey: key.consumerKey, consumerSecret: `cs_${"0".repeat(40)}` }, settings);
    expect(wrong).toMatchObject({ ok: false, field: "consumerKey" });
    expect(!wrong.ok && wrong.message).toMatch(/refused these keys \(401\)/);
    expect(store.requests.at(-1)).toMatchObject({ method: "GET", path: "/wp-json/wc/v3/orders", status: 401, auth: "oauth" });

    const unreachable = await connectWooCommerce(prisma, shop.id, { storeUrl: "http://127.0.0.1:9", consumerKey: key.consumerKey, consumerSecret: key.consumerSecret }, settings);
    expect(unreachable).toMatchObject({ ok: false, field: "storeUrl" });
    expect(await prisma.integration.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses read-only keys when registering webhooks, leaving no webhook and no keys behind", async () => {
    const readOnly = store.addKey("read");
    const result = await connectWooCommerce(prisma, shop.id, { storeUrl: store.url, ...readOnly }, settings);
    expect(result).toMatchObject({ ok: false, field: "consumerKey" });
    expect(!result.ok && result.message).toMatch(/Read\/Write/);
    expect(store.webhooks.size).toBe(0);
    const integration = await prisma.integration.findUniqueOrThrow({ where: { shopId_platform: { shopId: shop.id, platform: "woocommerce" } } });
    expect(integration).toMatchObject({ status: "disconnected", encryptedCredentials: null });
  });

  it("connects: one webhook per topic at the connection's own route with its own secret, the keys encrypted at rest", async () => {
    const result = await connectWooCommerce(prisma, shop.id, { storeUrl: store.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret }, settings);
    expect(result.ok).toBe(true);
    integrationId = result.ok ? result.integrationId : "";
    const integration = await prisma.integration.findUniqueOrThrow({ where: { id: integrationId } });
    expect(integration.status).toBe("connected");

    // Encrypted: not the plaintext, and neither key appears in the stored value or the shown config.
    const stored = integration.encryptedCredentials!;
    expect(stored).toMatch(/^v1\./);
    for (const secret of [key.consumerKey, key.consumerSecret]) {
      expect(stored).not.toContain(secret);
      expect(JSON.stringify(integration.config)).not.toContain(secret);
    }
    const secrets = openWooSecrets(stored, { encryptionKey: ENCRYPTION_KEY });
    expect(secrets).toMatchObject({ consumerKey: key.consumerKey, consumerSecret: key.consumerSecret });
    expect(stored).not.toContain(secrets.webhookSecret);
    // A key rotation: with a new ENCRYPTION_KEY, the old one (ENCRYPTION_KEY_PREVIOUS) still opens them; neither
    // key alone that is wrong does.
    const newKey = randomBytes(32).toString("base64");
    expect(openWooSecrets(stored, { encryptionKey: newKey, encryptionKeyPrevious: ENCRYPTION_KEY })).toEqual(secrets);
    expect(() => openWooSecrets(stored, { encryptionKey: newKey })).toThrow(/could not be decrypted/);

    const webhooks = [...store.webhooks.values()];
    expect(webhooks.map((webhook) => webhook.topic).sort()).toEqual(["customer.created", "customer.updated", "order.created", "order.deleted", "order.updated"]);
    for (const webhook of webhooks) {
      expect(webhook.delivery_url).toBe(`http://127.0.0.1:${port}/webhooks/woocommerce/${integrationId}`);
      expect(webhook.secret).toBe(secrets.webhookSecret);
      expect(webhook.status).toBe("active");
    }
    // WooCommerce pings each new webhook (unsigned): answered 200, nothing recorded.
    await vi.waitFor(() => expect(store.deliveries.filter((delivery) => delivery.topic === "ping")).toHaveLength(5));
    expect(store.deliveries.filter((delivery) => delivery.topic === "ping").map((delivery) => delivery.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await prisma.webhookEvent.count({ where: { shopDomain: shop.domain, platform: "woocommerce" } })).toBe(0);
  });

  it("backfills customers and every order 100 a page, recording progress after each page and resuming where a failed run stopped", async () => {
    const connection = (await wooConnection(prisma, { integrationId }, settings))!;
    const progress: string[] = [];
    const state = () => prisma.syncState.findMany({ where: { shopId: shop.id, platform: "woocommerce", kind: "backfill" }, orderBy: { resource: "asc" } });
    const heartbeat = async () => {
      progress.push((await state()).map((row) => `${row.resource} ${row.done}/${row.total}`).join(", "));
    };
    // Page 2 of the orders keeps failing (more 500s than the client retries): the run stops there.
    store.failNext(/^orders$/, 500, { times: 4, query: { page: "2", per_page: "100" } });
    const first = store.requests.length;
    await expect(runWooBackfill(prisma, connection, { fresh: true, heartbeat })).rejects.toBeInstanceOf(WooApiError);
    expect(progress).toEqual(["customers 3/3, orders 0/230", "customers 3/3, orders 100/230"]);
    const failed = await state();
    expect(failed.find((row) => row.resource === "orders")).toMatchObject({ status: "failed", cursor: "2", done: 100 });
    expect(failed.find((row) => row.resource === "orders")!.lastError).toMatch(/answered 500 to GET orders/);

    // A 429 with Retry-After and a 503 on the way: retried. The rerun starts at page 2.
    store.failNext(/^orders$/, 429, { retryAfter: "0", query: { page: "2", per_page: "100" } });
    store.failNext(/^orders$/, 503, { query: { page: "3", per_page: "100" } });
    const second = store.requests.length;
    const result = await runWooBackfill(prisma, connection, { heartbeat });
    expect(result).toEqual({ resumed: true, resources: { customers: { done: 3, total: 3 }, orders: { done: 230, total: 230 } } });
    expect(progress.slice(2)).toEqual(["customers 3/3, orders 200/230", "customers 3/3, orders 230/230"]);
    const pages = store.requests.slice(second).filter((request) => request.path === "/wp-json/wc/v3/orders");
    expect(pages.map((request) => `${request.query.page}:${request.status}`)).toEqual(["2:429", "2:200", "3:503", "3:200"]);
    // Every list request asked for at most WooCommerce's 100 a page.
    for (const request of store.requests.slice(first).filter((entry) => entry.query.per_page)) expect(Number(request.query.per_page)).toBeLessThanOrEqual(100);

    expect(await prisma.order.count({ where: { shopId: shop.id, platform: "woocommerce" } })).toBe(230);
    expect(await prisma.customer.count({ where: { shopId: shop.id, platform: "woocommerce" } })).toBe(3);
    const [first0, tracked, refunded] = [...store.orders.keys()];
    const linked = await wooOrder(first0!);
    expect(linked).toMatchObject({ name: `#${first0}`, number: first0, email: "shopper0@example.com", status: "open", financialStatus: "paid", currency: "USD" });
    // A registered shopper's order is linked to the account, whose own details the order did not overwrite.
    expect(await prisma.customer.findUnique({ where: { id: linked!.customerId! } })).toMatchObject({ email: "ada@example.com", firstName: "Ada" });
    const shipment = (await wooOrder(tracked!))!.shipments[0];
    expect(shipment).toMatchObject({ carrier: "UPS", trackingNumber: "1Z999AA10123456784", trackingUrl: "https://ups.example/track/1Z999AA10123456784", status: "in_transit" });
    // The refund was read in full (GET orders/<id>/refunds): amount, reason and the refunded line.
    const withRefund = (await wooOrder(refunded!))!;
    expect(withRefund.financialStatus).toBe("partially_refunded");
    expect(withRefund.refunds).toHaveLength(1);
    expect(withRefund.refunds[0]).toMatchObject({ amount: expect.anything(), reason: "Too small", status: "succeeded" });
    expect(Number(withRefund.refunds[0]!.amount)).toBe(12);
    expect(withRefund.lineItems[0]!.refundedQuantity).toBe(1);
    expect(store.requests.some((request) => request.path === `/wp-json/wc/v3/orders/${refunded}/refunds` && request.status === 200)).toBe(true);
    expect((await prisma.integration.findUniqueOrThrow({ where: { id: integrationId } })).lastSyncAt).not.toBeNull();
  });

  it("runs the backfill as a job from a resync, then queues the periodic reconciliation", async () => {
    expect(await enqueueWooBackfill(prisma, integrationId, shop.id, { fresh: true })).not.toBeNull();
    await drain();
    const orders = await prisma.syncState.findFirstOrThrow({ where: { shopId: shop.id, platform: "woocommerce", kind: "backfill", resource: "orders" } });
    expect(orders).toMatchObject({ status: "done", done: 230, total: 230 });
    const next = await prisma.job.findFirst({ where: { shopId: shop.id, name: WOO_RECONCILE_JOB, status: "queued" } });
    expect(next!.runAt.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
  });

  it("verifies X-WC-Webhook-Signature before storing anything: forged, unsigned or unknown-connection deliveries are refused", async () => {
    const orderId = [...store.orders.keys()][5]!;
    const body = JSON.stringify(store.orders.get(orderId));
    const before = await prisma.webhookEvent.count({ where: { shopDomain: shop.domain } });
    expect(await post(body, signed(body, "not-the-secret", "order.updated"))).toBe(401);
    const { "X-WC-Webhook-Signature": _signature, ...unsigned } = signed(body, await webhookSecret(), "order.updated");
    expect(await post(body, unsigned)).toBe(401);
    // Signed over a different body (tampered in transit).
    expect(await post(body.replace("shopper5", "attacker"), signed(body, await webhookSecret(), "order.updated"))).toBe(401);
    expect(await post(body, signed(body, await webhookSecret(), "order.updated"), "/webhooks/woocommerce/00000000-0000-4000-8000-000000000000")).toBe(404);
    expect(await prisma.webhookEvent.count({ where: { shopDomain: shop.domain } })).toBe(before);
    expect(await prisma.job.count({ where: { shopId: shop.id, name: WOO_WEBHOOK_JOB } })).toBe(0);
  });

  it("records a delivery once however often it arrives and applies it once; a newer version is a new delivery", async () => {
    const orderId = [...store.orders.keys()][6]!;
    store.updateOrder(orderId, { status: "completed" });
    // The same delivery twice (WooCommerce's delivery id repeats within a second).
    expect(await store.fire("order.updated", orderId)).toEqual([200]);
    expect(await store.fire("order.updated", orderId)).toEqual([200]);
    const events = await prisma.webhookEvent.findMany({ where: { shopDomain: shop.domain, platform: "woocommerce", topic: "order.updated" } });
    expect(events).toHaveLength(1);
    expect(await prisma.job.count({ where: { shopId: shop.id, name: WOO_WEBHOOK_JOB } })).toBe(1);
    await drain();
    expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { id: events[0]!.id } })).toMatchObject({ status: "processed", attempts: 1 });
    expect(await wooOrder(orderId)).toMatchObject({ status: "closed", fulfillmentStatus: "fulfilled" });

    store.updateOrder(orderId, { customer_note: "Leave at the door" });
    expect(await store.fire("order.updated", orderId)).toEqual([200]);
    expect(await prisma.webhookEvent.count({ where: { shopDomain: shop.domain, platform: "woocommerce", topic: "order.updated" } })).toBe(2);
    await drain();
  });

  it("reads an order's refunds on order.updated (there is no refund topic), and never lets an older payload overwrite a newer one", async () => {
    const orderId = [...store.orders.keys()][7]!;
    const older = JSON.stringify(store.orders.get(orderId));
    store.addRefund(orderId, { amount: 12, reason: "Damaged", quantity: 1 });
    const refundCalls = () => store.requests.filter((request) => request.path === `/wp-json/wc/v3/orders/${orderId}/refunds`).length;
    const calls = refundCalls();
    await store.fire("order.updated", orderId);
    await drain();
    expect(refundCalls()).toBe(calls + 1);
    const refunded = (await wooOrder(orderId))!;
    expect(refunded.financialStatus).toBe("partially_refunded");
    expect(refunded.refunds.map((refund) => [Number(refund.amount), refund.reason])).toEqual([[12, "Damaged"]]);
    expect(refunded.lineItems[0]!.refundedQuantity).toBe(1);

    // The version before the refund arrives late: recorded, found stale, nothing overwritten, no store call.
    expect(await post(older, signed(older, await webhookSecret(), "order.updated"))).toBe(200);
    await drain();
    const late = await prisma.webhookEvent.findFirstOrThrow({ where: { shopDomain: shop.domain, topic: "order.updated" }, orderBy: { receivedAt: "desc" } });
    expect(late).toMatchObject({ status: "processed", lastError: "older than the stored version; not applied" });
    const after = (await wooOrder(orderId))!;
    expect(after.financialStatus).toBe("partially_refunded");
    expect(after.sourceUpdatedAt).toEqual(refunded.sourceUpdatedAt);
    expect(refundCalls()).toBe(calls + 1);
  });

  it("applies customer.created, and order.deleted for a trashed order (read back from the store) and one deleted for good", async () => {
    const customer = store.addCustomer({ email: "Katherine@Example.com", firstName: "Katherine", lastName: "Johnson" });
    expect(await store.fire("customer.created", Number(customer.id))).toEqual([200]);
    const [trashed, deleted] = [...store.orders.keys()].slice(8, 10) as [number, number];
    store.updateOrder(trashed, { status: "trash" });
    expect(await store.fire("order.deleted", trashed)).toEqual([200]);
    const before = (await wooOrder(deleted))!;
    store.orders.delete(deleted);
    expect(await store.fire("order.deleted", deleted)).toEqual([200]);
    await drain();
    expect(await prisma.customer.findUnique({ where: { shopId_platform_externalId: { shopId: shop.id, platform: "woocommerce", externalId: String(customer.id) } } })).toMatchObject({
      email: "katherine@example.com",
      firstName: "Katherine",
    });
    expect(await wooOrder(trashed)).toMatchObject({ status: "cancelled", cancelReason: "deleted in WooCommerce" });
    expect(store.requests.some((request) => request.path === `/wp-json/wc/v3/orders/${trashed}` && request.status === 200)).toBe(true);
    // Gone from the store (404): cancelled as stored, its version never older than before, so no late update revives it.
    const gone = (await wooOrder(deleted))!;
    expect(gone).toMatchObject({ status: "cancelled", cancelReason: "deleted in WooCommerce" });
    expect(gone.sourceUpdatedAt.getTime()).toBeGreaterThanOrEqual(before.sourceUpdatedAt.getTime());
  });

  it("detects a webhook WooCommerce disabled after failed deliveries, re-enables it, and the reconciliation catches the orders it missed", async () => {
    const changed = [...store.orders.keys()][9]!;
    await stopWebhookServer();
    // WooCommerce does not retry; after more than 5 consecutive failures it disables the webhook.
    store.updateOrder(changed, { status: "completed" });
    for (let attempt = 0; attempt < 7; attempt++) await store.fire("order.updated", changed);
    const missed = store.addOrder({ email: "missed@example.com" });
    await store.fire("order.created", Number(missed.id));
    const orderUpdated = [...store.webhooks.values()].find((webhook) => webhook.topic === "order.updated")!;
    expect(orderUpdated.status).toBe("disabled");
    await startWebhookServer(port);
    // Nothing arrives while it is disabled.
    store.updateOrder(changed, { customer_note: "Ring twice" });
    expect(await store.fire("order.updated", changed)).toEqual([]);

    expect(await requestWooReconcile(prisma, integrationId, shop.id)).not.toBeNull();
    await drain();
    expect(orderUpdated.status).toBe("active");
    expect(store.requests.some((request) => request.method === "PUT" && request.path === `/wp-json/wc/v3/webhooks/${orderUpdated.id}` && request.status === 200)).toBe(true);
    expect(store.requests.some((request) => request.path === "/wp-json/wc/v3/orders" && request.query.modified_after && request.query.dates_are_gmt === "true")).toBe(true);
    expect(await wooOrder(changed)).toMatchObject({ status: "closed", fulfillmentStatus: "fulfilled" });
    expect(await wooOrder(Number(missed.id))).toMatchObject({ email: "missed@example.com" });
    const reconcile = await prisma.syncState.findFirstOrThrow({ where: { shopId: shop.id, platform: "woocommerce", kind: "reconcile", resource: "orders" } });
    expect(reconcile.status).toBe("done");
    expect(reconcile.repaired).toBeGreaterThanOrEqual(2);

    const overview = await integrationsOverview(prisma, shop.id);
    expect(overview.woocommerce.webhookIncident).toMatchObject({ topics: ["order.updated"], reenabled: true });
    expect(overview.woocommerce.webhooks.every((webhook) => webhook.status === "active")).toBe(true);
    // Deliveries flow again.
    store.updateOrder(changed, { customer_note: "Back" });
    expect(await store.fire("order.updated", changed)).toEqual([200]);
    await drain();
  });

  it("keys refused while applying a delivery: the failure shows with WooCommerce's answer, and Retry applies it once the keys work", async () => {
    const orderId = [...store.orders.keys()][10]!;
    store.revokeKey(key);
    store.addRefund(orderId, { amount: 5, reason: "Late" });
    await store.fire("order.updated", orderId);
    await drain();
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { shopDomain: shop.domain, topic: "order.updated", status: "failed" } });
    expect(event.lastError).toMatch(/WooCommerce answered 401 to GET orders\/\d+\/refunds \(woocommerce_rest_authentication_error\): Consumer key is invalid/);
    const overview = await integrationsOverview(prisma, shop.id);
    expect(overview.woocommerce.status).toBe("error");
    const failure = overview.woocommerce.activity.failures.find((entry) => entry.id === event.id);
    expect(failure).toMatchObject({ kind: "event", what: "Webhook order.updated", retryingAt: null });
    expect(failure!.error).toMatch(/401/);

    store.keys.push(key);
    expect(await retryFailure(prisma, shop.id, "event", event.id)).toMatchObject({ ok: true });
    // Retrying again while it waits is one job, not two.
    expect(await retryFailure(prisma, shop.id, "event", event.id)).toMatchObject({ ok: true, message: "A retry is already queued." });
    await drain();
    expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ status: "processed" });
    expect((await wooOrder(orderId))!.refunds.map((refund) => refund.reason)).toEqual(["Late"]);
    const healed = await integrationsOverview(prisma, shop.id);
    expect(healed.woocommerce.status).toBe("connected");
    expect(healed.woocommerce.activity.failures).toEqual([]);
    // Another shop cannot retry it.
    const other = await createTestShop();
    expect(await retryFailure(prisma, other.id, "event", event.id)).toMatchObject({ ok: false });
    await deleteTestShop(other.domain);
  });

  it("shows activity on the screen's data and never a key, secret or payload", async () => {
    const secrets = openWooSecrets((await prisma.integration.findUniqueOrThrow({ where: { id: integrationId } })).encryptedCredentials!, { encryptionKey: ENCRYPTION_KEY });
    const overview = await integrationsOverview(prisma, shop.id);
    expect(overview.woocommerce).toMatchObject({ status: "connected", storeUrl: store.url });
    expect(overview.woocommerce.activity.eventsLast24h).toBeGreaterThanOrEqual(6);
    expect(overview.woocommerce.activity.lastEventAt).not.toBeNull();
    expect(overview.woocommerce.backfill).toMatchObject({ status: "done", done: 233, total: 233 });
    const data = JSON.stringify(overview);
    for (const secret of [key.consumerKey, key.consumerSecret, secrets.webhookSecret, "v1."]) expect(data).not.toContain(secret);
    expect(data).not.toContain("shopper0@example.com");
  });

  it("disconnects: deletes the store's webhooks and the keys; the route then refuses deliveries", async () => {
    const secret = await webhookSecret();
    expect(await disconnectWooCommerce(prisma, shop.id, settings)).toEqual({ disconnected: true, cleanupError: null });
    expect(store.webhooks.size).toBe(0);
    const integration = await prisma.integration.findUniqueOrThrow({ where: { id: integrationId } });
    expect(integration).toMatchObject({ status: "disconnected", encryptedCredentials: null });
    const body = JSON.stringify(store.orders.get([...store.orders.keys()][11]!));
    expect(await post(body, signed(body, secret, "order.updated"))).toBe(410);
    // Synced orders stay.
    expect(await prisma.order.count({ where: { shopId: shop.id, platform: "woocommerce" } })).toBe(231);
  });

  it("never wrote a key or secret to the logs, job errors or event errors", async () => {
    const values = [key.consumerKey, key.consumerSecret];
    const stored = [
      ...(await prisma.job.findMany({ where: { shopId: shop.id }, select: { lastError: true } })).map((job) => job.lastError ?? ""),
      ...(await prisma.webhookEvent.findMany({ where: { shopDomain: shop.domain }, select: { lastError: true } })).map((event) => event.lastError ?? ""),
      ...(await prisma.syncState.findMany({ where: { shopId: shop.id }, select: { lastError: true } })).map((state) => state.lastError ?? ""),
    ];
    expect(logged.length + stored.filter(Boolean).length).toBeGreaterThan(0);
    for (const text of [...logged, ...stored]) for (const value of values) expect(text).not.toContain(value);
  });
});
