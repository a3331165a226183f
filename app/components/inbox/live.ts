import { useEffect, useRef, useState } from "react";
import type { LiveEvent } from "~/lib/live/live-events.server";

/*
 * The inbox's live stream, read with fetch rather than EventSource: an embedded app authenticates every
 * request with `Authorization: Bearer <session token>`, which App Bridge adds to fetch (EventSource cannot
 * send headers). The server ends the stream every few minutes; we reconnect with Last-Event-ID and it
 * replays what we missed.
 */

export type { LiveEvent };

export interface SseMessage {
  /** The last `id:` seen on the stream (it carries over to later events, as in EventSource). */
  id: string | null;
  event: string;
  data: string;
}

/**
 * An incremental text/event-stream parser (the WHATWG rules we need: CR/LF/CRLF line ends, `:` comments,
 * one optional space after the colon, multi-line data, `id` and `retry`). Feed it decoded text in any chunks.
 */
export function createSseParser(onMessage: (message: SseMessage) => void, onRetry?: (ms: number) => void) {
  let buffer = "";
  let data: string[] = [];
  let event = "";
  let lastId: string | null = null;
  // A chunk may end between the CR and LF of a CRLF pair.
  let skipLeadingLf = false;

  const dispatch = () => {
    if (data.length > 0) onMessage({ id: lastId, event: event || "message", data: data.join("\n") });
    data = [];
    event = "";
  };

  const line = (text: string) => {
    if (text === "") return dispatch();
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
    else if (field === "id" && !value.includes("\0")) lastId = value;
    else if (field === "retry" && /^\d+$/.test(value)) onRetry?.(Number(value));
  };

  return {
    feed(chunk: string) {
      let text = chunk;
      if (skipLeadingLf && text.startsWith("\n")) text = text.slice(1);
      skipLeadingLf = false;
      buffer += text;
      let start = 0;
      for (let index = 0; index < buffer.length; index++) {
        const char = buffer[index];
        if (char !== "\n" && char !== "\r") continue;
        line(buffer.slice(start, index));
        if (char === "\r") {
          if (index + 1 === buffer.length) skipLeadingLf = true;
          else if (buffer[index + 1] === "\n") index++;
        }
        start = index + 1;
      }
      buffer = buffer.slice(start);
    },
    get lastEventId() {
      return lastId;
    },
    /** A new connection: a half-received event is dropped, the last id is kept for the resume. */
    reset() {
      buffer = "";
      data = [];
      event = "";
      skipLeadingLf = false;
    },
  };
}

export type LiveStatus = "connecting" | "live" | "reconnecting";

export interface LiveEnvelopeOnClient {
  id: string | null;
  event: LiveEvent;
}

interface ConnectOptions {
  url: string;
  signal: AbortSignal;
  onEvent: (envelope: LiveEnvelopeOnClient) => void;
  /** The stream is open (again); `resumed` is false when the server could not replay the gap. */
  onOpen: (resumed: boolean) => void;
  onStatus: (status: LiveStatus) => void;
  fetchImpl?: typeof fetch;
}

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Reads the stream until `signal` aborts, reconnecting (resuming from the last id) when it ends or fails. */
export async function connectLive({ url, signal, onEvent, onOpen, onStatus, fetchImpl }: ConnectOptions): Promise<void> {
  let retryMs = MIN_BACKOFF_MS;
  let backoff = MIN_BACKOFF_MS;
  const parser = createSseParser(
    (message) => {
      if (message.event === "ready") {
        onOpen((JSON.parse(message.data) as { resumed?: boolean }).resumed === true);
        return;
      }
      try {
        onEvent({ id: message.id, event: JSON.parse(message.data) as LiveEvent });
      } catch {
        // A frame we cannot read is skipped; the next revalidation shows the state anyway.
      }
    },
    (ms) => {
      retryMs = Math.max(MIN_BACKOFF_MS, ms);
    },
  );
  let attempt = 0;
  while (!signal.aborted) {
    onStatus(attempt === 0 ? "connecting" : "reconnecting");
    attempt++;
    parser.reset();
    try {
      const headers: Record<string, string> = { Accept: "text/event-stream" };
      if (parser.lastEventId) headers["Last-Event-ID"] = parser.lastEventId;
      // Looked up on each call: App Bridge replaces window.fetch to add the session token.
      const response = await (fetchImpl ?? fetch)(url, { headers, signal, cache: "no-store", credentials: "same-origin" });
      if (!response.ok || !response.body) throw new Error(`live stream answered ${response.status}`);
      onStatus("live");
      backoff = MIN_BACKOFF_MS;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
      // The server closes the stream on purpose every few minutes: reconnect after its retry hint.
      await sleep(retryMs, signal);
    } catch (error) {
      if (signal.aborted) return;
      console.warn(`[inbox] live stream: ${(error as Error).message}`);
      onStatus("reconnecting");
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }
}

/** Subscribes a component to the inbox's live stream while it is mounted; `onEvent` may change freely. */
export function useLiveStream(url: string, handlers: { onEvent: (envelope: LiveEnvelopeOnClient) => void; onOpen: (resumed: boolean) => void }): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const controller = new AbortController();
    void connectLive({
      url,
      signal: controller.signal,
      onEvent: (envelope) => latest.current.onEvent(envelope),
      onOpen: (resumed) => latest.current.onOpen(resumed),
      onStatus: setStatus,
    });
    return () => controller.abort();
  }, [url]);
  return status;
}

/** Calls `fn` at most once per `ms`, with a trailing call so the last change is never lost. */
export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const state = useRef<{ last: number; timer: ReturnType<typeof setTimeout> | null }>({ last: 0, timer: null });
  useEffect(
    () => () => {
      if (state.current.timer) clearTimeout(state.current.timer);
    },
    [],
  );
  const ref = useRef<() => void>(() => {});
  ref.current = () => {
    const current = state.current;
    if (current.timer) return;
    const wait = Math.max(0, current.last + ms - Date.now());
    current.timer = setTimeout(() => {
      current.timer = null;
      current.last = Date.now();
      latest.current();
    }, wait);
  };
  const [stable] = useState(() => () => ref.current());
  return stable;
}
