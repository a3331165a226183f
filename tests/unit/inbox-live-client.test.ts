import { describe, expect, it } from "vitest";
import { connectLive, createSseParser, type LiveEnvelopeOnClient, type SseMessage } from "~/components/inbox/live";

function parse(chunks: string[]) {
  const messages: SseMessage[] = [];
  const retries: number[] = [];
  const parser = createSseParser(
    (message) => messages.push(message),
    (ms) => retries.push(ms),
  );
  for (const chunk of chunks) parser.feed(chunk);
  return { messages, retries, parser };
}

describe("inbox live client: SSE parser", () => {
  it("reads events with ids, names and multi-line data, and skips comments", () => {
    const { messages } = parse([": keep-alive\n\n", "id: 7\nevent: message.created\ndata: {\"a\":1}\n\n", "data: one\ndata: two\n\n"]);
    expect(messages).toEqual([
      { id: "7", event: "message.created", data: '{"a":1}' },
      // The last id carries over to later events; the default event name is "message".
      { id: "7", event: "message", data: "one\ntwo" },
    ]);
  });

  it("handles any chunking, CRLF split across chunks, and CR-only line ends", () => {
    const text = "id: 41\r\nevent: typing\r\ndata: {\"typing\":true}\r\n\r\nid: 42\revent: read\rdata: x\r\r";
    for (let size = 1; size <= text.length; size++) {
      const chunks: string[] = [];
      for (let index = 0; index < text.length; index += size) chunks.push(text.slice(index, index + size));
      const { messages, parser } = parse(chunks);
      expect(messages, `chunk size ${size}`).toEqual([
        { id: "41", event: "typing", data: '{"typing":true}' },
        { id: "42", event: "read", data: "x" },
      ]);
      expect(parser.lastEventId).toBe("42");
    }
  });

  it("keeps one space after the colon only, ignores unknown fields and events without data, reports retry", () => {
    const { messages, retries } = parse(["retry: 1500\n\nfoo: bar\nevent: x\n\ndata:  two spaces\n\ndata\n\n"]);
    expect(retries).toEqual([1500]);
    expect(messages).toEqual([
      { id: null, event: "message", data: " two spaces" },
      { id: null, event: "message", data: "" },
    ]);
  });

  it("drops a half-received event on reset but keeps the id to resume from", () => {
    const messages: SseMessage[] = [];
    const parser = createSseParser((message) => messages.push(message));
    parser.feed("id: 5\nevent: a\ndata: 1\n\nid: 6\nevent: b\ndata: par");
    parser.reset();
    parser.feed("event: c\ndata: 2\n\n");
    expect(messages.map((message) => message.event)).toEqual(["a", "c"]);
    expect(parser.lastEventId).toBe("6");
  });
});

describe("inbox live client: connection", () => {
  it("reconnects when the server ends the stream, sending Last-Event-ID, and reports whether it resumed", async () => {
    const bodies = [
      'retry: 1000\n\nevent: ready\ndata: {"resumed":false}\n\nid: 10\nevent: conversation.created\ndata: {"type":"conversation.created","conversationId":"c1"}\n\n',
      'event: ready\ndata: {"resumed":true}\n\nid: 11\nevent: message.created\ndata: {"type":"message.created","conversationId":"c1","messageId":"m1","author":"shopper","visibility":"public"}\n\n',
    ];
    const requests: Record<string, string>[] = [];
    const events: LiveEnvelopeOnClient[] = [];
    const opens: boolean[] = [];
    const statuses: string[] = [];
    const controller = new AbortController();
    const fakeFetch = (async (_url: string, init: RequestInit) => {
      requests.push({ ...(init.headers as Record<string, string>) });
      const body = bodies.shift();
      if (body === undefined) {
        controller.abort();
        throw new DOMException("aborted", "AbortError");
      }
      return new Response(new Blob([body]).stream(), { status: 200, headers: { "Content-Type": "text/event-stream" } });
    }) as unknown as typeof fetch;

    await connectLive({
      url: "/app/inbox/events",
      signal: controller.signal,
      fetchImpl: fakeFetch,
      onEvent: (envelope) => events.push(envelope),
      onOpen: (resumed) => opens.push(resumed),
      onStatus: (status) => statuses.push(status),
    });

    expect(requests[0]?.["Last-Event-ID"]).toBeUndefined();
    expect(requests[1]?.["Last-Event-ID"]).toBe("10");
    expect(requests[2]?.["Last-Event-ID"]).toBe("11");
    expect(opens).toEqual([false, true]);
    expect(events.map((envelope) => [envelope.id, envelope.event.type])).toEqual([
      ["10", "conversation.created"],
      ["11", "message.created"],
    ]);
    expect(statuses.slice(0, 4)).toEqual(["connecting", "live", "reconnecting", "live"]);
  });

  it("backs off after a refused connection instead of hammering the server", async () => {
    const controller = new AbortController();
    const times: number[] = [];
    const fakeFetch = (async () => {
      times.push(Date.now());
      if (times.length === 2) controller.abort();
      return new Response("no", { status: 401 });
    }) as unknown as typeof fetch;
    await connectLive({ url: "/x", signal: controller.signal, fetchImpl: fakeFetch, onEvent: () => {}, onOpen: () => {}, onStatus: () => {} });
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
  });
});
