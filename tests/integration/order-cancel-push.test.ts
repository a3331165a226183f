import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdminApiClient } from "@shopify/admin-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { WEBHOOK_API_VERSION } from "~/lib/shopify/config";
import { PUSH_ORDER_CANCEL_JOB, pushOrderCancelJob } from "~/modules/commerce";
import { handleShopperMessage, startConversation } from "~/modules/conversations";
import { runJobsOnce } from "~/modules/jobs";
import { type AssistantFixture, createAssistantFixture, deleteAssistantFixture, NOW } from "../support/assistant-fixtures";

/**
 * A shopper's cancellation goes to Shopify through the official Admin API client, against a local server
 * speaking the GraphQL wire format; Shopify's refusal undoes the local cancellation and alerts staff.
 */
describe("pushing assistant cancellations to Shopify", () => {
  let fx: AssistantFixture;
  let port = 0;
  const seen: { token?: string; query: string; variables: Record<string, unknown> }[] = [];
  let userErrors: { field: string[]; message: string; code: string }[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query: string; variables: Record<string, unknown> };
    seen.push({ token: request.headers["x-shopify-access-token"] as string | undefined, query: body.query, variables: body.variables });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        data: { orderCancel: { job: userErrors.length ? null : { id: "gid://shopify/Job/42", done: false }, orderCancelUserErrors: userErrors } },
        extensions: { cost: { requestedQueryCost: 10 } },
      }),
    );
  });

  beforeAll(async () => {
    fx = await createAssistantFixture();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await deleteAssistantFixture(fx);
  });

  const handlers = () => ({
    [PUSH_ORDER_CANCEL_JOB]: pushOrderCancelJob(prisma, async () => {
      const client = createAdminApiClient({
        storeDomain: fx.domain,
        apiVersion: WEBHOOK_API_VERSION,
        accessToken: "shpat_local_test",
        customFetchApi: (url, init) => fetch(String(url).replace(`https://${fx.domain}`, `http://127.0.0.1:${port}`), init),
      });
      return async (query, variables) => {
        const { data, errors } = await client.request(query, { variables });
        return { data, errors: errors?.graphQLErrors };
      };
    }),
  });

  async function cancelThroughChat(orderName: string) {
    const { conversation } = await startConversation(prisma, { shopId: fx.shopId, customerId: fx.alice.id });
    const turn = await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: conversation.id, text: `Please cancel order ${orderName}` }, { now: NOW });
    return { conversationId: conversation.id, turn };
  }

  it("sends orderCancel with the order's GID, a refund to the original payment method and a restock", async () => {
    const { turn } = await cancelThroughChat("#1004");
    expect(turn.reply!.body).toMatch(/is cancelled/);
    expect(await runJobsOnce(prisma, handlers(), { workerId: "test", shopId: fx.shopId })).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.token).toBe("shpat_local_test");
    expect(seen[0]!.query).toContain("orderCancel(");
    expect(seen[0]!.variables).toMatchObject({
      orderId: "gid://shopify/Order/1004",
      refundMethod: { originalPaymentMethodsRefund: true },
      restock: true,
      reason: "CUSTOMER",
      notifyCustomer: true,
    });
    const pushed = await prisma.actionLog.findFirstOrThrow({ where: { shopId: fx.shopId, action: "order.cancel_pushed", targetId: fx.orders.unfulfilled } });
    expect(pushed.result).toEqual({ platformJobId: "gid://shopify/Job/42" });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: fx.orders.unfulfilled } })).status).toBe("cancelled");
  });

  it("undoes the local cancellation and hands the conversation to staff when Shopify refuses", async () => {
    // Make a second unfulfilled order cancellable: reuse #1004's state by reopening it.
    await prisma.order.update({ where: { id: fx.orders.unfulfilled }, data: { status: "open", cancelledAt: null } });
    await prisma.refund.deleteMany({ where: { orderId: fx.orders.unfulfilled } });
    await prisma.actionLog.deleteMany({ where: { shopId: fx.shopId, targetId: fx.orders.unfulfilled } });
    userErrors = [{ field: ["orderId"], message: "Order has pending payment authorizations", code: "INVALID" }];
    const { conversationId, turn } = await cancelThroughChat("#1004");
    expect(turn.reply!.body).toMatch(/is cancelled/);
    expect(await runJobsOnce(prisma, handlers(), { workerId: "test", shopId: fx.shopId })).toBe(1);

    const order = await prisma.order.findUniqueOrThrow({ where: { id: fx.orders.unfulfilled }, include: { refunds: true } });
    expect(order.status).toBe("open");
    expect(order.cancelledAt).toBeNull();
    expect(order.refunds).toHaveLength(0);
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conversation).toMatchObject({ status: "waiting_on_staff", priority: "high" });
    const note = await prisma.message.findFirstOrThrow({ where: { conversationId, author: "system" } });
    expect(note.visibility).toBe("internal");
    expect(note.body).toContain("Order has pending payment authorizations");
  });

  it("lets the shopper cancel again after Shopify refused the first attempt", async () => {
    // The previous test left #1004 open again after Shopify's refusal.
    expect((await prisma.order.findUniqueOrThrow({ where: { id: fx.orders.unfulfilled } })).status).toBe("open");
    userErrors = [];
    const { turn } = await cancelThroughChat("#1004");
    expect(turn.reply!.body).toMatch(/is cancelled/);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: fx.orders.unfulfilled } })).status).toBe("cancelled");
    expect(await runJobsOnce(prisma, handlers(), { workerId: "test", shopId: fx.shopId })).toBe(1);
    expect(seen.at(-1)!.variables).toMatchObject({ orderId: "gid://shopify/Order/1004" });
    expect(await prisma.actionLog.count({ where: { shopId: fx.shopId, action: "order.cancelled", targetId: fx.orders.unfulfilled } })).toBe(2);
  });
});
