/**
 * A long-lived server-sent-event stream (the widget's and the inbox's live streams): heartbeats so proxies keep
 * it open, an end after `maxMs` so clients reconnect with fresh credentials, and one clean-up path whether the
 * client leaves, the deadline passes or a write fails.
 */

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-store, no-transform",
  "X-Accel-Buffering": "no",
};

export interface SseSink {
  /** Writes raw SSE text (frames end with a blank line); ignored once the stream is closed. */
  send(text: string): void;
  readonly closed: boolean;
  /** Runs when the stream ends, for whatever reason (unsubscribe here). */
  onClose(cleanup: () => void): void;
}

export function sseResponse(signal: AbortSignal, run: (sink: SseSink) => Promise<void> | void, options: { heartbeatMs?: number; maxMs?: number } = {}): Response {
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const cleanups: (() => void)[] = [];
      const sink: SseSink = {
        send(text) {
          if (closed) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            stop();
          }
        },
        get closed() {
          return closed;
        },
        onClose(cleanup) {
          if (closed) cleanup();
          else cleanups.push(cleanup);
        },
      };
      const heartbeat = setInterval(() => sink.send(": keep-alive\n\n"), options.heartbeatMs ?? 15_000);
      const deadline = setTimeout(() => stop(), options.maxMs ?? 5 * 60_000);
      stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        clearTimeout(deadline);
        for (const cleanup of cleanups.splice(0)) cleanup();
        try {
          controller.close();
        } catch {
          // the client went away first
        }
      };
      signal.addEventListener("abort", () => stop());
      await run(sink);
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
