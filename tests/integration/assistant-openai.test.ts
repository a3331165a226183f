import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, onTestFinished } from "vitest";
import prisma from "~/db.server";
import { type HistoryMessage, loadAssistantProfile, runAssistantTurn } from "~/modules/assistant";
import { checkReply } from "~/modules/assistant/guardrails";
import { createStreamGate } from "~/modules/assistant/stream-gate";
import { type ConversationEvent, handleShopperMessage } from "~/modules/conversations";
import type { KnowledgeMatch } from "~/modules/knowledge";
import { NOW } from "../support/assistant-fixtures";
import { useOnlineAssistant } from "../support/online-assistant";

/**
 * The online path end to end: the turn pipeline drives the official `openai` SDK against a local server
 * speaking the Chat Completions wire format (streamed text and streamed tool calls), with the shop's real
 * tools and database behind the tool calls.
 */
describe("assistant with a chat model (OpenAI wire format)", () => {
  const online = useOnlineAssistant({ maxRetries: 1 });
  const { model } = online;

  it("runs no tool and shows nothing when the shopper's message cannot be stored (the model's request is dropped)", async () => {
    online.server.reset();
    online.server.enqueue({ type: "tool_calls", calls: [{ id: "call_1", name: "lookup_order", arguments: JSON.stringify({ order_number: "#1003", email: "alice@example.com" }) }] });
    const conversationId = await online.newConversation();
    // The turn reads (NLU, retrieval, even the model's first request) while the message is written; a write that fails
    // (slowly) must stop it before any tool or any word reaches the shopper.
    const trigger = `test_fail_message_${conversationId.replaceAll("-", "")}`;
    await prisma.$executeRawUnsafe(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RAISE EXCEPTION 'disk full'; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER ${trigger} BEFORE INSERT ON "Message" FOR EACH ROW WHEN (NEW."conversationId" = '${conversationId}') EXECUTE FUNCTION ${trigger}()`);
    onTestFinished(async () => {
      await prisma.$executeRawUnsafe(`DROP TRIGGER ${trigger} ON "Message"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION ${trigger}()`);
    });
    const events: ConversationEvent[] = [];
    await expect(
      handleShopperMessage(prisma, { shopId: online.fx.shopId, conversationId, text: "Where is order #1003? My email is alice@example.com" }, { now: NOW, chatModel: model(), onEvent: (event) => events.push(event) }),
    ).rejects.toThrow("disk full");
    // Long enough for a turn that went on regardless to have run the tool and asked the model again with its result.
    await sleep(300);
    expect(online.server.requests.length).toBeLessThanOrEqual(1);
    expect(events).toEqual([]);
    expect(await prisma.actionLog.count({ where: { conversationId } })).toBe(0);
    expect(await prisma.message.count({ where: { conversationId } })).toBe(0);
  });

  it("runs the tool loop on real data and streams the grounded answer", async () => {
    online.server.reset();
    online.server.enqueue(
      { type: "tool_calls", calls: [{ id: "call_1", name: "lookup_order", arguments: JSON.stringify({ order_number: "#1003", email: "alice@example.com" }), pieces: 4 }] },
      { type: "text", text: "Order #1003 is on its way with UPS. The tracking number is 1Z999AA10123456786. It left Reno yesterday", pieces: 9 },
    );
    const conversationId = await online.newConversation();
    const events: ConversationEvent[] = [];
    const { reply, provider } = await handleShopperMessage(
      prisma,
      { shopId: online.fx.shopId, conversationId, text: "Where is order #1003? My email is alice@example.com" },
      { now: NOW, chatModel: model(), onEvent: (event) => events.push(event) },
    );
    expect(provider).toBe("openai");
    expect(reply!.body).toBe("Order #1003 is on its way with UPS. The tracking number is 1Z999AA10123456786. It left Reno yesterday");
    // Plain words go out as they arrive; a sentence with the order number or the tracking number in it waits
    // for its end and goes out whole once checked. Nothing is released before it passed.
    const deltas = events.filter((event) => event.type === "delta");
    expect(deltas.map((event) => (event.type === "delta" ? event.text : ""))).toEqual([
      "Order #1003 is on its way with UPS. ",
      // With a "never say" list, an unfinished last word waits until it cannot begin a banned phrase.
      "The ",
      "tracking number is ",
      "1Z999AA10123456786. It le",
      "ft Reno yest",
      "erday",
    ]);
    expect(deltas.map((event) => (event.type === "delta" ? event.text : "")).join("")).toBe(reply!.body);
    expect((reply!.orderCard as { name: string }).name).toBe("#1003");

    // What the model was given: the system prompt with the shop's voice and rules, the tools, then the tool result.
    const [first, second] = online.server.requests;
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
      "note_unanswered_question",
    ]);
    const toolMessage = second!.body.messages.at(-1) as { role: string; tool_call_id: string; content: string };
    expect(toolMessage).toMatchObject({ role: "tool", tool_call_id: "call_1" });
    expect(JSON.parse(toolMessage.content)).toMatchObject({ name: "#1003", shipments: [{ trackingNumber: "1Z999AA10123456786", carrier: "UPS" }] });
    // The email the shopper typed proved the order for the rest of the conversation.
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).verifiedOrderIds).toEqual([online.fx.orders.inTransit]);
  });

  it("hands a logged-in customer's order to the model with the question, so it answers in one round", async () => {
    online.server.reset();
    online.server.enqueue({ type: "text", text: "Order #1003 is on its way with UPS, tracking number 1Z999AA10123456786." });
    const conversationId = await online.newConversation(online.fx.alice.id);
    const result = await handleShopperMessage(prisma, { shopId: online.fx.shopId, conversationId, text: "Where is my order #1003?" }, { now: NOW, chatModel: model() });
    expect(result.provider).toBe("openai");
    expect(online.server.requests).toHaveLength(1);
    // The read is the model's own lookup_order call and its result, after the shopper's message.
    const [call, answer] = online.server.requests[0]!.body.messages.slice(-2) as [
      { role: string; tool_calls: { id: string; function: { name: string; arguments: string } }[] },
      { role: string; tool_call_id: string; content: string },
    ];
    expect(call).toMatchObject({ role: "assistant", tool_calls: [{ function: { name: "lookup_order", arguments: JSON.stringify({ order_number: "#1003" }) } }] });
    expect(answer).toMatchObject({ role: "tool", tool_call_id: call.tool_calls[0]!.id });
    expect(JSON.parse(answer.content)).toMatchObject({ name: "#1003", shipments: [{ trackingNumber: "1Z999AA10123456786" }] });
    // It grounds the reply and shows the order card, as the model's own call would.
    expect(result.reply!.body).toContain("1Z999AA10123456786");
    expect((result.reply!.orderCard as { name: string }).name).toBe("#1003");
    const stored = await prisma.message.findUniqueOrThrow({ where: { id: result.reply!.id } });
    expect(stored.metadata).toMatchObject({ toolCalls: [{ name: "lookup_order", ok: true }] });

    // Another customer's order, or a shopper not logged in, gets no such read: the model asks, and the tool decides.
    for (const [customerId, text] of [
      [online.fx.alice.id, "Where is my order #1006?"],
      [undefined, "Where is my order #1003?"],
    ] as const) {
      online.server.reset();
      online.server.enqueue({ type: "text", text: "Could you give me the email address used at checkout?" });
      const other = await online.newConversation(customerId);
      await handleShopperMessage(prisma, { shopId: online.fx.shopId, conversationId: other, text }, { now: NOW, chatModel: model() });
      expect(online.server.requests[0]!.body.messages.some((message) => message.role === "tool")).toBe(false);
      expect(JSON.stringify(online.server.requests[0]!.body.messages)).not.toContain("1Z999AA10123456786");
    }
  });

  it("answers offline and logs the incident when the model keeps failing", async () => {
    online.server.reset();
    online.server.enqueue({ type: "error", status: 500, message: "The server had an error" }, { type: "error", status: 500, message: "The server had an error" });
    const conversationId = await online.newConversation(online.fx.alice.id);
    const events: ConversationEvent[] = [];
    const result = await handleShopperMessage(prisma, { shopId: online.fx.shopId, conversationId, text: "Where is my order #1003?" }, { now: NOW, chatModel: model(), onEvent: (event) => events.push(event) });
    expect(online.server.requests).toHaveLength(2); // first try + one retry
    expect(result.provider).toBe("offline");
    expect(result.fallback).toMatchObject({ kind: "server_error" });
    expect(result.reply!.body).toContain("1Z999AA10123456786");
    // Nothing had been streamed, so there is nothing to withdraw.
    expect(events.some((event) => event.type === "reset")).toBe(false);
    const incident = await prisma.actionLog.findFirstOrThrow({ where: { conversationId, action: "assistant.llm_fallback" } });
    expect(incident.reason).toMatch(/^server_error: /);
    expect(incident.reason).not.toContain("sk-local-test");
  });

  it("replaces an answer that invents a discount with the grounded offline one", async () => {
    online.server.reset();
    online.server.enqueue({ type: "text", text: "Sure! Use code SPRING25 for 25% off your next order." });
    const conversationId = await online.newConversation();
    const result = await handleShopperMessage(prisma, { shopId: online.fx.shopId, conversationId, text: "Do you have any discount codes?" }, { now: NOW, chatModel: model() });
    expect(result.provider).toBe("offline");
    expect(result.fallback?.kind).toBe("guardrail");
    expect(result.fallback?.detail).toContain('ungrounded code "SPRING25"');
    expect(result.reply!.body).not.toContain("SPRING25");
    expect(result.reply!.body).toContain("WELCOME10");
    expect(result.reply!.citations?.[0]?.title).toBe("Discount codes");
  });
  it("uses the search started for the message only when the turn asks that same question", async () => {
    const profile = await loadAssistantProfile(prisma, online.fx.shopId);
    const prefetched: KnowledgeMatch = {
      chunkId: "prefetched-chunk",
      sourceId: "prefetched-source",
      externalId: null,
      kind: "faq",
      title: "Parcel lockers",
      heading: null,
      content: "Parcels can be sent to a parcel locker of your choice.",
      language: "en",
      vectorScore: 0.9,
      textScore: null,
      score: 0.9,
    };
    const systemPrompt = async (text: string, history: HistoryMessage[]) => {
      online.server.reset();
      online.server.enqueue({ type: "text", text: "Happy to help." });
      const conversationId = await online.newConversation();
      await runAssistantTurn({
        db: prisma,
        profile,
        conversation: { id: conversationId, customerId: null, verifiedOrderIds: [], language: "en" },
        text,
        history,
        memory: {},
        failedTurns: 0,
        chatModel: model(),
        now: NOW,
        prefetchedKnowledge: { query: "How much is shipping to Canada?", queryLanguage: "en", matches: Promise.resolve([prefetched]) },
      });
      return JSON.stringify(online.server.requests[0]!.body);
    };
    expect(await systemPrompt("How much is shipping to Canada?", [])).toContain("parcel locker of your choice");
    // A follow-up leaning on the previous question is that question about somewhere else: searched afresh.
    const followUp = await systemPrompt("And to Germany?", [
      { author: "shopper", body: "How much is shipping to Canada?" },
      { author: "assistant", body: "Shipping to Canada is $15." },
    ]);
    expect(followUp).toContain("Reference passages");
    expect(followUp).not.toContain("parcel locker of your choice");
  });

});

/** The gate between a model's stream and the shopper, with the real reply checks. */
describe("stream gate", () => {
  function gate(grounding: string[], neverSay: string[] = []) {
    const shown: string[] = [];
    const stream = createStreamGate((text) => shown.push(text), (text) => checkReply(text, grounding, neverSay).ok, { neverSay });
    return { stream, shown, text: () => shown.join("") };
  }

  it("passes plain words on as they arrive, an unfinished one included", () => {
    const { stream, shown } = gate([]);
    stream.push("Happy");
    stream.push(" to");
    stream.push(" help");
    expect(shown).toEqual(["Happy", " to", " help"]);
    stream.push("! What");
    expect(shown.at(-1)).toBe("! What");
    expect(stream.released).toBe(true);
  });

  it("holds an unfinished figure or code until it ends: $7 may still become $79", () => {
    const { stream, text } = gate(["Standard shipping costs $75."]);
    stream.push("It costs $7");
    expect(text()).toBe("It costs ");
    stream.push("5 in total. ");
    expect(text()).toBe("It costs $75 in total. ");

    const invented = gate(["Standard shipping costs $75."]);
    invented.stream.push("It costs $7");
    invented.stream.push("9 in total. ");
    expect(invented.stream.blocked).toBe(true);
    expect(invented.text()).toBe("It costs ");

    const code = gate([]);
    code.stream.push("Try SAVE");
    code.stream.push("20 at checkout.");
    expect(code.stream.blocked).toBe(true);
    expect(code.text()).toBe("Try ");
  });

  it("holds a sentence with a figure to its end, so a figure never shows without the rest of its sentence", () => {
    const percent = gate(["Standard shipping costs $75."]);
    for (const token of ["Today", " only", " 75", " per", " cent", " off", " everything", ". ", "Enjoy"]) percent.stream.push(token);
    expect(percent.stream.blocked).toBe(true);
    expect(percent.text()).toBe("Today only");

    const order = gate(['{"name":"#1003","carrier":"UPS"}']);
    for (const token of ["Order", " #", "1003", " is", " on", " its", " way", " with", " UPS", ".", " Anything"]) order.stream.push(token);
    expect(order.shown).toEqual(["Order", " #1003 is on its way with UPS. Anything"]);
  });

  it("never shows the beginning of a banned phrase until it is ruled out", () => {
    const banned = gate([], ["Guaranteed delivery"]);
    for (const token of ["We", " offer", " guaranteed", " delivery", " by", " Friday."]) banned.stream.push(token);
    expect(banned.stream.blocked).toBe(true);
    expect(banned.text()).toBe("We offer ");

    const allowed = gate([], ["Guaranteed delivery"]);
    for (const token of ["We", " offer", " guaranteed", " returns", " for", " a", " year."]) allowed.stream.push(token);
    expect(allowed.text()).toBe("We offer guaranteed returns for a");
    allowed.stream.flush();
    expect(allowed.text()).toBe("We offer guaranteed returns for a year.");
  });

  it("releases nothing more after a failure, and the held tail only on flush", () => {
    const { stream, text } = gate([]);
    stream.push("Your refund has been ");
    stream.push("approved. ");
    expect(stream.blocked).toBe(true);
    stream.push("It will arrive soon. ");
    stream.flush();
    expect(text()).toBe("Your refund has been ");

    const tail = gate(['{"name":"#1003"}']);
    tail.stream.push("Your order #1003");
    expect(tail.text()).toBe("Your order ");
    tail.stream.flush();
    expect(tail.text()).toBe("Your order #1003");
  });
});
