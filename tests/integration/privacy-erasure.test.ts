import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_KEY, DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { orderActionNoticeText } from "~/modules/assistant";
import { demoStandInOrderActions, PROCESS_WEBHOOK_JOB, PUSH_ORDER_ACTION_JOB, processWebhookJob, pushOrderActionJob, requestOrderAction } from "~/modules/commerce";
import { addInternalNote, sendStaffReply } from "~/modules/inbox";
import { runJobsOnce } from "~/modules/jobs";
import { appProxyQuery, DEMO_STAFF_USER_ID, installDemoSession, signSessionToken } from "~/modules/demo";
import { createArticle } from "~/modules/knowledge";
import { createMailer, notificationJobs } from "~/modules/notifications";
import { PRIVACY_RETENTION_INTERVAL_MS, PRIVACY_RETENTION_JOB, privacyRetentionJob, schedulePrivacyRetention } from "~/modules/privacy";
import { CONVERSATION_HEADER, type ConversationSnapshot, type StreamEvent } from "~/modules/storefront";
import { collectIdentifiers, customerPattern, phonePattern, shopWidePattern } from "~/modules/privacy/identifiers";
import { loader as privacyPageLoader } from "~/routes/app.settings_.privacy";
import { loader as exportLoader } from "~/routes/app.settings_.privacy.exports.$id";
import { action as startAction } from "~/routes/proxy.conversations";
import { action as handoffAction } from "~/routes/proxy.handoff";
import { action as messageAction } from "~/routes/proxy.messages";
import { action as ratingAction } from "~/routes/proxy.rating";
import { APP_SCOPES } from "~/shopify.server";
import { jobHandlers } from "~/worker.server";
import { anyUsPhoneWriting, findInDatabase, literal, word } from "../support/database-scan";
import { customerPayload, orderPayload, shopifyDelivery, startWebhookServer } from "../support/shopify-webhooks";
import { createTestShop, deleteTestShop } from "../support/shops";

/**
 * Shopify's compliance webhooks end to end: deliveries with real HMACs over HTTP to the app's webhook handler,
 * processed by the job queue; shoppers chatting through the storefront's app-proxy routes; staff replying in the
 * inbox; the merchant downloading the export through the admin route with a signed session token. Then the
 * whole database, every text and JSON column information_schema lists, is searched for what must be gone.
 */

const APP_URL = "http://localhost:3000";
type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;
const call = (handler: unknown, request: Request, params: Record<string, string> = {}) => (handler as Handler)({ request, params, context: {} });

const letters = (length: number) => Array.from({ length }, () => String.fromCharCode(97 + randomInt(26))).join("");
const capital = (text: string) => text[0]!.toUpperCase() + text.slice(1);

/** A shopper nobody else in the database shares a detail with: every run invents a new one. */
function inventShopper() {
  const first = `Otto${letters(6)}`;
  const last = `Quill${letters(6)}`;
  const area = 200 + randomInt(700);
  const line = 1000 + randomInt(9000);
  return {
    id: 7_300_000_000 + randomInt(99_999_999),
    orderId: 5_300_000_000 + randomInt(99_999_999),
    orderNumber: 30_000 + randomInt(9_000),
    first,
    last,
    email: `${first}.${last}@example.com`.toLowerCase(),
    phone: `+1${area}555${line}`,
    spokenPhone: `(${area}) 555-${line}`,
    street: `${randomInt(900) + 10} ${capital(letters(7))} Lane`,
    newStreet: `${randomInt(900) + 10} ${capital(letters(7))} Road`,
  };
}
type Shopper = ReturnType<typeof inventShopper>;

/** What of a shopper must not survive their erasure, as patterns for findInDatabase. */
const tracesOf = (shopper: Shopper) => ({
  email: literal(shopper.email),
  "given name": word(shopper.first),
  "family name": word(shopper.last),
  phone: anyUsPhoneWriting(shopper.phone),
  street: literal(shopper.street),
  "new street": literal(shopper.newStreet),
});

describe("privacy: erasure and data requests", () => {
  let webhooks: Awaited<ReturnType<typeof startWebhookServer>>;
  /** Shops the tests made, deleted at the end even when a test fails. */
  const created: string[] = [];
  beforeAll(async () => {
    webhooks = await startWebhookServer();
  });
  afterAll(async () => {
    await webhooks.close();
    for (const domain of created) await deleteTestShop(domain);
  });

  const deliver = async (topic: string, domain: string, payload: unknown, eventId?: string) => {
    const status = await webhooks.post(shopifyDelivery(topic, domain, payload, { eventId }));
    expect(status).toBe(200);
  };
  /** Applies the shop's recorded deliveries as the worker does. */
  const processWebhooks = async (shopId: string) => {
    while ((await runJobsOnce(prisma, { [PROCESS_WEBHOOK_JOB]: (job) => processWebhookJob(job) }, { shopId, workerId: "privacy-test" })) > 0) {}
  };

  /** A storefront request as Shopify's app proxy forwards it. */
  function proxy(shopDomain: string, path: string, options: { body?: unknown; token?: string; customer?: string } = {}) {
    const query = appProxyQuery({ search: new URLSearchParams(), shopDomain, apiSecret: DEV_SHOPIFY_API_SECRET, loggedInCustomerId: options.customer ?? null });
    const headers = new Headers({ "x-forwarded-for": `198.51.100.${randomInt(250)}`, "content-type": "application/json" });
    if (options.token) headers.set(CONVERSATION_HEADER, options.token);
    return new Request(`${APP_URL}/proxy/${path}?${query.toString()}`, { method: "POST", headers, body: JSON.stringify(options.body ?? {}) });
  }
  async function startChat(shopDomain: string, customer?: string) {
    const response = await call(startAction, proxy(shopDomain, "conversations", { body: { locale: "en" }, customer }));
    expect(response.status).toBe(200);
    return (await response.json()) as ConversationSnapshot;
  }
  /** Sends a shopper message; answers the assistant's reply. */
  async function say(shopDomain: string, token: string, text: string, customer?: string) {
    const response = await call(messageAction, proxy(shopDomain, "messages", { body: { text }, token, customer }));
    expect(response.status).toBe(200);
    const frames = (await response.text()).split("\n\n").filter((frame) => frame.startsWith("event:"));
    const events = frames.map((frame) => JSON.parse(frame.split("\n").find((line) => line.startsWith("data: "))!.slice(6)) as StreamEvent);
    const done = events.at(-1) as Extract<StreamEvent, { type: "done" }>;
    return done.message!.body;
  }

  /** A request from the merchant's admin, as App Bridge sends it: a session token signed with the app secret. */
  async function asAdmin(handler: unknown, shopDomain: string, path: string, params: Record<string, string> = {}) {
    const token = await signSessionToken({ shopDomain, apiKey: DEV_SHOPIFY_API_KEY, apiSecret: DEV_SHOPIFY_API_SECRET, userId: DEMO_STAFF_USER_ID });
    const request = new Request(`${APP_URL}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    try {
      return await call(handler, request, params);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  }
  const downloadExport = (shopDomain: string, exportId: string) => asAdmin(exportLoader, shopDomain, `/app/settings/privacy/exports/${exportId}`, { id: exportId });
  const privacyPage = async (shopDomain: string) => {
    const response = await asAdmin(privacyPageLoader, shopDomain, "/app/settings/privacy?_data=routes%2Fapp.settings_.privacy");
    expect(response.status).toBe(200);
    return (await response.json()) as { exports: { id: string; state: string; customerEmail: string | null; orderCount: number }[]; redactions: { customers: number }[]; payloadRetentionDays: number };
  };

  /** A shop with a customer who bought, chatted, was verified, asked for a cancellation, was answered by staff. */
  async function shopWithChattyCustomer(shopper: Shopper) {
    const shop = await createTestShop(`Privacy shop ${letters(8)}`);
    created.push(shop.domain);
    await installDemoSession(prisma, shop.domain, APP_SCOPES);
    const staff = await prisma.staffMember.create({ data: { shopId: shop.id, email: `agent-${letters(6)}@shop.example`, name: "Robin Agent", role: "agent" } });

    const customer = customerPayload({ id: shopper.id, admin_graphql_api_id: `gid://shopify/Customer/${shopper.id}`, email: shopper.email, first_name: shopper.first, last_name: shopper.last, phone: shopper.phone });
    await deliver("customers/create", shop.domain, customer);
    await deliver(
      "orders/create",
      shop.domain,
      orderPayload({
        id: shopper.orderId,
        admin_graphql_api_id: `gid://shopify/Order/${shopper.orderId}`,
        name: `#${shopper.orderNumber}`,
        order_number: shopper.orderNumber,
        email: shopper.email,
        customer,
        shipping_address: { first_name: shopper.first, last_name: shopper.last, address1: shopper.street, city: "Portland", province_code: "OR", zip: "97209", country_code: "US", phone: shopper.phone },
      }),
    );
    await processWebhooks(shop.id);
    const order = await prisma.order.findFirstOrThrow({ where: { shopId: shop.id, externalId: `gid://shopify/Order/${shopper.orderId}` } });
    expect(order.email).toBe(shopper.email);

    // As a guest: the assistant asks for the checkout e-mail, verifies, shows the order, and requests a cancellation.
    const guest = await startChat(shop.domain);
    expect(await say(shop.domain, guest.token, `Where is my order #${shopper.orderNumber}?`)).toMatch(/email/i);
    await say(shop.domain, guest.token, `It's ${shopper.email}`);
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { shopId: shop.id, shopperEmail: shopper.email } });
    expect(conversation.verifiedOrderIds).toContain(order.id);
    expect(await say(shop.domain, guest.token, `Please cancel order #${shopper.orderNumber}`)).toMatch(/Shall I send this request\?/);
    expect(await say(shop.domain, guest.token, "yes")).toContain(`I've asked the store to cancel order #${shopper.orderNumber}`);
    expect(await prisma.orderAction.count({ where: { shopId: shop.id, orderId: order.id, kind: "cancel" } })).toBe(1);
    await say(shop.domain, guest.token, `I'm ${shopper.first} ${shopper.last}, you can call me on ${shopper.spokenPhone} or write to ${shopper.email}. I live at ${shopper.street}.`);
    expect((await call(handoffAction, proxy(shop.domain, "handoff", { token: guest.token }))).status).toBe(200);

    // Staff answer by name (e-mailed to the shopper when unread) and leave a note; the shopper rates the chat.
    await sendStaffReply(prisma, { shopId: shop.id, conversationId: conversation.id, staffId: staff.id, body: `Hi ${shopper.first}, the warehouse has your cancellation.`, lastSeenMessageId: null, force: true, now: new Date(Date.now() - 10 * 60_000) });
    // On the phone, staff took a change of address (still waiting for Shopify when the erasure comes).
    const moved = await requestOrderAction(prisma, {
      shopId: shop.id,
      orderId: order.id,
      kind: "update_address",
      actor: `staff:${staff.id}`,
      idempotencyKey: `address:${order.id}`,
      reason: "asked by phone",
      input: { address: { firstName: shopper.first, lastName: shopper.last, address1: shopper.newStreet, city: "Portland", provinceCode: "OR", zip: "97210", countryCode: "US", phone: shopper.phone } },
    });
    expect(moved.ok).toBe(true);
    await addInternalNote(prisma, { shopId: shop.id, conversationId: conversation.id, staffId: staff.id, body: `${shopper.first} ${shopper.last} also called from ${shopper.spokenPhone}.` });
    expect((await call(ratingAction, proxy(shop.domain, "rating", { token: guest.token, body: { score: 5, comment: `Thanks from ${shopper.first}!` } }))).status).toBe(200);
    const logOnly = createMailer({}, () => {});
    while ((await runJobsOnce(prisma, notificationJobs(prisma, { mailer: logOnly, appUrl: APP_URL, storeUrl: (domain) => `https://${domain}` }), { shopId: shop.id, workerId: "privacy-test" })) > 0) {}
    expect(await prisma.notification.count({ where: { shopId: shop.id, kind: "staff_reply", recipient: shopper.email } })).toBe(1);

    // What other parts of the app keep about them: the Stripe payment of the order, the dashboard's unanswered question.
    await prisma.payment.create({
      data: {
        shopId: shop.id, platform: "stripe", externalId: `pi_${letters(16)}`, orderId: order.id, status: "succeeded", amount: order.total, currency: "USD",
        email: shopper.email, metadata: { order_name: order.name, cardholder: `${shopper.first} ${shopper.last}` }, occurredAt: order.placedAt, sourceUpdatedAt: order.placedAt,
      },
    });
    await prisma.analyticsDailyRollup.create({
      data: {
        shopId: shop.id, day: new Date(new Date().toISOString().slice(0, 10)), timeZone: "UTC", computedAt: new Date(), unanswered: 1,
        unansweredQuestions: [{ conversationId: conversation.id, text: `Can ${shopper.first} ${shopper.last} pay by phone on ${shopper.spokenPhone}?`, language: "en", at: new Date().toISOString() }],
      },
    });

    // Logged in: the conversation belongs to their customer account.
    const account = await startChat(shop.domain, String(shopper.id));
    await say(shop.domain, account.token, "What's the status of my latest order?", String(shopper.id));

    // Shopify asks for their data: an export the merchant downloads.
    const dataRequestId = String(randomInt(1_000_000_000));
    await deliver("customers/data_request", shop.domain, { shop_id: 1, shop_domain: shop.domain, customer: { id: shopper.id, email: shopper.email, phone: shopper.phone }, orders_requested: [shopper.orderId], data_request: { id: dataRequestId } });
    await processWebhooks(shop.id);
    const exported = await prisma.dataRequestExport.findFirstOrThrow({ where: { shopId: shop.id, dataRequestId } });
    return { shop, staff, order, conversation, exported };
  }

  it("customers/redact leaves no e-mail, name, phone or street of the customer anywhere in the database", async () => {
    const shopper = inventShopper();
    const bystander = inventShopper();
    const { shop, order, conversation, exported } = await shopWithChattyCustomer(shopper);
    // Someone else of the same shop, who must keep every detail.
    const theirCustomer = customerPayload({ id: bystander.id, admin_graphql_api_id: `gid://shopify/Customer/${bystander.id}`, email: bystander.email, first_name: bystander.first, last_name: bystander.last, phone: bystander.phone });
    await deliver("customers/create", shop.domain, theirCustomer);
    await processWebhooks(shop.id);
    const bystanderChat = await startChat(shop.domain, String(bystander.id));
    await say(shop.domain, bystanderChat.token, `Hello, ${bystander.first} here: do you ship to Canada?`, String(bystander.id));

    const download = await downloadExport(shop.domain, exported.id);
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Disposition")).toBe(`attachment; filename="data-request-${exported.dataRequestId}.json"`);
    const file = (await download.json()) as { customers: { email: string }[]; orders: { name: string }[]; payments: { email: string }[]; conversations: { messages: { body: string }[] }[] };
    expect(file.payments).toEqual([expect.objectContaining({ email: shopper.email, status: "succeeded" })]);
    expect(file.customers.map((customer) => customer.email)).toEqual([shopper.email]);
    expect(file.orders.map((row) => row.name)).toEqual([order.name]);
    expect(file.conversations).toHaveLength(2);
    expect(JSON.stringify(file.conversations)).toContain(shopper.spokenPhone);
    expect(JSON.stringify(file)).not.toContain(bystander.email);

    // Before: the customer is in every place this test claims to clean (so the search below can find them).
    const before = await findInDatabase(tracesOf(shopper));
    for (const place of [
      "Customer.email: email",
      "Order.email: email",
      "Order.shippingAddress: street",
      "Conversation.shopperEmail: email",
      "Conversation.csatComment: given name",
      "Message.body: phone",
      "Message.metadata: email",
      "Message.searchText: family name",
      "ConversationSearch.lexemes: email",
      "Conversation.summary: phone",
      "Notification.recipient: email",
      "Order.shippingAddress: family name",
      "WebhookEvent.payload: phone",
      "DataRequestExport.content: street",
      "DataRequestExport.customerEmail: email",
      "OrderAction.input: new street",
      "Payment.email: email",
      "Payment.metadata: family name",
      "AnalyticsDailyRollup.unansweredQuestions: phone",
    ]) {
      expect(before).toContain(place);
    }
    const counts = async () => ({
      conversations: await prisma.conversation.count({ where: { shopId: shop.id } }),
      messages: await prisma.message.count({ where: { shopId: shop.id } }),
      actions: await prisma.actionLog.count({ where: { shopId: shop.id, NOT: { action: { startsWith: "compliance." } } } }),
      orderActions: await prisma.orderAction.count({ where: { shopId: shop.id } }),
      notifications: await prisma.notification.count({ where: { shopId: shop.id } }),
      events: await prisma.webhookEvent.count({ where: { shopId: shop.id } }),
    });
    const countsBefore = await counts();
    // Predictions about them are a profile of them; another customer's stay.
    const customer = await prisma.customer.findFirstOrThrow({ where: { shopId: shop.id, email: shopper.email }, select: { id: true } });
    const scored = { shopId: shop.id, probability: 0.4, scoredAt: new Date() };
    await prisma.predictionScore.createMany({
      data: [
        { ...scored, kind: "churn", subjectId: customer.id },
        { ...scored, kind: "csat", subjectId: conversation.id },
        { ...scored, kind: "churn", subjectId: "another-customer" },
      ],
    });

    await deliver("customers/redact", shop.domain, { shop_id: 1, shop_domain: shop.domain, customer: { id: shopper.id, email: shopper.email, phone: shopper.phone }, orders_to_redact: [shopper.orderId] });
    await processWebhooks(shop.id);

    expect(await findInDatabase(tracesOf(shopper))).toEqual([]);
    expect(await prisma.predictionScore.findMany({ where: { shopId: shop.id }, select: { kind: true, subjectId: true } })).toEqual([{ kind: "churn", subjectId: "another-customer" }]);

    // What the shop counts stays: conversations, messages, actions, notifications, orders with their amounts,
    // and every webhook delivery's row (one more: the customers/redact delivery itself).
    expect(await counts()).toEqual({ ...countsBefore, events: countsBefore.events + 1 });
    const orderAfter = await prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(orderAfter).toMatchObject({ email: null, shippingAddress: null, total: order.total, name: order.name });
    expect(orderAfter.redactedAt).toBeInstanceOf(Date);
    const conversationAfter = await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(conversationAfter).toMatchObject({ csatScore: 5, csatComment: null, shopperEmail: null, shopperName: null, subject: "[redacted]" });
    expect(await prisma.webhookEvent.count({ where: { shopId: shop.id, status: "processed" } })).toBe(countsBefore.events + 1);
    expect(await prisma.actionLog.findFirst({ where: { shopId: shop.id, action: "compliance.customer_redact" }, select: { result: true } })).toEqual({
      result: { customers: 1, orders: 1, conversations: 2, webhookPayloads: expect.any(Number), exports: 1 },
    });

    // The address change that was still waiting cannot be sent without the address; the cancellation still can.
    const actions = await prisma.orderAction.findMany({ where: { shopId: shop.id, orderId: order.id }, orderBy: { requestedAt: "asc" } });
    expect(actions.map((action) => [action.kind, action.status])).toEqual([
      ["cancel", "requested"],
      ["update_address", "rejected"],
    ]);
    expect(actions[1]!.error).toBe("The customer's data was erased (customers/redact) before the store accepted this address change.");
    const push = { [PUSH_ORDER_ACTION_JOB]: pushOrderActionJob(prisma, { platformFor: async () => demoStandInOrderActions(), noticeText: orderActionNoticeText }) };
    while ((await runJobsOnce(prisma, push, { shopId: shop.id, workerId: "privacy-test" })) > 0) {}
    expect(await prisma.orderAction.findUniqueOrThrow({ where: { id: actions[0]!.id } })).toMatchObject({ status: "accepted" });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("cancelled");
    expect(await findInDatabase(tracesOf(shopper))).toEqual([]);

    // The export made before is gone with them.
    const afterDownload = await downloadExport(shop.domain, exported.id);
    expect(afterDownload.status).toBe(410);
    expect(await afterDownload.json()).toEqual({ error: "This export was erased with the customer's data (Shopify's customers/redact request)." });
    const page = await privacyPage(shop.domain);
    expect(page.exports).toEqual([expect.objectContaining({ id: exported.id, state: "erased", customerEmail: null })]);
    expect(page.redactions).toEqual([expect.objectContaining({ customers: 1 })]);

    // Nothing of the bystander was touched.
    const kept = await findInDatabase({ email: literal(bystander.email), "given name": word(bystander.first) });
    expect(kept).toEqual(expect.arrayContaining(["Customer.email: email", "Conversation.shopperEmail: email", "Message.body: given name", "WebhookEvent.payload: email"]));

    await deleteTestShop(shop.domain);
  });

  it("a later data request finds nothing of an erased customer", async () => {
    const shopper = inventShopper();
    const { shop } = await shopWithChattyCustomer(shopper);
    await deliver("customers/redact", shop.domain, { shop_domain: shop.domain, customer: { id: shopper.id, email: shopper.email }, orders_to_redact: [shopper.orderId] });
    await processWebhooks(shop.id);
    const dataRequestId = String(randomInt(1_000_000_000));
    await deliver("customers/data_request", shop.domain, { shop_domain: shop.domain, customer: { id: shopper.id, email: shopper.email }, orders_requested: [], data_request: { id: dataRequestId } });
    await processWebhooks(shop.id);
    const later = await prisma.dataRequestExport.findFirstOrThrow({ where: { shopId: shop.id, dataRequestId } });
    // The customer row (kept for order history) and their order, with nothing personal left; no conversation by e-mail.
    expect(later).toMatchObject({ customerCount: 1, orderCount: 1, conversationCount: 2 });
    const { customer: asked, ...found } = later.content as { customer: unknown };
    expect(asked).toEqual({ id: String(shopper.id), email: shopper.email });
    expect(JSON.stringify(found)).not.toMatch(new RegExp(`${shopper.first}|${shopper.last}|${shopper.street}`, "i"));
    await deleteTestShop(shop.domain);
  });

  it("shop/redact leaves nothing of the shop: no row, no id, no domain, no name, none of its customers", async () => {
    const shopper = inventShopper();
    const { shop } = await shopWithChattyCustomer(shopper);
    await createArticle(shop.id, { title: "Returns", body: `Write to returns@${shop.domain} within 30 days.`, status: "published" });
    const other = await createTestShop();
    const otherArticle = await createArticle(other.id, { title: "Shipping", body: "We ship worldwide.", status: "published" });
    // A delivery for the domain before it was installed again (no shop row to cascade from).
    const orphan = shopifyDelivery("orders/create", shop.domain, { id: 1 });
    await prisma.shop.update({ where: { id: shop.id }, data: { domain: `${shop.domain}.renamed` } });
    expect(await webhooks.post(orphan)).toBe(200);
    await prisma.shop.update({ where: { id: shop.id }, data: { domain: shop.domain } });
    expect(await prisma.webhookEvent.count({ where: { shopId: null, shopDomain: shop.domain } })).toBe(1);

    const traces = { "shop id": literal(shop.id), domain: literal(shop.domain), "shop name": literal(shop.name), ...tracesOf(shopper) };
    const before = await findInDatabase(traces);
    for (const place of ["Shop.domain: domain", "Session.shop: domain", "Job.shopId: shop id", "WebhookEvent.shopDomain: domain", "KnowledgeSource.body: domain", "Customer.email: email"]) {
      expect(before).toContain(place);
    }

    await deliver("app/uninstalled", shop.domain, { id: 1 });
    await processWebhooks(shop.id);
    await deliver("shop/redact", shop.domain, { shop_id: 1, shop_domain: shop.domain });
    await processWebhooks(shop.id);

    expect(await findInDatabase(traces)).toEqual([]);
    // The other shop keeps everything.
    expect(await prisma.knowledgeSource.count({ where: { id: otherArticle.id } })).toBe(1);
    expect(await prisma.shop.count({ where: { id: other.id } })).toBe(1);
    await deleteTestShop(other.domain);
  });

  describe("identifier patterns (PostgreSQL regular expressions)", () => {
    const matches = async (text: string, pattern: string | null) =>
      (await prisma.$queryRaw<{ hit: boolean }[]>`SELECT ${text} ~* ${pattern} AS hit`)[0]!.hit;
    const ids = collectIdentifiers({
      emails: ["Mia.Hart+shop@Example.com"],
      customers: [{ email: null, firstName: "Mia", lastName: "Hart", phone: "+1 503-555-0142" }],
      addresses: [{ first_name: "Mia", last_name: "Hart-Lee", address1: "12 Alder St.", phone: "+44 20 7946 0958" }],
    });

    it("collects e-mails (lowercased), phones, names, full names and street lines from customers and addresses", () => {
      expect(ids).toEqual({
        emails: ["mia.hart+shop@example.com"],
        phones: ["+1 503-555-0142", "+44 20 7946 0958"],
        names: ["Mia", "Hart", "Hart-Lee"],
        fullNames: ["Mia Hart", "Mia Hart-Lee"],
        addressLines: ["12 Alder St."],
      });
    });

    it("finds a phone number however it is written, not inside a longer number", async () => {
      const phone = phonePattern("+1 503-555-0142");
      for (const written of ['"+15035550142"', "call (503) 555-0142", "503.555.0142 please", "1-503-555-0142", "+1 503 555 0142"]) {
        expect(await matches(written, phone)).toBe(true);
      }
      expect(await matches("order 12395035550142", phone)).toBe(false);
      expect(await matches("5035550143", phone)).toBe(false);
      expect(phonePattern("12-34")).toBeNull();
      expect(await matches("020 7946 0958", phonePattern("+44 20 7946 0958"))).toBe(true);
    });

    it("takes e-mails literally and names as whole words; a given name alone only in the customer's own rows", async () => {
      const everywhere = shopWidePattern(ids);
      expect(await matches("write to MIA.HART+SHOP@example.com", everywhere)).toBe(true);
      expect(await matches("mia.hartxshop@example.com", everywhere)).toBe(false);
      expect(await matches('{"name": "Mia  Hart"}', everywhere)).toBe(true);
      expect(await matches("Mia said hi", everywhere)).toBe(false);
      const theirs = customerPattern(ids);
      expect(await matches("Mia said hi", theirs)).toBe(true);
      expect(await matches("Miami", theirs)).toBe(false);
      expect(await matches("ships to 12 Alder St. tomorrow", theirs)).toBe(true);
      expect(await matches("12 Alder Street", theirs)).toBe(false);
      expect(shopWidePattern({ emails: [], phones: [], names: [], fullNames: [], addressLines: [] })).toBeNull();
    });
  });

  describe("data-request export download", () => {
    let shop: Awaited<ReturnType<typeof createTestShop>>;
    let other: Awaited<ReturnType<typeof createTestShop>>;
    let exportId: string;
    beforeAll(async () => {
      shop = await createTestShop();
      other = await createTestShop();
      await installDemoSession(prisma, shop.domain, APP_SCOPES);
      await installDemoSession(prisma, other.domain, APP_SCOPES);
      await prisma.customer.create({ data: { shopId: shop.id, platform: "shopify", externalId: "gid://shopify/Customer/4242", email: "grace@example.com", firstName: "Grace" } });
      await deliver("customers/data_request", shop.domain, { shop_domain: shop.domain, customer: { id: 4242, email: "grace@example.com" }, orders_requested: [], data_request: { id: 777 } });
      await processWebhooks(shop.id);
      exportId = (await prisma.dataRequestExport.findFirstOrThrow({ where: { shopId: shop.id, dataRequestId: "777" } })).id;
    });
    afterAll(async () => {
      await deleteTestShop(shop.domain);
      await deleteTestShop(other.domain);
    });

    it("lists the shop's data requests on the Privacy page, and only the shop's", async () => {
      const page = await privacyPage(shop.domain);
      expect(page.exports).toEqual([expect.objectContaining({ id: exportId, state: "ready", customerEmail: "grace@example.com", orderCount: 0 })]);
      expect(page.payloadRetentionDays).toBe(30);
      expect((await privacyPage(other.domain)).exports).toEqual([]);
    });

    it("serves the shop's own export as a JSON file to its staff, and counts the download", async () => {
      const response = await downloadExport(shop.domain, exportId);
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      expect(await response.json()).toMatchObject({ format: "shopdesk.data-request.v1", dataRequestId: "777", customers: [{ email: "grace@example.com", firstName: "Grace" }] });
      expect(await prisma.dataRequestExport.findUniqueOrThrow({ where: { id: exportId } })).toMatchObject({ downloadCount: 1 });
      expect(await prisma.actionLog.count({ where: { shopId: shop.id, action: "compliance.data_request_downloaded", targetId: exportId } })).toBe(1);
    });

    it("a repeated data request (same id) keeps the one export", async () => {
      await deliver("customers/data_request", shop.domain, { shop_domain: shop.domain, customer: { id: 4242, email: "grace@example.com" }, orders_requested: [], data_request: { id: 777 } });
      await processWebhooks(shop.id);
      expect(await prisma.dataRequestExport.count({ where: { shopId: shop.id } })).toBe(1);
    });

    it("answers 404 to another shop's staff, to an id that is no export, and refuses a request without a session token", async () => {
      const otherShop = await downloadExport(other.domain, exportId);
      expect(otherShop.status).toBe(404);
      expect(await otherShop.json()).toEqual({ error: "No such data request export." });
      expect((await downloadExport(shop.domain, randomUUID())).status).toBe(404);
      expect((await downloadExport(shop.domain, "not-an-id")).status).toBe(404);
      let unauthenticated: Response | undefined;
      try {
        await call(exportLoader, new Request(`${APP_URL}/app/settings/privacy/exports/${exportId}`, { headers: { Accept: "application/json" } }), { id: exportId });
      } catch (thrown) {
        if (thrown instanceof Response) unauthenticated = thrown;
      }
      expect([302, 401]).toContain(unauthenticated?.status);
    });

    it("after its expiry answers 410, and the retention job deletes its content", async () => {
      await prisma.dataRequestExport.update({ where: { id: exportId }, data: { expiresAt: new Date(Date.now() - 60_000) } });
      const expired = await downloadExport(shop.domain, exportId);
      expect(expired.status).toBe(410);
      expect(((await expired.json()) as { error: string }).error).toMatch(/^This export expired on \d{4}-\d{2}-\d{2}; its content was deleted\.$/);
      expect((await prisma.dataRequestExport.findUniqueOrThrow({ where: { id: exportId } })).content).not.toBeNull();

      await runRetention();
      const row = await prisma.dataRequestExport.findUniqueOrThrow({ where: { id: exportId } });
      expect(row).toMatchObject({ content: null, contentDeletedReason: "expired", dataRequestId: "777" });
      expect((await downloadExport(shop.domain, exportId)).status).toBe(410);
      expect((await privacyPage(shop.domain)).exports).toEqual([expect.objectContaining({ id: exportId, state: "expired" })]);
    });
  });

  /** One run of the retention job through the queue, as the worker runs it; answers the job row. */
  async function runRetention() {
    await prisma.job.deleteMany({ where: { name: PRIVACY_RETENTION_JOB, status: "queued" } });
    const jobId = await schedulePrivacyRetention(prisma);
    expect(jobId).not.toBeNull();
    expect(await runJobsOnce(prisma, { [PRIVACY_RETENTION_JOB]: privacyRetentionJob(prisma) }, { workerId: "privacy-test" })).toBe(1);
    return prisma.job.findUniqueOrThrow({ where: { id: jobId! } });
  }

  describe("webhook payload retention", () => {
    it("is a job the worker runs", () => {
      expect(Object.keys(jobHandlers)).toContain(PRIVACY_RETENTION_JOB);
    });

    it("deletes payloads past each shop's retention (default 30 days), keeps the rows, and still recognizes a repeated delivery", async () => {
      const keeper = await createTestShop();
      const brief = await createTestShop();
      await prisma.shopSettings.update({ where: { shopId: brief.id }, data: { webhookPayloadRetentionDays: 7 } });
      const unknownDomain = `gone-${letters(8)}.myshopify.com`;
      const DAY = 86_400_000;
      /** A delivery received `days` ago: POSTed now, its receipt time moved back. */
      async function receivedDaysAgo(domain: string, days: number) {
        const eventId = randomUUID();
        await deliver("customers/update", domain, customerPayload({ email: `${letters(8)}@example.com` }), eventId);
        const event = await prisma.webhookEvent.findFirstOrThrow({ where: { deliveryId: eventId } });
        await prisma.job.deleteMany({ where: { name: PROCESS_WEBHOOK_JOB, dedupeKey: `webhook:${event.id}` } });
        await prisma.webhookEvent.update({ where: { id: event.id }, data: { receivedAt: new Date(Date.now() - days * DAY), status: "processed" } });
        return { id: event.id, eventId };
      }
      const keeperOld = await receivedDaysAgo(keeper.domain, 31);
      const keeperRecent = await receivedDaysAgo(keeper.domain, 10);
      const briefOld = await receivedDaysAgo(brief.domain, 10);
      const briefRecent = await receivedDaysAgo(brief.domain, 3);
      const unknownOld = await receivedDaysAgo(unknownDomain, 31);

      const job = await runRetention();
      expect(job.status).toBe("succeeded");
      const events = new Map((await prisma.webhookEvent.findMany({ where: { id: { in: [keeperOld, keeperRecent, briefOld, briefRecent, unknownOld].map((event) => event.id) } } })).map((event) => [event.id, event]));
      expect(events.size).toBe(5);
      for (const gone of [keeperOld, briefOld, unknownOld]) {
        expect(events.get(gone.id)).toMatchObject({ payload: null, payloadDeletedAt: expect.any(Date), status: "processed", topic: "customers/update", deliveryId: gone.eventId });
      }
      for (const kept of [keeperRecent, briefRecent]) {
        expect(events.get(kept.id)).toMatchObject({ payload: expect.objectContaining({ email: expect.any(String) }), payloadDeletedAt: null });
      }

      // Shopify retrying the old delivery: still one row, no second processing job.
      await deliver("customers/update", keeper.domain, customerPayload(), keeperOld.eventId);
      expect(await prisma.webhookEvent.count({ where: { deliveryId: keeperOld.eventId } })).toBe(1);
      expect(await prisma.job.count({ where: { name: PROCESS_WEBHOOK_JOB, dedupeKey: `webhook:${keeperOld.id}` } })).toBe(0);

      // The run queued the next one, an hour on.
      const next = await prisma.job.findFirstOrThrow({ where: { name: PRIVACY_RETENTION_JOB, status: "queued" } });
      expect(next.runAt.getTime() - job.createdAt.getTime()).toBeGreaterThanOrEqual(PRIVACY_RETENTION_INTERVAL_MS - 1_000);
      expect(next.runAt.getTime() - Date.now()).toBeLessThanOrEqual(PRIVACY_RETENTION_INTERVAL_MS);

      await prisma.webhookEvent.deleteMany({ where: { shopDomain: unknownDomain } });
      await deleteTestShop(keeper.domain);
      await deleteTestShop(brief.domain);
    });

    it("a delivery whose payload was deleted before it was processed is marked ignored, not failed", async () => {
      const shop = await createTestShop();
      const eventId = randomUUID();
      await deliver("orders/create", shop.domain, orderPayload(), eventId);
      const event = await prisma.webhookEvent.findFirstOrThrow({ where: { deliveryId: eventId } });
      await prisma.webhookEvent.update({ where: { id: event.id }, data: { receivedAt: new Date(Date.now() - 40 * 86_400_000) } });
      await runRetention();
      await processWebhooks(shop.id);
      expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ status: "ignored", lastError: "payload deleted before processing", payload: null });
      expect(await prisma.order.count({ where: { shopId: shop.id } })).toBe(0);
      await deleteTestShop(shop.domain);
    });
  });
});
