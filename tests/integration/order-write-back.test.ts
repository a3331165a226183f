import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdminApiClient } from "@shopify/admin-api-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { WEBHOOK_API_VERSION } from "~/lib/shopify/config";
import { orderActionNoticeText } from "~/modules/assistant";
import {
  type AdminGraphqlRequest,
  demoStandInOrderActions,
  type OrderActionPlatform,
  PUSH_ORDER_ACTION_JOB,
  pushOrderActionJob,
  requestOrderAction,
  applyShopifyDelivery,
  shopifyOrderActions,
} from "~/modules/commerce";
import { handleShopperMessage, startConversation } from "~/modules/conversations";
import { runJobsOnce } from "~/modules/jobs";
import { type AssistantFixture, addOrder, createAssistantFixture, deleteAssistantFixture, NOW } from "../support/assistant-fixtures";

/**
 * Order actions written back to Shopify: through the assistant's real entry and the commerce API, pushed by the
 * job queue, sent with the official Admin API client to a local server speaking the Admin GraphQL wire format.
 * Until Shopify accepts, the shopper is told the action is requested and the local order stays as it was.
 */

type Seen = { token?: string; operation: string; query: string; variables: Record<string, unknown> };
type Scripted = { http: number } | { throttled: true } | { userErrors: { field: string[]; message: string; code?: string }[] };

const OPERATIONS = ["orderCancel", "orderUpdate", "returnableFulfillments", "returnRequest", "returnCreate", "suggestedRefund", "refundCreate", "fulfillmentTrackingInfoUpdate"] as const;
type Operation = (typeof OPERATIONS)[number];

describe("writing order actions back to Shopify", () => {
  let fx: AssistantFixture;
  let port = 0;
  const seen: Seen[] = [];
  const scripted = new Map<Operation, Scripted[]>();
  /** Fulfillment line items Shopify lists as returnable, per order GID. */
  const returnable = new Map<string, { fulfillmentLineItemId: string; lineItemId: string; quantity: number }[][]>();
  let suggestedRefundAmount = "0.00";
  let refundIds = 777;

  const script = (operation: Operation, ...responses: Scripted[]) => scripted.set(operation, [...(scripted.get(operation) ?? []), ...responses]);
  const sent = (operation: Operation) => seen.filter((request) => request.operation === operation);

  function answer(operation: Operation, variables: Record<string, unknown>): unknown {
    const input = (variables.input ?? variables.returnInput ?? {}) as Record<string, unknown>;
    switch (operation) {
      case "orderCancel":
        return { orderCancel: { job: { id: "gid://shopify/Job/42", done: false }, orderCancelUserErrors: [] } };
      case "orderUpdate":
        return { orderUpdate: { order: { id: input.id }, userErrors: [] } };
      case "returnableFulfillments":
        return {
          returnableFulfillments: {
            nodes: (returnable.get(String(variables.orderId)) ?? []).map((fulfillment, index) => ({
              id: `gid://shopify/ReturnableFulfillment/${index + 1}`,
              returnableFulfillmentLineItems: {
                nodes: fulfillment.map((item) => ({ quantity: item.quantity, fulfillmentLineItem: { id: item.fulfillmentLineItemId, lineItem: { id: item.lineItemId } } })),
              },
            })),
          },
        };
      case "returnRequest":
        return { returnRequest: { return: { id: "gid://shopify/Return/501", status: "REQUESTED" }, userErrors: [] } };
      case "returnCreate":
        return { returnCreate: { return: { id: "gid://shopify/Return/502", status: "OPEN" }, userErrors: [] } };
      case "suggestedRefund":
        return {
          order: {
            suggestedRefund: {
              amountSet: { shopMoney: { amount: suggestedRefundAmount, currencyCode: "USD" } },
              suggestedTransactions: [
                { gateway: "shopify_payments", kind: "SUGGESTED_REFUND", parentTransaction: { id: "gid://shopify/OrderTransaction/9001" }, amountSet: { shopMoney: { amount: suggestedRefundAmount } } },
              ],
            },
          },
        };
      case "refundCreate": {
        const transactions = (input.transactions ?? []) as { amount: string; gateway: string }[];
        const total = transactions.reduce((sum, transaction) => sum + Number(transaction.amount), 0).toFixed(2);
        return {
          refundCreate: {
            refund: {
              id: `gid://shopify/Refund/${refundIds++}`,
              totalRefundedSet: { shopMoney: { amount: total } },
              transactions: { nodes: transactions.map((transaction, index) => ({ id: `gid://shopify/OrderTransaction/${9100 + index}`, kind: "REFUND", status: "SUCCESS", gateway: transaction.gateway, amountSet: { shopMoney: { amount: transaction.amount } } })) },
            },
            userErrors: [],
          },
        };
      }
      case "fulfillmentTrackingInfoUpdate": {
        const tracking = variables.trackingInfoInput as { numbers: string[]; urls?: string[]; company?: string };
        return {
          fulfillmentTrackingInfoUpdate: {
            fulfillment: { id: variables.fulfillmentId, trackingInfo: tracking.numbers.map((number, index) => ({ number, url: tracking.urls?.[index] ?? null, company: tracking.company ?? null })) },
            userErrors: [],
          },
        };
      }
    }
  }

  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query: string; variables: Record<string, unknown> };
    const operation = OPERATIONS.find((name) => body.query.includes(`${name}(`));
    if (!operation) {
      response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message: "unknown operation" }] }));
      return;
    }
    seen.push({ token: request.headers["x-shopify-access-token"] as string | undefined, operation, query: body.query, variables: body.variables });
    const next = scripted.get(operation)?.shift();
    if (next && "http" in next) {
      response.writeHead(next.http, { "content-type": "application/json" }).end(JSON.stringify({ errors: "Service Unavailable" }));
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    if (next && "throttled" in next) {
      response.end(JSON.stringify({ errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost: { requestedQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 } } } }));
      return;
    }
    const data = answer(operation, body.variables) as Record<string, Record<string, unknown>>;
    if (next && "userErrors" in next) {
      const field = Object.keys(data)[0]!;
      const errorsKey = operation === "orderCancel" ? "orderCancelUserErrors" : "userErrors";
      data[field] = { ...Object.fromEntries(Object.keys(data[field]!).map((key) => [key, null])), [errorsKey]: next.userErrors };
    }
    response.end(JSON.stringify({ data, extensions: { cost: { requestedQueryCost: 10 } } }));
  });

  /** What the app does in production: the official client, here pointed at the local server. */
  function adminRequest(): AdminGraphqlRequest {
    const client = createAdminApiClient({
      storeDomain: fx.domain,
      apiVersion: WEBHOOK_API_VERSION,
      accessToken: "shpat_local_test",
      customFetchApi: (url, init) => fetch(String(url).replace(`https://${fx.domain}`, `http://127.0.0.1:${port}`), init),
    });
    return async (query, variables) => {
      const { data, errors } = await client.request(query, { variables });
      if (errors && !errors.graphQLErrors) throw new Error(`HTTP ${errors.networkStatusCode}: ${errors.message}`);
      return { data, errors: errors?.graphQLErrors };
    };
  }

  let platform: () => OrderActionPlatform | null = () => shopifyOrderActions(adminRequest());
  const runJobs = () =>
    runJobsOnce(prisma, { [PUSH_ORDER_ACTION_JOB]: pushOrderActionJob(prisma, { platformFor: async () => platform(), noticeText: orderActionNoticeText }) }, { workerId: "test", shopId: fx.shopId });
  /** The queue's backoff has passed. */
  const backoffPassed = () => prisma.job.updateMany({ where: { shopId: fx.shopId, status: "queued" }, data: { runAt: new Date(Date.now() - 1_000) } });

  let nextNumber = 2001;
  /** A fresh order of Alice's, so each test owns its order. */
  async function aliceOrder(spec: Parameters<typeof addOrder>[3]) {
    const number = nextNumber++;
    const id = await addOrder(fx.shopId, fx.alice, number, spec);
    return { id, name: `#${number}`, gid: `gid://shopify/Order/${number}`, lineGid: `gid://shopify/LineItem/${number}0` };
  }
  const unfulfilledTee = () => aliceOrder({ placedDaysAgo: 0, items: [{ title: "Trail Tee", price: 38, productExternalId: "p-tee" }], fulfillment: "unfulfilled" });

  async function chat(options: { language?: string } = {}) {
    const { conversation } = await startConversation(prisma, { shopId: fx.shopId, customerId: fx.alice.id, language: options.language });
    let turns = 0;
    const say = (text: string) => handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: conversation.id, text }, { now: new Date(NOW.getTime() + 5_000 * turns++) });
    // An action is previewed first and requested on the shopper's yes.
    const yes = ({ fr: "oui", de: "ja", es: "sí" } as Record<string, string>)[options.language ?? "en"] ?? "yes";
    const act = async (text: string) => {
      const preview = await say(text);
      expect(preview.reply!.body).toMatch(/Shall I send this request\?|Dois-je envoyer cette demande \?/);
      return say(yes);
    };
    return { conversationId: conversation.id, say, act };
  }
  const publicMessages = (conversationId: string) => prisma.message.findMany({ where: { conversationId, visibility: "public", author: "assistant" }, orderBy: { createdAt: "asc" } });

  beforeAll(async () => {
    fx = await createAssistantFixture();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    // This merchant lets the assistant change addresses it can read (the default is a person checks them).
    await prisma.shopSettings.update({ where: { shopId: fx.shopId }, data: { addressChangeNeedsApproval: false } });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await deleteAssistantFixture(fx);
  });
  beforeEach(() => {
    seen.length = 0;
    scripted.clear();
    platform = () => shopifyOrderActions(adminRequest());
  });

  describe("cancellation", () => {
    it("says requested, leaves the order alone, sends orderCancel, and confirms in the chat once Shopify accepts", async () => {
      const order = await unfulfilledTee();
      const { conversationId, say, act } = await chat();
      const turn = await act(`Please cancel order ${order.name}`);
      expect(turn.reply!.body).toContain(`I've asked the store to cancel order ${order.name}; you'll see the confirmation here.`);
      expect(turn.reply!.body).toContain("$38.00");
      expect(turn.reply!.body).not.toMatch(/is cancelled|Done/);
      // Nothing local changes before Shopify decides.
      const before = await prisma.order.findUniqueOrThrow({ where: { id: order.id }, include: { refunds: true } });
      expect(before).toMatchObject({ status: "open", cancelledAt: null });
      expect(before.refunds).toHaveLength(0);
      const action = await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } });
      expect(action).toMatchObject({ kind: "cancel", status: "requested", actor: "assistant", conversationId, idempotencyKey: `cancel:${order.id}` });
      expect(await prisma.actionLog.count({ where: { conversationId, action: "order.cancel_requested", targetId: order.id } })).toBe(1);
      const pending = await say(`What's the status of order ${order.name}?`);
      expect(pending.reply!.body).toContain(`A cancellation of order ${order.name} was requested on Nov 20, 2026; the store hasn't confirmed it yet.`);

      expect(await runJobs()).toBe(1);
      expect(sent("orderCancel")).toHaveLength(1);
      expect(sent("orderCancel")[0]!.token).toBe("shpat_local_test");
      expect(sent("orderCancel")[0]!.variables).toMatchObject({
        orderId: order.gid,
        refundMethod: { originalPaymentMethodsRefund: true },
        restock: true,
        reason: "CUSTOMER",
        notifyCustomer: true,
      });
      const after = await prisma.order.findUniqueOrThrow({ where: { id: order.id } });
      expect(after.status).toBe("cancelled");
      expect(after.cancelledAt).not.toBeNull();
      expect(await prisma.orderAction.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({ status: "accepted", result: { platformJobId: "gid://shopify/Job/42" } });
      const confirmation = (await publicMessages(conversationId)).at(-1)!;
      expect(confirmation.body).toBe(`Confirmed: the store has cancelled order ${order.name}, and $38.00 is being refunded to your original payment method.`);
      expect(await prisma.actionLog.count({ where: { conversationId, action: "order.cancelled", actor: "system" } })).toBe(1);
      // The widget and the inbox hear of it live: the confirmation and the change, and the list preview follows.
      const live = await prisma.liveEvent.findMany({ where: { conversationId }, orderBy: { id: "asc" } });
      expect(live.map((row) => row.payload)).toEqual(
        expect.arrayContaining([
          { type: "message.created", conversationId, messageId: confirmation.id, author: "assistant", visibility: "public" },
          { type: "conversation.updated", conversationId, fields: ["orderActions"] },
        ]),
      );
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).lastMessagePreview).toBe(confirmation.body);
      // The order view now says cancelled.
      const status = await say(`What's the status of order ${order.name}?`);
      expect(status.reply!.body).toMatch(/was cancelled/);
    });

    it("is one action and one mutation however often it is asked", async () => {
      const order = await unfulfilledTee();
      const { act } = await chat();
      await act(`Please cancel order ${order.name}`);
      const again = await act(`cancel order ${order.name} please`);
      expect(again.reply!.body).toContain(`I've asked the store to cancel order ${order.name}`);
      // The commerce API directly, with the same key (as a staff action retried by the inbox would be).
      const direct = await requestOrderAction(prisma, { shopId: fx.shopId, orderId: order.id, kind: "cancel", actor: "staff:test", idempotencyKey: `cancel:${order.id}`, reason: "retry", input: { reason: "retry" } });
      expect(direct).toMatchObject({ ok: true, created: false });
      expect(await prisma.orderAction.count({ where: { orderId: order.id } })).toBe(1);
      expect(await runJobs()).toBe(1);
      expect(await runJobs()).toBe(0);
      expect(sent("orderCancel")).toHaveLength(1);
    });

    it("on Shopify's refusal: nothing changed, the reason in an internal note, the conversation to staff; asking again is a new request", async () => {
      const order = await unfulfilledTee();
      const { conversationId, act } = await chat();
      await act(`Please cancel order ${order.name}`);
      script("orderCancel", { userErrors: [{ field: ["orderId"], message: "Order has pending payment authorizations", code: "INVALID" }] });
      expect(await runJobs()).toBe(1);

      const action = await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } });
      expect(action).toMatchObject({ status: "rejected", error: "Order has pending payment authorizations" });
      expect(action.idempotencyKey).not.toBe(`cancel:${order.id}`);
      expect(await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: "open", cancelledAt: null });
      expect(await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ status: "waiting_on_staff", priority: "high" });
      const note = await prisma.message.findFirstOrThrow({ where: { conversationId, author: "system" } });
      expect(note.visibility).toBe("internal");
      expect(note.body).toBe(`Shopify refused to cancel ${order.name}: Order has pending payment authorizations. Nothing was changed on the order; please follow up with the shopper.`);
      expect((await publicMessages(conversationId)).at(-1)!.body).toBe(`The store couldn't complete this for order ${order.name} automatically, so I've passed it to our team; they'll follow up here.`);
      expect(await prisma.actionLog.count({ where: { conversationId, action: "order.cancel_rejected" } })).toBe(1);
      expect((await prisma.liveEvent.findMany({ where: { conversationId } })).map((row) => row.payload)).toEqual(
        expect.arrayContaining([
          { type: "message.created", conversationId, messageId: note.id, author: "system", visibility: "internal" },
          { type: "conversation.updated", conversationId, fields: ["status", "priority"] },
        ]),
      );

      // A person now owns the conversation; a new chat asks again and gets a new request.
      const second = await chat();
      const retry = await second.act(`Please cancel order ${order.name}`);
      expect(retry.reply!.body).toContain(`I've asked the store to cancel order ${order.name}`);
      expect(await prisma.orderAction.count({ where: { orderId: order.id } })).toBe(2);
      expect(await runJobs()).toBe(1);
      expect(sent("orderCancel")).toHaveLength(2);
      expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("cancelled");
    });

    it("retries throttling and server errors through the queue, then succeeds", async () => {
      const order = await unfulfilledTee();
      const { conversationId, act } = await chat();
      await act(`Please cancel order ${order.name}`);
      script("orderCancel", { http: 503 }, { throttled: true });

      expect(await runJobs()).toBe(1);
      const job = await prisma.job.findFirstOrThrow({ where: { shopId: fx.shopId, name: PUSH_ORDER_ACTION_JOB, payload: { path: ["orderActionId"], equals: (await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } })).id } } });
      expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "queued", attempts: 1 });
      expect((await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).lastError).toMatch(/503/);
      expect((await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } })).status).toBe("requested");
      // The backoff has not passed: nothing runs yet.
      expect(await runJobs()).toBe(0);

      await backoffPassed();
      expect(await runJobs()).toBe(1);
      expect((await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).lastError).toMatch(/THROTTLED/);
      expect((await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } })).status).toBe("requested");

      await backoffPassed();
      expect(await runJobs()).toBe(1);
      expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "succeeded", attempts: 3 });
      expect(sent("orderCancel")).toHaveLength(3);
      expect((await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } })).status).toBe("accepted");
      expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("cancelled");
      expect((await publicMessages(conversationId)).at(-1)!.body).toMatch(/^Confirmed: the store has cancelled order/);
    });

    it("refuses the action when the last attempt fails too: Shopify could not be reached", async () => {
      const order = await unfulfilledTee();
      const { conversationId, act } = await chat();
      await act(`Please cancel order ${order.name}`);
      const action = await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } });
      await prisma.job.updateMany({ where: { shopId: fx.shopId, payload: { path: ["orderActionId"], equals: action.id } }, data: { maxAttempts: 2 } });
      script("orderCancel", { http: 502 }, { http: 503 });

      expect(await runJobs()).toBe(1);
      expect((await prisma.orderAction.findUniqueOrThrow({ where: { id: action.id } })).status).toBe("requested");
      await backoffPassed();
      expect(await runJobs()).toBe(1);

      const decided = await prisma.orderAction.findUniqueOrThrow({ where: { id: action.id } });
      expect(decided.status).toBe("rejected");
      expect(decided.error).toMatch(/^Shopify could not be reached: HTTP 503/);
      expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("open");
      expect(await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ status: "waiting_on_staff", priority: "high" });
      expect((await prisma.message.findFirstOrThrow({ where: { conversationId, author: "system", visibility: "internal" } })).body).toContain("Shopify could not be reached");
      expect(await prisma.orderAction.count({ where: { shopId: fx.shopId, status: "requested" } })).toBe(0);
    });

    it("confirms in the conversation's language", async () => {
      const order = await unfulfilledTee();
      const { conversationId, act } = await chat({ language: "fr" });
      const turn = await act(`Je voudrais annuler la commande ${order.name}, s'il vous plaît`);
      expect(turn.reply!.body).toMatch(new RegExp(`^J'ai demandé à la boutique d'annuler la commande ${order.name} ; vous verrez la confirmation ici\\.`));
      expect(await runJobs()).toBe(1);
      expect((await publicMessages(conversationId)).at(-1)!.body).toMatch(new RegExp(`^C'est confirmé : la boutique a annulé la commande ${order.name}, et 38,00\\s\\$US`));
    });
  });

  describe("shipping address", () => {
    it("sends orderUpdate with the order's GID and the new address (names kept), then stores it once Shopify accepts", async () => {
      const order = await unfulfilledTee();
      await prisma.order.update({
        where: { id: order.id },
        data: { shippingAddress: { first_name: "Alice", last_name: "Walker", address1: "12 Alder Street", city: "Portland", province_code: "OR", province: "Oregon", zip: "97209", country_code: "US", country: "United States", phone: "+15035550100" } },
      });
      const { conversationId, say } = await chat();
      const ask = await say(`I need to change the shipping address on order ${order.name}`);
      expect(ask.reply!.body).toMatch(/Please send the full address/);
      await say("55 Birch Lane, Apt 2, Seattle WA 98101");
      const turn = await say("yes");
      expect(turn.reply!.body).toBe(`I've asked the store to change the shipping address on order ${order.name} to 55 Birch Lane, Apt 2, Seattle, WA 98101, US; you'll see the confirmation here.`);
      expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).shippingAddress).toMatchObject({ address1: "12 Alder Street" });
      // Nobody at the store has to act: the conversation waits on the shopper, not on staff.
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe("waiting_on_shopper");

      expect(await runJobs()).toBe(1);
      expect(sent("orderUpdate")).toHaveLength(1);
      expect(sent("orderUpdate")[0]!.variables).toEqual({
        input: {
          id: order.gid,
          shippingAddress: { firstName: "Alice", lastName: "Walker", address1: "55 Birch Lane", address2: "Apt 2", city: "Seattle", provinceCode: "WA", zip: "98101", countryCode: "US", phone: "+15035550100" },
        },
      });
      const stored = (await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).shippingAddress;
      expect(stored).toMatchObject({ first_name: "Alice", address1: "55 Birch Lane", address2: "Apt 2", city: "Seattle", province_code: "WA", province: null, zip: "98101", country_code: "US", country: "United States" });
      expect((await publicMessages(conversationId)).at(-1)!.body).toBe(`Confirmed: the shipping address on order ${order.name} is now 55 Birch Lane, Apt 2, Seattle, WA 98101, US.`);
    });

    it("is refused without asking Shopify when the order shipped before the push", async () => {
      const order = await unfulfilledTee();
      const { conversationId, act } = await chat();
      await act(`Please change the address on order ${order.name} to 5 Pine Road, Salem OR 97301`);
      expect(await prisma.orderAction.count({ where: { orderId: order.id, kind: "update_address", status: "requested" } })).toBe(1);
      await prisma.order.update({ where: { id: order.id }, data: { fulfillmentStatus: "fulfilled" } });
      expect(await runJobs()).toBe(1);
      expect(sent("orderUpdate")).toHaveLength(0);
      expect((await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } })).error).toMatch(/started shipping/);
      expect(JSON.stringify((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).shippingAddress)).not.toContain("Pine");
      expect((await prisma.message.findFirstOrThrow({ where: { conversationId, visibility: "internal" } })).body).toMatch(/refused to change the shipping address of/);
    });
  });

  describe("returns", () => {
    it("within policy: returnCreate on the returnable fulfillment line item; the return is approved once Shopify accepts", async () => {
      returnable.set("gid://shopify/Order/1001", [[{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/10010", lineItemId: "gid://shopify/LineItem/10010", quantity: 1 }]]);
      const { conversationId, say, act } = await chat();
      const turn = await act("I'd like to return order #1001, the tee doesn't fit");
      expect(turn.reply!.body).toMatch(/^Your return for order #1001 \(1 × Trail Tee\) meets our return policy, and I've asked the store to open it; you'll see the confirmation here\./);
      expect(turn.reply!.body).toContain("$38.00");
      expect(turn.reply!.body).not.toMatch(/is approved/);
      const request = await prisma.returnRequest.findFirstOrThrow({ where: { orderId: fx.orders.smallDelivered } });
      expect(request).toMatchObject({ status: "requested", autoApproved: true, decidedBy: null });
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe("waiting_on_shopper");
      const again = await say("please return order #1001");
      expect(again.reply!.body).toMatch(/A return for order #1001 is already open/);
      const refundStatus = await say("Has my refund for order #1001 been processed?");
      expect(refundStatus.reply!.body).toMatch(/Your return request from Nov 20, 2026 is sent to the store, waiting for its confirmation\./);

      expect(await runJobs()).toBe(1);
      expect(sent("returnableFulfillments")[0]!.variables).toEqual({ orderId: "gid://shopify/Order/1001" });
      expect(sent("returnRequest")).toHaveLength(0);
      expect(sent("returnCreate")).toHaveLength(1);
      expect(sent("returnCreate")[0]!.variables).toEqual({
        returnInput: {
          orderId: "gid://shopify/Order/1001",
          requestedAt: new Date(NOW.getTime() + 5_000).toISOString(), // requested on the shopper's yes, the turn after the preview,
          returnLineItems: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/10010", quantity: 1, returnReasonNote: "I'd like to return order #1001, the tee doesn't fit" }],
        },
      });
      expect(await prisma.returnRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "approved", decidedBy: "assistant" });
      expect((await prisma.orderAction.findFirstOrThrow({ where: { orderId: fx.orders.smallDelivered } })).result).toMatchObject({ returnId: "gid://shopify/Return/502", returnStatus: "OPEN" });
      expect((await publicMessages(conversationId)).at(-1)!.body).toBe("Confirmed: the store has approved your return for order #1001 (1 × Trail Tee). Once the items are back with us, we'll refund $38.00.");
      expect(await prisma.actionLog.count({ where: { conversationId, action: "return.approved" } })).toBe(1);
    });

    it("above the limit: returnRequest for the merchant to approve, across fulfillments, amount from what was paid minus the return fee", async () => {
      await prisma.shopSettings.update({ where: { shopId: fx.shopId }, data: { returnFee: 5 } });
      returnable.set("gid://shopify/Order/1009", [
        [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/100901", lineItemId: "gid://shopify/LineItem/10090", quantity: 1 }],
        [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/100902", lineItemId: "gid://shopify/LineItem/10090", quantity: 1 }],
      ]);
      try {
        const { conversationId, act } = await chat();
        const turn = await act("I want to return order #1009, both tees are too small");
        // 2 × $38 − $14.44 discounts + $4.92 tax = $66.48 paid, less the $5.00 return fee; never the $76 list price.
        expect(turn.reply!.body).toContain("$61.48");
        expect(turn.reply!.body).toMatch(/to our team\. A team member will review it/);
        const request = await prisma.returnRequest.findFirstOrThrow({ where: { orderId: fx.orders.discounted } });
        expect(request).toMatchObject({ status: "requested", autoApproved: false });
        expect(Number(request.amount)).toBe(61.48);

        expect(await runJobs()).toBe(1);
        expect(sent("returnCreate")).toHaveLength(0);
        expect(sent("returnRequest")[0]!.variables).toEqual({
          input: {
            orderId: "gid://shopify/Order/1009",
            returnLineItems: [
              { fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/100901", quantity: 1, customerNote: "I want to return order #1009, both tees are too small" },
              { fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/100902", quantity: 1, customerNote: "I want to return order #1009, both tees are too small" },
            ],
            returnShippingFee: { amount: { amount: "5.00", currencyCode: "USD" } },
          },
        });
        // Shopify has the request; the merchant approves it there.
        expect((await prisma.returnRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("requested");
        expect((await publicMessages(conversationId)).at(-1)!.body).toBe("The store has received your return request for order #1009 (2 × Trail Tee); our team will review it and reply here.");
        expect(await prisma.actionLog.count({ where: { conversationId, action: "return.submitted" } })).toBe(1);
      } finally {
        await prisma.shopSettings.update({ where: { shopId: fx.shopId }, data: { returnFee: 0 } });
      }
    });

    it("refused by Shopify: the return request is withdrawn and staff get the reason", async () => {
      const order = await aliceOrder({
        placedDaysAgo: 6,
        items: [{ title: "Trail Tee", price: 38, productExternalId: "p-tee" }],
        fulfillment: "fulfilled",
        shipment: { status: "delivered", deliveredDaysAgo: 2, carrier: "UPS", tracking: "1Z999AA10123456791" },
      });
      returnable.set(order.gid, [[{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/77", lineItemId: order.lineGid, quantity: 1 }]]);
      script("returnCreate", { userErrors: [{ field: ["returnInput"], message: "Return line item quantity exceeds returnable quantity", code: "INVALID" }] });
      const { conversationId, act } = await chat();
      await act(`I'd like to return order ${order.name}, it doesn't fit`);
      expect(await prisma.returnRequest.count({ where: { orderId: order.id } })).toBe(1);
      expect(await runJobs()).toBe(1);
      expect(await prisma.returnRequest.count({ where: { orderId: order.id } })).toBe(0);
      expect((await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } })).status).toBe("rejected");
      const note = await prisma.message.findFirstOrThrow({ where: { conversationId, visibility: "internal" } });
      expect(note.body).toContain("Shopify refused to open a return on");
      expect(note.body).toContain("Return line item quantity exceeds returnable quantity");
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe("waiting_on_staff");
    });
  });

  describe("refunds", () => {
    async function discountedOrder() {
      return aliceOrder({
        placedDaysAgo: 8,
        items: [
          { title: "Trail Tee", price: 38, productExternalId: "p-tee", quantity: 2, discounts: [{ title: "TEE10", amount: 7.6 }, { title: "WELCOME10", amount: 6.84 }], tax: { title: "Sales tax", rate: 0.08, amount: 4.92 } },
        ],
        fulfillment: "fulfilled",
        shipment: { status: "delivered", deliveredDaysAgo: 4, carrier: "UPS", tracking: "1Z999AA10123456792" },
      });
    }
    const lineOf = async (orderId: string) => (await prisma.orderLineItem.findFirstOrThrow({ where: { orderId } })).id;

    it("sends refundCreate within the limit, with Shopify's lower suggestion, its transaction and an idempotency key; pending until the refunds webhook", async () => {
      const order = await discountedOrder();
      const lineItemId = await lineOf(order.id);
      const { conversationId } = await chat();
      const requested = await requestOrderAction(prisma, {
        shopId: fx.shopId,
        orderId: order.id,
        kind: "refund",
        actor: "assistant",
        conversationId,
        idempotencyKey: `refund:${order.id}:one-tee`,
        reason: "Tee arrived with a stain; the shopper keeps it.",
        input: { items: [{ lineItemId, quantity: 1 }], reason: "Stained tee" },
        now: NOW,
      });
      if (!requested.ok) throw new Error(requested.message);
      // One tee of the two: $38 − $7.22 discount share + $2.46 tax.
      expect(requested.action.input).toMatchObject({ amount: "33.24" });
      suggestedRefundAmount = "30.00";

      expect(await runJobs()).toBe(1);
      expect(sent("suggestedRefund")[0]!.variables).toEqual({ orderId: order.gid, refundLineItems: [{ lineItemId: order.lineGid, quantity: 1, restockType: "NO_RESTOCK" }] });
      expect(sent("refundCreate")).toHaveLength(1);
      expect(sent("refundCreate")[0]!.query).toContain("@idempotent(key: $idempotencyKey)");
      expect(sent("refundCreate")[0]!.variables).toEqual({
        input: {
          orderId: order.gid,
          note: "Stained tee",
          notify: true,
          refundLineItems: [{ lineItemId: order.lineGid, quantity: 1, restockType: "NO_RESTOCK" }],
          transactions: [{ orderId: order.gid, parentId: "gid://shopify/OrderTransaction/9001", amount: "30.00", gateway: "shopify_payments", kind: "REFUND" }],
        },
        idempotencyKey: requested.action.id,
      });
      const refund = await prisma.refund.findFirstOrThrow({ where: { orderId: order.id } });
      expect(refund).toMatchObject({ status: "pending", currency: "USD" });
      expect(refund.externalId).toMatch(/^gid:\/\/shopify\/Refund\/\d+$/);
      const refundNumber = Number(refund.externalId.split("/").at(-1));
      expect(Number(refund.amount)).toBe(30);
      expect((await prisma.orderLineItem.findUniqueOrThrow({ where: { id: lineItemId } })).refundedQuantity).toBe(1);
      expect((await publicMessages(conversationId)).at(-1)!.body).toBe(`Confirmed: the store has issued a refund of $30.00 on order ${order.name}. It shows as pending until the payment provider completes it.`);

      // Shopify's refunds/create webhook is the record: the same refund, now succeeded.
      await applyShopifyDelivery(prisma, "refunds/create", { shopId: fx.shopId,
        triggeredAt: new Date(),
        payload: {
          id: refundNumber,
          admin_graphql_api_id: refund.externalId,
          order_id: Number(order.gid.split("/").at(-1)),
          note: "Stained tee",
          created_at: new Date().toISOString(),
          processed_at: new Date().toISOString(),
          refund_line_items: [{ line_item_id: Number(order.lineGid.split("/").at(-1)), quantity: 1, restock_type: "no_restock", subtotal: "27.78", total_tax: "2.22" }],
          transactions: [{ id: 9100, admin_graphql_api_id: "gid://shopify/OrderTransaction/9100", kind: "refund", status: "success", amount: "30.00", gateway: "shopify_payments", currency: "USD" }],
        },
      });
      const refunds = await prisma.refund.findMany({ where: { orderId: order.id } });
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({ externalId: refund.externalId, status: "succeeded" });
    });

    it("keeps the assistant within the auto-approve limit and everyone within what was paid", async () => {
      const order = await discountedOrder();
      const lineItemId = await lineOf(order.id);
      const both = { items: [{ lineItemId, quantity: 2 }], reason: "Both tees faulty" };
      const byAssistant = await requestOrderAction(prisma, { shopId: fx.shopId, orderId: order.id, kind: "refund", actor: "assistant", idempotencyKey: `refund:${order.id}:both`, reason: "faulty", input: both });
      expect(byAssistant).toMatchObject({ ok: false, code: "over_limit" });
      expect(await prisma.orderAction.count({ where: { orderId: order.id } })).toBe(0);

      const byStaff = await requestOrderAction(prisma, { shopId: fx.shopId, orderId: order.id, kind: "refund", actor: `staff:${fx.staffId}`, idempotencyKey: `refund:${order.id}:both`, reason: "faulty", input: both });
      if (!byStaff.ok) throw new Error(byStaff.message);
      expect(byStaff.action.input).toMatchObject({ amount: "66.48" });
      suggestedRefundAmount = "66.48";
      expect(await runJobs()).toBe(1);
      expect((sent("refundCreate")[0]!.variables.input as { transactions: { amount: string }[] }).transactions).toEqual([expect.objectContaining({ amount: "66.48" })]);

      const more = await requestOrderAction(prisma, { shopId: fx.shopId, orderId: order.id, kind: "refund", actor: `staff:${fx.staffId}`, idempotencyKey: `refund:${order.id}:again`, reason: "again", input: { items: [{ lineItemId, quantity: 1 }], reason: "again" } });
      expect(more).toMatchObject({ ok: false, code: "not_eligible" });
    });
  });

  describe("resend tracking (staff)", () => {
    const shippedTee = () =>
      aliceOrder({ placedDaysAgo: 5, items: [{ title: "Trail Tee", price: 38, productExternalId: "p-tee" }], fulfillment: "fulfilled", shipment: { status: "in_transit", carrier: "UPS", tracking: "1Z999AA10123456784" } });
    const shipmentOf = async (orderId: string) => prisma.shipment.findFirstOrThrow({ where: { orderId } });
    const staffConversation = async () => (await startConversation(prisma, { shopId: fx.shopId, customerId: fx.alice.id })).conversation.id;

    it("sends fulfillmentTrackingInfoUpdate with the shipment's tracking and notifyCustomer, once per key, and tells the shopper once Shopify accepts", async () => {
      const order = await shippedTee();
      const shipment = await shipmentOf(order.id);
      const conversationId = await staffConversation();
      const ask = () =>
        requestOrderAction(prisma, { shopId: fx.shopId, orderId: order.id, kind: "resend_tracking", actor: `staff:${fx.staffId}`, conversationId, idempotencyKey: `resend:${shipment.id}:1`, reason: "Shopper lost the e-mail", input: { shipmentId: shipment.id } });
      const first = await ask();
      if (!first.ok) throw new Error(first.message);
      expect(first).toMatchObject({ created: true, action: { kind: "resend_tracking", status: "requested", input: { shipmentId: shipment.id, trackingNumber: "1Z999AA10123456784" } } });
      expect(await ask()).toMatchObject({ ok: true, created: false, action: { id: first.action.id } });
      expect(await prisma.actionLog.count({ where: { conversationId, action: "order.tracking_resend_requested", actor: `staff:${fx.staffId}`, targetId: order.id } })).toBe(1);

      expect(await runJobs()).toBe(1);
      expect(sent("fulfillmentTrackingInfoUpdate")).toHaveLength(1);
      expect(sent("fulfillmentTrackingInfoUpdate")[0]!.variables).toEqual({
        fulfillmentId: `gid://shopify/Fulfillment/${shipment.externalId}`,
        trackingInfoInput: { company: "UPS", numbers: ["1Z999AA10123456784"], urls: ["https://www.ups.com/track?tracknum=1Z999AA10123456784"] },
        notifyCustomer: true,
      });
      expect(await prisma.orderAction.findUniqueOrThrow({ where: { id: first.action.id } })).toMatchObject({ status: "accepted", result: { notifiedCustomer: true, trackingNumbers: ["1Z999AA10123456784"] } });
      expect(await prisma.actionLog.count({ where: { conversationId, action: "order.tracking_resent", actor: "system" } })).toBe(1);
      expect((await publicMessages(conversationId)).at(-1)!.body).toBe(`The store has sent the tracking details for order ${order.name} (tracking number 1Z999AA10123456784) to your email again.`);
      // Nothing about the order itself changed.
      expect(await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: "open", fulfillmentStatus: "fulfilled" });
      expect(await runJobs()).toBe(0);
    });

    it("refused by Shopify: staff get the reason in an internal note", async () => {
      const order = await shippedTee();
      const shipment = await shipmentOf(order.id);
      const conversationId = await staffConversation();
      const request = await requestOrderAction(prisma, { shopId: fx.shopId, orderId: order.id, kind: "resend_tracking", actor: `staff:${fx.staffId}`, conversationId, idempotencyKey: `resend:${shipment.id}:refused`, reason: "resend", input: { shipmentId: shipment.id } });
      expect(request.ok).toBe(true);
      script("fulfillmentTrackingInfoUpdate", { userErrors: [{ field: ["fulfillmentId"], message: "Fulfillment does not exist" }] });
      expect(await runJobs()).toBe(1);
      expect(await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } })).toMatchObject({ status: "rejected", error: "Fulfillment does not exist" });
      expect((await prisma.message.findFirstOrThrow({ where: { conversationId, visibility: "internal" } })).body).toBe(
        `Shopify refused to resend the tracking details of ${order.name}: Fulfillment does not exist. Nothing was changed on the order; please follow up with the shopper.`,
      );
      expect(await prisma.actionLog.count({ where: { conversationId, action: "order.tracking_resend_rejected" } })).toBe(1);
    });

    it("needs a shipment of that order with a tracking number", async () => {
      const order = await shippedTee();
      const other = await shippedTee();
      const base = { shopId: fx.shopId, orderId: order.id, kind: "resend_tracking" as const, actor: `staff:${fx.staffId}`, reason: "resend" };
      expect(await requestOrderAction(prisma, { ...base, idempotencyKey: "resend:other", input: { shipmentId: (await shipmentOf(other.id)).id } })).toMatchObject({ ok: false, code: "not_eligible", message: `Order ${order.name} has no such shipment.` });
      const shipment = await shipmentOf(order.id);
      await prisma.shipment.update({ where: { id: shipment.id }, data: { trackingNumber: null, trackingNumbers: [] } });
      expect(await requestOrderAction(prisma, { ...base, idempotencyKey: "resend:none", input: { shipmentId: shipment.id } })).toMatchObject({
        ok: false,
        code: "not_eligible",
        message: `The shipment of order ${order.name} has no tracking number to send.`,
      });
      expect(await prisma.orderAction.count({ where: { orderId: order.id } })).toBe(0);
    });

    it("in the demo, the stand-in accepts without e-mailing anyone", async () => {
      platform = () => demoStandInOrderActions();
      const order = await shippedTee();
      const shipment = await shipmentOf(order.id);
      const { conversationId } = await chat();
      await requestOrderAction(prisma, { shopId: fx.shopId, orderId: order.id, conversationId, kind: "resend_tracking", actor: `staff:${fx.staffId}`, idempotencyKey: `resend:${shipment.id}:demo`, reason: "resend", input: { shipmentId: shipment.id } });
      expect(await runJobs()).toBe(1);
      expect(seen).toHaveLength(0);
      expect((await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } })).result).toMatchObject({ demo: true, notifiedCustomer: false });
      // No e-mail went out, so the shopper is not told one did: the tracking number is repeated in the chat.
      expect((await publicMessages(conversationId)).at(-1)!.body).toBe(`Here is the tracking for order ${order.name} again: tracking number ${shipment.trackingNumber}.`);
    });
  });

  it("in the demo, a stand-in for Shopify accepts locally: requested, then confirmed", async () => {
    platform = () => demoStandInOrderActions();
    const order = await unfulfilledTee();
    const { conversationId, act } = await chat();
    const turn = await act(`Please cancel order ${order.name}`);
    expect(turn.reply!.body).toContain(`I've asked the store to cancel order ${order.name}`);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("open");
    expect(await runJobs()).toBe(1);
    expect(seen).toHaveLength(0);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("cancelled");
    expect((await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } })).result).toMatchObject({ demo: true });
    expect((await publicMessages(conversationId)).at(-1)!.body).toMatch(/^Confirmed: the store has cancelled order/);
  });

  it("without a connection to Shopify the action is refused and staff take over", async () => {
    platform = () => null;
    const order = await unfulfilledTee();
    const { conversationId, act } = await chat();
    await act(`Please cancel order ${order.name}`);
    expect(await runJobs()).toBe(1);
    expect((await prisma.orderAction.findFirstOrThrow({ where: { orderId: order.id } })).error).toBe("Shopdesk has no connection to this store's Shopify admin");
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe("waiting_on_staff");
  });
});
