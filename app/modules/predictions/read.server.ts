import type { PrismaClient } from "@prisma/client";
import { getPool } from "~/lib/db/pool.server";
import { describeFactors, type FactorView, type ModelSummary, summariseModel } from "./explain.server";
import type { PredictionKind } from "./features";
import { churnFeatureRows, csatFeatureRows } from "./features.server";
import { type Factor, score, usableModel } from "./training.server";
import { PREDICTIONS_REFRESH_JOB } from "./jobs.server";

/**
 * Reading predictions. The dashboard reads what the refresh job stored (it never trains or scores, so it stays
 * fast); the inbox scores its one conversation and customer live with the stored model, so what staff see beside
 * a conversation is as of now.
 */

export interface ConversationAtRisk {
  conversationId: string;
  shopper: string;
  /** Probability of a 4–5 rating. */
  satisfied: number;
  factors: FactorView[];
}

export interface CustomerAtRisk {
  customerId: string;
  name: string;
  /** Probability of no order in the horizon. */
  churn: number;
  factors: FactorView[];
}

export interface PredictionsOverview {
  csat: ModelSummary;
  churn: ModelSummary;
  conversations: ConversationAtRisk[];
  customers: CustomerAtRisk[];
  /** When the stored scores were computed (null when there are none). */
  scoredAt: string | null;
  /** A refresh (retraining or scoring) is waiting or running. */
  refreshing: boolean;
}

type Db = Pick<PrismaClient, "predictionModel" | "predictionScore" | "$queryRaw">;

async function modelSummaries(db: Db, shopId: string) {
  const rows = await db.predictionModel.findMany({ where: { shopId } });
  const of = (kind: PredictionKind) => {
    const row = rows.find((candidate) => candidate.kind === kind) ?? null;
    const model = usableModel(row, kind);
    return { row, model, summary: summariseModel(kind, row, model !== null) };
  };
  return { csat: of("csat"), churn: of("churn") };
}

const customerName = (row: { firstName: string | null; lastName: string | null; email: string | null; redactedAt: Date | null }) =>
  row.redactedAt ? "Customer (erased)" : [row.firstName, row.lastName].filter(Boolean).join(" ") || row.email || "Customer without a name";

/** The dashboard card: each model's state and the stored predictions most at risk. */
export async function getPredictionsOverview(db: Db, input: { shopId: string; currency: string; limit?: number }): Promise<PredictionsOverview> {
  const limit = input.limit ?? 5;
  const [models, conversations, customers, refreshing] = await Promise.all([
    modelSummaries(db, input.shopId),
    // Still open: a conversation finished since it was scored is no longer at risk of anything.
    db.$queryRaw<{ subjectId: string; probability: number; factors: Factor[]; scoredAt: Date; shopperName: string | null; shopperEmail: string | null }[]>`
      SELECT s."subjectId", s."probability", s."factors", s."scoredAt", c."shopperName", c."shopperEmail"
      FROM "PredictionScore" s JOIN "Conversation" c ON c."id" = s."subjectId" AND c."shopId" = s."shopId"
      WHERE s."shopId" = ${input.shopId} AND s."kind" = 'csat' AND c."status" IN ('open', 'waiting_on_staff', 'waiting_on_shopper') AND c."mergedIntoId" IS NULL
      ORDER BY s."probability", s."subjectId" LIMIT ${limit}`,
    db.$queryRaw<{ subjectId: string; probability: number; factors: Factor[]; scoredAt: Date; firstName: string | null; lastName: string | null; email: string | null; redactedAt: Date | null }[]>`
      SELECT s."subjectId", s."probability", s."factors", s."scoredAt", cu."firstName", cu."lastName", cu."email", cu."redactedAt"
      FROM "PredictionScore" s JOIN "Customer" cu ON cu."id" = s."subjectId" AND cu."shopId" = s."shopId"
      WHERE s."shopId" = ${input.shopId} AND s."kind" = 'churn'
      ORDER BY s."probability" DESC, s."subjectId" LIMIT ${limit}`,
    db.$queryRaw<{ waiting: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM "Job" j WHERE j."shopId" = ${input.shopId} AND j."name" = ${PREDICTIONS_REFRESH_JOB} AND j."status" IN ('queued', 'running')) AS "waiting"`,
  ]);
  const context = { currency: input.currency };
  const scoredAt = [...conversations, ...customers].map((row) => row.scoredAt.getTime()).sort((a, b) => b - a)[0];
  return {
    csat: models.csat.summary,
    churn: models.churn.summary,
    conversations: models.csat.model
      ? conversations.map((row) => ({
          conversationId: row.subjectId,
          shopper: row.shopperName ?? row.shopperEmail ?? "Anonymous shopper",
          satisfied: row.probability,
          factors: describeFactors("csat", row.factors, context),
        }))
      : [],
    customers: models.churn.model
      ? customers.map((row) => ({ customerId: row.subjectId, name: customerName(row), churn: row.probability, factors: describeFactors("churn", row.factors, context) }))
      : [],
    scoredAt: scoredAt === undefined ? null : new Date(scoredAt).toISOString(),
    refreshing: refreshing[0]?.waiting ?? false,
  };
}

export interface ConversationPredictions {
  csat: { model: ModelSummary; satisfied: number | null; factors: FactorView[]; note: string | null };
  churn: { model: ModelSummary; churn: number | null; factors: FactorView[]; note: string | null };
}

/** Beside a conversation in the inbox: its predicted CSAT and its customer's churn risk, scored now. */
export async function getConversationPredictions(
  db: Db,
  input: { shopId: string; conversationId: string; currency: string; now?: Date },
): Promise<ConversationPredictions> {
  const now = input.now ?? new Date();
  const pool = getPool();
  const models = await modelSummaries(db, input.shopId);
  const context = { currency: input.currency };
  const conversation = await db.$queryRaw<{ status: string; csatScore: number | null; customerId: string | null }[]>`
    SELECT "status"::text, "csatScore", "customerId" FROM "Conversation" WHERE "shopId" = ${input.shopId} AND "id" = ${input.conversationId}`;
  const header = conversation[0];

  const csat: ConversationPredictions["csat"] = { model: models.csat.summary, satisfied: null, factors: [], note: null };
  if (header && (header.status === "resolved" || header.status === "closed")) {
    csat.note = header.csatScore ? `Finished and rated ${header.csatScore} of 5: predictions are for open conversations.` : "Finished: predictions are for open conversations.";
  } else if (header && models.csat.model) {
    const [row] = await csatFeatureRows(pool, { shopId: input.shopId, selection: { kind: "one", conversationId: input.conversationId }, now });
    if (!row) csat.note = "No prediction: the shopper has not written yet.";
    else {
      const scored = score("csat", models.csat.model, row.id, row.raw);
      csat.satisfied = scored.probability;
      csat.factors = describeFactors("csat", scored.factors, context);
    }
  }

  const churn: ConversationPredictions["churn"] = { model: models.churn.summary, churn: null, factors: [], note: null };
  const customerId = header?.customerId ?? null;
  if (!customerId) churn.note = "No churn risk: the shopper has no customer account.";
  else if (models.churn.model) {
    const [customer] = await churnFeatureRows(pool, { shopId: input.shopId, cutoff: now, customerId });
    if (!customer) churn.note = "No churn risk: the customer has no orders yet.";
    else {
      const scored = score("churn", models.churn.model, customer.customerId, customer.raw);
      churn.churn = scored.probability;
      churn.factors = describeFactors("churn", scored.factors, context);
    }
  }
  return { csat, churn };
}
