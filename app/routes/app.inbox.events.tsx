import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import { type LiveEnvelope, liveEventsAfter, liveReady, subscribeLive } from "~/lib/live/live-events.server";
import { type SseSink, sseResponse } from "~/lib/server/sse.server";

/**
 * GET /app/inbox/events: the shop's live events for the inbox (text/event-stream; `id:` is the event id, so a
 * reconnect with Last-Event-ID replays what was missed). Staff see internal events too (notes, presence).
 * The stream ends after 5 minutes and the client reconnects, so a session token is never trusted for long.
 */
const RETRY_MS = 1_000;
const EVENT_ID = /^\d{1,19}$/;

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await authenticateStaff(request);
  const header = request.headers.get("Last-Event-ID")?.trim() ?? "";
  const resumeFrom = EVENT_ID.test(header) ? header : null;
  return sseResponse(request.signal, (sink) => liveStream(sink, shop.id, resumeFrom));
}

async function liveStream(sink: SseSink, shopId: string, resumeFrom: string | null) {
  let lastSent = resumeFrom ? BigInt(resumeFrom) : -1n;
  // Events heard while the catch-up query runs wait here, so none is lost or sent twice.
  let buffered: LiveEnvelope[] | null = [];
  const send = (envelope: LiveEnvelope) => {
    const id = BigInt(envelope.id);
    if (id <= lastSent) return;
    lastSent = id;
    sink.send(`id: ${envelope.id}\nevent: ${envelope.event.type}\ndata: ${JSON.stringify(envelope.event)}\n\n`);
  };
  sink.onClose(
    subscribeLive({ shopId }, (envelope) => {
      if (buffered) buffered.push(envelope);
      else send(envelope);
    }),
  );
  sink.send(`retry: ${RETRY_MS}\n\n`);
  try {
    await liveReady();
    // Without a resume point the client loads the state itself; with one, we replay the gap (events are
    // kept for 15 minutes; an older id gets what is left and the client's revalidation covers the rest).
    const missed = resumeFrom ? await liveEventsAfter(shopId, resumeFrom) : [];
    const resumed = resumeFrom !== null && missed.length < 500;
    sink.send(`event: ready\ndata: ${JSON.stringify({ resumed })}\n\n`);
    for (const envelope of missed) send(envelope);
  } catch (error) {
    console.warn(`[inbox] live catch-up failed: ${(error as Error).message}`);
    sink.send(`event: ready\ndata: ${JSON.stringify({ resumed: false })}\n\n`);
  }
  const pending = buffered ?? [];
  buffered = null;
  for (const envelope of pending) send(envelope);
}
