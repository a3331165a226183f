/**
 * A second app instance for live-event tests: subscribes to one shop's live events in its own process and
 * prints each as a JSON line with the time it arrived. `node --import tsx/esm tests/support/live-subscriber.ts <shopId>`
 * with DATABASE_URL set; prints {"ready":true} once listening.
 */
import { closePool } from "../../app/lib/db/pool.server";
import { liveReady, stopLive, subscribeLive } from "../../app/lib/live/live-events.server";

const [shopId] = process.argv.slice(2);
if (!shopId) {
  console.error("usage: live-subscriber.ts <shopId>");
  process.exit(2);
}
subscribeLive({ shopId }, (envelope) => console.log(JSON.stringify({ receivedAt: Date.now(), ...envelope })));
await liveReady();
console.log(JSON.stringify({ ready: true }));
process.stdin.resume();
process.stdin.on("end", async () => {
  await stopLive();
  await closePool();
  process.exit(0);
});
