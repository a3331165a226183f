import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { hashConversationToken } from "~/modules/conversations";
import { appProxyQuery } from "~/modules/demo";
import { sendStaffReply } from "~/modules/inbox";
import { CONVERSATION_HEADER, type ConversationSnapshot, type StreamEvent } from "~/modules/storefront";
import { action as startAction } from "~/routes/proxy.conversations";
import { loader as eventsLoader } from "~/routes/proxy.events";
import { action as handoffAction } from "~/routes/proxy.handoff";
import { action as messageAction, loader as messagesLoader } from "~/routes/proxy.messages";
import { action as ratingAction } from "~/routes/proxy.rating";
import { action as verifyAction } from "~/routes/proxy.verify";
import { type AssistantFixture, createAssistantFixture, deleteAssistantFixture } from "../support/assistant-fixtures";

/**
 * The storefront chat API through its route handlers, with requests signed exactly as Shopify's app proxy
 * signs them, on the real database and the offline assistant.
 */
const APP_URL = "http://localhost:3000";
type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;

let ipCounter = 0;

describe("storefront chat API (app proxy)", () => {
  let fx: AssistantFixture;
  let other: AssistantFixture;
  beforeAll(async () => {
    fx = await createAssistantFixture();
    other = await createAssistantFixture();
  });
  afterAll(async () => {
    await deleteAssistantFixture(fx);
    await deleteAssistantFixture(other);
  });

  /** A request as the app proxy forwards it: signed query, JSON body, the shopper's IP. */
  function signed(
    path: string,
    options: { method?: string; body?: unknown; rawBody?: string; token?: string; customer?: string; shop?: string; secret?: string; timestamp?: number; ip?: string; contentType?: string; search?: Record<string, string> } = {},
  ) {
    const query = appProxyQuery({
      search: new URLSearchParams(options.search ?? {}),
      shopDomain: options.shop ?? fx.domain,
      apiSecret: options.secret ?? DEV_SHOPIFY_API_SECRET,
      loggedInCustomerId: options.customer ?? null,
      timestamp: options.timestamp,
    });
    const headers = new Headers({ "x-forwarded-for": options.ip ?? `203.0.113.${++ipCounter % 250}` });
    if (options.token) headers.set(CONVERSATION_HEADER, options.token);
    const hasBody = options.body !== undefined || options.rawBody !== undefined;
    if (hasBody) headers.set("content-type", options.contentType ?? "application/json");
    return new Request(`${APP_URL}/proxy/${path}?${query.toString()}`, {
      method: options.method ?? (hasBody ? "POST" : "GET"),
      headers,
      body: options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
    });
  }
  const call = (handler: unknown, request: Request) => (handler as Handler)({ request, params: {}, context: {} });

  async function start(options: { token?: string; customer?: string; shop?: string; ip?: string } = {}) {
    const response = await call(startAction, signed("conversations", { body: { token: options.token, locale: "en" }, customer: options.customer, shop: options.shop, ip: options.ip }));
    expect(response.status).toBe(200);
    return (await response.json()) as ConversationSnapshot;
  }

  async function readEvents(response: Response): Promise<StreamEvent[]> {
    const text = await response.text();
    return text
      .split("\n\n")
      .filter((frame) => frame.startsWith("event:"))
      .map((frame) => JSON.parse(frame.split("\n").find((line) => line.startsWith("data: "))!.slice(6)) as StreamEvent);
  }

  it("starts a conversation with the shop's assistant, then resumes it from the token with its history", async () => {
    const first = await start();
    expect(first).toMatchObject({ started: true, status: "open", handledByHuman: false, rated: false, assistant: { name: "Maple" }, messages: [] });
    expect(first.token.length).toBeGreaterThanOrEqual(40);
    await readEvents(await call(messageAction, signed("messages", { body: { text: "hello" }, token: first.token })));
    const again = await start({ token: first.token });
    expect(again.started).toBe(false);
    expect(again.token).toBe(first.token);
    expect(again.messages.map((message) => message.author)).toEqual(["shopper", "assistant"]);
    // The token itself is never stored.
    expect(await prisma.conversation.count({ where: { tokenHash: first.token } })).toBe(0);
  });

  it("streams a grounded reply as server-sent events", async () => {
    const { token } = await start();
    const response = await call(messageAction, signed("messages", { body: { text: "How long does standard delivery take?" }, token }));
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = await readEvents(response);
    expect(events[0]).toEqual({ type: "typing", author: "assistant" });
    expect(events[1]).toMatchObject({ type: "message", message: { author: "shopper", body: "How long does standard delivery take?" } });
    const deltas = events.filter((event) => event.type === "delta");
    // A few words per event: streamed in pieces, not one event per word.
    expect(deltas.length).toBeGreaterThan(1);
    for (const delta of deltas) expect((delta.type === "delta" ? delta.text : "").trim().split(/\s+/).length).toBeLessThanOrEqual(4);
    const done = events.at(-1) as Extract<StreamEvent, { type: "done" }>;
    expect(done.type).toBe("done");
    expect(done.message!.body).toContain("3 to 5 business days");
    expect(done.message!.citations).toEqual([expect.objectContaining({ title: "Shipping rates and delivery times" })]);
    expect(deltas.map((event) => (event.type === "delta" ? event.text : "")).join("")).toBe(done.message!.body);
  });

  it("trusts logged_in_customer_id only from a signed request, and shows that customer's orders", async () => {
    const snapshot = await start({ customer: "c-alice" });
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { shopId: fx.shopId, customerId: fx.alice.id } });
    expect(conversation).toBeTruthy();
    const events = await readEvents(await call(messageAction, signed("messages", { body: { text: "Where is order #1003?" }, token: snapshot.token, customer: "c-alice" })));
    const done = events.at(-1) as Extract<StreamEvent, { type: "done" }>;
    expect(done.message!.orderCard).toMatchObject({ name: "#1003", shipments: [{ trackingNumber: "1Z999AA10123456786" }] });
    // A tampered customer id breaks the signature.
    const request = signed("conversations", { body: {}, customer: "c-alice" });
    const url = new URL(request.url);
    url.searchParams.set("logged_in_customer_id", "c-bob");
    const forged = await call(startAction, new Request(url, { method: "POST", headers: request.headers, body: "{}" }));
    expect(forged.status).toBe(400);
    expect(await forged.json()).toEqual({ error: "The request signature is missing, invalid or expired." });
  });

  it("never lets a token open another conversation, or work in another shop", async () => {
    const mine = await start();
    const theirs = await start();
    await readEvents(await call(messageAction, signed("messages", { body: { text: "My secret question about order #1003" }, token: theirs.token })));
    const read = await call(messagesLoader, signed("messages", { token: mine.token }));
    expect(((await read.json()) as { messages: unknown[] }).messages).toEqual([]);
    const wrongToken = await call(messagesLoader, signed("messages", { token: "x".repeat(43) }));
    expect(wrongToken.status).toBe(404);
    const noToken = await call(messagesLoader, signed("messages"));
    expect(noToken.status).toBe(401);
    const otherShop = await call(messagesLoader, signed("messages", { token: theirs.token, shop: other.domain }));
    expect(otherShop.status).toBe(404);
    // A logged-in customer cannot take over a token that belongs to another customer's conversation.
    const alices = await start({ customer: "c-alice" });
    const asBob = await start({ token: alices.token, customer: "c-bob" });
    expect(asBob.started).toBe(true);
    expect(asBob.token).not.toBe(alices.token);
    expect(asBob.messages).toEqual([]);
  });

  it("refuses malformed and oversized input with clear errors, storing nothing", async () => {
    const { token } = await start();
    const cases: [{ body?: unknown; rawBody?: string; contentType?: string }, number, Record<string, unknown>][] = [
      [{ body: { text: "   " } }, 400, { error: "Type a message first.", field: "text" }],
      [{ body: { text: "x".repeat(2001) } }, 413, { error: "Messages can be at most 2000 characters.", field: "text" }],
      [{ body: { text: 42 } }, 400, { error: "text must be a string", field: "text" }],
      [{ body: {} }, 400, { field: "text" }],
      [{ rawBody: "{not json" }, 400, { error: "The request body is not valid JSON." }],
      [{ rawBody: "text=hi", contentType: "application/x-www-form-urlencoded" }, 415, { error: "Send JSON (Content-Type: application/json)." }],
      [{ rawBody: JSON.stringify({ text: "y".repeat(20_000) }) }, 413, { error: "The request body is too large." }],
    ];
    for (const [options, status, body] of cases) {
      const response = await call(messageAction, signed("messages", { ...options, token }));
      expect(response.status, JSON.stringify(options).slice(0, 80)).toBe(status);
      expect(await response.json()).toMatchObject(body);
    }
    const rating = await call(ratingAction, signed("rating", { body: { score: 6 }, token }));
    expect(rating.status).toBe(400);
    expect(await rating.json()).toEqual({ error: "score must be 1 to 5", field: "score" });
    const verify = await call(verifyAction, signed("verify", { body: { orderNumber: "abc", email: "not-an-email" }, token }));
    expect(verify.status).toBe(400);
    expect(((await verify.json()) as { error: string }).error).toBe("An order number contains digits, like #1042.");
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { tokenHash: hashConversationToken(token) }, include: { messages: true } });
    expect(conversation.messages).toEqual([]);
    expect(conversation.csatScore).toBeNull();
  });

  it("rejects forged and replayed (older than 5 minutes) signatures", async () => {
    const forged = await call(startAction, signed("conversations", { body: {}, secret: "not-the-app-secret" }));
    expect(forged.status).toBe(400);
    const replayed = await call(startAction, signed("conversations", { body: {}, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }));
    expect(replayed.status).toBe(400);
    const unsigned = await call(startAction, new Request(`${APP_URL}/proxy/conversations?shop=${fx.domain}`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } }));
    expect(unsigned.status).toBe(400);
  });

  it("limits messages per conversation with a 429 and Retry-After", async () => {
    const { token } = await start();
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let index = 0; index < 14; index++) {
      const response = await call(messageAction, signed("messages", { body: { text: `question number ${index}` }, token }));
      statuses.push(response.status);
      if (response.status === 429) limited = response;
      else await response.text();
    }
    expect(statuses.slice(0, 12).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(12)).toEqual([429, 429]);
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited!.json()) as { error: string }).error).toMatch(/^Too many requests\. Please wait \d+ seconds/);
    expect(await prisma.message.count({ where: { conversation: { tokenHash: { not: "" } }, body: "question number 13" } })).toBe(0);
  });

  it("limits requests per IP address across conversations", async () => {
    const ip = "198.51.100.77";
    let last = 0;
    for (let index = 0; index < 125 && last !== 429; index++) {
      const response = await call(messagesLoader, signed("messages", { token: "z".repeat(43), ip }));
      last = response.status;
    }
    expect(last).toBe(429);
  });

  it("verifies an order with number + email, adding its card; refuses a wrong email without saying why", async () => {
    const { token } = await start();
    const wrong = await call(verifyAction, signed("verify", { body: { orderNumber: "1003", email: "someone@example.com" }, token }));
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { error: string }).error).toMatch(/couldn't find an order with that number and email/);
    const right = await call(verifyAction, signed("verify", { body: { orderNumber: "#1003", email: "Alice@Example.com" }, token }));
    expect(right.status).toBe(200);
    const body = (await right.json()) as { verified: boolean; message: { body: string; orderCard: { name: string; items: unknown[] } } };
    expect(body.verified).toBe(true);
    expect(body.message.body).toContain("1Z999AA10123456786");
    expect(body.message.orderCard).toMatchObject({ name: "#1003", items: [{ title: "Trail Tee", quantity: 2 }] });
    expect(JSON.stringify(body.message.orderCard)).not.toMatch(/"id"/);
  });

  it("hands off on request, delivers the staff reply live, and takes a rating", async () => {
    const { token } = await start();
    const handoff = await call(handoffAction, signed("handoff", { body: {}, token }));
    expect(handoff.status).toBe(200);
    const handed = (await handoff.json()) as { status: string; message: { handoff: boolean; body: string } };
    expect(handed.status).toBe("waiting_on_staff");
    expect(handed.message.handoff).toBe(true);
    // The route uses the real clock: inside the fixture shop's hours a person is connected now, outside them
    // the shopper is told when the team is back (both honest, both from the business hours).
    expect(handed.message.body).toMatch(/connecting you with a person|They're offline right now and back/);
    const conversation = await prisma.conversation.findFirstOrThrow({ where: { shopId: fx.shopId, escalationReason: { startsWith: "requested: the shopper pressed" } }, orderBy: { createdAt: "desc" } });

    const controller = new AbortController();
    const stream = await call(eventsLoader, new Request(signed("events", { token }), { signal: controller.signal }));
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let received = "";
    // The stream is live once it says so (": connected"); a reply sent before that is not "new" to it.
    while (!received.includes(": connected")) received += decoder.decode((await reader.read()).value);
    await sendStaffReply(prisma, { shopId: fx.shopId, conversationId: conversation.id, staffId: fx.staffId, body: "Hi, Sam here — I'm looking at it now.", lastSeenMessageId: null, force: true });
    while (!received.includes("Sam here")) {
      const { value, done } = await reader.read();
      if (done) break;
      received += decoder.decode(value);
    }
    controller.abort();
    await reader.cancel().catch(() => {});
    const frame = received.split("\n\n").find((part) => part.includes("Sam here"))!;
    expect(frame.startsWith("event: message")).toBe(true);
    expect(JSON.parse(frame.split("data: ")[1]!)).toMatchObject({ type: "message", message: { author: "staff", authorName: "Sam" } });

    // A reply written while a new stream is still connecting reaches it too (the widget reconnects every few
    // minutes; a reply in that moment must not fall between the two streams).
    const again = new AbortController();
    const reconnected = await call(eventsLoader, new Request(signed("events", { token }), { signal: again.signal }));
    await sendStaffReply(prisma, { shopId: fx.shopId, conversationId: conversation.id, staffId: fx.staffId, body: "One more thing: your label is on its way.", lastSeenMessageId: null, force: true });
    const secondReader = reconnected.body!.getReader();
    let secondReceived = "";
    while (!secondReceived.includes("label is on its way")) {
      const { value, done } = await secondReader.read();
      if (done) break;
      secondReceived += decoder.decode(value);
    }
    again.abort();
    await secondReader.cancel().catch(() => {});
    expect(secondReceived).toContain("label is on its way");
    // Only what is new to this stream: the earlier reply is not sent again.
    expect(secondReceived).not.toContain("Sam here");

    const rated = await call(ratingAction, signed("rating", { body: { score: 5, comment: "Quick and kind" }, token }));
    expect(rated.status).toBe(200);
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).toMatchObject({ csatScore: 5, csatComment: "Quick and kind" });
    expect((await start({ token })).rated).toBe(true);
  });
  describe("the shopper's language (the storefront's locale)", () => {
    // A shop of its own, so its settings are read fresh (the assistant caches a shop's profile for 15 s).
    let shopId = "";
    let domain = "";
    beforeAll(async () => {
      domain = `welcome-${Date.now().toString(36)}.myshopify.com`;
      const shop = await prisma.shop.create({
        data: {
          domain,
          name: "Alder & Pine",
          primaryLocale: "en",
          locales: ["en", "fr", "de", "es"],
          settings: {
            create: {
              assistantName: "Maple",
              greeting: "Hi, I'm Maple from Alder & Pine! Ask me about orders, returns or shipping.",
              widget: { quickReplies: ["Where is my order?", "Start a return"] },
            },
          },
        },
      });
      shopId = shop.id;
    });
    afterAll(async () => {
      await prisma.shop.delete({ where: { id: shopId } });
    });

    async function open(body: { token?: string; locale?: string }) {
      const response = await call(startAction, signed("conversations", { body, shop: domain }));
      expect(response.status).toBe(200);
      const snapshot = (await response.json()) as ConversationSnapshot;
      const conversation = await prisma.conversation.findFirstOrThrow({ where: { shopId, tokenHash: hashConversationToken(snapshot.token) } });
      return { snapshot, language: conversation.language, conversationId: conversation.id };
    }

    it("greets a French storefront's shopper in French, naming the assistant and the shop, with French chips, and starts the conversation in French", async () => {
      const { snapshot, language } = await open({ locale: "fr" });
      expect(snapshot.assistant).toEqual({ name: "Maple", greeting: "Bonjour ! Je suis Maple, l'assistant d'Alder & Pine. Comment puis-je vous aider ?" });
      expect(snapshot.quickReplies).toEqual(["Où est ma commande ?", "Faire un retour", "Frais de livraison", "Moyens de paiement"]);
      expect(language).toBe("fr");
      const german = await open({ locale: "de-AT" });
      expect(german.snapshot.assistant.greeting).toBe("Hallo! Ich bin Maple, der Assistent von Alder & Pine. Wie kann ich Ihnen helfen?");
      expect(german.language).toBe("de");
    });

    it("keeps the merchant's own greeting and chips on the shop's primary language, and for languages it has no greeting for", async () => {
      const english = await open({ locale: "en" });
      expect(english.snapshot.assistant.greeting).toBe("Hi, I'm Maple from Alder & Pine! Ask me about orders, returns or shipping.");
      expect(english.snapshot.quickReplies).toEqual(["Where is my order?", "Start a return"]);
      expect(english.language).toBe("en");
      const japanese = await open({ locale: "ja" });
      expect(japanese.snapshot.assistant.greeting).toBe("Hi, I'm Maple from Alder & Pine! Ask me about orders, returns or shipping.");
      expect(japanese.language).toBe("ja");
      // No locale at all: the shop's primary language.
      expect((await open({})).language).toBe("en");
    });

    it("follows a storefront language switch until the shopper has written, then keeps the conversation's language", async () => {
      const first = await open({ locale: "en" });
      const switched = await open({ token: first.snapshot.token, locale: "es" });
      expect(switched.snapshot.started).toBe(false);
      expect(switched.language).toBe("es");
      expect(switched.snapshot.assistant.greeting).toBe("¡Hola! Soy Maple, el asistente de Alder & Pine. ¿En qué puedo ayudarte?");
      await prisma.message.create({ data: { shopId, conversationId: first.conversationId, author: "shopper", body: "¿Dónde está mi pedido?" } });
      const again = await open({ token: first.snapshot.token, locale: "fr" });
      expect(again.language).toBe("es");
      // The greeting is the panel's: it is in the storefront's language.
      expect(again.snapshot.assistant.greeting).toMatch(/^Bonjour ! Je suis Maple/);
    });
  });
});
