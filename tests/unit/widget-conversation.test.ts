import { afterEach, describe, expect, it } from "vitest";
import type { ChatMessage, ConversationSnapshot, StreamEvent } from "../../app/modules/storefront/chat-contract";
import { ApiError, type ChatApi } from "../../widget/api";
import { type Conversation, createConversation } from "../../widget/conversation";
import { localMessage } from "../../widget/messages";
import { type ChatState, canEndChat, createStore, initialState, reduce, type Store, teamIsReplying, visibleQuickReplies, wantsLive } from "../../widget/state";
import { createTokenStore } from "../../widget/storage";

/**
 * The widget's conversation state (state.ts, a pure reducer) and its link to the server (conversation.ts),
 * driven through a stand-in for the chat API: no browser needed.
 */

const T0 = "2026-03-02T10:00:00.000Z";
const later = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const TOKEN_A = "token-aaaaaaaaaaaaaaaaaaaaaaaa";
const TOKEN_B = "token-bbbbbbbbbbbbbbbbbbbbbbbb";

function msg(id: string, author: ChatMessage["author"], body: string, at: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id, author, body, createdAt: later(at), ...extra };
}

function snapshot(token: string, extra: Partial<ConversationSnapshot> = {}): ConversationSnapshot {
  return {
    token,
    started: true,
    status: "open",
    handledByHuman: false,
    rated: false,
    assistant: { name: "Juniper", greeting: "Bonjour ! Je suis Juniper, l'assistant de Northwind Outfitters. Comment puis-je vous aider ?" },
    quickReplies: ["Où est ma commande ?", "Faire un retour"],
    messages: [],
    ...extra,
  };
}

const fresh = (custom = false) => initialState("Hi there! How can we help you today?", custom);
const run = (state: ChatState, ...actions: Parameters<typeof reduce>[1][]) => actions.reduce(reduce, state);

describe("conversation state", () => {
  it("shows the server's greeting (in the shopper's language) unless the merchant typed one in the theme editor", () => {
    expect(run(fresh(), { type: "snapshot", snapshot: snapshot(TOKEN_A) }).greeting).toMatch(/^Bonjour ! Je suis Juniper/);
    expect(run(fresh(true), { type: "snapshot", snapshot: snapshot(TOKEN_A) }).greeting).toBe("Hi there! How can we help you today?");
  });

  it("shows the merchant's avatar only from an https address", () => {
    const avatar = (avatarUrl?: string) => run(fresh(), { type: "snapshot", snapshot: snapshot(TOKEN_A, { assistant: { name: "Sage", greeting: "Hi", avatarUrl } }) }).assistantAvatar;
    expect(avatar("https://cdn.example.com/sage.png")).toBe("https://cdn.example.com/sage.png");
    expect(avatar("http://cdn.example.com/sage.png")).toBe("");
    expect(avatar("javascript:alert(1)")).toBe("");
    expect(avatar()).toBe("");
  });

  it("offers the starter chips until the shopper writes, then the last assistant message's, and none while a reply is on its way", () => {
    let state = run(fresh(), { type: "snapshot", snapshot: snapshot(TOKEN_A) });
    expect(visibleQuickReplies(state)).toEqual(["Où est ma commande ?", "Faire un retour"]);
    state = run(state, { type: "send-start", local: localMessage("Bonjour") });
    expect(visibleQuickReplies(state)).toEqual([]);
    state = run(
      state,
      { type: "received", messages: [msg("m1", "shopper", "Bonjour", 1), msg("m2", "assistant", "Bonjour ! Que puis-je faire ?", 2, { quickReplies: ["Suivre ma commande"] })] },
      { type: "send-end" },
    );
    expect(visibleQuickReplies(state)).toEqual(["Suivre ma commande"]);
    expect(canEndChat(state)).toBe(true);
    expect(run(state, { type: "view", view: "verify" }).view).toBe("verify");
    expect(visibleQuickReplies(run(state, { type: "view", view: "verify" }))).toEqual([]);
  });

  it("streams a reply into one pending bubble, starts over on reset, and ends it with the final message", () => {
    let state = run(fresh(), { type: "snapshot", snapshot: snapshot(TOKEN_A) }, { type: "send-start", local: localMessage("hi") });
    const stream = (event: StreamEvent) => (state = reduce(state, { type: "stream", event, source: "reply" }));
    stream({ type: "typing", author: "assistant" });
    expect(state.typing).toBe(true);
    // The server's copy of the shopper's message replaces the one on its way.
    stream({ type: "message", message: msg("m1", "shopper", "hi", 1) });
    expect(state.messages.map((message) => [message.id, message.local ?? false])).toEqual([["m1", false]]);
    stream({ type: "delta", messageId: "r1", text: "Hel" });
    stream({ type: "delta", messageId: "r1", text: "lo" });
    expect(state.pending).toEqual({ id: "r1", text: "Hello" });
    expect(state.typing).toBe(false);
    stream({ type: "reset", messageId: "r1" });
    expect(state.pending).toEqual({ id: "r1", text: "" });
    stream({ type: "delta", messageId: "r1", text: "Hi!" });
    stream({ type: "done", message: msg("r1", "assistant", "Hi!", 2), status: "waiting_on_shopper" });
    expect(state.pending).toBeNull();
    expect(state.status).toBe("waiting_on_shopper");
    expect(state.messages.map((message) => message.body)).toEqual(["hi", "Hi!"]);
    // A late delta of a message already received changes nothing.
    expect(reduce(state, { type: "stream", event: { type: "delta", messageId: "r1", text: "!" }, source: "live" })).toBe(state);
    stream({ type: "error", error: "boom" });
    expect(state.alert).toEqual({ key: "reply_failed" });
  });

  it("opens the order form for a new verification prompt, once, but not for one already in the history", () => {
    const prompt = msg("m2", "assistant", "Votre numéro de commande ?", 2, { needsVerification: true });
    const resumed = run(fresh(), { type: "snapshot", snapshot: snapshot(TOKEN_A, { messages: [msg("m1", "shopper", "où est ma commande", 1), prompt] }) });
    expect(resumed.view).toBe("chat");
    expect(run(resumed, { type: "received", messages: [prompt] }).view).toBe("chat");
    const asked = run(fresh(), { type: "snapshot", snapshot: snapshot(TOKEN_A) }, { type: "received", messages: [msg("m1", "shopper", "où est ma commande", 1), prompt] });
    expect(asked.view).toBe("verify");
    const cancelled = run(asked, { type: "view", view: "chat" }, { type: "received", messages: [prompt] });
    expect(cancelled.view).toBe("chat");
  });

  it("follows a handoff and a staff reply, marks unread while closed, and asks for a rating once the team resolves it", () => {
    let state = run(fresh(), { type: "snapshot", snapshot: snapshot(TOKEN_A) }, { type: "received", messages: [msg("m1", "shopper", "a person please", 1)] });
    state = run(state, { type: "received", messages: [msg("m2", "system", "A team member will reply here.", 2, { handoff: true })] });
    expect(state.status).toBe("waiting_on_staff");
    expect(teamIsReplying(state)).toBe(true);
    expect(state.unread).toBe(true);
    state = run(state, { type: "open", open: true }, { type: "stream", event: { type: "typing", author: "staff" }, source: "live" });
    expect(state.unread).toBe(false);
    expect(state.typing).toBe(true);
    state = run(state, { type: "stream", event: { type: "message", message: msg("m3", "staff", "Hi, Sam here", 3, { authorName: "Sam" }) }, source: "live" });
    expect(state.handledByHuman).toBe(true);
    expect(state.typing).toBe(false);
    expect(state.unread).toBe(false);
    state = run(state, { type: "received", messages: [], status: "resolved" });
    expect(state.view).toBe("csat");
    const skipped = run(state, { type: "csat-dismissed" }, { type: "received", messages: [], status: "resolved" });
    expect(skipped.view).toBe("chat");
    expect(run(state, { type: "rated" }).view).toBe("thanks");
    // The shopper's other tab does not "type".
    expect(run(fresh(), { type: "stream", event: { type: "typing", author: "assistant" }, source: "live" }).typing).toBe(false);
  });

  it("wants a live connection only for a loaded conversation that is open or has messages", () => {
    const loaded = run(fresh(), { type: "snapshot", snapshot: snapshot(TOKEN_A) });
    expect(wantsLive(loaded)).toBe(false);
    expect(wantsLive(run(loaded, { type: "open", open: true }))).toBe(true);
    expect(wantsLive(run(loaded, { type: "open", open: true }, { type: "token-dropped" }))).toBe(false);
  });
});

describe("conversation with the server", () => {
  interface Fake {
    api: ChatApi;
    starts: [string | null, string | undefined][];
    sends: string[];
    /** What the next `send` does: stream these events, or throw. */
    reply: ((token: string, text: string, onEvent: (event: StreamEvent) => void, onOpen: () => void) => Promise<void>)[];
  }
  let conversation: Conversation | null = null;
  afterEach(() => conversation?.stop());

  function setUp(locale = "fr") {
    let issued = 0;
    const fake: Fake = {
      starts: [],
      sends: [],
      reply: [],
      api: {
        start: async (token, lang) => {
          fake.starts.push([token, lang]);
          issued += 1;
          return snapshot(issued === 1 ? TOKEN_A : TOKEN_B, { started: true });
        },
        send: async (token, text, onEvent, _signal, onOpen) => {
          fake.sends.push(`${token.slice(0, 7)}:${text}`);
          const next = fake.reply.shift();
          if (!next) throw new Error("unexpected send");
          await next(token, text, onEvent, () => onOpen?.());
        },
        messagesAfter: async () => ({ messages: [], status: "open" }),
        // The live stream stays open until the widget closes it.
        events: (_token, _after, _onEvent, signal) => new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve())),
        verify: async () => ({ verified: true, message: msg("v1", "assistant", "Commande vérifiée.", 9) }),
        handoff: async () => ({ message: msg("h1", "system", "Un membre de l'équipe va vous répondre.", 9, { handoff: true }), status: "waiting_on_staff" }),
        rate: async () => {},
        read: async () => {},
      },
    };
    const storage = new Map<string, string>();
    const tokens = createTokenStore("shop.myshopify.com", () => ({
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
      removeItem: (key: string) => void storage.delete(key),
    }));
    const store: Store = createStore(fresh());
    const doc = { visibilityState: "visible" as const, addEventListener: () => {}, removeEventListener: () => {} };
    conversation = createConversation({ store, api: fake.api, tokens, locale, doc });
    return { fake, store, tokens, conversation };
  }

  it("opens the conversation in the storefront's language and keeps its token", async () => {
    const { fake, store, tokens, conversation } = setUp("fr");
    await expect(conversation.ensureSession()).resolves.toBe(TOKEN_A);
    await conversation.ensureSession();
    expect(fake.starts).toEqual([[null, "fr"]]);
    expect(tokens.get()).toBe(TOKEN_A);
    expect(store.get().greeting).toMatch(/^Bonjour/);
  });

  it("sends a message and streams the reply into the state", async () => {
    const { fake, store, conversation } = setUp();
    const pendingSeen: string[] = [];
    store.subscribe((state) => {
      if (state.pending?.text) pendingSeen.push(state.pending.text);
    });
    fake.reply.push(async (_token, text, onEvent, onOpen) => {
      onOpen();
      onEvent({ type: "typing", author: "assistant" });
      onEvent({ type: "message", message: msg("m1", "shopper", text, 1) });
      onEvent({ type: "delta", messageId: "m2", text: "Suivre le colis : " });
      onEvent({ type: "delta", messageId: "m2", text: "https://t.example/1" });
      onEvent({ type: "done", message: msg("m2", "assistant", "Suivre le colis : https://t.example/1", 2), status: "open" });
    });
    await expect(conversation.send("  Où est mon colis ?  ")).resolves.toBeNull();
    expect(fake.sends).toEqual(["token-a:Où est mon colis ?"]);
    expect(pendingSeen).toEqual(["Suivre le colis : ", "Suivre le colis : https://t.example/1"]);
    const state = store.get();
    expect(state.messages.map((message) => [message.id, message.local ?? false])).toEqual([
      ["m1", false],
      ["m2", false],
    ]);
    expect(state.sending).toBe(false);
    expect(state.pending).toBeNull();
  });

  it("gives back a message the server never took, saying why", async () => {
    const { fake, store, conversation } = setUp();
    fake.reply.push(async () => {
      throw new ApiError("Too many requests.", 429, undefined, 12);
    });
    await expect(conversation.send("hello")).resolves.toBe("hello");
    expect(store.get().messages).toEqual([]);
    expect(store.get().alert).toEqual({ key: "rate_limited", seconds: 12 });
    fake.reply.push(async () => {
      throw new ApiError("boom", 500);
    });
    await expect(conversation.send("hello")).resolves.toBe("hello");
    expect(store.get().alert).toEqual({ key: "send_failed" });
  });

  it("starts a new conversation when the old one has expired, and sends the message there", async () => {
    const { fake, store, tokens, conversation } = setUp();
    await conversation.ensureSession();
    fake.reply.push(async () => {
      throw new ApiError("This conversation doesn't exist or has expired.", 404);
    });
    fake.reply.push(async (_token, text, onEvent, onOpen) => {
      onOpen();
      onEvent({ type: "message", message: msg("n1", "shopper", text, 1) });
      onEvent({ type: "done", message: msg("n2", "assistant", "Bonjour !", 2), status: "open" });
    });
    await expect(conversation.send("bonjour")).resolves.toBeNull();
    expect(fake.sends).toEqual(["token-a:bonjour", "token-b:bonjour"]);
    expect(fake.starts).toEqual([
      [null, "fr"],
      [null, "fr"],
    ]);
    expect(tokens.get()).toBe(TOKEN_B);
    expect(store.get().messages.map((message) => message.body)).toEqual(["bonjour", "Bonjour !"]);
  });

  it("runs one panel request at a time and records a handoff and a rating", async () => {
    const { store, conversation } = setUp();
    const [first, second] = await Promise.all([conversation.handoff(), conversation.handoff()]);
    expect([first, second]).toEqual([true, false]);
    expect(store.get().status).toBe("waiting_on_staff");
    expect(store.get().busy).toBe(false);
    await expect(conversation.rate(5, "  Merci !  ")).resolves.toBe(true);
    expect(store.get()).toMatchObject({ rated: true, view: "thanks" });
  });
});
