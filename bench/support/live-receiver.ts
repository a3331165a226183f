/**
 * The receiving side of the inbox bench's live measurement, in its own process (another app instance): the
 * storefront widget's event stream (streamEvents, as GET /apps/shopdesk/events serves it, minus the HTTP hop)
 * for one conversation, fed by subscribeLive (LISTEN/NOTIFY). Usage:
 *   node --import tsx/esm bench/support/live-receiver.ts <shopId> <conversationId>
 * Prints {"ready": true} once the stream is connected, then one line per staff message the stream delivers:
 * {"messageId", "at"} with `at` in epoch milliseconds (performance.timeOrigin + performance.now(), the same
 * clock the sender reads on this machine). Exits on SIGTERM.
 */
import prisma from "../../app/db.server";
import { stopLive } from "../../app/lib/live/live-events.server";
import { type StreamEvent, streamEvents } from "../../app/modules/storefront";

const [shopId, conversationId] = process.argv.slice(2);
if (!shopId || !conversationId) throw new Error("usage: live-receiver.ts <shopId> <conversationId>");
const conversation = await prisma.conversation.findFirstOrThrow({ where: { id: conversationId, shopId } });
const abort = new AbortController();
const response = streamEvents({ shopId, customerId: conversation.customerId, ip: "127.0.0.1" }, conversation, null, abort.signal);
const print = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);

process.on("SIGTERM", () => {
  abort.abort();
  void stopLive().finally(() => prisma.$disconnect().finally(() => process.exit(0)));
});

const decoder = new TextDecoder();
let buffer = "";
for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
  const at = performance.timeOrigin + performance.now();
  buffer += decoder.decode(chunk, { stream: true });
  let end = buffer.indexOf("\n\n");
  while (end !== -1) {
    const frame = buffer.slice(0, end);
    buffer = buffer.slice(end + 2);
    end = buffer.indexOf("\n\n");
    if (frame.startsWith(": connected")) {
      print({ ready: true });
      continue;
    }
    const data = frame.split("\n").find((line) => line.startsWith("data: "));
    if (!data) continue;
    const event = JSON.parse(data.slice(6)) as StreamEvent;
    if (event.type === "message" && event.message.author === "staff") print({ messageId: event.message.id, at });
  }
}
