import { randomUUID } from "node:crypto";
import type { Platform, Prisma } from "@prisma/client";
import type pg from "pg";
import { getPool, prepared } from "~/lib/db/pool.server";

/**
 * Webhook intake: record each verified delivery once (platform + delivery id) and queue its processing,
 * so the HTTP answer is fast and retries by the platform are harmless.
 */
export interface IncomingWebhook {
  platform: Platform;
  shopDomain: string;
  topic: string;
  deliveryId: string;
  apiVersion?: string;
  triggeredAt?: string;
  payload: Prisma.InputJsonValue;
}

export const PROCESS_WEBHOOK_JOB = "webhooks.process";

/**
 * One statement for a batch of deliveries, so one round trip and atomic without BEGIN/COMMIT: each event row
 * (nothing when the platform already delivered its id), its shop by domain (null when the shop is unknown),
 * and the processing job only for a new event — the job row as enqueueJob (app/modules/jobs) writes it, dedupe
 * key `webhook:<event id>`. The job insert has no ON CONFLICT: its key is the new event's, so a conflict cannot
 * happen, and if it did the statement fails whole rather than keep an event nothing will process.
 * Rows go in delivery-id order, so two batches holding the same ids wait on each other instead of deadlocking.
 */
const COLUMNS_PER_ROW = 9;
function recordWebhooksStatement(rows: number): string {
  const values = Array.from({ length: rows }, (_, row) => {
    const p = (column: number) => `$${row * COLUMNS_PER_ROW + column}`;
    return `(${p(1)}::text, ${p(2)}::text, ${p(3)}::"Platform", ${p(4)}::text, ${p(5)}::text, ${p(6)}::text, ${p(7)}::timestamptz, ${p(8)}::jsonb, ${p(9)}::text)`;
  });
  return `
    WITH input ("id", "shopDomain", "platform", "topic", "deliveryId", "apiVersion", "triggeredAt", "payload", "jobId") AS (
      VALUES ${values.join(", ")}
    ), event AS (
      INSERT INTO "WebhookEvent" ("id", "shopId", "shopDomain", "platform", "topic", "deliveryId", "apiVersion", "triggeredAt", "payload")
      SELECT input."id", shop."id", input."shopDomain", input."platform", input."topic", input."deliveryId", input."apiVersion", input."triggeredAt", input."payload"
      FROM input LEFT JOIN "Shop" shop ON shop."domain" = input."shopDomain"
      ORDER BY input."platform", input."deliveryId"
      ON CONFLICT ("platform", "deliveryId") DO NOTHING
      RETURNING "id", "shopId"
    ), job AS (
      INSERT INTO "Job" ("id", "shopId", "queue", "name", "payload", "dedupeKey", "runAt")
      SELECT input."jobId", event."shopId", 'default', '${PROCESS_WEBHOOK_JOB}', jsonb_build_object('webhookEventId', event."id"), 'webhook:' || event."id", now()
      FROM event JOIN input ON input."id" = event."id"
    )
    SELECT "id" FROM event`;
}
/** The statement for each batch size, built once (prepared by name per connection: see prepared). */
const recordStatements: string[] = [];
const recordStatement = (rows: number) => (recordStatements[rows] ??= recordWebhooksStatement(rows));

/**
 * Group commit: deliveries that arrive while earlier ones are being written go together in the next statement
 * (at most MAX_BATCH), so under load the database runs one statement and one commit for many deliveries, and
 * at rest each delivery is written at once, alone. A delivery is answered only once its own statement has
 * committed, so a 200 still means recorded. At most MAX_IN_FLIGHT statements run at a time: more would split
 * the waiting deliveries into smaller batches and let them queue for the pool's connections instead.
 */
const MAX_BATCH = 64;
const MAX_IN_FLIGHT = 2;

interface PendingDelivery {
  values: unknown[];
  resolve: (recorded: RecordedWebhook) => void;
  reject: (error: unknown) => void;
}

class WebhookRecorder {
  private readonly waiting: PendingDelivery[] = [];
  private inFlight = 0;
  constructor(private readonly pool: pg.Pool) {}

  record(values: unknown[]): Promise<RecordedWebhook> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ values, resolve, reject });
      if (this.inFlight < MAX_IN_FLIGHT) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    this.inFlight++;
    try {
      await this.write(batch);
    } finally {
      this.inFlight--;
      if (this.waiting.length > 0) void this.flush();
    }
  }

  private async write(batch: PendingDelivery[]): Promise<void> {
    let stored: Set<string>;
    try {
      stored = new Set((await this.run(batch.map((delivery) => delivery.values))).map((row) => row.id));
    } catch (error) {
      // One delivery's fault (a body that is not JSON) must not fail the others: each is written again alone,
      // and gets its own answer.
      if (batch.length === 1) return batch[0]!.reject(error);
      await Promise.all(batch.map((delivery) => this.write([delivery])));
      return;
    }
    for (const delivery of batch) {
      const id = delivery.values[0] as string;
      delivery.resolve(stored.has(id) ? { duplicate: false, id } : { duplicate: true, id: null });
    }
  }

  private async run(rows: unknown[][]): Promise<{ id: string }[]> {
    return (await this.pool.query<{ id: string }>(prepared(recordStatement(rows.length), rows.flat()))).rows;
  }
}

const recorders = new WeakMap<pg.Pool, WebhookRecorder>();
function recorderFor(pool: pg.Pool): WebhookRecorder {
  let recorder = recorders.get(pool);
  if (!recorder) {
    recorder = new WebhookRecorder(pool);
    recorders.set(pool, recorder);
  }
  return recorder;
}

export type RecordedWebhook = { duplicate: false; id: string } | { duplicate: true; id: null };

export async function recordWebhook(event: IncomingWebhook, pool: pg.Pool = getPool()): Promise<RecordedWebhook> {
  const { payload, ...rest } = event;
  return recordWebhookJson({ ...rest, payloadJson: JSON.stringify(payload) }, pool);
}

/**
 * recordWebhook for a payload still in the JSON text it arrived as (the HTTP handler's raw body): PostgreSQL
 * parses it into jsonb, so the body is not parsed and serialised again here; text that is not JSON fails with
 * SQLSTATE 22P02 (invalid_text_representation).
 */
export async function recordWebhookJson(
  event: Omit<IncomingWebhook, "payload"> & { payloadJson: string },
  pool: pg.Pool = getPool(),
): Promise<RecordedWebhook> {
  const triggeredAt = event.triggeredAt ? new Date(event.triggeredAt) : null;
  return recorderFor(pool).record([
    randomUUID(),
    event.shopDomain,
    event.platform,
    event.topic,
    event.deliveryId,
    event.apiVersion ?? null,
    triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt.toISOString() : null,
    event.payloadJson,
    randomUUID(),
  ]);
}
