import type { Job, PrismaClient } from "@prisma/client";
import { enqueueJob } from "~/modules/jobs";
import { refreshPredictions } from "./training.server";

/**
 * Keeping predictions fresh: an hourly tick queues a refresh for every installed shop with conversations or
 * orders; the refresh retrains a model once it is a day old and rescores open conversations and customers every
 * time. "Retrain now" on the dashboard queues a refresh that retrains at once.
 */

export const PREDICTIONS_TICK_JOB = "predictions.tick";
export const PREDICTIONS_REFRESH_JOB = "predictions.refresh";
const TICK_INTERVAL_MS = 60 * 60_000;

/** Queues a refresh of one shop's predictions (once: one already waiting covers it; a retrain has its own key). */
export async function queuePredictionRefresh(db: PrismaClient, input: { shopId: string; retrain?: boolean }) {
  const retrain = Boolean(input.retrain);
  return enqueueJob(db, {
    name: PREDICTIONS_REFRESH_JOB,
    shopId: input.shopId,
    payload: { shopId: input.shopId, retrain },
    dedupeKey: `predictions:${retrain ? "retrain" : "refresh"}:${input.shopId}`,
  });
}

/** Queues the hourly tick; the dedupe key names its hour, so concurrent workers leave one per hour. */
export async function schedulePredictionsTick(db: PrismaClient, runAt = new Date()) {
  const slot = new Date(Math.floor(runAt.getTime() / TICK_INTERVAL_MS) * TICK_INTERVAL_MS).toISOString();
  return enqueueJob(db, { name: PREDICTIONS_TICK_JOB, dedupeKey: `${PREDICTIONS_TICK_JOB}:${slot}`, runAt });
}

/** The jobs' handlers, for the worker's registry. */
export function predictionJobs(db: PrismaClient) {
  return {
    [PREDICTIONS_REFRESH_JOB]: async (job: Job) => {
      const payload = job.payload as { shopId?: unknown; retrain?: unknown };
      if (typeof payload.shopId !== "string") throw new Error(`${PREDICTIONS_REFRESH_JOB}: payload has no shopId`);
      const outcomes = await refreshPredictions(db, { shopId: payload.shopId, retrain: payload.retrain === true });
      return Object.fromEntries(outcomes.map((outcome) => [outcome.kind, { trained: outcome.trained, status: outcome.status, scored: outcome.scored }]));
    },
    // Queues the next tick first, so a failing tick never ends the chain.
    [PREDICTIONS_TICK_JOB]: async () => {
      await schedulePredictionsTick(db, new Date(Date.now() + TICK_INTERVAL_MS));
      const shops = await db.$queryRaw<{ id: string }[]>`
        SELECT s."id" FROM "Shop" s WHERE s."uninstalledAt" IS NULL
          AND (EXISTS (SELECT 1 FROM "Conversation" c WHERE c."shopId" = s."id") OR EXISTS (SELECT 1 FROM "Order" o WHERE o."shopId" = s."id"))`;
      for (const shop of shops) await queuePredictionRefresh(db, { shopId: shop.id });
      return { shops: shops.length };
    },
  };
}
