import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApi } from "../../widget/api";
import { createReadReceipts, READ_DEBOUNCE_MS, readTarget } from "../../widget/read-receipts";

type Shown = { id: string; author: string; local?: boolean };

/** A document whose visibility the test switches, with the listeners the module registers. */
function fakeDocument(initial: DocumentVisibilityState = "visible") {
  const listeners = new Set<() => void>();
  return {
    visibilityState: initial,
    addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
    setVisibility(state: DocumentVisibilityState) {
      this.visibilityState = state;
      for (const listener of listeners) listener();
    },
    listeners,
  };
}

describe("widget read receipts: what to acknowledge", () => {
  it("names the newest server message when something not from the shopper is new", () => {
    const messages: Shown[] = [
      { id: "m1", author: "shopper" },
      { id: "m2", author: "staff" },
      { id: "local:1", author: "shopper", local: true },
    ];
    expect(readTarget(messages, null)).toBe("m2");
    expect(readTarget(messages, "m2")).toBeNull();
    // Only the shopper's own messages since the last receipt: nothing to acknowledge.
    expect(readTarget([...messages, { id: "m3", author: "shopper" }], "m2")).toBeNull();
    expect(readTarget([...messages, { id: "m3", author: "shopper" }, { id: "m4", author: "assistant" }], "m2")).toBe("m4");
    // A receipt from another conversation (the token changed) does not hide this one's messages.
    expect(readTarget(messages, "elsewhere")).toBe("m2");
    expect(readTarget([], null)).toBeNull();
  });
});

describe("widget read receipts: when they are sent", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(options: { open?: boolean; visibility?: DocumentVisibilityState; send?: (upTo: string) => Promise<unknown> } = {}) {
    const state = { open: options.open ?? true, messages: [{ id: "m1", author: "shopper" }, { id: "m2", author: "staff" }] as Shown[] };
    const doc = fakeDocument(options.visibility);
    const sent: string[] = [];
    const send = options.send ?? (async (upTo: string) => void sent.push(upTo));
    const receipts = createReadReceipts({ view: () => state, send, doc });
    return { state, doc, sent, receipts };
  }

  it("sends one receipt with the newest id once the view settles, while the panel is open and the tab visible", () => {
    const { state, sent, receipts } = setup();
    receipts.check();
    state.messages.push({ id: "m3", author: "staff" });
    vi.advanceTimersByTime(READ_DEBOUNCE_MS - 10);
    receipts.check(); // a render in between restarts the wait: bursts make one request
    vi.advanceTimersByTime(READ_DEBOUNCE_MS - 10);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(sent).toEqual(["m3"]);
    receipts.check();
    vi.advanceTimersByTime(READ_DEBOUNCE_MS * 2);
    expect(sent).toEqual(["m3"]);
  });

  it("waits while the panel is closed or the tab hidden, and sends when the tab becomes visible", () => {
    const closed = setup({ open: false });
    closed.receipts.check();
    vi.advanceTimersByTime(READ_DEBOUNCE_MS * 2);
    expect(closed.sent).toEqual([]);
    closed.state.open = true;
    closed.receipts.check();
    vi.advanceTimersByTime(READ_DEBOUNCE_MS);
    expect(closed.sent).toEqual(["m2"]);

    const hidden = setup({ visibility: "hidden" });
    hidden.receipts.check();
    vi.advanceTimersByTime(READ_DEBOUNCE_MS * 2);
    expect(hidden.sent).toEqual([]);
    hidden.doc.setVisibility("visible");
    vi.advanceTimersByTime(READ_DEBOUNCE_MS);
    expect(hidden.sent).toEqual(["m2"]);
  });

  it("does not send when the panel closed or the tab was hidden during the wait", () => {
    const { state, doc, sent, receipts } = setup();
    receipts.check();
    state.open = false;
    vi.advanceTimersByTime(READ_DEBOUNCE_MS);
    expect(sent).toEqual([]);
    state.open = true;
    receipts.check();
    doc.visibilityState = "hidden";
    vi.advanceTimersByTime(READ_DEBOUNCE_MS);
    expect(sent).toEqual([]);
  });

  it("retries a failed receipt at the next check, and stops listening when stopped", async () => {
    let fail = true;
    const attempts: string[] = [];
    const { doc, receipts } = setup({
      send: async (upTo) => {
        attempts.push(upTo);
        if (fail) throw new Error("offline");
      },
    });
    receipts.check();
    await vi.advanceTimersByTimeAsync(READ_DEBOUNCE_MS);
    expect(attempts).toEqual(["m2"]);
    fail = false;
    receipts.check();
    await vi.advanceTimersByTimeAsync(READ_DEBOUNCE_MS);
    expect(attempts).toEqual(["m2", "m2"]);
    receipts.stop();
    expect(doc.listeners.size).toBe(0);
  });

  it("posts { upTo } with the conversation header to <base>/read", async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const api = createApi("/apps/shopdesk", async (url, init) => {
      calls.push({ url: String(url), init: init ?? {} });
      return Response.json({ at: "2026-12-02T10:00:00.000Z" });
    });
    await api.read("token-1234567890abcdefghij", "m2");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("/apps/shopdesk/read");
    expect(calls[0]!.init.method).toBe("POST");
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ upTo: "m2" });
    expect((calls[0]!.init.headers as Record<string, string>)["X-Shopdesk-Conversation"]).toBe("token-1234567890abcdefghij");
  });
});
