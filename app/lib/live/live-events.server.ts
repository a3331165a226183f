import type { Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { getPool } from "~/lib/db/pool.server";

/**
 * Live updates shared by every app instance on one database: new conversations and messages, assignment and
 * status changes, typing and presence. A publish inserts a LiveEvent row and sends it with NOTIFY in the same
 * statement, so it is delivered when (and only if) the publisher's transaction commits. Each process keeps
 * one LISTEN connection and fans events out to its subscribers (the widget's stream, the inbox's stream).
 *
 * The embedded database (PGlite behind a socket) does not deliver NOTIFY across connections, so there each
 * process polls the table instead. The table also makes the real server lossless: after the LISTEN
 * connection drops, the listener catches up from the last id it saw.
 */

export type LiveEvent =
  | { type: "conversation.created"; conversationId: string }
  /** Status, assignee, priority, tags, snooze, SLA or merge changed; `fields` names what. */
  | { type: "conversation.updated"; conversationId: string; fields: string[] }
  | { type: "message.created"; conversationId: string; messageId: string; author: "shopper" | "assistant" | "staff" | "system"; visibility: "public" | "internal" }
  | { type: "handoff"; conversationId: string; status: string }
  | { type: "typing"; conversationId: string; author: "shopper" | "assistant" | "staff"; staffId?: string; typing: boolean }
  /** A staff member opened, left, or started/stopped typing in a conversation (collision detection). */
  | { type: "presence"; conversationId: string; staffId: string; name: string; viewing: boolean; typing: boolean }
  /** The shopper's widget showed every message up to `at`. */
  | { type: "read"; conversationId: string; at: string };

export interface LiveEnvelope {
  /** Increasing per database: an SSE event id to resume from. */
  id: string;
  shopId: string;
  at: string;
  event: LiveEvent;
}

export const LIVE_CHANNEL = "shopdesk_live";
/** NOTIFY payloads are capped at 8000 bytes; events carry ids, receivers read the rest. */
const MAX_PAYLOAD_BYTES = 7000;
const PRUNE_AFTER = "15 minutes";
const PRUNE_EVERY_MS = 60_000;

type Queryable = pg.Pool | pg.PoolClient | PrismaClient | Prisma.TransactionClient;

async function run<T>(db: Queryable, text: string, params: unknown[]): Promise<T[]> {
  if (db instanceof pg.Pool || (typeof (db as pg.PoolClient).query === "function" && !("$queryRawUnsafe" in db))) {
    return (await (db as pg.Pool).query(text, params)).rows as T[];
  }
  return (db as Prisma.TransactionClient).$queryRawUnsafe<T[]>(text, ...params);
}

const PUBLISH_SQL = `
  WITH e AS (
    INSERT INTO "LiveEvent" ("shopId", "conversationId", "type", "payload") VALUES ($1, $2, $3, $4::jsonb)
    RETURNING "id", "createdAt"
  )
  SELECT pg_notify('${LIVE_CHANNEL}', json_build_object('id', e."id"::text, 'shopId', $1::text, 'at', e."createdAt", 'event', $4::jsonb)::text)::text AS "sent"
  FROM e`;

let lastPrune = 0;

/**
 * Publishes an event to every instance. Pass the transaction client when the change it announces is written
 * in a transaction, so nobody hears of it before it is visible.
 */
export async function publishLive(shopId: string, event: LiveEvent, db: Queryable = getPool()): Promise<void> {
  const payload = JSON.stringify(event);
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) throw new Error(`live event ${event.type} is too large for NOTIFY`);
  await run(db, PUBLISH_SQL, [shopId, "conversationId" in event ? event.conversationId : null, event.type, payload]);
  if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
    lastPrune = Date.now();
    getPool()
      .query(`DELETE FROM "LiveEvent" WHERE "createdAt" < now() - interval '${PRUNE_AFTER}'`)
      .catch((error: Error) => console.warn(`[live] prune failed: ${error.message}`));
  }
}

/** Events of a shop after `afterId` (an SSE Last-Event-ID), oldest first; the stream's catch-up. */
export async function liveEventsAfter(shopId: string, afterId: string, options: { conversationId?: string; limit?: number } = {}): Promise<LiveEnvelope[]> {
  if (!/^\d{1,19}$/.test(afterId)) return [];
  const rows = await getPool().query<{ id: string; shopId: string; createdAt: Date; payload: LiveEvent }>(
    `SELECT "id"::text AS "id", "shopId", "createdAt", "payload" FROM "LiveEvent"
     WHERE "shopId" = $1 AND "id" > $2::bigint AND ($3::text IS NULL OR "conversationId" = $3)
     ORDER BY "id" LIMIT $4`,
    [shopId, afterId, options.conversationId ?? null, options.limit ?? 500],
  );
  return rows.rows.map((row) => ({ id: row.id, shopId: row.shopId, at: row.createdAt.toISOString(), event: row.payload }));
}

// ---------------------------------------------------------------- the process's one listener

type Listener = (envelope: LiveEnvelope) => void;

interface Subscription {
  shopId: string;
  conversationId?: string;
  listener: Listener;
}

class LiveListener {
  private readonly subscriptions = new Set<Subscription>();
  private lastId: string | null = null;
  private client: pg.Client | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private starting: Promise<void> | null = null;
  private stopped = false;
  private reconnectDelay = 250;

  constructor(
    private readonly connectionString: string,
    private readonly embedded: boolean,
    private readonly pollMs: number,
  ) {}

  subscribe(subscription: Subscription): () => void {
    this.subscriptions.add(subscription);
    if (!this.starting) this.starting = this.start();
    return () => {
      this.subscriptions.delete(subscription);
    };
  }

  /** Resolves once events published from now on will be delivered. */
  ready(): Promise<void> {
    if (!this.starting) this.starting = this.start();
    return this.starting;
  }

  private async start() {
    this.lastId = await this.maxId();
    if (this.embedded) this.pollTimer = setInterval(() => void this.poll(), this.pollMs);
    else await this.connect();
  }

  private async maxId(): Promise<string> {
    const { rows } = await getPool().query<{ id: string | null }>(`SELECT max("id")::text AS "id" FROM "LiveEvent"`);
    return rows[0]?.id ?? "0";
  }

  private async connect() {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on("notification", (message) => {
      if (message.channel !== LIVE_CHANNEL || !message.payload) return;
      try {
        this.deliver(JSON.parse(message.payload) as LiveEnvelope);
      } catch (error) {
        console.warn(`[live] bad notification: ${(error as Error).message}`);
      }
    });
    client.on("error", (error) => {
      console.warn(`[live] listener connection lost: ${error.message}`);
      this.reconnect(client);
    });
    client.on("end", () => this.reconnect(client));
    await client.connect();
    await client.query(`LISTEN ${LIVE_CHANNEL}`);
    this.client = client;
    this.reconnectDelay = 250;
    // Anything published while we were not listening (first start: nothing; a reconnect: the gap).
    await this.poll();
  }

  private reconnect(client: pg.Client) {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    client.removeAllListeners("end");
    client.end().catch(() => {});
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, 5_000);
    setTimeout(() => {
      if (!this.stopped) this.connect().catch((error: Error) => {
        console.warn(`[live] reconnect failed: ${error.message}`);
        this.client = client; // so the next attempt passes the guard
        this.reconnect(client);
      });
    }, delay);
  }

  private polling = false;
  private async poll() {
    if (this.polling || this.lastId === null) return;
    this.polling = true;
    try {
      for (;;) {
        const { rows } = await getPool().query<{ id: string; shopId: string; createdAt: Date; payload: LiveEvent }>(
          `SELECT "id"::text AS "id", "shopId", "createdAt", "payload" FROM "LiveEvent" WHERE "id" > $1::bigint ORDER BY "id" LIMIT 500`,
          [this.lastId],
        );
        for (const row of rows) this.deliver({ id: row.id, shopId: row.shopId, at: new Date(row.createdAt).toISOString(), event: row.payload });
        if (rows.length < 500) break;
      }
    } catch (error) {
      console.warn(`[live] poll failed: ${(error as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  private deliver(envelope: LiveEnvelope) {
    // NOTIFY and a catch-up poll can both carry an event; ids only grow, so anything not newer was seen.
    if (this.lastId !== null && BigInt(envelope.id) <= BigInt(this.lastId)) return;
    this.lastId = envelope.id;
    const conversationId = "conversationId" in envelope.event ? envelope.event.conversationId : undefined;
    for (const subscription of this.subscriptions) {
      if (subscription.shopId !== envelope.shopId) continue;
      if (subscription.conversationId && subscription.conversationId !== conversationId) continue;
      try {
        subscription.listener(envelope);
      } catch (error) {
        console.error(`[live] subscriber failed: ${(error as Error).message}`);
      }
    }
  }

  async stop() {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners("end");
      await client.end().catch(() => {});
    }
  }
}

declare global {
  var __shopdeskLive: LiveListener | undefined;
}

function listener(): LiveListener {
  if (!globalThis.__shopdeskLive) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: call prepareDatabase() before subscribing to live events");
    // LIVE_FORCE_POLL: tests of the embedded database's path on a real server.
    const embedded = process.env.SHOPDESK_EMBEDDED_DATABASE === "1" || process.env.LIVE_FORCE_POLL === "1";
    globalThis.__shopdeskLive = new LiveListener(url, embedded, Number(process.env.LIVE_POLL_MS ?? 250));
  }
  return globalThis.__shopdeskLive;
}

/** Calls `listener` for every event of the shop (and of one conversation, when given), from any instance. */
export function subscribeLive(filter: { shopId: string; conversationId?: string }, callback: Listener): () => void {
  return listener().subscribe({ ...filter, listener: callback });
}

/** Resolves once this process is listening (tests and streams that must not miss the next event). */
export function liveReady(): Promise<void> {
  return listener().ready();
}

/** Closes the LISTEN connection (tests, shutdown). */
export async function stopLive() {
  const live = globalThis.__shopdeskLive;
  globalThis.__shopdeskLive = undefined;
  if (live) await live.stop();
}
