import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { createOpenAIChatModel } from "~/modules/assistant/llm/openai.server";
import { type ConversationEvent, handleShopperMessage, startConversation } from "~/modules/conversations";
import { type AssistantFixture, createAssistantFixture, deleteAssistantFixture, NOW } from "../support/assistant-fixtures";
import { type OpenAIChatServer, startOpenAIChatServer } from "../support/openai-chat-server";

/**
 * The online path end to end: the turn pipeline drives the official `openai` SDK against a local server
 * speaking the Chat Completions wire format (streamed text and streamed tool calls), with the shop's real
 * tools and database behind the tool calls.
 */
describe("assistant with a chat model (OpenAI wire format)", () => {
  let fx: AssistantFixture;
  let server: OpenAIChatServer;
  beforeAll(async () => {
    fx = await createAssistantFixture();
    server = await startOpenAIChatServer();
  });
  afterAll(async () => {
    await server.close();
    await deleteAssistantFixture(fx);
  });

  const model = () => createOpenAIChatModel({ apiKey: "sk-local-test", baseURL: server.baseURL, model: "gpt-4o-mini", maxRetries: 1, timeoutMs: 5_000 });

  it("runs the tool loop on real data and streams the grounded answer", async () => {
    server.reset();
    server.enqueue(
      { type: "tool_calls", calls: [{ id: "call_1", name: "lookup_order", arguments: JSON.stringify({ order_number: "#1003", email: "alice@example.com" }), pieces: 4 }] },
      { type: "text", text: "Order #1003 is on its way with UPS. The tracking number is 1Z999AA10123456786. It left Reno yesterday", pieces: 9 },
    );
    const { conversation } = await startConversation(prisma, { shopId: fx.shopId });
    const events: ConversationEvent[] = [];
    const { reply, provider } = await handleShopperMessage(
      prisma,
      { shopId: fx.shopId, conversationId: conversation.id, text: "Where is order #1003? My email is alice@example.com" },
      { now: NOW, chatModel: model(), onEvent: (event) => events.push(event) },
    );
    expect(provider).toBe("openai");
    expect(reply!.body).toBe("Order #1003 is on its way with UPS. The tracking number is 1Z999AA10123456786. It left Reno yesterday");
    // Released sentence by sentence once each passed the checks; the unfinished tail after the final check.
    const deltas = events.filter((event) => event.type === "delta");
    expect(deltas.map((event) => (event.type === "delta" ? event.text : ""))).toEqual([
      "Order #1003 is on its way with UPS.",
      " The tracking number is 1Z999AA10123456786.",
      " It left Reno yesterday",
    ]);
    expect(deltas.map((event) => (event.type === "delta" ? event.text : "")).join("")).toBe(reply!.body);
    expect((reply!.orderCard as { name: string }).name).toBe("#1003");

    // What the model was given: the system prompt with the shop's voice and rules, the tools, then the tool result.
    const [first, second] = server.requests;
    const system = first!.body.messages[0] as { role: string; content: string };
    expect(system.role).toBe("system");
    expect(system.content).toContain("You are Maple");
    expect(system.content).toContain("Never say: \"guaranteed delivery\"");
    expect(first!.body.tools?.map((tool) => (tool as { function: { name: string } }).function.name)).toEqual([
      "lookup_order",
      "track_shipment",
      "refund_status",
      "request_return",
      "cancel_order",
      "change_shipping_address",
      "escalate_to_human",
    ]);
    const toolMessage = second!.body.messages.at(-1) as { role: string; tool_call_id: string; content: string };
    expect(toolMessage).toMatchObject({ role: "tool", tool_call_id: "call_1" });
    expect(JSON.parse(toolMessage.content)).toMatchObject({ name: "#1003", shipments: [{ trackingNumber: "1Z999AA10123456786", carrier: "UPS" }] });
    // The email the shopper typed proved the order for the rest of the conversation.
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).verifiedOrderIds).toEqual([fx.orders.inTransit]);
  });

  it("answers offline and logs the incident when the model keeps failing", async () => {
    server.reset();
    server.enqueue({ type: "error", status: 500, message: "The server had an error" }, { type: "error", status: 500, message: "The server had an error" });
    const { conversation } = await startConversation(prisma, { shopId: fx.shopId, customerId: fx.alice.id });
    const events: ConversationEvent[] = [];
    const result = await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: conversation.id, text: "Where is my order #1003?" }, { now: NOW, chatModel: model(), onEvent: (event) => events.push(event) });
    expect(server.requests).toHaveLength(2); // first try + one retry
    expect(result.provider).toBe("offline");
    expect(result.fallback).toMatchObject({ kind: "server_error" });
    expect(result.reply!.body).toContain("1Z999AA10123456786");
    // Nothing had been streamed, so there is nothing to withdraw.
    expect(events.some((event) => event.type === "reset")).toBe(false);
    const incident = await prisma.actionLog.findFirstOrThrow({ where: { conversationId: conversation.id, action: "assistant.llm_fallback" } });
    expect(incident.reason).toMatch(/^server_error: /);
    expect(incident.reason).not.toContain("sk-local-test");
  });

  it("replaces an answer that invents a discount with the grounded offline one", async () => {
    server.reset();
    server.enqueue({ type: "text", text: "Sure! Use code SPRING25 for 25% off your next order." });
    const { conversation } = await startConversation(prisma, { shopId: fx.shopId });
    const result = await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: conversation.id, text: "Do you have any discount codes?" }, { now: NOW, chatModel: model() });
    expect(result.provider).toBe("offline");
    expect(result.fallback?.kind).toBe("guardrail");
    expect(result.fallback?.detail).toContain('ungrounded code "SPRING25"');
    expect(result.reply!.body).not.toContain("SPRING25");
    expect(result.reply!.body).toContain("WELCOME10");
    expect(result.reply!.citations?.[0]?.title).toBe("Discount codes");
  });
});
