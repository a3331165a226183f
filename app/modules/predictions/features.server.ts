import type pg from "pg";
import { VISIT_GAP_MINUTES } from "~/modules/analytics";

/**
 * The models' raw features, read in SQL and always scoped by shop. Every feature is computed "as of" an instant
 * and reads only what happened before it, so training rows never see their own outcome:
 * - CSAT: a finished conversation as of its last message (its rating came after), an open one as of now.
 * - Churn: a customer as of a cut-off; the label is whether they ordered in the horizon after it.
 */

export type Queryable = Pick<pg.Pool, "query">;

/** Collects a statement's values; returns each one's placeholder ("$3", or "$3::text[]"). */
function sqlParams() {
  const values: unknown[] = [];
  const p = (value: unknown, cast?: string) => {
    values.push(value);
    return cast ? `$${values.length}::${cast}` : `$${values.length}`;
  };
  return { values, p };
}

/** Days before the instant in which a customer's order trouble (late delivery, refund, cancellation) counts. */
const ORDER_TROUBLE_DAYS = 60;
/** Days before the cut-off whose conversations count for churn. */
const CHURN_CONVERSATION_DAYS = 90;
/** A conversation's tone below this counts as negative. */
const NEGATIVE_SENTIMENT = -0.3;
/** Intents about an order the shopper already placed. */
const ORDER_INTENTS = ["track_order", "track_refund", "get_refund", "cancel_order", "change_shipping_address"];

export interface CsatFeatureRow {
  id: string;
  customerId: string | null;
  /** The rating (finished conversations only). */
  rating: number | null;
  raw: Record<string, number>;
}

export type CsatSelection =
  /** Finished (resolved or closed) conversations with a rating 1–5: the training rows. */
  | { kind: "rated" }
  /** Conversations still open, waiting on staff or on the shopper: the ones predicted. */
  | { kind: "open" }
  | { kind: "one"; conversationId: string };

/** The CSAT features of a shop's conversations (see CSAT_FEATURES). */
export async function csatFeatureRows(db: Queryable, input: { shopId: string; selection: CsatSelection; now: Date }): Promise<CsatFeatureRow[]> {
  const sql = sqlParams();
  const p = sql.p;
  const shopId = p(input.shopId);
  const now = p(input.now, "timestamptz");
  const finished = `c."status" IN ('resolved', 'closed')`;
  const selection =
    input.selection.kind === "rated"
      ? `${finished} AND c."csatScore" BETWEEN 1 AND 5`
      : input.selection.kind === "open"
        ? `c."status" IN ('open', 'waiting_on_staff', 'waiting_on_shopper')`
        : `c."id" = ${p(input.selection.conversationId)}`;
  const trouble = `interval '${ORDER_TROUBLE_DAYS} days'`;
  // The customer's orders: by account, or by the e-mail a guest gave.
  const ordersOfShopper = `o."shopId" = c."shopId" AND (o."customerId" = c."customerId" OR (c."customerId" IS NULL AND c."shopperEmail" IS NOT NULL AND o."email" = lower(c."shopperEmail")))`;
  const { rows } = await db.query<{
    id: string;
    customerId: string | null;
    rating: number | null;
    sentiment: number;
    shopperMessages: number;
    handedOff: boolean;
    teamWaitSeconds: number;
    durationSeconds: number;
    assistantNoAnswer: boolean;
    cameBack: boolean;
    complaint: boolean;
    aboutAnOrder: boolean;
    otherLanguage: boolean;
    lateDelivery: boolean;
    refundOrCancellation: boolean;
  }>(
    `SELECT c."id", c."customerId", c."csatScore" AS "rating",
       coalesce(c."sentiment", a."averageSentiment", 0)::float8 AS "sentiment",
       a."shopperMessages",
       h."handedOff",
       CASE WHEN h."handedOff" OR a."firstStaffAt" IS NOT NULL
         THEN greatest(0, extract(epoch FROM coalesce(a."firstStaffAt", CASE WHEN ${finished} THEN c."resolvedAt" END, t."asOf") - coalesce(c."escalatedAt", a."firstShopperAt")))::float8
         ELSE 0 END AS "teamWaitSeconds",
       greatest(0, extract(epoch FROM t."asOf" - a."firstShopperAt"))::float8 AS "durationSeconds",
       a."assistantNoAnswer", a."cameBack",
       coalesce(c."lastIntent" = 'complaint', false) AS "complaint",
       coalesce(c."lastIntent" = ANY(${p(ORDER_INTENTS, "text[]")}), false) AS "aboutAnOrder",
       split_part(c."language", '-', 1) <> split_part(sh."primaryLocale", '-', 1) AS "otherLanguage",
       EXISTS (
         SELECT 1 FROM "Order" o JOIN "Shipment" s ON s."orderId" = o."id"
         WHERE ${ordersOfShopper} AND o."placedAt" <= t."asOf" AND o."placedAt" > t."asOf" - ${trouble}
           AND s."estimatedDeliveryAt" < t."asOf" AND (s."deliveredAt" IS NULL OR s."deliveredAt" > s."estimatedDeliveryAt")
       ) AS "lateDelivery",
       EXISTS (
         SELECT 1 FROM "Order" o
         WHERE ${ordersOfShopper} AND (
           (o."cancelledAt" <= t."asOf" AND o."cancelledAt" > t."asOf" - ${trouble})
           OR EXISTS (SELECT 1 FROM "Refund" r WHERE r."orderId" = o."id" AND coalesce(r."processedAt", r."createdAt") <= t."asOf" AND coalesce(r."processedAt", r."createdAt") > t."asOf" - ${trouble}))
       ) AS "refundOrCancellation"
     FROM "Conversation" c
     JOIN "Shop" sh ON sh."id" = c."shopId"
     CROSS JOIN LATERAL (SELECT CASE WHEN ${finished} THEN c."lastMessageAt" ELSE greatest(${now}, c."lastMessageAt") END AS "asOf") t
     CROSS JOIN LATERAL (
       SELECT
         count(*) FILTER (WHERE m."author" = 'shopper')::int AS "shopperMessages",
         min(m."createdAt") FILTER (WHERE m."author" = 'shopper') AS "firstShopperAt",
         min(m."createdAt") FILTER (WHERE m."author" = 'staff') AS "firstStaffAt",
         avg(m."sentiment") FILTER (WHERE m."author" = 'shopper') AS "averageSentiment",
         -- The turn pipeline flags a reply that found no answer in the help center (metadata.unanswered).
         coalesce(bool_or(m."author" = 'assistant' AND m."metadata" ? 'unanswered'), false) AS "assistantNoAnswer",
         coalesce(bool_or(m."author" = 'shopper' AND m."gap" > interval '${VISIT_GAP_MINUTES} minutes'), false) AS "cameBack"
       FROM (
         SELECT m."author", m."metadata", m."sentiment", m."createdAt", m."createdAt" - lag(m."createdAt") OVER (ORDER BY m."createdAt", m."id") AS "gap"
         FROM "Message" m
         WHERE m."conversationId" = c."id" AND m."shopId" = c."shopId" AND m."visibility" = 'public' AND m."createdAt" <= t."asOf"
       ) m
     ) a
     CROSS JOIN LATERAL (
       SELECT c."escalatedAt" IS NOT NULL OR EXISTS (
         SELECT 1 FROM "ActionLog" l WHERE l."conversationId" = c."id" AND l."shopId" = c."shopId" AND l."action" = 'conversation.routed' AND l."createdAt" <= t."asOf"
       ) AS "handedOff"
     ) h
     WHERE c."shopId" = ${shopId} AND c."mergedIntoId" IS NULL AND a."firstShopperAt" IS NOT NULL AND ${selection}
     ORDER BY c."id"`,
    sql.values,
  );
  return rows.map(({ id, customerId, rating, ...raw }) => ({
    id,
    customerId,
    rating,
    raw: Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, Number(value)])),
  }));
}

export interface ChurnFeatureRow {
  customerId: string;
  /** Whether they placed no order in the horizon after the cut-off (training rows only). */
  churned: boolean | null;
  raw: Record<string, number>;
}

/**
 * Customers with an account who had placed an order (not cancelled by then) before `cutoff`, with their features
 * as of it. With `horizonDays`, each row is labelled: churned when no order (not cancelled) was placed in the
 * horizon after the cut-off. Guests who ordered by e-mail only are left out: nothing ties their orders together
 * reliably.
 */
export async function churnFeatureRows(
  db: Queryable,
  input: { shopId: string; cutoff: Date; horizonDays?: number; customerId?: string },
): Promise<ChurnFeatureRow[]> {
  const sql = sqlParams();
  const p = sql.p;
  const shopId = p(input.shopId);
  const cutoff = p(input.cutoff, "timestamptz");
  const horizon = input.horizonDays === undefined ? null : p(input.horizonDays, "int");
  const validAtCutoff = `(o."cancelledAt" IS NULL OR o."cancelledAt" >= ${cutoff})`;
  const { rows } = await db.query<{
    customerId: string;
    churned: boolean | null;
    daysSinceLastOrder: number;
    orders: number;
    spent: number;
    refunds: number;
    cancelledOrders: number;
    lateDeliveries: number;
    conversations: number;
    negativeConversations: number;
    unresolvedHandoffs: number;
  }>(
    `WITH buyers AS (
       SELECT o."customerId",
         count(*) FILTER (WHERE ${validAtCutoff})::int AS "orders",
         max(o."placedAt") FILTER (WHERE ${validAtCutoff}) AS "lastOrderAt",
         coalesce(sum(o."total") FILTER (WHERE ${validAtCutoff} AND o."currency" = sh."currency"), 0)::float8 AS "spent",
         count(*) FILTER (WHERE o."cancelledAt" < ${cutoff})::int AS "cancelledOrders"
       FROM "Order" o JOIN "Shop" sh ON sh."id" = o."shopId"
       WHERE o."shopId" = ${shopId} AND o."customerId" IS NOT NULL AND o."placedAt" < ${cutoff}
         ${input.customerId ? `AND o."customerId" = ${p(input.customerId)}` : ""}
       GROUP BY o."customerId"
       HAVING count(*) FILTER (WHERE ${validAtCutoff}) > 0
     )
     SELECT b."customerId",
       ${
         horizon
           ? `NOT EXISTS (SELECT 1 FROM "Order" o WHERE o."shopId" = ${shopId} AND o."customerId" = b."customerId" AND o."status" <> 'cancelled'
               AND o."placedAt" >= ${cutoff} AND o."placedAt" < ${cutoff} + make_interval(days => ${horizon}))`
           : "NULL::boolean"
       } AS "churned",
       extract(epoch FROM ${cutoff} - b."lastOrderAt")::float8 / 86400 AS "daysSinceLastOrder",
       b."orders", b."spent", b."cancelledOrders",
       (SELECT count(*)::int FROM "Order" o JOIN "Refund" r ON r."orderId" = o."id"
        WHERE o."shopId" = ${shopId} AND o."customerId" = b."customerId" AND coalesce(r."processedAt", r."createdAt") < ${cutoff}) AS "refunds",
       (SELECT count(*)::int FROM "Order" o JOIN "Shipment" s ON s."orderId" = o."id"
        WHERE o."shopId" = ${shopId} AND o."customerId" = b."customerId" AND s."estimatedDeliveryAt" < ${cutoff}
          AND (s."deliveredAt" IS NULL OR s."deliveredAt" > s."estimatedDeliveryAt")) AS "lateDeliveries",
       cv."conversations", cv."negativeConversations", cv."unresolvedHandoffs"
     FROM buyers b
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS "conversations",
         count(*) FILTER (WHERE c."sentiment" < ${NEGATIVE_SENTIMENT})::int AS "negativeConversations",
         count(*) FILTER (WHERE c."escalatedAt" < ${cutoff} AND (c."resolvedAt" IS NULL OR c."resolvedAt" >= ${cutoff}))::int AS "unresolvedHandoffs"
       FROM "Conversation" c
       WHERE c."shopId" = ${shopId} AND c."customerId" = b."customerId" AND c."mergedIntoId" IS NULL
         AND c."createdAt" < ${cutoff} AND c."createdAt" >= ${cutoff} - interval '${CHURN_CONVERSATION_DAYS} days'
     ) cv
     ORDER BY b."customerId"`,
    sql.values,
  );
  return rows.map(({ customerId, churned, ...raw }) => ({
    customerId,
    churned,
    raw: Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, Number(value)])),
  }));
}
