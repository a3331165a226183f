import type { StreamEvent } from "../app/modules/storefront/chat-contract";

/**
 * Server-sent events over `fetch` (EventSource cannot send the conversation header): an incremental parser
 * for the text/event-stream format (https://html.spec.whatwg.org/multipage/server-sent-events.html), fed
 * with decoded chunks that may split lines, fields and CRLF pairs anywhere.
 */

export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

export interface SseParser {
  push(chunk: string): void;
  /** End of stream: a last event without its blank line is dropped, as the spec says. */
  end(): void;
}

export function createSseParser(onMessage: (message: SseMessage) => void, onComment?: (text: string) => void): SseParser {
  let buffer = "";
  let event = "";
  let data: string[] = [];
  let id: string | null = null;
  let sawCr = false;

  const dispatch = () => {
    if (data.length > 0) onMessage({ event: event || "message", data: data.join("\n"), id });
    event = "";
    data = [];
  };

  const line = (text: string) => {
    if (text === "") return dispatch();
    if (text[0] === ":") return onComment?.(text.slice(1).trimStart());
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value[0] === " ") value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id" && !value.includes("\0")) id = value;
    // `retry` and unknown fields: ignored (the widget schedules its own reconnects).
  };

  return {
    push(chunk: string) {
      let text = chunk;
      // A CRLF split across chunks: the LF belongs to the line the CR already ended.
      if (sawCr && text[0] === "\n") text = text.slice(1);
      sawCr = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const ch = buffer[i];
        if (ch !== "\n" && ch !== "\r") continue;
        line(buffer.slice(start, i));
        if (ch === "\r") {
          if (i + 1 === buffer.length) sawCr = true;
          else if (buffer[i + 1] === "\n") i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    end() {
      buffer = "";
      event = "";
      data = [];
    },
  };
}

const TYPES = new Set<StreamEvent["type"]>(["message", "delta", "reset", "handoff", "typing", "done", "error"]);

/** A stream event from an SSE message: JSON `data` with a known `type` (or the SSE event name), else null. */
export function toStreamEvent(message: SseMessage): StreamEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.data);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
  const record = parsed as Record<string, unknown>;
  const type = typeof record.type === "string" ? record.type : message.event;
  if (!TYPES.has(type as StreamEvent["type"])) return null;
  const event = { ...record, type } as StreamEvent;
  switch (event.type) {
    case "message":
      return isMessage(event.message) ? event : null;
    case "delta":
      return typeof event.messageId === "string" && typeof event.text === "string" ? event : null;
    case "reset":
      return typeof event.messageId === "string" ? event : null;
    case "done":
      return event.message === null || isMessage(event.message) ? event : null;
    default:
      return event;
  }
}

function isMessage(value: unknown): boolean {
  if (!value || typeof value !== "object") return false;
  const message = value as Record<string, unknown>;
  return typeof message.id === "string" && typeof message.body === "string" && typeof message.author === "string";
}

/** Reads a fetch response body as SSE until it ends or the signal aborts. */
export async function readSse(body: ReadableStream<Uint8Array>, onEvent: (event: StreamEvent) => void, onComment?: (text: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser((message) => {
    const event = toStreamEvent(message);
    if (event) onEvent(event);
  }, onComment);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
  } finally {
    parser.end();
    reader.releaseLock();
  }
}
