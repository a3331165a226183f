import type { Prisma, PrismaClient } from "@prisma/client";
import type pg from "pg";
import { getPool } from "~/lib/db/pool.server";
import { FEATURES, modelInputs, type PredictionKind } from "./features";
import { type ChurnFeatureRow, churnFeatureRows, type CsatFeatureRow, csatFeatureRows, type Queryable } from "./features.server";
import {
  aucLowerBound,
  brierScore,
  contributions,
  crossValidatedProbabilities,
  fitLogistic,
  type LogisticModel,
  predictProbability,
  rocAuc,
} from "./logistic-regression";

/**
 * Training a shop's two models on its own history, and scoring with them.
 * - CSAT: finished conversations rated 1–5; label 1 when rated 4 or 5 (satisfied). Predicts open conversations.
 * - Churn: customers who had ordered before a cut-off CHURN_HORIZON_DAYS ago, described as of it; label 1 when
 *   they placed no order in the CHURN_HORIZON_DAYS after it. Predicts every customer who has ordered, as of now:
 *   the probability of no order in the next CHURN_HORIZON_DAYS.
 * Quality is measured out of sample (stratified FOLDS-fold cross-validation, each row predicted by a model that
 * never saw it, repeated over REPEATS splits and averaged); the stored model is then fitted on all rows. A model is only used when its history is large
 * enough and its held-out AUC is above chance with 95 % confidence; otherwise it is stored with the reason and
 * gives no scores.
 */

export const MIN_EXAMPLES = 50;
export const MIN_PER_CLASS = 10;
export const CHURN_HORIZON_DAYS = 60;
const FOLDS = 5;
const REPEATS = 5;
const TOP_FACTORS = 3;
const DAY_MS = 86_400_000;

export type ModelStatus = "ready" | "too_little_history" | "no_better_than_chance";

export interface ModelMetrics {
  auc: number;
  aucLowerBound: number;
  brier: number;
  /** The Brier score of always predicting the base rate: what the model must beat to be calibrated usefully. */
  brierBaseline: number;
  folds: number;
  repeats: number;
}

export interface TrainedModel {
  kind: PredictionKind;
  status: ModelStatus;
  examples: number;
  positives: number;
  model: LogisticModel | null;
  metrics: ModelMetrics | null;
  horizonDays: number | null;
}

/** A factor behind one prediction: the feature, its raw value, and its push on the log-odds. */
export interface Factor {
  feature: string;
  value: number;
  contribution: number;
}

/** Fits and evaluates one model, or says why it cannot be used. Deterministic for the same rows. */
function trainOn(kind: PredictionKind, rows: number[][], labels: number[]): TrainedModel {
  const examples = rows.length;
  const positives = labels.filter((label) => label === 1).length;
  const horizonDays = kind === "churn" ? CHURN_HORIZON_DAYS : null;
  if (examples < MIN_EXAMPLES || positives < MIN_PER_CLASS || examples - positives < MIN_PER_CLASS) {
    return { kind, status: "too_little_history", examples, positives, model: null, metrics: null, horizonDays };
  }
  // Cross-validation repeated over REPEATS different splits and averaged: one split's luck on a few hundred rows
  // would otherwise decide whether a shop gets predictions.
  const repeats = Array.from({ length: REPEATS }, (_, seed) => crossValidatedProbabilities(rows, labels, FOLDS, { seed: seed + 1 }));
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const auc = mean(repeats.map((heldOut) => rocAuc(heldOut, labels) ?? 0.5));
  const baseRate = positives / examples;
  const metrics: ModelMetrics = {
    auc,
    aucLowerBound: aucLowerBound(auc, positives, examples - positives),
    brier: mean(repeats.map((heldOut) => brierScore(heldOut, labels))),
    brierBaseline: baseRate * (1 - baseRate),
    folds: FOLDS,
    repeats: REPEATS,
  };
  const status: ModelStatus = metrics.aucLowerBound > 0.5 ? "ready" : "no_better_than_chance";
  return { kind, status, examples, positives, model: fitLogistic(rows, labels), metrics, horizonDays };
}

/** The top factors of one prediction, largest push first (factors that barely move it are left out). */
function topFactors(kind: PredictionKind, model: LogisticModel, raw: Record<string, number>): Factor[] {
  const features = FEATURES[kind];
  return contributions(model, modelInputs(kind, raw))
    .map((contribution, j) => ({ feature: features[j]!.key, value: Number(raw[features[j]!.key] ?? 0), contribution }))
    .filter((factor) => Math.abs(factor.contribution) >= 0.01)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, TOP_FACTORS);
}

export interface Scored {
  subjectId: string;
  probability: number;
  factors: Factor[];
}

export function score(kind: PredictionKind, model: LogisticModel, subjectId: string, raw: Record<string, number>): Scored {
  return { subjectId, probability: predictProbability(model, modelInputs(kind, raw)), factors: topFactors(kind, model, raw) };
}

/** A stored model row as the scorer needs it; null unless it is usable. */
export function usableModel(row: { status: string; intercept: number; weights: number[]; means: number[]; stds: number[]; features: string[] } | null, kind: PredictionKind): LogisticModel | null {
  if (row?.status !== "ready") return null;
  // A model trained on another feature list (an older version of this module) is not applied to today's features.
  if (row.features.join(",") !== FEATURES[kind].map((feature) => feature.key).join(",")) return null;
  return { intercept: row.intercept, weights: row.weights, means: row.means, stds: row.stds };
}

const csatLabel = (row: CsatFeatureRow) => (row.rating !== null && row.rating >= 4 ? 1 : 0);
const churnLabel = (row: ChurnFeatureRow) => (row.churned ? 1 : 0);

/** Trains the shop's model of `kind` on its history as of `now`. */
async function trainShopModel(db: Queryable, input: { shopId: string; kind: PredictionKind; now: Date }): Promise<TrainedModel> {
  if (input.kind === "csat") {
    const rows = await csatFeatureRows(db, { shopId: input.shopId, selection: { kind: "rated" }, now: input.now });
    return trainOn(
      "csat",
      rows.map((row) => modelInputs("csat", row.raw)),
      rows.map(csatLabel),
    );
  }
  const cutoff = new Date(input.now.getTime() - CHURN_HORIZON_DAYS * DAY_MS);
  const rows = await churnFeatureRows(db, { shopId: input.shopId, cutoff, horizonDays: CHURN_HORIZON_DAYS });
  return trainOn(
    "churn",
    rows.map((row) => modelInputs("churn", row.raw)),
    rows.map(churnLabel),
  );
}

/** Scores what the model of `kind` predicts now: open conversations (csat) or customers who have ordered (churn). */
async function scoreShop(db: Queryable, input: { shopId: string; kind: PredictionKind; model: LogisticModel; now: Date }): Promise<Scored[]> {
  if (input.kind === "csat") {
    const rows = await csatFeatureRows(db, { shopId: input.shopId, selection: { kind: "open" }, now: input.now });
    return rows.map((row) => score("csat", input.model, row.id, row.raw));
  }
  const rows = await churnFeatureRows(db, { shopId: input.shopId, cutoff: input.now });
  return rows.map((row) => score("churn", input.model, row.customerId, row.raw));
}

export interface RefreshOutcome {
  kind: PredictionKind;
  trained: boolean;
  status: ModelStatus;
  scored: number;
}

/** How old a model may get before the refresh retrains it. */
const RETRAIN_AFTER_MS = DAY_MS;

/**
 * Brings a shop's predictions up to date: retrains each model when asked to, when it has none, or when it is a
 * day old (or was trained on other features), then replaces the stored scores with fresh ones, or removes them
 * when the model is not usable, so no score outlives the model that could justify it.
 */
export async function refreshPredictions(db: PrismaClient, input: { shopId: string; now?: Date; retrain?: boolean }): Promise<RefreshOutcome[]> {
  const now = input.now ?? new Date();
  const pool = getPool();
  const outcomes: RefreshOutcome[] = [];
  for (const kind of ["csat", "churn"] as const) {
    let stored = await db.predictionModel.findUnique({ where: { shopId_kind: { shopId: input.shopId, kind } } });
    const featureKeys = FEATURES[kind].map((feature) => feature.key);
    const stale = !stored || now.getTime() - stored.trainedAt.getTime() >= RETRAIN_AFTER_MS || stored.features.join(",") !== featureKeys.join(",");
    const trained = Boolean(input.retrain) || stale;
    if (trained) {
      const result = await trainShopModel(pool, { shopId: input.shopId, kind, now });
      const data = {
        status: result.status,
        examples: result.examples,
        positives: result.positives,
        features: featureKeys,
        intercept: result.model?.intercept ?? 0,
        weights: result.model?.weights ?? [],
        means: result.model?.means ?? [],
        stds: result.model?.stds ?? [],
        metrics: (result.metrics ?? {}) as unknown as Prisma.InputJsonValue,
        horizonDays: result.horizonDays,
        trainedAt: now,
      };
      stored = await db.predictionModel.upsert({
        where: { shopId_kind: { shopId: input.shopId, kind } },
        create: { shopId: input.shopId, kind, ...data },
        update: data,
      });
    }
    const model = usableModel(stored, kind);
    const scores = model ? await scoreShop(pool, { shopId: input.shopId, kind, model, now }) : [];
    await replaceScores(pool, { shopId: input.shopId, kind, scores, now });
    outcomes.push({ kind, trained, status: (stored?.status ?? "too_little_history") as ModelStatus, scored: scores.length });
  }
  return outcomes;
}

/** Replaces the shop's stored scores of `kind` at once (arrays unnested in SQL: a shop may have many customers). */
async function replaceScores(pool: pg.Pool, input: { shopId: string; kind: PredictionKind; scores: Scored[]; now: Date }) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`DELETE FROM "PredictionScore" WHERE "shopId" = $1 AND "kind" = $2`, [input.shopId, input.kind]);
    if (input.scores.length > 0) {
      await client.query(
        `INSERT INTO "PredictionScore" ("shopId", "kind", "subjectId", "probability", "factors", "scoredAt")
         SELECT $1, $2, r."subjectId", r."probability", r."factors", $3 FROM unnest($4::text[], $5::float8[], $6::jsonb[]) AS r("subjectId", "probability", "factors")`,
        [
          input.shopId,
          input.kind,
          input.now,
          input.scores.map((scored) => scored.subjectId),
          input.scores.map((scored) => scored.probability),
          input.scores.map((scored) => JSON.stringify(scored.factors)),
        ],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}
