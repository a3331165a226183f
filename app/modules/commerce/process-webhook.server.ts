import type { Job, PrismaClient } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import { getPool } from "~/lib/db/pool.server";
import { exportCustomerData, redactCustomer, redactShop } from "~/modules/privacy";
import { FINISH_JOB_SQL, JOB_FINISHED } from "~/modules/jobs";
import { markShopUninstalled } from "~/modules/shops";
import { applyShopifyDeliveries, SHOPIFY_COMMERCE_PROCESSORS } from "./connectors/shopify/webhook-processors.server";
import { prepared } from "~/lib/db/pool.server";
import type { Statement } from "./sync/sql.server";
import { PROCESS_WEBHOOK_JOB } from "./webhook-intake.server";

type AppProcessor = (db: PrismaClient, shopDomain: string, payload: unknown) => Promise<unknown>;

const ScopesUpdate = z.object({ current: z.array(z.string()) });

/** Shopify's app-lifecycle and compliance topics: they may concern a shop we no longer (or never) stored. */
const SHOPIFY_APP_PROCESSORS: Record<string, AppProcessor> = {
  "app/uninstalled": (db, shopDomain) => markShopUninstalled(shopDomain, db),
  "app/scopes_update": async (db, shopDomain, payload) => {
    const { current } = ScopesUpdate.parse(payload);
    return db.session.updateMany({ where: { shop: shopDomain }, data: { scope: current.join(",") } });
  },
  "customers/data_request": (db, _shop, payload) => exportCustomerData(db, payload),
  "customers/redact": (db, _shop, payload) => redactCustomer(db, payload),
  "shop/redact": (db, _shop, payload) => redactShop(db, payload),
};

async function markIgnored(id: string, reason: string) {
  await getPool().query(`UPDATE "WebhookEvent" SET "status" = 'ignored', "lastError" = $2 WHERE "id" = $1`, [id, reason]);
}

interface RecordedEvent {
  id: string;
  shopId: string | null;
  shopDomain: string;
  platform: string;
  topic: string;
  /** Null when deleted before processing (retention, customers/redact), and not read for a stale order delivery. */
  payload: unknown;
  triggeredAt: Date | null;
  /**
   * An order delivery older than the order stored when it was read. Versions only grow, so it stays stale and
   * changes nothing: it is closed without a lock. Its children are in the newer version too (refunds stay on an
   * order; a fulfilment's newer state wins anyway), so it is not even parsed. Shuffled retries make this the most
   * common delivery under load.
   */
  stale: boolean;
}

/** An ISO 8601 time with its offset, as Shopify writes updated_at: safe to cast (anything else is not compared). */
const ISO_TIME = String.raw`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$`;

/**
 * The recorded events of the webhook jobs a worker holds ($2: its batch, claimed with this job $1 in queue $3), not
 * processed yet, with whether each order delivery is older than the stored order (see RecordedEvent.stale).
 */
const HELD_EVENTS = `
  SELECT j."id" AS "jobId", j."attempts" AS "jobAttempts", e."id", e."shopId", e."shopDomain", e."platform", e."topic", e."triggeredAt",
    COALESCE(stored."sourceUpdatedAt" > incoming."version", false) AS "stale",
    CASE WHEN stored."sourceUpdatedAt" > incoming."version" THEN NULL ELSE e."payload" END AS "payload"
  FROM "Job" AS j
  JOIN "WebhookEvent" AS e ON e."id" = j."payload"->>'webhookEventId'
  CROSS JOIN LATERAL (
    SELECT CASE WHEN e."payload"->>'updated_at' ~ '${ISO_TIME}' THEN (e."payload"->>'updated_at')::timestamptz END AS "version") AS incoming
  LEFT JOIN LATERAL (
    SELECT o."sourceUpdatedAt" FROM "Order" AS o
    WHERE e."topic" LIKE 'orders/%' AND o."shopId" = e."shopId" AND o."platform" = 'shopify'
      AND o."externalId" = COALESCE(e."payload"->>'admin_graphql_api_id', 'gid://shopify/Order/' || (e."payload"->>'id'))) AS stored ON true
  WHERE (j."id" = $1 OR (j."queue" = $3 AND j."status" = 'running' AND j."lockedBy" = $2 AND j."name" = '${PROCESS_WEBHOOK_JOB}'))
    AND e."status" <> 'processed'
  -- The order the worker runs its batch in (and the queue claims in): deliveries are applied in it.
  ORDER BY j."runAt", j."id" COLLATE "C"`;

type HeldEvent = RecordedEvent & { jobId: string; jobAttempts: number };

const PROCESSED = `UPDATE "WebhookEvent" SET "status" = 'processed', "processedAt" = now(), "attempts" = "attempts" + 1, "lastError" = $2 WHERE "id" = $1`;
const FAILED = `UPDATE "WebhookEvent" SET "status" = 'failed', "attempts" = "attempts" + 1, "lastError" = $2 WHERE "id" = $1`;
const STALE_NOTE = "older than the stored version; not applied";

/** Marks the event processed ($2, with $3 as its note) and finishes its job ($1) in one statement. */
const PROCESSED_AND_FINISHED = `
  WITH event AS (UPDATE "WebhookEvent" SET "status" = 'processed', "processedAt" = now(), "attempts" = "attempts" + 1, "lastError" = $3 WHERE "id" = $2)
  ${FINISH_JOB_SQL}`;

const processedAndFinished = (jobId: string, eventId: string, note: string | null): Statement => ({ text: PROCESSED_AND_FINISHED, params: [jobId, eventId, note] });

type Route = { kind: "ignore"; reason: string } | { kind: "commerce" } | { kind: "app"; processor: AppProcessor };

/** What an event needs: an app processor, a commerce write, or nothing (why it is kept as it is). */
function routeOf(event: RecordedEvent): Route {
  const app = event.platform === "shopify" ? SHOPIFY_APP_PROCESSORS[event.topic] : undefined;
  const commerce = event.platform === "shopify" && event.topic in SHOPIFY_COMMERCE_PROCESSORS;
  if (!app && !commerce) return { kind: "ignore", reason: `no processor for ${event.platform} ${event.topic}; kept for replay` };
  // Deleted before it was applied (retention, or customers/redact naming the customer in it).
  if (event.payload === null && !event.stale) return { kind: "ignore", reason: "payload deleted before processing" };
  if (commerce && !event.shopId) return { kind: "ignore", reason: `shop ${event.shopDomain} is not installed; kept for replay` };
  return app ? { kind: "app", processor: app } : { kind: "commerce" };
}

/**
 * A job of a worker's batch, as the batch's first job left it: its event, and for a commerce delivery how applying
 * it ended: committed (with its event processed and its job finished; `stale` when a newer version had been applied
 * since the batch was read, which its note has yet to say), or failed and rolled back.
 */
interface HeldJob {
  event: RecordedEvent;
  done?: Promise<{ error: unknown } | { stale: boolean }>;
  readAt: number;
}

/** Jobs of batches whose first job ran here, by job id and attempt; dropped when their turn comes, or after a while. */
const heldJobs = new Map<string, HeldJob>();
const HELD_JOB_TTL_MS = 5 * 60_000;
const heldKey = (jobId: string, attempts: number) => `${jobId}:${attempts}`;

/**
 * The first job of a worker's batch reads the events of the whole batch and applies its commerce deliveries at once,
 * on one connection in one round trip: stale order deliveries closed, the others each in a transaction of its own
 * with its event marked processed and its job finished (applyShopifyDeliveries). Each of those jobs then only reports
 * its outcome when its turn comes. Each event is applied right after it is read, as its own job's run would; an
 * erasure that overtakes the read is held off by the writers' redaction guards, as it would be then.
 */
async function readBatch(job: Job, db: PrismaClient): Promise<HeldJob | undefined> {
  const { rows } = await getPool().query<HeldEvent>(prepared(HELD_EVENTS, [job.id, job.lockedBy, job.queue]));
  const now = Date.now();
  for (const [key, { readAt }] of heldJobs) if (now - readAt > HELD_JOB_TTL_MS) heldJobs.delete(key);
  const jobs = rows.map(({ jobId, jobAttempts, ...event }) => ({ jobId, key: heldKey(jobId, jobAttempts), held: { event, readAt: now } as HeldJob }));
  const commerce = jobs.filter(({ held }) => routeOf(held.event).kind === "commerce");
  const stale = commerce.filter(({ held }) => held.event.stale);
  const fresh = commerce.filter(({ held }) => !held.event.stale);
  if (commerce.length > 0) {
    const applying = applyShopifyDeliveries(
      db,
      fresh.map(({ jobId, held: { event } }) => ({
        topic: event.topic,
        delivery: { shopId: event.shopId!, payload: event.payload, triggeredAt: event.triggeredAt },
        bookkeeping: [processedAndFinished(jobId, event.id, null)],
      })),
      stale.map(({ jobId, held: { event } }) => processedAndFinished(jobId, event.id, STALE_NOTE)),
    );
    // Never rejects: a failure is each job's own, reported in its turn (if that turn comes here at all).
    const failed = (error: unknown) => ({ error });
    fresh.forEach(({ held }, index) => {
      held.done = applying.then(({ deliveries }) => {
        const outcome = deliveries[index]!;
        return "error" in outcome ? outcome : { stale: outcome.applied.outcome === "stale" };
      }, failed);
    });
    stale.forEach(({ held }, index) => {
      held.done = applying.then(({ alongside }) => {
        const closed = alongside[index]!;
        return "error" in closed ? closed : { stale: false };
      }, failed);
    });
  }
  let own: HeldJob | undefined;
  for (const { jobId, key, held } of jobs) {
    if (jobId === job.id) own = held;
    else heldJobs.set(key, held);
  }
  return own;
}

/**
 * Job handler for `webhooks.process`: applies one recorded delivery (with the rest of its worker's batch when it is
 * the batch's first job). A failure marks the event failed and rethrows, so the queue retries it with backoff (e.g.
 * a refund that arrived before its order). A commerce delivery is applied, its event marked processed and its job
 * finished in one transaction.
 */
export async function processWebhookJob(job: Job, db: PrismaClient = prisma) {
  const { webhookEventId } = z.object({ webhookEventId: z.string() }).parse(job.payload);
  const pool = getPool();
  const key = heldKey(job.id, job.attempts);
  const held = heldJobs.get(key) ?? (await readBatch(job, db));
  heldJobs.delete(key);
  if (!held || held.event.id !== webhookEventId) return;
  const { event } = held;
  const route = routeOf(event);
  if (route.kind === "ignore") return markIgnored(event.id, route.reason);

  try {
    if (held.done) {
      const done = await held.done;
      if ("error" in done) throw done.error;
      // A newer version was applied after the batch was read (rare): say so, after the commit.
      if (done.stale) await pool.query(`UPDATE "WebhookEvent" SET "lastError" = $2 WHERE "id" = $1`, [event.id, STALE_NOTE]);
      return JOB_FINISHED;
    }
    if (route.kind === "app") {
      await route.processor(db, event.shopDomain, event.payload);
      // shop/redact deletes the shop and, by cascade, this event row: then this updates nothing.
      await pool.query(PROCESSED, [event.id, null]);
    }
  } catch (error) {
    await pool.query(FAILED, [event.id, error instanceof Error ? error.message.slice(0, 1_000) : String(error)]);
    throw error;
  }
}
