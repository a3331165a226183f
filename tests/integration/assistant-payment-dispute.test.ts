import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loadAssistantProfile } from "~/modules/assistant";
import { runTool, runToolCall } from "~/modules/assistant/tools/registry.server";
import { handleShopperMessage, startConversation } from "~/modules/conversations";
import { getCustomerPanel } from "~/modules/inbox";
import { type AssistantFixture, createAssistantFixture, deleteAssistantFixture, NOW } from "../support/assistant-fixtures";

/**
 * An order whose Stripe payment is disputed: the assistant hands the shopper to a person with the reason, never
 * discusses the dispute nor acts on the order; staff see the dispute in the inbox's order context.
 */
describe("orders with a payment dispute", () => {
  let fx: AssistantFixture;

  beforeAll(async () => {
    fx = await createAssistantFixture();
    // #1003 (in transit) and #1001 (delivered, returnable) were paid with Stripe and disputed.
    for (const [orderId, status] of [
      [fx.orders.inTransit, "needs_response"],
      [fx.orders.smallDelivered, "warning_needs_response"],
    ] as const) {
      const payment = await prisma.payment.create({
        data: { shopId: fx.shopId, platform: "stripe", externalId: `pi_${status}`, chargeId: `ch_${status}`, orderId, matchedBy: "metadata", status: "succeeded", amount: 38, currency: "USD", occurredAt: NOW, sourceUpdatedAt: NOW },
      });
      await prisma.dispute.create({
        data: { shopId: fx.shopId, paymentId: payment.id, platform: "stripe", externalId: `dp_${status}`, amount: 38, currency: "USD", status, reason: "product_not_received", evidenceDueBy: new Date(NOW.getTime() + 7 * 86_400_000), occurredAt: NOW, sourceUpdatedAt: NOW },
      });
    }
  });
  afterAll(() => deleteAssistantFixture(fx));

  async function ctx(verifiedOrderIds: string[] = []) {
    const { conversation } = await startConversation(prisma, { shopId: fx.shopId, customerId: fx.alice.id });
    return { db: prisma, profile: await loadAssistantProfile(prisma, fx.shopId), conversation: { id: conversation.id, customerId: fx.alice.id, verifiedOrderIds }, actor: "assistant", now: NOW };
  }

  it("order tools refuse a disputed order with a handoff and none of the dispute's details", async () => {
    const context = await ctx();
    for (const tool of ["lookup_order", "track_shipment", "refund_status"]) {
      const run = await runTool(context, tool, { order_number: "#1003" });
      expect(run).toMatchObject({ ok: false, outcome: { ok: false, code: "needs_staff", data: { reason: "payment_dispute", orderName: "#1003" } }, escalation: { reason: expect.stringContaining("hand the conversation to a person") } });
      expect(JSON.stringify(run)).not.toMatch(/product_not_received|needs_response|38\.00|1Z999AA10123456786/);
    }
    // Acting on it is refused before anything is requested.
    const returned = await runTool(context, "request_return", { order_number: "#1001", reason: "too small", condition: "unused" });
    expect(returned).toMatchObject({ ok: false, outcome: { code: "needs_staff", data: { reason: "payment_dispute" } } });
    expect(await prisma.returnRequest.count({ where: { orderId: fx.orders.smallDelivered } })).toBe(0);
    expect(await prisma.orderAction.count({ where: { orderId: fx.orders.smallDelivered } })).toBe(0);
    // An order without a dispute is answered as before.
    const other = await runTool(context, "lookup_order", { order_number: "#1004" });
    expect(other).toMatchObject({ ok: true, outcome: { ok: true, data: { name: "#1004", paymentDispute: false } } });
  });

  it("a chat model's preview of an action on a disputed order is refused too, and hands off", async () => {
    const context = await ctx();
    const runs: { escalation?: { reason: string } }[] = [];
    const answer = await runToolCall(
      context,
      { id: "call_1", name: "request_return", argumentsJson: JSON.stringify({ order_number: "#1001", reason: "too small", condition: "unused" }) },
      { all: "I want to return order #1001", latest: "I want to return order #1001" },
      (run) => runs.push(run),
    );
    expect(JSON.parse(answer)).toMatchObject({ code: "needs_staff" });
    expect(runs).toEqual([expect.objectContaining({ escalation: { reason: expect.stringContaining("disputed") } })]);
  });

  it("the offline assistant hands the shopper to a person with the reason, and says nothing of the dispute", async () => {
    const { conversation } = await startConversation(prisma, { shopId: fx.shopId, customerId: fx.alice.id });
    const turn = await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: conversation.id, text: "Where is my order #1003?" }, { now: NOW });
    expect(turn.escalated).toBe(true);
    expect(turn.reply!.body).not.toMatch(/disput|chargeback|issuer|bank|1Z999AA10123456786/i);
    expect(turn.reply!.orderCard).toBeUndefined();
    const stored = await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(stored.status).toBe("waiting_on_staff");
    expect(stored.escalationReason).toMatch(/payment for order #1003 is disputed/);

    // Staff see the dispute beside the conversation.
    const panel = await getCustomerPanel(prisma, { shopId: fx.shopId, conversationId: conversation.id });
    const order = panel.orders.find((candidate) => candidate.id === fx.orders.inTransit)!;
    expect(order.disputes).toEqual([
      { id: expect.any(String), status: "needs_response", reason: "product_not_received", amount: "38.00", currency: "USD", evidenceDueBy: new Date(NOW.getTime() + 7 * 86_400_000).toISOString(), createdAt: NOW.toISOString() },
    ]);
    expect(panel.orders.find((candidate) => candidate.id === fx.orders.unfulfilled)!.disputes).toEqual([]);
  });
});
