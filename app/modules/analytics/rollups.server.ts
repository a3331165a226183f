import type { Job, PrismaClient } from "@prisma/client";
import type pg from "pg";
import type { JobContext } from "~/modules/jobs";
import { getPool } from "~/lib/db/pool.server";
import { enqueueJob } from "~/modules/jobs";
import {
  type AnalyticsDb,
  analyticsRead,
  computeDays,
  readDeletedFigures,
  type Run,
  runsOf,
  type ShopClock,
  shopClock,
  writeDeletedFigures,
  writeRollups,
} from "./days.server";
import { addDays, eachDay, type Period } from "./period";
import { addDayFigures } from "./summary";

/**
 * Keeping the daily rollups fresh. A closed day's figures still move for a few days (a conversation becomes
 * automated 72 hours after its last answer, an order within 24 hours counts as influenced, a late rating or
 * staff reply lands), so each refresh recomputes:
 * - the last RECENT_DAYS closed days;
 * - the days of conversations changed since the last refresh (a reply or rating weeks later);
 * - closed days of the last BACKFILL_DAYS without a rollup (a new shop, a changed time zone).
 * The job runs for every shop with conversations every hour (ANALYTICS_TICK_JOB), and for one shop when its
 * dashboard found days without rollups.
 *
 * Conversations deleted by retention (app/modules/privacy) leave their figures behind: counts, times, ratings and
 * volumes, no text and no ids, in the day's `deletedFigures`, which each refresh adds to what it computes from the
 * conversations still kept. A period's figures therefore still count them; its drill-down lists can no longer
 * show them.
 */

export const ANALYTICS_ROLLUP_JOB = "analytics.refresh_rollups";
export const ANALYTICS_TICK_JOB = "analytics.tick";
const RECENT_DAYS = 5;
const BACKFILL_DAYS = 400;
const TICK_INTERVAL_MS = 60 * 60_000;

export interface RefreshReport {
  shopId: string;
  timeZone: string;
  /** The days recomputed and stored. */
  days: string[];
}

/** Which closed days need recomputing (see above). */
async function daysToRefresh(db: AnalyticsDb, clock: ShopClock): Promise<string[]> {
  return analyticsRead(async (run) => {
    const yesterday = addDays(clock.today, -1);
    const recent = eachDay({ from: addDays(clock.today, -RECENT_DAYS), to: yesterday });
    const [last] = await run<{ at: Date | null }>(`SELECT max("computedAt") AS "at" FROM "AnalyticsDailyRollup" WHERE "shopId" = $1 AND "timeZone" = $2`, [
      clock.shopId,
      clock.timeZone,
    ]);
    const touched = last?.at
      ? await run<{ day: string }>(
          `SELECT DISTINCT to_char((c."createdAt" AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS "day" FROM "Conversation" c
           WHERE c."shopId" = $1 AND c."updatedAt" >= $3 AND c."createdAt" < ($4::date::timestamp AT TIME ZONE $2)`,
          [clock.shopId, clock.timeZone, last.at, clock.today],
        )
      : [];
    // Closed days since the shop's first conversation (at most BACKFILL_DAYS back) that have no rollup yet.
    const missing = await run<{ day: string }>(
      `SELECT to_char(g, 'YYYY-MM-DD') AS "day"
       FROM generate_series(
         GREATEST($3::date - ${BACKFILL_DAYS}, (SELECT (min(c."createdAt") AT TIME ZONE $2)::date FROM "Conversation" c WHERE c."shopId" = $1)),
         $3::date - 1, interval '1 day') g
       WHERE NOT EXISTS (SELECT 1 FROM "AnalyticsDailyRollup" r WHERE r."shopId" = $1 AND r."timeZone" = $2 AND r."day" = g::date)`,
      [clock.shopId, clock.timeZone, clock.today],
    );
    return [...new Set([...recent, ...touched.map((row) => row.day), ...missing.map((row) => row.day)])].filter((day) => day <= yesterday).sort();
  }, db);
}

/**
 * Recomputes and stores the shop's rollups: the days given, or those that need it (see above). Today is never
 * stored: the dashboard computes it live.
 */
export async function refreshRollups(
  db: AnalyticsDb | undefined,
  input: { shopId: string; now?: Date; days?: Period; onProgress?: () => Promise<void> },
): Promise<RefreshReport | null> {
  const now = input.now ?? new Date();
  const on = db ?? getPool();
  const clock = await analyticsRead((run) => shopClock(run, input.shopId, now), on);
  if (!clock) return null;
  const yesterday = addDays(clock.today, -1);
  const days = input.days ? eachDay(input.days).filter((day) => day <= yesterday) : await daysToRefresh(on, clock);
  for (const period of runsOf(days)) {
    // A month at a time keeps each statement's memory bounded on a busy shop's first backfill.
    for (let from = period.from; from <= period.to; from = addDays(from, 31)) {
      const to = [addDays(from, 30), period.to].sort()[0]!;
      const figures = await analyticsRead(async (run) => {
        const kept = await computeDays(run, { shopId: clock.shopId, timeZone: clock.timeZone, period: { from, to }, now });
        const deleted = await readDeletedFigures(run, { shopId: clock.shopId, days: kept.map((day) => day.day) });
        return kept.map((day) => (deleted.has(day.day) ? addDayFigures(day, deleted.get(day.day)!) : day));
      }, on);
      await writeRollups(on, { shopId: clock.shopId, timeZone: clock.timeZone, days: figures, computedAt: now });
      await input.onProgress?.();
    }
  }
  return { shopId: clock.shopId, timeZone: clock.timeZone, days };
}

/**
 * For conversation retention, inside the transaction that deletes `conversationIds`, before it does: adds their
 * figures to their days' `deletedFigures` and takes their questions off the days' unanswered lists. Returns the
 * days they started on (the caller refreshes them once the deletion is committed), or null when none counted.
 */
export async function keepFiguresOfDeletedConversations(tx: pg.PoolClient, input: { shopId: string; conversationIds: string[]; now: Date }): Promise<Period | null> {
  const run: Run = async (text, values) => (await tx.query(text, values)).rows;
  await tx.query(
    `UPDATE "AnalyticsDailyRollup" r SET "unansweredQuestions" = (
       SELECT coalesce(jsonb_agg(e.q ORDER BY e.n), '[]'::jsonb) FROM jsonb_array_elements(r."unansweredQuestions") WITH ORDINALITY AS e(q, n)
       WHERE NOT (e.q->>'conversationId' = ANY($2::text[])))
     WHERE r."shopId" = $1 AND jsonb_typeof(r."unansweredQuestions") = 'array'
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(r."unansweredQuestions") q WHERE q->>'conversationId' = ANY($2::text[]))`,
    [input.shopId, input.conversationIds],
  );
  const clock = await shopClock(run, input.shopId, input.now);
  if (!clock) return null;
  const [span] = await run<{ from: string | null; to: string | null }>(
    `SELECT to_char(min((c."createdAt" AT TIME ZONE $2)::date), 'YYYY-MM-DD') AS "from", to_char(max((c."createdAt" AT TIME ZONE $2)::date), 'YYYY-MM-DD') AS "to"
     FROM "Conversation" c WHERE c."shopId" = $1 AND c."id" = ANY($3::text[])`,
    [input.shopId, clock.timeZone, input.conversationIds],
  );
  if (!span?.from || !span.to) return null;
  const period = { from: span.from, to: span.to };
  const figures = (await computeDays(run, { shopId: input.shopId, timeZone: clock.timeZone, period, now: input.now, conversationIds: input.conversationIds })).filter(
    (day) => day.conversations > 0,
  );
  const before = await readDeletedFigures(run, { shopId: input.shopId, days: figures.map((day) => day.day), lock: true });
  const totals = figures.map((day) => ({ ...(before.has(day.day) ? addDayFigures(before.get(day.day)!, day) : day), unansweredQuestions: [] }));
  await writeDeletedFigures(tx, { shopId: input.shopId, timeZone: clock.timeZone, days: totals, computedAt: input.now });
  return period;
}

/** Queues a refresh of one shop's rollups (once: a refresh already waiting covers it). */
export async function queueRollupRefresh(db: PrismaClient, shopId: string, runAt?: Date) {
  return enqueueJob(db, { name: ANALYTICS_ROLLUP_JOB, shopId, payload: { shopId }, dedupeKey: `analytics:rollups:${shopId}`, runAt });
}

/**
 * Queues an hourly tick. The dedupe key names the hour it runs in, so workers starting together, and a tick queuing
 * its successor while it still holds its own key, leave one waiting tick per hour.
 */
export async function scheduleAnalyticsTick(db: PrismaClient, runAt = new Date()) {
  const slot = new Date(Math.floor(runAt.getTime() / TICK_INTERVAL_MS) * TICK_INTERVAL_MS).toISOString();
  return enqueueJob(db, { name: ANALYTICS_TICK_JOB, dedupeKey: `${ANALYTICS_TICK_JOB}:${slot}`, runAt });
}

/** The jobs' handlers, for the worker's registry. */
export function analyticsJobs(db: PrismaClient) {
  return {
    // Its time limit is per month of days (a first backfill of a busy shop reports progress after each).
    [ANALYTICS_ROLLUP_JOB]: async (job: Job, context: JobContext) => {
      const shopId = (job.payload as { shopId?: unknown }).shopId;
      if (typeof shopId !== "string") throw new Error(`${ANALYTICS_ROLLUP_JOB}: payload has no shopId`);
      const report = await refreshRollups(undefined, { shopId, onProgress: () => context.heartbeat() });
      return report ? { days: report.days.length } : { skipped: "no such shop" };
    },
    // Queues the next tick first (a failing tick never ends the chain), then a refresh for every installed shop
    // with conversations.
    [ANALYTICS_TICK_JOB]: async () => {
      await scheduleAnalyticsTick(db, new Date(Date.now() + TICK_INTERVAL_MS));
      const shops = await db.$queryRaw<{ id: string }[]>`
        SELECT s."id" FROM "Shop" s WHERE s."uninstalledAt" IS NULL AND EXISTS (SELECT 1 FROM "Conversation" c WHERE c."shopId" = s."id")`;
      for (const shop of shops) await queueRollupRefresh(db, shop.id);
      return { shops: shops.length };
    },
  };
}
