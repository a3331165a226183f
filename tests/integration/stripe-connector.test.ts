import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { DEV_ENCRYPTION_KEY } from "~/env.server";
import { decryptSecret } from "~/lib/crypto/secrets.server";
import { orderActionNoticeText } from "~/modules/assistant";
import {
  connectStripe,
  createStripeWebhookHandler,
  disconnectStripe,
  processStripeEvent,
  PUSH_ORDER_ACTION_JOB,
  pushOrderActionJob,
  requestOrderAction,
  retryStripeEvent,
  STRIPE_EVENT_JOB,
  type StripeSettings,
  stripeCard,
  stripeEventJob,
  stripeRefundIdempotencyKey,
  stripeRefundProcessor,
} from "~/modules/commerce";
import { runJobsOnce } from "~/modules/jobs";
import { type AssistantFixture, addOrder, createAssistantFixture, deleteAssistantFixture, NOW } from "../support/assistant-fixtures";
import { chargeObject, type StripeApiServer, startStripeApiServer } from "../support/stripe-api-server";

/**
 * The Stripe connector end to end: the official SDK against a local server speaking Stripe's API, events signed
 * with the SDK's generateTestHeaderString and posted over HTTP to the real receiver, processing on the real
 * database, refunds of Stripe-paid orders through the order-action push job.
 */

const alnum = (length: number) => randomBytes(length).toString("base64").replace(/[^A-Za-z0-9]/g, "").padEnd(length, "x").slice(0, length);
const API_KEY = `rk_test_${alnum(32)}`;
const WEBHOOK_SECRET = `whsec_${alnum(32)}`;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

describe("Stripe connector", () => {
  let fx: AssistantFixture;
  let stripe: StripeApiServer;
  let settings: StripeSettings;
  let receiver: Server;
  let receiverUrl = "";
  const logged: string[] = [];

  beforeAll(async () => {
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack}` : typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
      });
    }
    fx = await createAssistantFixture();
    stripe = await startStripeApiServer({ keys: [API_KEY] });
    settings = { encryptionKey: DEV_ENCRYPTION_KEY, appUrl: "https://shopdesk.example", api: { apiBase: stripe.url, maxNetworkRetries: 1 } };
    receiver = createServer(createStripeWebhookHandler({ db: prisma, settings }));
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await stripe.close();
    await deleteAssistantFixture(fx);
    // Whatever was logged along the way (refusals, failed events, job retries) never carried a secret.
    const everything = logged.join("\n");
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain(API_KEY.slice(8));
    expect(everything).not.toContain(WEBHOOK_SECRET);
    vi.restoreAllMocks();
  });

  const connect = () => connectStripe(prisma, fx.shopId, { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET }, settings);
  const integration = () => prisma.integration.findUnique({ where: { shopId_platform: { shopId: fx.shopId, platform: "stripe" } } });

  // ---------------------------------------------------------------- events over HTTP

  let eventNumber = 0;
  function event(type: string, object: Record<string, unknown>, created: number, id = `evt_${Date.now()}_${eventNumber++}`) {
    return { id, object: "event", api_version: "2026-10-28.endive", created, type, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object } };
  }
  async function deliver(payload: unknown, options: { secret?: string; timestamp?: number; header?: string | null; body?: string; shopId?: string } = {}) {
    const body = JSON.stringify(payload);
    const header = options.header === undefined ? Stripe.webhooks.generateTestHeaderString({ payload: body, secret: options.secret ?? WEBHOOK_SECRET, timestamp: options.timestamp }) : options.header;
    const response = await fetch(`${receiverUrl}/webhooks/stripe/${options.shopId ?? fx.shopId}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(header ? { "stripe-signature": header } : {}) },
      body: options.body ?? body,
    });
    return { status: response.status, text: await response.text() };
  }
  const recorded = (eventId: string) => prisma.webhookEvent.findFirst({ where: { shopId: fx.shopId, platform: "stripe", deliveryId: `${fx.shopId}/${eventId}` } });
  const stripeEvents = () => prisma.webhookEvent.count({ where: { shopId: fx.shopId, platform: "stripe" } });
  const stripeJobs = () => prisma.job.count({ where: { shopId: fx.shopId, name: STRIPE_EVENT_JOB } });
  const runStripeJobs = () => runJobsOnce(prisma, { [STRIPE_EVENT_JOB]: stripeEventJob(prisma, settings) }, { workerId: "stripe-test", shopId: fx.shopId, limit: 50 });
  async function process(eventId: string) {
    const row = await recorded(eventId);
    expect(row, `event ${eventId} was recorded`).not.toBeNull();
    await processStripeEvent(prisma, row!.id, settings);
  }

  function refundObject(id: string, charge: { id: string; paymentIntent: string | null }, amount: number, status: string, created: number, extra: Record<string, unknown> = {}) {
    return { id, object: "refund", amount, charge: charge.id, payment_intent: charge.paymentIntent, created, currency: "usd", metadata: {}, reason: "requested_by_customer", status, ...extra };
  }
  function disputeObject(id: string, charge: { id: string; paymentIntent: string | null }, amount: number, status: string, created: number, dueBy: number | null = null) {
    return { id, object: "dispute", amount, charge: charge.id, payment_intent: charge.paymentIntent, created, currency: "usd", reason: "product_not_received", status, evidence_details: { due_by: dueBy } };
  }

  // ---------------------------------------------------------------- connecting

  describe("connecting", () => {
    beforeEach(async () => {
      await prisma.integration.deleteMany({ where: { shopId: fx.shopId, platform: "stripe" } });
      stripe.requests.length = 0;
    });

    it("answers malformed keys field by field without calling Stripe, and stores nothing", async () => {
      const result = await connectStripe(prisma, fx.shopId, { apiKey: `sk_test_${alnum(24)}`, webhookSecret: "secret" }, settings);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors.apiKey).toMatch(/restricted key: it starts with rk_live_ or rk_test_/);
      expect(result.errors.webhookSecret).toMatch(/starts with whsec_/);
      expect(await connectStripe(prisma, fx.shopId, {}, settings)).toEqual({ ok: false, errors: { apiKey: "Paste the restricted key", webhookSecret: "Paste the endpoint's signing secret" } });
      expect(stripe.requests).toHaveLength(0);
      expect(await integration()).toBeNull();
    });

    it("checks the key with a test call: a key Stripe refuses (401) is refused with Stripe's words, never the key", async () => {
      const unknown = `rk_test_${alnum(32)}`;
      const result = await connectStripe(prisma, fx.shopId, { apiKey: unknown, webhookSecret: WEBHOOK_SECRET }, settings);
      expect(result).toMatchObject({ ok: false, errors: { apiKey: expect.stringMatching(/^Stripe did not accept this key: Invalid API Key provided/) } });
      expect(JSON.stringify(result)).not.toContain(unknown.slice(8, 20));
      expect(stripe.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["GET /v1/charges"]);
      expect(await integration()).toBeNull();
    });

    it("names what a restricted key lacks (403), and stores nothing", async () => {
      const limited = `rk_test_${alnum(32)}`;
      stripe.keys.set(limited, { permissions: ["charges"] });
      const result = await connectStripe(prisma, fx.shopId, { apiKey: limited, webhookSecret: WEBHOOK_SECRET }, settings);
      expect(result).toMatchObject({ ok: false, errors: { apiKey: expect.stringContaining("allow Refunds (write)") } });
      expect(await integration()).toBeNull();
    });

    it("says when Stripe cannot be reached, and stores nothing", async () => {
      stripe.failNext(10);
      const result = await connectStripe(prisma, fx.shopId, { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET }, settings);
      stripe.failNext(0);
      expect(result).toMatchObject({ ok: false, errors: { form: expect.stringMatching(/^Stripe could not be reached/) } });
      expect(await integration()).toBeNull();
    });

    it("stores the key and the signing secret encrypted at rest, and shows neither", async () => {
      expect(await connect()).toEqual({ ok: true, mode: "test" });
      expect(stripe.requests.map((request) => [request.method, request.path, request.key])).toEqual([
        ["GET", "/v1/charges", API_KEY],
        ["GET", "/v1/refunds", API_KEY],
      ]);
      const row = (await integration())!;
      expect(row.status).toBe("connected");
      expect(row.encryptedCredentials).toMatch(/^v1\./);
      expect(row.encryptedCredentials).not.toContain(API_KEY);
      expect(row.encryptedCredentials).not.toContain(WEBHOOK_SECRET);
      expect(row.encryptedCredentials).not.toContain(Buffer.from(API_KEY).toString("base64").slice(0, 16));
      expect(JSON.parse(decryptSecret(row.encryptedCredentials!, DEV_ENCRYPTION_KEY))).toEqual({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET });
      expect(row.config).toEqual({ mode: "test", connectedAt: expect.any(String) });

      // What the Integrations screen's loader sends to the browser.
      const card = await stripeCard(prisma, fx.shopId, settings);
      const sent = JSON.stringify(card);
      for (const secret of [API_KEY, WEBHOOK_SECRET, row.encryptedCredentials!, API_KEY.slice(-8), WEBHOOK_SECRET.slice(-8)]) expect(sent).not.toContain(secret);
      expect(card).toMatchObject({ status: "connected", mode: "test", webhookUrl: `https://shopdesk.example/webhooks/stripe/${fx.shopId}`, lastError: null });
      expect(card.webhookEvents).toContain("charge.dispute.closed");
    });

    it("disconnect deletes both secrets; the endpoint then answers 410 and records nothing", async () => {
      await connect();
      expect(await disconnectStripe(prisma, fx.shopId)).toBe(true);
      const row = (await integration())!;
      expect(row).toMatchObject({ status: "disconnected", encryptedCredentials: null, config: {} });
      expect((await stripeCard(prisma, fx.shopId, settings)).status).toBe("not_connected");
      const before = await stripeEvents();
      expect((await deliver(event("refund.created", {}, seconds(NOW)))).status).toBe(410);
      expect(await stripeEvents()).toBe(before);
      expect(await disconnectStripe(prisma, fx.shopId)).toBe(false);
    });
  });

  // ---------------------------------------------------------------- the receiver

  describe("receiving events", () => {
    beforeAll(async () => {
      await connect();
    });

    it("answers 401 and stores nothing when the signature is missing, wrong, for another body or too old", async () => {
      const payload = event("refund.created", refundObject("re_sig", { id: "ch_sig", paymentIntent: "pi_sig" }, 100, "pending", seconds(NOW)), seconds(NOW));
      const [events, jobs] = [await stripeEvents(), await stripeJobs()];
      const answers = [
        await deliver(payload, { header: null }),
        await deliver(payload, { secret: `whsec_${alnum(32)}` }),
        await deliver(payload, { body: JSON.stringify({ ...payload, type: "charge.dispute.closed" }) }),
        await deliver(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
        await deliver(payload, { header: "t=1,v1=deadbeef" }),
      ];
      expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401]);
      expect(await stripeEvents()).toBe(events);
      expect(await stripeJobs()).toBe(jobs);
      expect(await recorded(payload.id)).toBeNull();
      // The same event signed with the shop's secret within the tolerance is taken.
      expect((await deliver(payload, { timestamp: Math.floor(Date.now() / 1000) - 250 })).status).toBe(200);
      expect(await recorded(payload.id)).not.toBeNull();
    });

    it("records a signed event once and queues it once; Stripe's retries of it are answered 200", async () => {
      const payload = event("charge.dispute.created", disputeObject("dp_dup", { id: "ch_dup", paymentIntent: "pi_dup" }, 500, "needs_response", seconds(NOW)), seconds(NOW));
      const jobs = await stripeJobs();
      expect((await deliver(payload)).status).toBe(200);
      expect((await deliver(payload)).status).toBe(200);
      expect((await deliver(payload)).status).toBe(200);
      const row = (await recorded(payload.id))!;
      expect(row).toMatchObject({ topic: "charge.dispute.created", status: "received", shopDomain: fx.domain, triggeredAt: new Date(seconds(NOW) * 1000) });
      expect(await prisma.webhookEvent.count({ where: { deliveryId: `${fx.shopId}/${payload.id}` } })).toBe(1);
      expect(await stripeJobs()).toBe(jobs + 1);
      expect(await prisma.job.count({ where: { name: STRIPE_EVENT_JOB, dedupeKey: `stripe-event:${row.id}` } })).toBe(1);
    });

    it("acknowledges events Shopdesk does not read without keeping them; unknown shops get 404", async () => {
      const before = await stripeEvents();
      const other = event("customer.created", { id: "cus_1", object: "customer" }, seconds(NOW));
      expect(await deliver(other)).toEqual({ status: 200, text: "Ignored" });
      expect(await stripeEvents()).toBe(before);
      expect((await deliver(other, { shopId: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
      expect((await fetch(`${receiverUrl}/webhooks/stripe/not-a-shop`, { method: "POST", body: "{}" })).status).toBe(404);
    });
  });

  // ---------------------------------------------------------------- applying events

  describe("applying events", () => {
    beforeAll(async () => {
      await prisma.integration.deleteMany({ where: { shopId: fx.shopId, platform: "stripe" } });
      await connect();
    });

    let number = 7001;
    async function order(total: number, options: { placedDaysAgo?: number; email?: { id: string; email: string } } = {}) {
      const n = number++;
      const id = await addOrder(fx.shopId, options.email ?? fx.alice, n, { placedDaysAgo: options.placedDaysAgo ?? 1, items: [{ title: "Cascade Rain Jacket", price: total }], fulfillment: "fulfilled" });
      const row = await prisma.order.findUniqueOrThrow({ where: { id } });
      return { id, number: n, name: row.name, placedAt: row.placedAt };
    }

    /** Every order of the events of one refund and one dispute, as Stripe might deliver them. */
    function history(run: string, orderNumber: number, placedAt: Date) {
      const charge = { id: `ch_${run}`, paymentIntent: `pi_${run}` };
      const t = seconds(placedAt);
      stripe.charges.set(charge.id, { id: charge.id, paymentIntent: charge.paymentIntent, amount: 8000, currency: "usd", created: t, email: "alice@example.com", amountRefunded: 3000, metadata: { shopify_order_id: String(orderNumber) } });
      const fullCharge = { ...chargeObject(stripe.charges.get(charge.id)!), amount_refunded: 3000, refunded: false };
      return {
        charge,
        events: [
          event("charge.refunded", fullCharge, t + 100),
          event("refund.created", refundObject(`re_${run}_1`, charge, 3000, "pending", t + 100), t + 100),
          event("charge.refund.updated", refundObject(`re_${run}_1`, charge, 3000, "succeeded", t + 100), t + 160),
          event("refund.updated", refundObject(`re_${run}_1`, charge, 3000, "succeeded", t + 100), t + 160),
          event("charge.dispute.created", disputeObject(`dp_${run}`, charge, 5000, "needs_response", t + 200, t + 86_400 * 7), t + 200),
          event("charge.dispute.updated", disputeObject(`dp_${run}`, charge, 5000, "under_review", t + 200, t + 86_400 * 7), t + 300),
          event("charge.dispute.closed", disputeObject(`dp_${run}`, charge, 5000, "won", t + 200, null), t + 400),
          event("refund.created", refundObject(`re_${run}_2`, charge, 1000, "pending", t + 500), t + 500),
          event("refund.updated", refundObject(`re_${run}_2`, charge, 1000, "failed", t + 500, { failure_reason: "expired_or_canceled_card" }), t + 560),
        ],
      };
    }

    /** A seeded shuffle (mulberry32), so a failing order can be replayed. */
    function shuffled<T>(items: T[], seed: number): T[] {
      let state = seed;
      const random = () => {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
      };
      const copy = [...items];
      for (let index = copy.length - 1; index > 0; index--) {
        const other = Math.floor(random() * (index + 1));
        [copy[index], copy[other]] = [copy[other]!, copy[index]!];
      }
      return copy;
    }

    it("ends every delivery order of refund and dispute events in the same, latest state", async () => {
      const orders: string[][] = [];
      for (let run = 0; run < 8; run++) {
        const target = await order(80, { placedDaysAgo: 2 + run });
        const { charge, events } = history(`shuffle${run}`, target.number, target.placedAt);
        const sequence = run === 0 ? events : run === 1 ? [...events].reverse() : shuffled(events, run * 7919);
        orders.push(sequence.map((item) => item.type));
        for (const item of sequence) expect((await deliver(item)).status).toBe(200);
        for (const item of sequence) await process(item.id);

        const payment = await prisma.payment.findFirstOrThrow({ where: { shopId: fx.shopId, externalId: charge.paymentIntent }, include: { refunds: { orderBy: { externalId: "asc" } }, disputes: true } });
        expect(payment).toMatchObject({ status: "succeeded", chargeId: charge.id, orderId: target.id, matchedBy: "metadata", currency: "USD", email: "alice@example.com" });
        expect(payment.amount.toFixed(2)).toBe("80.00");
        expect(payment.amountRefunded.toFixed(2)).toBe("30.00");
        expect(payment.refunds.map((refund) => [refund.externalId, refund.status, refund.amount.toFixed(2), refund.failureReason])).toEqual([
          [`re_shuffle${run}_1`, "succeeded", "30.00", null],
          [`re_shuffle${run}_2`, "failed", "10.00", "expired_or_canceled_card"],
        ]);
        expect(payment.disputes.map((dispute) => [dispute.externalId, dispute.status, dispute.reason, dispute.amount.toFixed(2), dispute.evidenceDueBy])).toEqual([
          [`dp_shuffle${run}`, "won", "product_not_received", "50.00", null],
        ]);
        // The order's refunds, as the assistant and the inbox read them.
        const refunds = await prisma.refund.findMany({ where: { orderId: target.id }, orderBy: { externalId: "asc" } });
        expect(refunds.map((refund) => [refund.platform, refund.externalId, refund.status, refund.amount.toFixed(2)])).toEqual([
          ["stripe", `re_shuffle${run}_1`, "succeeded", "30.00"],
          ["stripe", `re_shuffle${run}_2`, "failed", "10.00"],
        ]);
        for (const item of sequence) expect((await recorded(item.id))!.status).toBe("processed");
      }
      // The runs really were delivered in different orders.
      expect(new Set(orders.map((sequence) => sequence.join())).size).toBe(8);
      // Their queued jobs find the events applied and change nothing.
      const before = await prisma.paymentRefund.findMany({ where: { shopId: fx.shopId }, orderBy: { externalId: "asc" } });
      await runStripeJobs();
      expect(await prisma.paymentRefund.findMany({ where: { shopId: fx.shopId }, orderBy: { externalId: "asc" } })).toEqual(before);
    });

    it("an older event after a newer one is recorded as stale and changes nothing", async () => {
      const target = await order(80, { placedDaysAgo: 20 });
      const { events } = history("stale", target.number, target.placedAt);
      const [, created, succeeded] = events;
      await deliver(succeeded!);
      await process(succeeded!.id);
      await deliver(created!);
      await process(created!.id);
      expect(await prisma.paymentRefund.findFirst({ where: { shopId: fx.shopId, externalId: "re_stale_1" } })).toMatchObject({ status: "succeeded" });
      expect(await recorded(created!.id)).toMatchObject({ status: "processed", lastError: "older than the state already stored; not applied" });
    });

    it("applies a duplicate once, also the same refund state told by two events", async () => {
      const target = await order(80, { placedDaysAgo: 25 });
      const { events } = history("dup", target.number, target.placedAt);
      const [charged, , succeeded, succeededAgain] = events;
      for (const item of [charged!, succeeded!, succeeded!, succeededAgain!, charged!]) expect((await deliver(item)).status).toBe(200);
      expect(await prisma.webhookEvent.count({ where: { shopId: fx.shopId, deliveryId: { in: [charged!, succeeded!, succeededAgain!].map((item) => `${fx.shopId}/${item.id}`) } } })).toBe(3);
      await runStripeJobs();
      await process(succeeded!.id);
      expect(await prisma.paymentRefund.count({ where: { shopId: fx.shopId, externalId: "re_dup_1" } })).toBe(1);
      expect(await prisma.refund.findMany({ where: { orderId: target.id } })).toEqual([expect.objectContaining({ externalId: "re_dup_1", status: "succeeded", platform: "stripe" })]);
      expect(await prisma.payment.count({ where: { shopId: fx.shopId, externalId: "pi_dup" } })).toBe(1);
    });

    it("a late event of a payment whose order customers/redact erased does not bring the shopper's details back", async () => {
      const target = await order(80, { placedDaysAgo: 35 });
      const { charge, events } = history("erased", target.number, target.placedAt);
      const [charged, , , , disputed] = events;
      await deliver(charged!);
      await process(charged!.id);
      expect(await prisma.payment.findFirst({ where: { shopId: fx.shopId, externalId: charge.paymentIntent } })).toMatchObject({ orderId: target.id, email: "alice@example.com" });
      // What customers/redact leaves (app/modules/privacy): the order marked, the payment's details gone.
      await prisma.order.update({ where: { id: target.id }, data: { redactedAt: new Date(), email: null } });
      await prisma.payment.updateMany({ where: { shopId: fx.shopId, externalId: charge.paymentIntent }, data: { email: null, metadata: {}, failureMessage: null } });
      const later = event("charge.refunded", { ...(charged!.data.object as Record<string, unknown>), amount_refunded: 8000, refunded: true }, charged!.created + 600);
      for (const item of [later, disputed!]) {
        await deliver(item);
        await process(item.id);
      }
      const payment = await prisma.payment.findFirstOrThrow({ where: { shopId: fx.shopId, externalId: charge.paymentIntent } });
      expect(payment).toMatchObject({ email: null, metadata: {}, orderId: target.id });
      expect(payment.amountRefunded.toFixed(2)).toBe("80.00");

      // A payment first seen after the erasure keeps nothing of the shopper once it is linked to that order.
      const erased = await order(90, { placedDaysAgo: 36 });
      await prisma.order.update({ where: { id: erased.id }, data: { redactedAt: new Date(), email: null } });
      const fresh = history("erasedlater", erased.number, erased.placedAt);
      await deliver(fresh.events[0]!);
      await process(fresh.events[0]!.id);
      expect(await prisma.payment.findFirst({ where: { shopId: fx.shopId, externalId: fresh.charge.paymentIntent } })).toMatchObject({ orderId: erased.id, email: null, metadata: {} });
    });

    it("reads a payment it has not seen from Stripe (charges.retrieve) before applying its refund", async () => {
      const target = await order(80, { placedDaysAgo: 30 });
      const { charge, events } = history("unseen", target.number, target.placedAt);
      stripe.requests.length = 0;
      const refunded = events[2]!;
      await deliver(refunded);
      await process(refunded.id);
      expect(stripe.requests.map((request) => [request.method, request.path, request.key])).toEqual([["GET", `/v1/charges/${charge.id}`, API_KEY]]);
      expect(await prisma.payment.findFirst({ where: { shopId: fx.shopId, externalId: charge.paymentIntent } })).toMatchObject({ orderId: target.id, matchedBy: "metadata", chargeId: charge.id });
      expect(await prisma.refund.count({ where: { orderId: target.id, status: "succeeded" } })).toBe(1);
    });

    it("fails an event whose charge Stripe does not know, shows it on the card, and Retry applies it once the charge exists", async () => {
      const charge = { id: "ch_missing", paymentIntent: "pi_missing" };
      const payload = event("charge.dispute.created", disputeObject("dp_missing", charge, 2500, "warning_needs_response", seconds(NOW)), seconds(NOW));
      await deliver(payload);
      const row = (await recorded(payload.id))!;
      await expect(processStripeEvent(prisma, row.id, settings)).rejects.toThrow("Stripe refused to read charge ch_missing: No such charge: 'ch_missing'");
      const card = await stripeCard(prisma, fx.shopId, settings);
      expect(card.activity.failures).toContainEqual(
        expect.objectContaining({ kind: "event", id: row.id, what: "Stripe charge.dispute.created", error: "Stripe refused to read charge ch_missing: No such charge: 'ch_missing'", attempts: 1 }),
      );
      expect(card.activity.eventsLast24h).toBeGreaterThan(0);
      expect(card.activity.lastEventAt).not.toBeNull();
      expect(card.failureCount).toBeGreaterThanOrEqual(1);

      stripe.charges.set(charge.id, { id: charge.id, paymentIntent: charge.paymentIntent, amount: 2500, currency: "usd", created: seconds(NOW), email: "nobody@example.com" });
      await prisma.job.updateMany({ where: { dedupeKey: `stripe-event:${row.id}` }, data: { status: "failed" } });
      expect(await retryStripeEvent(prisma, fx.shopId, row.id)).toBe(true);
      expect(await retryStripeEvent(prisma, fx.shopId, row.id)).toBe(false);
      await runStripeJobs();
      expect((await recorded(payload.id))!.status).toBe("processed");
      expect(await prisma.dispute.findFirst({ where: { shopId: fx.shopId, externalId: "dp_missing" } })).toMatchObject({ status: "warning_needs_response" });
      // Another shop's id retries nothing.
      expect(await retryStripeEvent(prisma, fx.shopId, "00000000-0000-4000-8000-000000000000")).toBe(false);
    });

    describe("linking payments to orders", () => {
      function failedIntent(id: string, options: { amount: number; created: number; email: string | null; metadata?: Record<string, string> }) {
        return {
          id,
          object: "payment_intent",
          amount: options.amount,
          currency: "usd",
          created: options.created,
          latest_charge: `ch_${id}`,
          receipt_email: null,
          metadata: options.metadata ?? {},
          status: "requires_payment_method",
          last_payment_error: { message: "Your card was declined.", payment_method: { billing_details: { email: options.email } } },
        };
      }
      async function apply(payload: ReturnType<typeof event>) {
        expect((await deliver(payload)).status).toBe(200);
        await process(payload.id);
      }

      it("takes the store's order id from the metadata first", async () => {
        const byEmail = await order(64, { placedDaysAgo: 40 });
        const woo = await prisma.order.create({
          data: { shopId: fx.shopId, platform: "woocommerce", externalId: "5123", name: "#5123", number: 5123, email: "someone@else.example", currency: "USD", subtotal: 64, total: 64, placedAt: byEmail.placedAt, sourceUpdatedAt: byEmail.placedAt },
        });
        await apply(event("payment_intent.payment_failed", failedIntent("pi_meta", { amount: 6400, created: seconds(byEmail.placedAt), email: "alice@example.com", metadata: { order_id: "5123", site_url: "https://woo.example" } }), seconds(byEmail.placedAt)));
        expect(await prisma.payment.findFirst({ where: { shopId: fx.shopId, externalId: "pi_meta" } })).toMatchObject({ orderId: woo.id, matchedBy: "metadata", status: "failed", failureMessage: "Your card was declined." });
      });

      it("else the checkout e-mail, the exact amount and an order placed within a day", async () => {
        const target = await order(71.5, { placedDaysAgo: 45 });
        await apply(event("payment_intent.payment_failed", failedIntent("pi_email", { amount: 7150, created: seconds(target.placedAt) + 3_600, email: "Alice@Example.com" }), seconds(target.placedAt) + 3_600));
        expect(await prisma.payment.findFirst({ where: { shopId: fx.shopId, externalId: "pi_email" } })).toMatchObject({ orderId: target.id, matchedBy: "email_amount", email: "alice@example.com" });
      });

      it("keeps a payment that fits no order, or two, unlinked and lists it on the card", async () => {
        const first = await order(55, { placedDaysAgo: 50 });
        await order(55, { placedDaysAgo: 50 });
        const far = await order(44, { placedDaysAgo: 60 });
        await apply(event("payment_intent.payment_failed", failedIntent("pi_ambiguous", { amount: 5500, created: seconds(first.placedAt), email: "alice@example.com" }), seconds(first.placedAt)));
        await apply(event("payment_intent.payment_failed", failedIntent("pi_late", { amount: 4400, created: seconds(far.placedAt) + 3 * 86_400, email: "alice@example.com" }), seconds(far.placedAt) + 3 * 86_400));
        await apply(event("payment_intent.payment_failed", failedIntent("pi_stranger", { amount: 4400, created: seconds(far.placedAt), email: "stranger@example.com" }), seconds(far.placedAt)));
        for (const id of ["pi_ambiguous", "pi_late", "pi_stranger"]) expect(await prisma.payment.findFirst({ where: { shopId: fx.shopId, externalId: id } })).toMatchObject({ orderId: null, matchedBy: null });
        const card = await stripeCard(prisma, fx.shopId, settings);
        expect(card.unmatchedPayments.map((payment) => payment.reference)).toEqual(expect.arrayContaining(["pi_ambiguous", "pi_late", "pi_stranger"]));
        expect(card.unmatchedPayments.find((payment) => payment.reference === "pi_late")).toMatchObject({ amount: "44.00", currency: "USD", status: "failed", failureMessage: "Your card was declined." });
        expect(card.unmatchedCount).toBeGreaterThanOrEqual(3);
      });
    });
  });

  // ---------------------------------------------------------------- refunds of Stripe-paid orders

  describe("refunds of Stripe-paid orders", () => {
    let number = 8001;
    let platformAsked = 0;
    const runPush = () =>
      runJobsOnce(
        prisma,
        {
          [PUSH_ORDER_ACTION_JOB]: pushOrderActionJob(prisma, {
            platformFor: async () => {
              platformAsked++;
              return null;
            },
            refundProcessorFor: stripeRefundProcessor(prisma, settings),
            noticeText: orderActionNoticeText,
          }),
        },
        { workerId: "stripe-push-test", shopId: fx.shopId },
      );

    beforeAll(async () => {
      await prisma.integration.deleteMany({ where: { shopId: fx.shopId, platform: "stripe" } });
      await connect();
    });
    beforeEach(() => {
      stripe.requests.length = 0;
      platformAsked = 0;
    });

    /** An order of Alice's paid with a Stripe PaymentIntent that Shopdesk linked to it. */
    async function stripePaidOrder(price: number, options: { declineRefunds?: boolean; alreadyRefunded?: number } = {}) {
      const n = number++;
      const id = await addOrder(fx.shopId, fx.alice, n, { placedDaysAgo: 3, items: [{ title: "Trail Tee", price, quantity: 2 }], fulfillment: "fulfilled" });
      const cents = Math.round(price * 200);
      stripe.charges.set(`ch_paid${n}`, { id: `ch_paid${n}`, paymentIntent: `pi_paid${n}`, amount: cents, currency: "usd", created: seconds(NOW), email: fx.alice.email, declineRefunds: options.declineRefunds, amountRefunded: options.alreadyRefunded });
      await prisma.payment.create({
        data: { shopId: fx.shopId, platform: "stripe", externalId: `pi_paid${n}`, chargeId: `ch_paid${n}`, orderId: id, matchedBy: "metadata", status: "succeeded", amount: price * 2, currency: "USD", occurredAt: NOW, sourceUpdatedAt: NOW },
      });
      const line = await prisma.orderLineItem.findFirstOrThrow({ where: { orderId: id } });
      return { id, name: `#${n}`, paymentIntent: `pi_paid${n}`, lineId: line.id };
    }
    const refundOne = (order: { id: string; lineId: string }, actor = "assistant") =>
      requestOrderAction(prisma, { shopId: fx.shopId, orderId: order.id, kind: "refund", actor, idempotencyKey: `refund:${order.id}:${actor}`, reason: "Arrived torn", input: { items: [{ lineItemId: order.lineId, quantity: 1 }], reason: "Arrived torn" } });
    const refundPosts = () => stripe.requests.filter((request) => request.method === "POST" && request.path === "/v1/refunds");

    it("refunds through Stripe with the action's idempotency key, pending until Stripe's event says succeeded", async () => {
      const order = await stripePaidOrder(20);
      const requested = await refundOne(order);
      expect(requested).toMatchObject({ ok: true, created: true });
      if (!requested.ok) return;
      expect(await runPush()).toBe(1);
      expect(platformAsked).toBe(0);
      expect(refundPosts()).toHaveLength(1);
      expect(refundPosts()[0]).toMatchObject({
        key: API_KEY,
        idempotencyKey: `shopdesk-refund-${requested.action.id}`,
        params: { payment_intent: order.paymentIntent, amount: "2000", reason: "requested_by_customer", "metadata[shopdesk_order_action]": requested.action.id, "metadata[order]": order.name },
      });
      expect(stripeRefundIdempotencyKey(requested.action.id)).toBe(`shopdesk-refund-${requested.action.id}`);
      const action = await prisma.orderAction.findUniqueOrThrow({ where: { id: requested.action.id } });
      expect(action).toMatchObject({ status: "accepted", result: { refundId: expect.stringMatching(/^re_test_/), amount: "20.00", processor: "stripe" } });
      const refundId = (action.result as { refundId: string }).refundId;
      const refund = await prisma.refund.findFirstOrThrow({ where: { orderId: order.id } });
      expect(refund).toMatchObject({ platform: "stripe", externalId: refundId, status: "pending", currency: "USD" });
      expect(refund.amount.toFixed(2)).toBe("20.00");
      expect(refund.lineItems).toEqual([expect.objectContaining({ quantity: 1, subtotal: "20.00" })]);
      expect((await prisma.orderLineItem.findUniqueOrThrow({ where: { id: order.lineId } })).refundedQuantity).toBe(1);

      // Stripe's event is the record: the same refund, now succeeded, its items kept.
      const charge = { id: `ch_paid${order.name.slice(1)}`, paymentIntent: order.paymentIntent };
      const done = event("refund.updated", refundObject(refundId, charge, 2000, "succeeded", seconds(new Date())), seconds(new Date()) + 5);
      await deliver(done);
      await process(done.id);
      const after = await prisma.refund.findFirstOrThrow({ where: { orderId: order.id } });
      expect(after).toMatchObject({ id: refund.id, status: "succeeded", lineItems: refund.lineItems });
      expect((await prisma.orderLineItem.findUniqueOrThrow({ where: { id: order.lineId } })).refundedQuantity).toBe(1);
      expect(await prisma.refund.count({ where: { orderId: order.id } })).toBe(1);
    });

    it("keeps to the merchant's limits: above the assistant's auto-approve limit nothing reaches Stripe", async () => {
      const order = await stripePaidOrder(60);
      expect(await refundOne(order)).toMatchObject({ ok: false, code: "over_limit" });
      expect(await runPush()).toBe(0);
      expect(refundPosts()).toHaveLength(0);
    });

    it("a lost answer is retried by the SDK with the same key and Stripe replays the one refund it made", async () => {
      const order = await stripePaidOrder(15);
      const made = stripe.refunds.length;
      stripe.dropNextRefundAnswer();
      const requested = await refundOne(order);
      if (!requested.ok) throw new Error("not requested");
      await runPush();
      expect(refundPosts().map((request) => [request.idempotencyKey, request.replayed])).toEqual([
        [`shopdesk-refund-${requested.action.id}`, false],
        [`shopdesk-refund-${requested.action.id}`, true],
      ]);
      expect(stripe.refunds.length).toBe(made + 1);
      const action = await prisma.orderAction.findUniqueOrThrow({ where: { id: requested.action.id } });
      expect(action.status).toBe("accepted");
      expect((action.result as { refundId: string }).refundId).toBe((stripe.refunds.at(-1) as { id: string }).id);
    });

    it("asked twice with one action's key, Stripe answers the same refund and makes one", async () => {
      const order = await stripePaidOrder(12);
      const processor = (await stripeRefundProcessor(prisma, settings)(fx.shopId, order.id))!;
      const request = { lines: [], amount: "12.00", note: "n", notify: true, idempotencyKey: "action-twice" };
      const made = stripe.refunds.length;
      const first = await processor.createRefund({ name: order.name, externalId: "x", currency: "USD" }, request);
      const second = await processor.createRefund({ name: order.name, externalId: "x", currency: "USD" }, request);
      expect(first).toMatchObject({ accepted: true });
      expect(second).toEqual(first);
      expect(stripe.refunds.length).toBe(made + 1);
      expect(refundPosts().map((post) => post.replayed)).toEqual([false, true]);
      // The same key with another amount is Stripe's idempotency error, a refusal.
      expect(await processor.createRefund({ name: order.name, externalId: "x", currency: "USD" }, { ...request, amount: "11.00" })).toMatchObject({
        accepted: false,
        reason: expect.stringContaining("Keys for idempotent requests can only be used with the same parameters"),
      });
    });

    it("Stripe's 400 and 402 are refusals in Stripe's words: nothing is refunded and a person follows up", async () => {
      const nearlyRefunded = await stripePaidOrder(20, { alreadyRefunded: 3000 });
      const declined = await stripePaidOrder(20, { declineRefunds: true });
      const tooMuch = await refundOne(nearlyRefunded);
      const card = await refundOne(declined);
      await runPush();
      for (const [requested, words] of [
        [tooMuch, "Stripe refused the refund: Refund amount ($20.00) is greater than unrefunded amount on charge ($10.00)"],
        [card, "Stripe refused the refund: The refund could not be sent to the customer's card"],
      ] as const) {
        if (!requested.ok) throw new Error("not requested");
        const action = await prisma.orderAction.findUniqueOrThrow({ where: { id: requested.action.id } });
        expect(action.status).toBe("rejected");
        expect(action.error).toContain(words);
        expect(await prisma.refund.count({ where: { orderId: action.orderId } })).toBe(0);
      }
    });

    it("a revoked key is a refusal and puts the connection in error, without the key anywhere", async () => {
      const order = await stripePaidOrder(10);
      stripe.keys.delete(API_KEY);
      const requested = await refundOne(order);
      await runPush();
      stripe.keys.set(API_KEY, {});
      if (!requested.ok) throw new Error("not requested");
      const action = await prisma.orderAction.findUniqueOrThrow({ where: { id: requested.action.id } });
      expect(action).toMatchObject({ status: "rejected", error: expect.stringMatching(/^Stripe refused the refund: Invalid API Key provided: \[redacted\]/) });
      const card = await stripeCard(prisma, fx.shopId, settings);
      expect(card).toMatchObject({ status: "error", lastError: expect.stringContaining("Stripe refused Shopdesk's key creating a refund") });
      for (const text of [action.error!, JSON.stringify(action.result), JSON.stringify(card)]) expect(text).not.toContain(API_KEY.slice(8));
      await connect();
    });

    it("an order without a Stripe payment is refunded by its own platform, as before", async () => {
      const n = number++;
      const id = await addOrder(fx.shopId, fx.alice, n, { placedDaysAgo: 3, items: [{ title: "Trail Tee", price: 10 }], fulfillment: "fulfilled" });
      const line = await prisma.orderLineItem.findFirstOrThrow({ where: { orderId: id } });
      await refundOne({ id, lineId: line.id });
      await runPush();
      expect(platformAsked).toBe(1);
      expect(refundPosts()).toHaveLength(0);
    });
  });
});
