import type pg from "pg";
import { z } from "zod";
import { withTransaction } from "~/lib/db/pool.server";
import { FINISH_JOB_SQL, JOB_FINISHED, type JobHandler } from "~/modules/jobs";

/**
 * The queue reliability probe (`bench.queue-probe`), run by real worker processes in bench/reliability-queue.ts
 * and tests/integration/job-queue-workers.test.ts. Each run applies its key and finishes its job in one
 * transaction, the way webhook processing does (JOB_FINISHED), and records the run:
 *   queue_probe.effect(key)          the effect, applied once per key (a unique key, ON CONFLICT DO NOTHING)
 *   queue_probe.run(key, worker, at) one row per committed run: two rows for a key = the job ran twice
 * A job whose key has no effect row was lost. The tables live in their own schema, outside the app's.
 * Payload: { key, sleepMs? } or a poison: "throw" fails every attempt, "crash" kills its worker process.
 */

export const QUEUE_PROBE_JOB = "bench.queue-probe";

const Payload = z.object({ key: z.string(), sleepMs: z.number().int().min(0).default(0), poison: z.enum(["throw", "crash"]).optional() });
export type QueueProbePayload = z.input<typeof Payload>;

export async function createQueueProbeTables(pool: pg.Pool) {
  await pool.query(`
    CREATE SCHEMA IF NOT EXISTS queue_probe;
    CREATE TABLE IF NOT EXISTS queue_probe.effect (key text PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS queue_probe.run (key text NOT NULL, worker text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
}

export async function dropQueueProbeTables(pool: pg.Pool) {
  await pool.query("DROP SCHEMA IF EXISTS queue_probe CASCADE");
}

export function queueProbeJob(): JobHandler {
  return async (job, context) => {
    const { key, sleepMs, poison } = Payload.parse(job.payload);
    if (poison === "crash") process.kill(process.pid, "SIGKILL");
    if (poison === "throw") throw new Error(`poison probe ${key}`);
    if (sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, sleepMs));
    if (context.signal.aborted) throw context.signal.reason;
    await withTransaction(async (sql) => {
      await sql.query("INSERT INTO queue_probe.effect (key) VALUES ($1) ON CONFLICT DO NOTHING", [key]);
      await sql.query("INSERT INTO queue_probe.run (key, worker) VALUES ($1, $2)", [key, String(process.pid)]);
      await sql.query(FINISH_JOB_SQL, [job.id]);
    });
    return JOB_FINISHED;
  };
}

export interface QueueProbeCount {
  jobs: number;
  /** Keys whose effect was never applied. */
  lost: number;
  /** Keys applied by more than one committed run. */
  doubled: number;
  /** Which worker processes committed runs, and how many each. */
  runsByWorker: Record<string, number>;
}

/** Counts what the probe jobs with these keys did. */
export async function countQueueProbe(pool: pg.Pool, keys: string[]): Promise<QueueProbeCount> {
  const { rows } = await pool.query<{ lost: string; doubled: string }>(
    `SELECT
       (SELECT count(*) FROM unnest($1::text[]) AS k(key) WHERE NOT EXISTS (SELECT 1 FROM queue_probe.effect e WHERE e.key = k.key)) AS lost,
       (SELECT count(*) FROM (SELECT key FROM queue_probe.run WHERE key = ANY($1::text[]) GROUP BY key HAVING count(*) > 1) AS twice) AS doubled`,
    [keys],
  );
  const workers = await pool.query<{ worker: string; runs: string }>(
    "SELECT worker, count(*) AS runs FROM queue_probe.run WHERE key = ANY($1::text[]) GROUP BY worker ORDER BY worker",
    [keys],
  );
  return {
    jobs: keys.length,
    lost: Number(rows[0]!.lost),
    doubled: Number(rows[0]!.doubled),
    runsByWorker: Object.fromEntries(workers.rows.map((row) => [row.worker, Number(row.runs)])),
  };
}
