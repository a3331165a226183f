import { describe, expect, it } from "vitest";
import { describeAction, escalationLabel, toPanelData, toTranscriptActions, toTranscriptMessage } from "~/components/inbox/view-model";
import type { ConversationDetail, CustomerPanel } from "~/modules/inbox";

type Action = ConversationDetail["actions"][number];
const action = (overrides: Partial<Action>): Action => ({
  id: "a1",
  actor: "staff:s1",
  actorName: "Alex Rivera",
  action: "conversation.resolved",
  targetType: "conversation",
  targetId: "c1",
  reason: null,
  input: {},
  result: {},
  createdAt: "2026-12-01T10:00:00.000Z",
  ...overrides,
});
const names: Record<string, string> = { s1: "Alex Rivera", s2: "Maya Lindqvist" };
const staffName = (id: string) => names[id] ?? null;

describe("inbox view model: the action log in words", () => {
  it("names assignees from staff commands ({from, to}) and from routing (result.assigneeId), and unassignment", () => {
    expect(describeAction(action({ action: "conversation.assigned", input: { from: null, to: "s2" } }), staffName, "UTC")).toBe("assigned it to Maya Lindqvist");
    expect(describeAction(action({ action: "conversation.assigned", input: { from: "s2", to: null } }), staffName, "UTC")).toBe("unassigned it");
    expect(describeAction(action({ action: "conversation.assigned", actor: "system", input: { strategy: "round_robin" }, result: { assigneeId: "s1", name: "Alex Rivera" } }), staffName, "UTC")).toBe(
      "assigned it to Alex Rivera (round robin)",
    );
    // Someone no longer on the team keeps the name routing recorded.
    expect(describeAction(action({ action: "conversation.assigned", actor: "system", input: {}, result: { assigneeId: "gone", name: "Sam Old" } }), staffName, "UTC")).toBe("assigned it to Sam Old");
  });

  it("describes routing, tags, snoozes and unknown actions in the shop's time zone", () => {
    expect(
      describeAction(action({ action: "conversation.routed", result: { priority: "high", slaKind: "first_response", slaDueAt: "2026-12-01T15:30:00.000Z" } }), staffName, "America/New_York"),
    ).toBe("routed it: high priority, first response due Dec 1, 2026, 10:30 AM");
    expect(describeAction(action({ action: "conversation.tagged", input: { added: ["vip", "refund"], removed: ["spam"] } }), staffName, "UTC")).toBe("tagged it vip, refund and removed spam");
    expect(describeAction(action({ action: "conversation.snoozed", input: { until: "2026-12-02T09:00:00.000Z" } }), staffName, "Europe/Berlin")).toBe("snoozed it until Dec 2, 2026, 10:00 AM");
    expect(describeAction(action({ action: "order.address_change_requested" }), staffName, "UTC")).toBe("order address change requested");
  });

  it("leaves out log entries whose message the transcript shows anyway", () => {
    const entries = toTranscriptActions([action({ id: "1", action: "message.staff_reply" }), action({ id: "2", action: "note.added" }), action({ id: "3" })], staffName, "UTC");
    expect(entries.map((entry) => [entry.id, entry.description])).toEqual([["3", "resolved the conversation"]]);
  });
});

describe("inbox view model: transcript and customer panel", () => {
  it("keeps each cited source once and says when the assistant fell back or suspected an injection", () => {
    const message = toTranscriptMessage({
      id: "m1",
      author: "assistant",
      visibility: "public",
      staff: null,
      body: "Your parcel is on its way.",
      createdAt: "2026-12-01T10:00:00.000Z",
      intent: null,
      sentiment: null,
      citations: [
        { sourceId: "k1", chunkId: "c1", title: "Shipping policy" },
        { sourceId: "k1", chunkId: "c2", title: "Shipping policy" },
      ],
      toolCalls: [
        { name: "track_shipment", ok: true, code: null },
        { name: "cancel_order", ok: false, code: "already_fulfilled" },
      ],
      orderCard: null,
      handoff: null,
      quickReplies: [],
      provider: "offline",
      fallback: { kind: "guardrail", detail: "figure not in sources" },
      needsVerification: false,
      injectionSuspected: true,
      draft: false,
      mentions: [],
    });
    expect(message.citations).toEqual([{ sourceId: "k1", title: "Shipping policy" }]);
    expect(message.tools.map((tool) => [tool.name, tool.ok, tool.summary])).toEqual([
      ["Shipment tracking", true, null],
      ["Cancel order", false, "already_fulfilled"],
    ]);
    expect(message.notes).toEqual(["Offline responder answered (guardrail)", "Prompt injection suspected"]);
  });

  it("offers refunds only for what is left to refund, tracking links only over http(s), and a guest's identity", () => {
    const panel: CustomerPanel = {
      customer: null,
      identity: { loggedIn: false, verified: true, shopperName: "Jordan Ellis", shopperEmail: "jordan@example.net" },
      orders: [
        {
          id: "o1",
          name: "#1042",
          placedAt: "2026-11-20T10:00:00.000Z",
          status: "open",
          financialStatus: "partially_refunded",
          fulfillmentStatus: "fulfilled",
          currency: "USD",
          subtotal: "80.00",
          shippingTotal: "5.00",
          taxTotal: "0.00",
          discountTotal: "0.00",
          total: "85.00",
          cancelledAt: null,
          verified: true,
          ownOrder: false,
          lineItems: [
            { id: "l1", title: "Rain shell", variantTitle: "M", sku: null, quantity: 2, unitPrice: "40.00", fulfilledQuantity: 2, refundedQuantity: 1 },
            { id: "l2", title: "Socks", variantTitle: null, sku: null, quantity: 1, unitPrice: "5.00", fulfilledQuantity: 1, refundedQuantity: 1 },
          ],
          shipments: [
            { id: "sh1", status: "in_transit", carrier: "UPS", trackingNumbers: ["1Z9"], trackingUrls: ["javascript:alert(1)", "https://ups.example/1Z9"], shippedAt: null, estimatedDeliveryAt: null, deliveredAt: null },
          ],
          refunds: [],
          returnRequests: [],
          actions: [{ id: "x1", kind: "refund", status: "requested", actor: "staff:s1", requestedAt: "2026-12-01T10:00:00.000Z", decidedAt: null, error: null }],
          disputes: [{ id: "d1", status: "needs_response", reason: "product_not_received", amount: "85.00", currency: "USD", evidenceDueBy: "2026-12-08T23:59:59.000Z", createdAt: "2026-12-01T09:00:00.000Z" }],
        },
      ],
      previousConversations: [],
      sentimentTrend: { conversations: [], messages: [] },
    };
    const data = toPanelData(panel, (id) => `/app/inbox/${id}`, "USD");
    expect(data.customer).toMatchObject({ name: "Jordan Ellis", email: "jordan@example.net", verified: true, loggedIn: false, lifetimeValue: null, ordersCount: 1 });
    expect(data.orders[0]!.lines.map((line) => [line.id, line.refundable])).toEqual([
      ["l1", 1],
      ["l2", 0],
    ]);
    expect(data.orders[0]!.shipmentsDetail[0]!.trackingUrl).toBe("https://ups.example/1Z9");
    expect(data.orders[0]!.actions[0]).toMatchObject({ kind: "refund", status: "requested" });
    expect(data.orders[0]!.disputes).toEqual([{ id: "d1", status: "needs_response", reason: "product_not_received", amount: "85.00", currency: "USD", evidenceDueBy: "2026-12-08T23:59:59.000Z" }]);
  });
});

describe("escalationLabel", () => {
  it("names the escalation reason in words, keeping the detail", () => {
    expect(escalationLabel("verification_locked: Order verification is locked after too many failed attempts in this conversation.")).toBe(
      "order verification locked — Order verification is locked after too many failed attempts in this conversation.",
    );
    expect(escalationLabel("requested: The shopper asked for a person.")).toBe("asked for a person — The shopper asked for a person.");
    expect(escalationLabel("assistant error")).toBe("assistant error");
  });
});
