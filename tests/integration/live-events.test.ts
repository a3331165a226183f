import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPool, withTransaction } from "~/lib/db/pool.server";
import { type LiveEnvelope, liveEventsAfter, liveReady, publishLive, stopLive, subscribeLive } from "~/lib/live/live-events.server";
import { createTestShop } from "../support/shops";

/** A second instance: another Node process on the same database, reporting every event it hears. */
async function startSubscriber(shopId: string) {
  const child = spawn(process.execPath, ["--import", "tsx/esm", "tests/support/live-subscriber.ts", shopId], { env: process.env, stdio: "pipe" }) as ChildProcessWithoutNullStreams;
  const received: (LiveEnvelope & { receivedAt: number })[] = [];
  const waiters: (() => void)[] = [];
  let ready: () => void;
  const readyPromise = new Promise<void>((resolve) => {
    ready = resolve;
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    const parsed = JSON.parse(line) as { ready?: boolean } & LiveEnvelope & { receivedAt: number };
    if (parsed.ready) return ready();
    received.push(parsed);
    for (const wake of waiters.splice(0)) wake();
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  await Promise.race([readyPromise, new Promise((_, reject) => setTimeout(() => reject(new Error(`subscriber did not start: ${stderr}`)), 20_000))]);
  return {
    received,
    async waitFor(count: number, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} events, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received;
    },
    stop: () => new Promise<void>((resolve) => {
      child.on("exit", () => resolve());
      child.stdin.end();
    }),
  };
}

function collect(shopId: string, conversationId?: string) {
  const events: LiveEnvelope[] = [];
  const unsubscribe = subscribeLive({ shopId, conversationId }, (envelope) => events.push(envelope));
  return { events, unsubscribe };
}

async function until(check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("live events across app instances", () => {
  let shopId: string;
  let otherShopId: string;

  beforeAll(async () => {
    shopId = (await createTestShop("live")).id;
    otherShopId = (await createTestShop("live other")).id;
  });
  afterEach(async () => {
    await stopLive();
    delete process.env.LIVE_FORCE_POLL;
  });
  afterAll(async () => {
    await stopLive();
  });

  it("delivers an event published in this process to a subscriber in another process, and only its shop's", async () => {
    const other = await startSubscriber(shopId);
    try {
      await publishLive(otherShopId, { type: "conversation.updated", conversationId: "c-other", fields: ["status"] });
      await publishLive(shopId, { type: "message.created", conversationId: "c1", messageId: "m1", author: "staff", visibility: "public" });
      const [event] = await other.waitFor(1);
      expect(event?.shopId).toBe(shopId);
      expect(event?.event).toEqual({ type: "message.created", conversationId: "c1", messageId: "m1", author: "staff", visibility: "public" });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(other.received.map((envelope) => envelope.shopId)).toEqual([shopId]);
    } finally {
      await other.stop();
    }
  });

  it("announces a change made in a transaction only once it commits, and never when it rolls back", async () => {
    const { events, unsubscribe } = collect(shopId, "c-tx");
    await liveReady();
    await expect(
      withTransaction(async (client) => {
        await publishLive(shopId, { type: "conversation.updated", conversationId: "c-tx", fields: ["rolled-back"] }, client);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    await withTransaction(async (client) => {
      await publishLive(shopId, { type: "conversation.updated", conversationId: "c-tx", fields: ["committed"] }, client);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(events).toHaveLength(0);
    });
    await until(() => events.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events.map((envelope) => envelope.event)).toEqual([{ type: "conversation.updated", conversationId: "c-tx", fields: ["committed"] }]);
    unsubscribe();
  });

  it("filters by conversation and keeps ids increasing", async () => {
    const { events, unsubscribe } = collect(shopId, "c-a");
    await liveReady();
    for (const conversationId of ["c-a", "c-b", "c-a"]) await publishLive(shopId, { type: "typing", conversationId, author: "staff", typing: true });
    await until(() => events.length === 2);
    expect(events.every((envelope) => "conversationId" in envelope.event && envelope.event.conversationId === "c-a")).toBe(true);
    expect(BigInt(events[1]!.id) > BigInt(events[0]!.id)).toBe(true);
    unsubscribe();
  });

  // The embedded database has no LISTEN connection to lose: it polls (the next test).
  it.skipIf(process.env.SHOPDESK_EMBEDDED_DATABASE === "1")("loses nothing when the LISTEN connection drops: events published meanwhile arrive after the reconnect", async () => {
    const { events, unsubscribe } = collect(shopId, "c-drop");
    await liveReady();
    // Kill this process's LISTEN backend, as a database restart or a network blip would.
    const killed = await getPool().query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN shopdesk_live' AND pid <> pg_backend_pid()`,
    );
    expect(killed.rows[0]?.n).toBeGreaterThanOrEqual(1);
    await publishLive(shopId, { type: "conversation.updated", conversationId: "c-drop", fields: ["while-down"] });
    await until(() => events.length === 1, 10_000);
    expect(events[0]?.event).toMatchObject({ fields: ["while-down"] });
    unsubscribe();
  });

  it("falls back to polling the event table where NOTIFY does not cross connections (the embedded database)", async () => {
    process.env.LIVE_FORCE_POLL = "1";
    const { events, unsubscribe } = collect(shopId, "c-poll");
    await liveReady();
    await publishLive(shopId, { type: "presence", conversationId: "c-poll", staffId: "s1", name: "Sam", viewing: true, typing: false });
    await until(() => events.length === 1);
    expect(events[0]?.event).toMatchObject({ type: "presence", staffId: "s1" });
    unsubscribe();
  });

  it("replays a shop's events after a given id (a stream resuming from Last-Event-ID)", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ id: string }>(`SELECT coalesce(max("id"), 0)::text AS id FROM "LiveEvent"`);
    await client.end();
    const start = rows[0]!.id;
    await publishLive(shopId, { type: "read", conversationId: "c-r", at: new Date(0).toISOString() });
    await publishLive(otherShopId, { type: "read", conversationId: "c-r", at: new Date(0).toISOString() });
    await publishLive(shopId, { type: "handoff", conversationId: "c-r", status: "waiting_on_staff" });
    const replay = await liveEventsAfter(shopId, start);
    expect(replay.map((envelope) => envelope.event.type)).toEqual(["read", "handoff"]);
    expect(await liveEventsAfter(shopId, replay[0]!.id)).toHaveLength(1);
    expect(await liveEventsAfter(shopId, "not-a-number")).toEqual([]);
  });

  it("refuses an event too large for NOTIFY instead of losing it silently", async () => {
    await expect(publishLive(shopId, { type: "conversation.updated", conversationId: "c-big", fields: ["x".repeat(8000)] })).rejects.toThrow(/too large/);
  });
});
