import { describe, expect, it, vi } from "vitest";
import type { ChatMessage, StreamEvent } from "../../app/modules/storefront/chat-contract";
import { ApiError, apiLocale, createApi, retryAfterSeconds, safeBase } from "../../widget/api";
import { accentPalette, contrastRatio, parseHex } from "../../widget/colors";
import { BACKOFF_MAX_MS, backoffDelay, LiveConnection } from "../../widget/live";
import { currentQuickReplies, lastServerId, localMessage, mergeMessages } from "../../widget/messages";
import { safeHttpUrl } from "../../widget/message-text";
import { formatDate, formatMoney, orderStatusKey } from "../../widget/views/order-card";
import { createSseParser, type SseMessage, toStreamEvent } from "../../widget/sse";
import { createTokenStore, STORAGE_PREFIX, storageKey } from "../../widget/storage";
import { DEFAULT_STRINGS, decodeEntities, format, parseStrings, resolveStrings } from "../../widget/strings";

function msg(id: string, author: ChatMessage["author"], body: string, createdAt: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id, author, body, createdAt, ...extra };
}

function parseAll(chunks: string[]) {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const parser = createSseParser(
    (message) => messages.push(message),
    (comment) => comments.push(comment),
  );
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { messages, comments };
}

function sseResponse(chunks: string[], init: ResponseInit = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { headers: { "Content-Type": "text/event-stream" }, ...init });
}

describe("SSE parser", () => {
  it("parses events, joins multi-line data and ignores comments and retry", () => {
    const { messages, comments } = parseAll([": connected\n\nevent: delta\ndata: {\"a\":1}\n\nretry: 10\ndata: line 1\ndata: line 2\n\n"]);
    expect(comments).toEqual(["connected"]);
    expect(messages).toEqual([
      { event: "delta", data: '{"a":1}', id: null },
      { event: "message", data: "line 1\nline 2", id: null },
    ]);
  });

  it("handles chunks split anywhere, including inside a CRLF pair and a multi-byte character", () => {
    const frame = 'event: message\r\ndata: {"type":"delta","messageId":"m1","text":"héllo"}\r\n\r\n';
    for (let cut = 1; cut < frame.length; cut++) {
      const { messages } = parseAll([frame.slice(0, cut), frame.slice(cut)]);
      expect(messages, `cut at ${cut}`).toHaveLength(1);
      expect(messages[0]?.data).toBe('{"type":"delta","messageId":"m1","text":"héllo"}');
    }
    const { messages } = parseAll(["data: a\r", "\ndata: b\r\r"]);
    expect(messages).toEqual([{ event: "message", data: "a\nb", id: null }]);
  });

  it("keeps the space-less field form, the last id, and drops an unterminated event at the end", () => {
    const { messages } = parseAll(["id: 7\nevent:typing\ndata:{}\n\n", "data: never dispatched"]);
    expect(messages).toEqual([{ event: "typing", data: "{}", id: "7" }]);
  });

  it("turns SSE messages into contract events, rejecting malformed ones", () => {
    const message = msg("m1", "assistant", "Hi", "2025-01-01T00:00:00.000Z");
    expect(toStreamEvent({ event: "message", data: JSON.stringify({ type: "message", message }), id: null })).toEqual({ type: "message", message });
    expect(toStreamEvent({ event: "typing", data: JSON.stringify({ author: "staff" }), id: null })).toEqual({ type: "typing", author: "staff" });
    expect(toStreamEvent({ event: "done", data: JSON.stringify({ type: "done", message: null, status: "open" }), id: null })).toEqual({
      type: "done",
      message: null,
      status: "open",
    });
    expect(toStreamEvent({ event: "message", data: "not json", id: null })).toBeNull();
    expect(toStreamEvent({ event: "message", data: JSON.stringify({ type: "message", message: { id: 1 } }), id: null })).toBeNull();
    expect(toStreamEvent({ event: "x", data: JSON.stringify({ type: "surprise" }), id: null })).toBeNull();
    expect(toStreamEvent({ event: "delta", data: JSON.stringify({ type: "delta", messageId: "m1" }), id: null })).toBeNull();
  });
});

describe("message list", () => {
  const a = msg("a", "assistant", "Hello", "2025-01-01T10:00:00.000Z");
  const b = msg("b", "shopper", "Where is my order?", "2025-01-01T10:01:00.000Z");
  const c = msg("c", "assistant", "Let me check.", "2025-01-01T10:01:01.000Z", { quickReplies: ["Yes", "No"] });

  it("dedupes by id from any source and keeps createdAt order", () => {
    let list = mergeMessages([], [a, c]);
    list = mergeMessages(list, [b]);
    list = mergeMessages(list, [c, b, a]);
    expect(list.map((m) => m.id)).toEqual(["a", "b", "c"]);
    const edited = { ...c, body: "Checking…" };
    expect(mergeMessages(list, [edited])[2]).toBe(edited);
  });

  it("replaces this tab's pending message when the server echoes it, and keeps pending ones last", () => {
    const local = localMessage("  Where is my order?\r\n");
    let list = mergeMessages([a], []).concat(local);
    list = mergeMessages(list, [msg("x", "shopper", "Another tab", "2025-01-01T10:00:30.000Z")]);
    expect(list.map((m) => m.id)).toEqual(["a", "x", local.id]);
    list = mergeMessages(list, [b]);
    expect(list.map((m) => m.id)).toEqual(["a", "x", "b"]);
    expect(list.some((m) => m.local)).toBe(false);
  });

  it("knows the last server id and the current quick replies", () => {
    const list = mergeMessages([], [a, b, c]).concat(localMessage("pending"));
    expect(lastServerId(list)).toBe("c");
    expect(lastServerId([])).toBeNull();
    expect(currentQuickReplies(mergeMessages([], [a, b, c]))).toEqual(["Yes", "No"]);
    expect(currentQuickReplies(mergeMessages([], [c, msg("d", "shopper", "ok", "2025-01-01T11:00:00.000Z")]))).toEqual([]);
  });
});

describe("token storage", () => {
  it("uses one key per shop domain", () => {
    expect(storageKey("Northwind.myshopify.com ")).toBe("shopdesk:v1:northwind.myshopify.com");
    expect(STORAGE_PREFIX).toBe("shopdesk:v1:");
  });

  it("stores in localStorage, ignores junk, and falls back to memory when storage throws", () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (key: string) => data.get(key) ?? null,
      setItem: (key: string, value: string) => void data.set(key, value),
      removeItem: (key: string) => void data.delete(key),
    };
    const store = createTokenStore("shop.myshopify.com", () => storage);
    const token = "tok_0123456789abcdefghijKLMN";
    store.set(token);
    expect(data.get("shopdesk:v1:shop.myshopify.com")).toBe(token);
    expect(store.get()).toBe(token);
    data.set(store.key, "<script>");
    expect(store.get()).toBe(token); // junk in the slot: the in-memory copy
    store.set(null);
    expect(data.has(store.key)).toBe(false);

    const broken = createTokenStore("shop.myshopify.com", () => {
      throw new Error("SecurityError");
    });
    expect(broken.get()).toBeNull();
    broken.set(token);
    expect(broken.get()).toBe(token);
  });
});

describe("strings", () => {
  it("falls back to English for missing, blank, non-string or 'translation missing' values", () => {
    const strings = resolveStrings({ send: "Envoyer", close: "", handoff: 3, typing: "translation missing: fr.chat.typing", extra: "ignored" });
    expect(strings.send).toBe("Envoyer");
    expect(strings.close).toBe(DEFAULT_STRINGS.close);
    expect(strings.handoff).toBe(DEFAULT_STRINGS.handoff);
    expect(strings.typing).toBe(DEFAULT_STRINGS.typing);
    expect("extra" in strings).toBe(false);
    expect(parseStrings("{not json")).toEqual(DEFAULT_STRINGS);
    expect(parseStrings(null)).toEqual(DEFAULT_STRINGS);
  });

  it("decodes the HTML escapes Shopify's t filter adds", () => {
    expect(decodeEntities("Vous n&#39;avez &amp; &lt;b&gt; &quot;x&quot; &#x27;y&#x27; &nbsp;&unknown;")).toBe("Vous n'avez & <b> \"x\" 'y' \u00a0&unknown;");
    expect(parseStrings(JSON.stringify({ status_team: "Un membre de l&#39;équipe" })).status_team).toBe("Un membre de l'équipe");
  });

  it("fills {placeholders}", () => {
    expect(format(DEFAULT_STRINGS.rate_limited, { seconds: 12 })).toBe("You're sending messages quickly — try again in 12 s.");
    expect(format("{a} {b}", { a: "x" })).toBe("x {b}");
  });
});

describe("colours", () => {
  it("picks the text colour with more contrast on the accent", () => {
    expect(accentPalette("#2c6ecb").onAccent).toBe("#ffffff");
    expect(accentPalette("#ffd400").onAccent).toBe("#111111");
    expect(accentPalette("#000").onAccent).toBe("#ffffff");
    for (const accent of ["#2c6ecb", "#ffd400", "#ff0066", "#00a36c", "#777777", "#ffffff", "#000000"]) {
      const palette = accentPalette(accent);
      const ratio = contrastRatio(parseHex(palette.accent)!, parseHex(palette.onAccent)!);
      expect(ratio, accent).toBeGreaterThanOrEqual(4.5 - 0.5); // mid-greys cap near 4.5 with either colour
      expect(contrastRatio(parseHex(palette.ink)!, [255, 255, 255]), accent).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("falls back to the default accent for invalid values", () => {
    expect(accentPalette("red; background:url(x)").accent).toBe("#2c6ecb");
    expect(parseHex("#abc")).toEqual([170, 187, 204]);
  });
});

describe("order card helpers", () => {
  const card = { status: "open", financialStatus: "paid", fulfillmentStatus: "fulfilled", shipments: [] as { status: string }[] };

  it("describes the order from cancellation, refund, newest shipment, then fulfillment", () => {
    expect(orderStatusKey({ ...card, status: "cancelled" } as never)).toBe("order_status_cancelled");
    expect(orderStatusKey({ ...card, financialStatus: "refunded" } as never)).toBe("order_status_refunded");
    expect(orderStatusKey({ ...card, shipments: [{ status: "in_transit" }, { status: "out_for_delivery" }] } as never)).toBe("order_status_out_for_delivery");
    expect(orderStatusKey({ ...card, shipments: [{ status: "pending" }] } as never)).toBe("order_status_fulfilled");
    expect(orderStatusKey({ ...card, fulfillmentStatus: "unfulfilled" } as never)).toBe("order_status_processing");
  });

  it("only links http(s) tracking URLs and formats money", () => {
    expect(safeHttpUrl("https://track.example.com/1Z?x=1")).toBe("https://track.example.com/1Z?x=1");
    expect(safeHttpUrl("javascript:alert(1)")).toBeNull();
    expect(safeHttpUrl("//evil.example")).toBeNull();
    expect(formatMoney("48.5", "USD", "en")).toBe("$48.50");
    expect(formatMoney("48.5", "EUR", "fr")).toMatch(/48,50\s€/);
    expect(formatMoney("n/a", "USD", "en")).toBe("n/a USD");
  });

  it("writes dates in the shopper's locale", () => {
    const at = "2026-10-26T15:00:00.000Z";
    expect(formatDate(at, "en")).toBe("Oct 26, 2026");
    expect(formatDate(at, "fr")).toBe("26 oct. 2026");
    expect(formatDate(at, "de")).toBe("26. Okt. 2026");
    expect(formatDate(at, "es")).toBe("26 oct 2026");
    expect(formatDate("not a date", "fr")).toBeNull();
    expect(formatDate(null, "fr")).toBeNull();
  });
});

describe("API client", () => {
  it("keeps requests on the same origin and sends the token only in the header", async () => {
    expect(safeBase("//evil.example/apps")).toBe("/apps/shopdesk");
    expect(safeBase("https://evil.example")).toBe("/apps/shopdesk");
    expect(safeBase("/apps/shopdesk/")).toBe("/apps/shopdesk");
    expect(apiLocale("pt-BR")).toBe("pt-BR");
    expect(apiLocale("zh-Hant-TW")).toBe("zh");
    expect(apiLocale("")).toBeUndefined();

    const calls: { url: string; init: RequestInit }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return Response.json({ messages: [], status: "open" });
    }) as unknown as typeof fetch;
    const api = createApi("/apps/shopdesk", fetchImpl);
    await api.messagesAfter("secret-token-0123456789", "m 1");
    expect(calls[0]?.url).toBe("/apps/shopdesk/messages?after=m%201");
    expect(calls[0]?.init.credentials).toBe("same-origin");
    expect((calls[0]?.init.headers ?? {}) as Record<string, string>).toHaveProperty(["X-Shopdesk-Conversation"], "secret-token-0123456789");
    expect(calls[0]?.url).not.toContain("secret");
  });

  it("streams a reply and reports errors with status, field and Retry-After", async () => {
    const events: StreamEvent[] = [];
    let opened = false;
    const reply = msg("r1", "assistant", "Hello there", "2025-01-01T00:00:00.000Z");
    const ok = createApi("/apps/shopdesk", (async () =>
      sseResponse([
        'event: typing\ndata: {"type":"typing","author":"assistant"}\n\n',
        'event: delta\ndata: {"type":"delta","messageId":"r1","te',
        'xt":"Hello "}\n\n: keep-alive\n\nevent: delta\ndata: {"type":"delta","messageId":"r1","text":"there"}\n\n',
        `event: done\ndata: ${JSON.stringify({ type: "done", message: reply, status: "waiting_on_shopper" })}\n\n`,
      ])) as unknown as typeof fetch);
    await ok.send("token-0123456789abcdefgh", "hi", (event) => events.push(event), undefined, () => {
      opened = true;
    });
    expect(opened).toBe(true);
    expect(events.map((event) => event.type)).toEqual(["typing", "delta", "delta", "done"]);

    const limited = createApi("/apps/shopdesk", (async () =>
      Response.json({ error: "Too many requests." }, { status: 429, headers: { "Retry-After": "17" } })) as unknown as typeof fetch);
    const error = await limited.send("token-0123456789abcdefgh", "hi", () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, retryAfter: 17 });

    const invalid = createApi("/apps/shopdesk", (async () => Response.json({ error: "Enter your order number.", field: "orderNumber" }, { status: 400 })) as unknown as typeof fetch);
    await expect(invalid.verify("token-0123456789abcdefgh", "", "a@b.co")).rejects.toMatchObject({ status: 400, field: "orderNumber" });
    expect(retryAfterSeconds("2.2")).toBe(3);
    expect(retryAfterSeconds(null)).toBeUndefined();
  });
});

describe("live connection", () => {
  it("backs off exponentially with jitter, capped", () => {
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(0, () => 1)).toBe(1000);
    expect(backoffDelay(3, () => 1)).toBe(8000);
    expect(backoffDelay(20, () => 1)).toBe(BACKOFF_MAX_MS);
  });

  it("reconnects after the stream ends, catching up from the last message id first", async () => {
    let lastId = "m1";
    const calls: string[] = [];
    const received: StreamEvent[] = [];
    const caughtUp: ChatMessage[][] = [];
    const staff = msg("m2", "staff", "Hi, Sam here", "2025-01-01T00:00:00.000Z", { authorName: "Sam" });
    let connections = 0;
    const api = {
      events: vi.fn(async (_token: string, after: string | null, onEvent: (event: StreamEvent) => void) => {
        calls.push(`events after=${after}`);
        connections += 1;
        if (connections === 1) onEvent({ type: "handoff", status: "waiting_on_staff" });
        if (connections === 3) live.stop();
      }),
      messagesAfter: vi.fn(async (_token: string, after: string | null) => {
        calls.push(`messages after=${after}`);
        lastId = "m2";
        return { messages: [staff], status: "waiting_on_shopper" as const };
      }),
    };
    const live: LiveConnection = new LiveConnection({
      api: api as never,
      token: () => "token-0123456789abcdefgh",
      lastId: () => lastId,
      onEvent: (event) => received.push(event),
      onCatchUp: (messages) => caughtUp.push(messages),
      onGone: () => {},
      delay: () => 5,
    });
    live.start();
    await vi.waitFor(() => expect(connections).toBe(3));
    expect(calls).toEqual(["events after=m1", "messages after=m1", "events after=m2", "messages after=m2", "events after=m2"]);
    expect(received).toEqual([{ type: "handoff", status: "waiting_on_staff" }]);
    expect(caughtUp).toEqual([[staff], [staff]]);
    expect(live.active).toBe(false);
  });

  it("gives up and reports when the token stops working", async () => {
    const onGone = vi.fn();
    const live = new LiveConnection({
      api: {
        events: async () => {
          throw new ApiError("expired", 404);
        },
      } as never,
      token: () => "token-0123456789abcdefgh",
      lastId: () => null,
      onEvent: () => {},
      onCatchUp: () => {},
      onGone,
      delay: () => 5,
    });
    live.start();
    await vi.waitFor(() => expect(onGone).toHaveBeenCalledTimes(1));
    expect(live.active).toBe(false);
  });
});
