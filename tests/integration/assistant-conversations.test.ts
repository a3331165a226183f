import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { type ConversationEvent, handleShopperMessage, listPublicMessages, startConversation } from "~/modules/conversations";
import { loadAssistantProfile } from "~/modules/assistant";
import { cancelOrder } from "~/modules/assistant/tools/actions.server";
import { sendStaffReply } from "~/modules/inbox";
import { type AssistantFixture, createAssistantFixture, deleteAssistantFixture, NOW } from "../support/assistant-fixtures";

/** Whole conversations through the real pipeline: PostgreSQL, offline NLU, offline embeddings, template responder. */
describe("assistant conversations (offline providers)", () => {
  let fx: AssistantFixture;
  beforeAll(async () => {
    fx = await createAssistantFixture();
  });
  afterAll(() => deleteAssistantFixture(fx));

  async function chat(options: { customerId?: string; language?: string } = {}) {
    const { conversation } = await startConversation(prisma, { shopId: fx.shopId, customerId: options.customerId, language: options.language });
    const events: ConversationEvent[] = [];
    // Each turn a few seconds after the last, as in a real chat (messages are ordered by time).
    let turns = 0;
    const clock = () => new Date(NOW.getTime() + 5_000 * turns++);
    const say = (text: string, now = clock()) => handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: conversation.id, text }, { now, onEvent: (event) => events.push(event) });
    return { conversationId: conversation.id, say, events, clock };
  }

  it("stores the shopper's message with the intent the turn acted on, and none while a person handles the conversation", async () => {
    const { conversationId, say } = await chat({ customerId: fx.alice.id });
    const turn = await say("Where is my order #1003?");
    const stored = await prisma.message.findUniqueOrThrow({ where: { id: turn.shopperMessage.id } });
    expect(stored).toMatchObject({ author: "shopper", intent: turn.intent });
    expect(stored.intent).toBe("track_order");
    expect(stored.confidence).toBeGreaterThan(0);
    const reply = await prisma.message.findUniqueOrThrow({ where: { id: turn.reply!.id } });
    expect(reply.confidence).toBe(stored.confidence);

    await prisma.conversation.update({ where: { id: conversationId }, data: { handledByHuman: true } });
    const waiting = await say("Hello? Where is my order #1003?");
    expect(waiting.reply).toBeNull();
    expect((await prisma.message.findUniqueOrThrow({ where: { id: waiting.shopperMessage.id } })).intent).toBeNull();
  });

  it("answers a new request in the language it is written in, even right after a question asked in another", async () => {
    const { conversationId, say } = await chat();
    const german = await say("Verkauft ihr auch Gutscheine für Fahrradreparaturen?");
    expect(german.reply!.body).toMatch(/\b(Sie|Ihnen|unserem|Person)\b/);
    const memory = (await prisma.message.findUniqueOrThrow({ where: { id: german.reply!.id } })).metadata as { memory?: { pending?: string } };
    expect(memory.memory?.pending).toBe("human_offer");
    const english = await say("Where is my order #1003?");
    expect(english.intent).toBe("track_order");
    expect(english.reply!.body).toMatch(/\b(email|address|order)\b/i);
    expect(english.reply!.body).not.toMatch(/\b(Bestellung|Sie|Ihnen)\b/);
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).language).toBe("en");
  });

  it("tells a logged-in shopper where their order is, with carrier, tracking link and an order card", async () => {
    const { say, events } = await chat({ customerId: fx.alice.id });
    const turn = await say("Where is my order #1003?");
    expect(turn.intent).toBe("track_order");
    expect(turn.reply!.body).toContain("#1003");
    expect(turn.reply!.body).toContain("UPS");
    expect(turn.reply!.body).toContain("1Z999AA10123456786");
    expect(turn.reply!.body).toContain("https://www.ups.com/track?tracknum=1Z999AA10123456786");
    expect(turn.reply!.body).toMatch(/Departed facility, Reno, NV/);
    expect((turn.reply!.orderCard as { name: string }).name).toBe("#1003");
    // Streamed pieces add up to the stored reply.
    const streamed = events.filter((event) => event.type === "delta").map((event) => (event.type === "delta" ? event.text : "")).join("");
    expect(streamed).toBe(turn.reply!.body);
    expect(events.at(-1)).toMatchObject({ type: "message", message: { id: turn.reply!.id, author: "assistant" } });
  });

  it("refuses order details to an unverified shopper, then shows them after order number + matching email", async () => {
    const { say, conversationId } = await chat();
    const first = await say("Where is order #1003?");
    expect(first.reply!.body).not.toContain("1Z999AA10123456786");
    expect(first.reply!.body.toLowerCase()).toContain("email");
    expect(first.reply!.orderCard).toBeUndefined();

    const wrong = await say("it's mallory@example.org");
    expect(wrong.reply!.body).not.toContain("1Z999AA10123456786");
    expect(wrong.reply!.body).toMatch(/couldn't match that email address to order #1003/);

    // The order number is remembered: the right email alone is enough.
    const right = await say("Sorry, it's alice@example.com");
    expect(right.reply!.body).toContain("1Z999AA10123456786");
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conversation.verifiedOrderIds).toEqual([fx.orders.inTransit]);
    const log = await prisma.actionLog.findMany({ where: { conversationId }, orderBy: { createdAt: "asc" } });
    expect(log.map((entry) => entry.action)).toEqual(["order.verify_failed", "order.verified"]);
    // The action log keeps the attempt, not the address.
    expect(JSON.stringify(log[0]!.input)).not.toContain("mallory@example.org");
  });

  it("answers a follow-up about the order under discussion", async () => {
    const { say } = await chat({ customerId: fx.alice.id });
    await say("What's the status of order 1003?");
    const followUp = await say("and when will it arrive?");
    expect(followUp.intent).toBe("track_order");
    expect(followUp.reply!.body).toContain("#1003");
    // Only the detail asked for, not the whole status paragraph and card again.
    expect(followUp.reply!.body).toBe("Order #1003 is expected to arrive on Nov 22, 2026.");
    expect(followUp.reply!.orderCard).toBeUndefined();
    const tracking = await say("tracking number?");
    expect(tracking.reply!.body).toMatch(/^The tracking number for order #1003 is 1Z999AA10123456786 \(UPS\)/);
  });

  it("asks the store to open a return within policy and under the limit, once, however often it is asked", async () => {
    const { say, conversationId } = await chat({ customerId: fx.alice.id });
    const preview = await say("I'd like to return order #1001, the tee doesn't fit");
    expect(preview.intent).toBe("get_refund");
    // First what would happen, and a question: nothing is requested before the shopper says yes.
    expect(preview.reply!.body).toBe("Here's the return I'd ask the store to open for order #1001: 1 × Trail Tee. Once the items are back with us, you'd get $38.00 back. Shall I send this request?");
    expect(preview.reply!.quickReplies).toEqual(["Yes, go ahead", "No"]);
    expect(await prisma.returnRequest.count({ where: { orderId: fx.orders.smallDelivered } })).toBe(0);
    const turn = await say("yes please");
    expect(turn.intent).toBe("get_refund");
    // Requested, not done: the store confirms it in the conversation later (tests/integration/order-write-back.test.ts).
    expect(turn.reply!.body).toMatch(/I've asked the store to open it; you'll see the confirmation here/);
    expect(turn.reply!.body).not.toMatch(/approved/);
    expect(turn.reply!.body).toContain("$38.00");
    const again = await say("please return order #1001");
    expect(again.reply!.body).toMatch(/A return for order #1001 is already open/);
    const requests = await prisma.returnRequest.findMany({ where: { orderId: fx.orders.smallDelivered } });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ status: "requested", autoApproved: true, conversationId, decidedBy: null });
    expect(Number(requests[0]!.amount)).toBe(38);
    expect(await prisma.orderAction.findMany({ where: { orderId: fx.orders.smallDelivered } })).toEqual([expect.objectContaining({ kind: "return", status: "requested", actor: "assistant" })]);
    const logged = await prisma.actionLog.findMany({ where: { shopId: fx.shopId, action: "return.requested" } });
    expect(logged).toHaveLength(1);
    expect(logged[0]!.reason).toMatch(/Within policy/);
    expect(await prisma.actionLog.count({ where: { shopId: fx.shopId, action: "return.approved" } })).toBe(0);
  });

  it("sends a return above the auto-approve limit to staff for approval", async () => {
    const { say, conversationId } = await chat({ customerId: fx.alice.id });
    const preview = await say("I want a refund for order #1002, the jacket is too big");
    expect(preview.reply!.body).toMatch(/\$180\.00 back\. A team member will review this return before it's approved\. Shall I send this request\?$/);
    const turn = await say("yes");
    expect(turn.reply!.body).toMatch(/sent your return request for order #1002 \(1 × Cascade Rain Jacket, \$180\.00\) to our team\. A team member will review it/);
    // The merchant's rule stays internal: no limit or "may approve" wording reaches the shopper.
    for (const reply of [preview, turn]) expect(reply.reply!.body).not.toMatch(/50\.00|may approve|auto-approve|threshold/);
    const request = await prisma.returnRequest.findFirstOrThrow({ where: { orderId: fx.orders.largeDelivered } });
    expect(request).toMatchObject({ status: "requested", autoApproved: false, decidedBy: null });
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe("waiting_on_staff");
  });

  it("refuses returns outside the window and for gift cards", async () => {
    const bobChat = await chat({ customerId: fx.bob.id });
    const late = await bobChat.say("I want to return order #1005");
    expect(late.reply!.body).toBe("I'm sorry, I can't do that: the 30-day return window for order #1005 ended on Oct 21, 2026.");
    const aliceChat = await chat({ customerId: fx.alice.id });
    const gift = await aliceChat.say("I want to return order #1007 please");
    expect(gift.reply!.body).toMatch(/can't be returned/);
    expect(await prisma.returnRequest.count({ where: { orderId: { in: [fx.orders.oldDelivered, fx.orders.giftCard] } } })).toBe(0);
  });

  it("asks the store to cancel an unfulfilled order and refuses to cancel one that shipped", async () => {
    const { say } = await chat({ customerId: fx.alice.id });
    const denied = await say("Please cancel order #1003");
    expect(denied.intent).toBe("cancel_order");
    expect(denied.reply!.body).toMatch(/already shipped/);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: fx.orders.inTransit } })).status).toBe("open");

    const preview = await say("Then cancel order #1004 instead");
    expect(preview.reply!.body).toBe("I can ask the store to cancel order #1004. Once it's cancelled, $38.00 goes back to your original payment method. Shall I send this request?");
    expect(await prisma.orderAction.count({ where: { orderId: fx.orders.unfulfilled } })).toBe(0);
    const requested = await say("yes");
    expect(requested.reply!.body).toBe("I've asked the store to cancel order #1004; you'll see the confirmation here. Once it's cancelled, $38.00 goes back to your original payment method.");
    // Until Shopify accepts, the order is as it was.
    const order = await prisma.order.findUniqueOrThrow({ where: { id: fx.orders.unfulfilled }, include: { refunds: true } });
    expect(order.status).toBe("open");
    expect(order.refunds).toHaveLength(0);
    await say("cancel order #1004");
    const repeat = await say("yes");
    expect(repeat.reply!.body).toMatch(/I've asked the store to cancel order #1004/);
    const actions = await prisma.orderAction.findMany({ where: { orderId: fx.orders.unfulfilled } });
    expect(actions).toEqual([expect.objectContaining({ kind: "cancel", status: "requested" })]);
    expect(await prisma.job.count({ where: { shopId: fx.shopId, name: "commerce.push-order-action", payload: { path: ["orderActionId"], equals: actions[0]!.id } } })).toBe(1);
  });

  it("refuses a cancellation after the merchant's cancellation window, saying why in the shopper's words", async () => {
    const profile = await loadAssistantProfile(prisma, fx.shopId);
    const { conversation } = await startConversation(prisma, { shopId: fx.shopId, customerId: fx.alice.id });
    const ctx = (minutes: number | null) => ({
      db: prisma,
      profile: { ...profile, settings: { ...profile.settings, cancelWindowMinutes: minutes } },
      conversation: { id: conversation.id, customerId: fx.alice.id, verifiedOrderIds: [] },
      actor: "assistant",
      now: NOW,
    });
    // #1008 was placed yesterday: outside a two-hour window, inside a two-day one.
    const late = await cancelOrder(ctx(120), { orderNumber: "#1008", reason: "changed my mind", preview: true });
    expect(late).toMatchObject({ ok: false, code: "not_eligible", data: { reason: "cancel_window", cancelWindowMinutes: 120 } });
    expect(await cancelOrder(ctx(48 * 60), { orderNumber: "#1008", reason: "changed my mind", preview: true })).toMatchObject({ ok: true, data: { status: "preview" } });
    expect(await cancelOrder(ctx(null), { orderNumber: "#1008", reason: "changed my mind", preview: true })).toMatchObject({ ok: true });
    expect(await prisma.orderAction.count({ where: { orderId: fx.orders.awaitingShipment, kind: "cancel" } })).toBe(0);
  });

  it("takes a new address for an unshipped order and passes it to staff for approval", async () => {
    const { say, conversationId } = await chat({ customerId: fx.alice.id });
    const ask = await say("I need to change the shipping address on order #1008");
    expect(ask.intent).toBe("change_shipping_address");
    // A logged-in customer's own order needs no proof: only the new address is asked for.
    expect(ask.reply!.body).toBe("What's the new shipping address for order #1008? Please send the full address (street, city, postcode).");
    const preview = await say("12 Alder Street, Apt 4B, Portland OR 97209");
    expect(preview.intent).toBe("change_shipping_address");
    expect(preview.reply!.body).toMatch(/^I can pass your new shipping address for order #1008 to our team: 12 Alder Street, Apt 4B, Portland OR 97209\. .* Shall I send this request\?$/);
    const done = await say("yes, go ahead");
    expect(done.reply!.body).toMatch(/passed your new address for order #1008 to our team/);
    const action = await prisma.actionLog.findFirstOrThrow({ where: { conversationId, action: "order.address_change_requested" } });
    expect(action.targetId).toBe(fx.orders.awaitingShipment);
    expect(action.input).toMatchObject({ orderName: "#1008", newAddress: "12 Alder Street, Apt 4B, Portland OR 97209" });
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe("waiting_on_staff");
    const refused = await say("Please change the address on order #1003 to 5 Pine Road, Salem OR 97301");
    expect(refused.reply!.body).toMatch(/already shipped/);
  });

  it("answers a knowledge question from the help center, citing it", async () => {
    const { say } = await chat();
    const turn = await say("How long does standard delivery take?");
    expect(turn.reply!.body).toContain("3 to 5 business days");
    expect(turn.reply!.citations?.map((citation) => citation.title)).toEqual(["Shipping rates and delivery times"]);
  });

  it("escalates when the shopper asks for a person, with a summary for staff and honest timing", async () => {
    const { say, conversationId } = await chat({ customerId: fx.alice.id });
    await say("Where is order #1003?");
    const turn = await say("I want to talk to a human please");
    expect(turn.escalated).toBe(true);
    expect(turn.escalationReason).toBe("requested");
    expect(turn.reply!.body).toMatch(/connecting you with a person/);
    expect(turn.reply!.body).toMatch(/within 2 hours/);
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conversation.status).toBe("waiting_on_staff");
    expect(conversation.escalatedAt).not.toBeNull();
    expect(conversation.summary).toMatch(/order #1003/);
    expect(conversation.summary).toMatch(/talk to a human/);
  });

  it("tells the shopper when the team is back when escalating outside business hours", async () => {
    const { say } = await chat();
    const saturday = new Date("2026-11-21T20:00:00Z");
    const turn = await say("can I speak to a real person", saturday);
    expect(turn.escalated).toBe(true);
    expect(turn.reply!.body).toMatch(/back Monday at 08:00/);
  });

  it("escalates on frustration", async () => {
    const { say, conversationId } = await chat();
    const turn = await say("This is RIDICULOUS!!! Third time I'm asking and nobody answers. Useless!!!");
    expect(turn.escalated).toBe(true);
    expect(turn.escalationReason).toBe("frustration");
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).priority).toBe("high");
  });

  it("escalates on a merchant keyword with urgent priority", async () => {
    const { say, conversationId } = await chat();
    const turn = await say("If this isn't sorted I'll file a chargeback with my bank");
    expect(turn.escalationReason).toBe("keyword");
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).priority).toBe("urgent");
  });

  it("says it does not know instead of guessing, and offers a person after repeated failures", async () => {
    const { say } = await chat();
    const first = await say("Do you sponsor ultramarathon athletes in Patagonia?");
    expect(first.escalated).toBe(false);
    expect(first.reply!.body).toMatch(/couldn't find an answer.*Would you like me to connect you with a person/);
    const second = await say("Can I visit your warehouse on weekends?");
    expect(second.escalated).toBe(true);
    // "low_confidence" when the classifier could not place the last message either.
    expect(["repeated_failure", "low_confidence"]).toContain(second.escalationReason);
    // One reply never both asks "would you like a person?" and announces the handoff.
    expect(second.reply!.body).not.toMatch(/Would you like/);
    expect(second.reply!.body).toMatch(/connecting you with a person/);
  });

  it("tells off-topic questions what it can help with, without escalating however often they come", async () => {
    const { say } = await chat();
    for (const text of ["what's the capital of France?", "write me a poem about cats", "who won the world cup in 2018?"]) {
      const turn = await say(text);
      expect(turn.escalated, text).toBe(false);
      expect(turn.reply!.body, text).toMatch(/I can help with your orders, deliveries, returns and refunds/);
    }
  });

  it("treats a yes with nothing pending as a yes, not a request for a person", async () => {
    const { say } = await chat();
    const turn = await say("yes please");
    expect(turn.escalated).toBe(false);
    expect(turn.reply!.body).toMatch(/What can I help you with/);
  });

  it("masks a card number before storing it, never reads it as an order number, and warns the shopper", async () => {
    const { say, conversationId } = await chat();
    const turn = await say("My card 4242 4242 4242 4242 cvc 123 was charged twice");
    expect(turn.shopperMessage.body).toBe("My card [card number removed] cvc [removed] was charged twice");
    expect(turn.reply!.body).toMatch(/^For your security, please don't share card details in this chat/);
    expect(turn.reply!.body).not.toContain("4242 4242");
    const stored = await prisma.message.findMany({ where: { conversationId } });
    expect(JSON.stringify(stored)).not.toMatch(/4242 4242|cvc 123/);
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conversation.subject).not.toMatch(/4242 4242/);
    expect(await prisma.actionLog.count({ where: { conversationId, action: { startsWith: "order." } } })).toBe(0);
  });

  it("stays quiet once a person has taken over, and staff messages reach the shopper", async () => {
    const { say, conversationId, clock } = await chat();
    await say("hello");
    await sendStaffReply(prisma, { shopId: fx.shopId, conversationId, staffId: fx.staffId, body: "Hi, Sam here. How can I help?", lastSeenMessageId: null, force: true, now: clock() });
    const turn = await say("Hi Sam, quick question about sizing");
    expect(turn.reply).toBeNull();
    const messages = await listPublicMessages(prisma, fx.shopId, conversationId);
    expect(messages.map((message) => message.author)).toEqual(["shopper", "assistant", "staff", "shopper"]);
    expect(messages[2]!.authorName).toBe("Sam");
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe("waiting_on_staff");
  });

  it("answers in the shopper's language when the shop supports it", async () => {
    const { say } = await chat({ customerId: fx.alice.id });
    const turn = await say("Où est ma commande #1003 ?");
    expect(turn.reply!.body).toMatch(/est en route avec UPS/);
    const es = await chat({ customerId: fx.alice.id });
    const spanish = await es.say("¿Dónde está mi pedido #1003?");
    expect(spanish.reply!.body).toMatch(/está en camino con UPS/);
  });

  it("understands the main requests in French, German and Spanish without an order number", async () => {
    const fr = await chat({ customerId: fx.alice.id });
    const track = await fr.say("Bonjour, où est ma commande ?");
    expect(track.intent).toBe("track_order");
    // Alice's latest order; an earlier test may have cancelled it.
    expect(track.reply!.body).toMatch(/^La commande #1004 (\(passée le .*\) n'est pas encore expédiée|a été annulée le)/);
    const de = await chat();
    const human = await de.say("Ich möchte bitte mit einem Mitarbeiter sprechen");
    expect(human.escalated).toBe(true);
    expect(human.reply!.body).toMatch(/Ich verbinde Sie jetzt mit unserem Team/);
    const es = await chat({ customerId: fx.alice.id });
    const cancel = await es.say("Quiero cancelar mi pedido #1003");
    expect(cancel.intent).toBe("cancel_order");
    expect(cancel.reply!.body).toMatch(/^Lo siento, no puedo hacerlo: el pedido #1003 ya se ha enviado/);
  });

  it("answers in the shop's language and says so when the shopper's is not supported", async () => {
    const { say } = await chat({ customerId: fx.alice.id });
    const turn = await say("Waar is mijn bestelling #1003? Ik wacht al een week.");
    expect(turn.reply!.body).toContain("1Z999AA10123456786");
    expect(turn.reply!.body).toMatch(/I can only reply in English, French, German or Spanish/);
  });
});
