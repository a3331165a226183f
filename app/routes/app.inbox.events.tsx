import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import { type LiveEnvelope, liveEventsAfter, liveReady, subscribeLive } from "~/lib/live/live-events.server";

/**
 * GET /app/inbox/events: the shop's live events for the inbox (text/event-stream; `id:` is the event id, so a
 * reconnect with Last-Event-ID replays what was missed). Staff see internal events too (notes, presence).
 * The stream ends after 5 minutes and the client reconnects, so a session token is never trusted for long.
 */
const HEARTBEAT_MS = 15_000;
const MAX_STREAM_MS = 5 * 60_000;
const RETRY_MS = 1_000;
const EVENT_ID = /^\d{1,19}$/;

const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-store, no-transform",
  "X-Accel-Buffering": "no",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await authenticateStaff(request);
  const header = request.headers.get("Last-Event-ID")?.trim() ?? "";
  const resumeFrom = EVENT_ID.test(header) ? header : null;
  return new Response(liveStream(shop.id, resumeFrom, request.signal), { headers: SSE_HEADERS });
}

function liveStream(shopId: string, resumeFrom: string | null, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let lastSent = resumeFrom ? BigInt(resumeFrom) : -1n;
      // Events heard while the catch-up query runs wait here, so none is lost or sent twice.
      let buffered: LiveEnvelope[] | null = [];
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const send = (envelope: LiveEnvelope) => {
        const id = BigInt(envelope.id);
        if (id <= lastSent) return;
        lastSent = id;
        write(`id: ${envelope.id}\nevent: ${envelope.event.type}\ndata: ${JSON.stringify(envelope.event)}\n\n`);
      };
      const unsubscribe = subscribeLive({ shopId }, (envelope) => {
        if (buffered) buffered.push(envelope);
        else send(envelope);
      });
      const heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
      const deadline = setTimeout(() => stop(), MAX_STREAM_MS);
      stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        clearTimeout(deadline);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // the client went away first
        }
      };
      signal.addEventListener("abort", stop);
      write(`retry: ${RETRY_MS}\n\n`);
      try {
        await liveReady();
        // Without a resume point the client loads the state itself; with one, we replay the gap (events are
        // kept for 15 minutes; an older id gets what is left and the client's revalidation covers the rest).
        const missed = resumeFrom ? await liveEventsAfter(shopId, resumeFrom) : [];
        const resumed = resumeFrom !== null && missed.length < 500;
        write(`event: ready\ndata: ${JSON.stringify({ resumed })}\n\n`);
        for (const envelope of missed) send(envelope);
      } catch (error) {
        console.warn(`[inbox] live catch-up failed: ${(error as Error).message}`);
        write(`event: ready\ndata: ${JSON.stringify({ resumed: false })}\n\n`);
      }
      const pending = buffered ?? [];
      buffered = null;
      for (const envelope of pending) send(envelope);
    },
    cancel() {
      stop();
    },
  });
}
