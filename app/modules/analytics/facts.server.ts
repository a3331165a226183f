import {
  type AnalyticsSegment,
  INFLUENCE_WINDOW_HOURS,
  RETURN_WINDOW_HOURS,
  THANKS_NORMALISE,
  THANKS_ONLY_PATTERN,
  VISIT_GAP_MINUTES,
} from "./definitions";

/**
 * One conversation's facts, as SQL: whether it counts, whether it was automated, handed off, reached staff; its
 * first response and resolution times; its unanswered questions and the orders it influenced. Every figure of
 * the dashboard, the rollups, the CLI, the CSV export and the inbox's drill-down list reads them from here, so a
 * definition (./definitions.ts) is implemented once.
 *
 * Statements are assembled from these fixed fragments; values only ever travel as parameters (`param`).
 */

/** Adds a parameter to the statement being built and returns its placeholder ("$3", or "$3::text[]"). */
export type Param = (value: unknown, cast?: string) => string;

/** Collects parameters while a statement is assembled. */
export class SqlParams {
  readonly values: unknown[] = [];
  readonly param: Param = (value, cast) => {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  };
}

/**
 * Whether the message `m` (an SQL alias of "Message") is an assistant reply to a question the shop's knowledge did
 * not answer: the turn pipeline marks it in the reply's metadata (`unanswered`), on the offline and the chat-model
 * path alike and in any language (app/modules/assistant: ReplyDraft.unanswered).
 */
export function unansweredReply(m: string): string {
  return `(${m}."author" = 'assistant' AND (${m}."metadata" -> 'unanswered') IS NOT NULL)`;
}

/** A thanks is short: longer messages are never matched against the pattern (most messages, and the costly part). */
const THANKS_MAX_CHARS = 80;

/** Whether `body` (an SQL expression) only says thanks. */
function thanksOnly(body: string, param: Param): string {
  return `(length(${body}) <= ${THANKS_MAX_CHARS} AND btrim(regexp_replace(lower(${body}), ${param(THANKS_NORMALISE, "text")}, ' ', 'g')) ~ ${param(THANKS_ONLY_PATTERN, "text")})`;
}

/** The statement-wide values the facts depend on. */
export interface FactsContext {
  /** Decides which conversations are still pending (less than 72 h since the assistant's last answer). */
  now: Date;
}

/**
 * A SELECT of exactly one row with the facts of the conversation `c` (an alias of "Conversation" in the outer
 * statement): use it as `LEFT JOIN LATERAL (…) f ON true`, or in a scalar subquery.
 *
 * Columns: counted, firstShopperAt, lastAssistantAt, handedOff, reachedStaff, outcome ('automated', 'pending'
 * or 'not_automated'), firstResponseSeconds, resolutionSeconds, unanswered (count), influencedOrders,
 * influencedRevenue ({currency: amount}).
 */
export function conversationFactsSelect(c: string, param: Param, context: FactsContext): string {
  const now = param(context.now, "timestamptz");
  const returnWindow = `interval '${RETURN_WINDOW_HOURS} hours'`;
  const visitGap = `interval '${VISIT_GAP_MINUTES} minutes'`;
  const influenceWindow = `interval '${INFLUENCE_WINDOW_HOURS} hours'`;
  // A shopper message of another conversation of the same shopper (account, or e-mail for guests) within the
  // 72 hours after this one's last answer: two EXISTS, so each can use its index.
  const returnedIn = (match: string) => `EXISTS (
        SELECT 1 FROM "Conversation" c2 JOIN "Message" m2 ON m2."conversationId" = c2."id" AND m2."shopId" = c2."shopId"
        WHERE c2."shopId" = ${c}."shopId" AND c2."id" <> ${c}."id" AND ${match}
          AND m2."author" = 'shopper' AND m2."visibility" = 'public'
          AND m2."createdAt" > a."lastAssistantAt" AND m2."createdAt" <= a."lastAssistantAt" + ${returnWindow}
          AND NOT ${thanksOnly('m2."body"', param)})`;
  // An order is claimed by the latest conversation of its shopper that started before it and whose window holds it.
  // The shopper's orders are read by account and by e-mail apart, so each reads its own index.
  const ordersIn = (match: string) => `SELECT ord."id", ord."currency", ord."total", ord."customerId", ord."email", ord."placedAt" FROM "Order" ord
        WHERE ${match} AND ord."status" <> 'cancelled' AND ord."placedAt" >= a."firstShopperAt" AND ord."placedAt" <= ${c}."lastMessageAt" + ${influenceWindow}`;
  const firstShopperOf = (alias: string) =>
    `(SELECT min(m3."createdAt") FROM "Message" m3 WHERE m3."conversationId" = ${alias}."id" AND m3."shopId" = ${alias}."shopId" AND m3."author" = 'shopper' AND m3."visibility" = 'public')`;
  return `SELECT
    a."firstShopperAt" IS NOT NULL AS "counted",
    a."firstShopperAt", a."lastAssistantAt", h."handedOff", (h."handedOff" OR a."staffWrote") AS "reachedStaff", o."outcome",
    CASE WHEN h."handedOff" OR a."staffWrote" THEN extract(epoch FROM a."firstStaffReplyAt" - a."firstShopperAt")::float8 END AS "firstResponseSeconds",
    CASE WHEN r."resolvedAt" >= a."firstShopperAt" THEN extract(epoch FROM r."resolvedAt" - a."firstShopperAt")::float8 END AS "resolutionSeconds",
    a."unanswered", v."influencedOrders", v."influencedRevenue"
  FROM (
    SELECT
      min(m."createdAt") FILTER (WHERE m."author" = 'shopper') AS "firstShopperAt",
      max(m."createdAt") FILTER (WHERE m."author" = 'assistant') AS "lastAssistantAt",
      max(m."createdAt") FILTER (WHERE m."author" = 'shopper' AND NOT m."thanks") AS "lastQuestionAt",
      min(m."createdAt") FILTER (WHERE m."author" = 'staff' AND m."createdAt" >= m."firstShopper") AS "firstStaffReplyAt",
      coalesce(bool_or(m."author" = 'staff'), false) AS "staffWrote",
      coalesce(bool_or(m."author" = 'shopper' AND NOT m."thanks" AND m."gap" > ${visitGap} AND m."gap" <= ${returnWindow}), false) AS "cameBack",
      count(*) FILTER (WHERE m."noAnswer")::int AS "unanswered"
    FROM (
      SELECT m."author", m."createdAt",
        m."author" = 'shopper' AND ${thanksOnly('m."body"', param)} AS "thanks",
        ${unansweredReply("m")} AS "noAnswer",
        m."createdAt" - lag(m."createdAt") OVER (ORDER BY m."createdAt", m."id") AS "gap",
        min(m."createdAt") FILTER (WHERE m."author" = 'shopper') OVER () AS "firstShopper"
      FROM "Message" m
      WHERE m."conversationId" = ${c}."id" AND m."shopId" = ${c}."shopId" AND m."visibility" = 'public' AND m."author" IN ('shopper', 'assistant', 'staff')
    ) m
  ) a
  -- OFFSET 0 keeps each of these subqueries one computation per conversation (inlined, its expression would be
  -- repeated wherever its column is used). The action log is probed by conversation (its index), not hashed whole.
  CROSS JOIN LATERAL (
    SELECT ${c}."escalatedAt" IS NOT NULL OR EXISTS (
      SELECT 1 FROM "ActionLog" l
      WHERE l."conversationId" = ${c}."id" AND l."shopId" = ${c}."shopId" AND l."action" IN ('conversation.routed', 'conversation.handed_back')
      LIMIT 1) AS "handedOff"
    OFFSET 0
  ) h
  CROSS JOIN LATERAL (
    -- Pending until the window after the assistant's last answer (or the first message, when it never answered) has
    -- closed, whatever happened so far: judging only the failures of recent days would bias the rate down.
    SELECT CASE
      WHEN a."firstShopperAt" IS NULL THEN 'not_automated'
      WHEN ${now} < coalesce(a."lastAssistantAt", a."firstShopperAt") + ${returnWindow} THEN 'pending'
      WHEN h."handedOff" OR a."staffWrote" OR a."lastAssistantAt" IS NULL OR a."cameBack" OR a."lastAssistantAt" < a."lastQuestionAt" THEN 'not_automated'
      WHEN (${c}."customerId" IS NOT NULL AND ${returnedIn(`c2."customerId" = ${c}."customerId"`)})
        OR (${c}."shopperEmail" IS NOT NULL AND ${returnedIn(`lower(c2."shopperEmail") = lower(${c}."shopperEmail")`)}) THEN 'not_automated'
      ELSE 'automated' END AS "outcome"
    OFFSET 0
  ) o
  CROSS JOIN LATERAL (
    SELECT CASE
      WHEN ${c}."status" IN ('resolved', 'closed') AND ${c}."resolvedAt" IS NOT NULL THEN ${c}."resolvedAt"
      WHEN o."outcome" = 'automated' THEN a."lastAssistantAt" END AS "resolvedAt"
  ) r
  CROSS JOIN LATERAL (
    SELECT coalesce(sum(x."n"), 0)::int AS "influencedOrders", coalesce(jsonb_object_agg(x."currency", x."total"), '{}'::jsonb) AS "influencedRevenue"
    FROM (
      SELECT ord."currency", sum(ord."total") AS "total", count(*) AS "n"
      FROM (
        ${ordersIn(`${c}."customerId" IS NOT NULL AND ord."customerId" = ${c}."customerId" AND ord."shopId" = ${c}."shopId"`)}
        UNION
        ${ordersIn(`${c}."shopperEmail" IS NOT NULL AND ord."shopId" = ${c}."shopId" AND ord."email" IN (${c}."shopperEmail", lower(${c}."shopperEmail"))`)}
      ) ord
      WHERE a."firstShopperAt" IS NOT NULL
        AND NOT EXISTS (
          SELECT 1 FROM "Conversation" c4
          CROSS JOIN LATERAL (SELECT ${firstShopperOf("c4")} AS "at") f4
          WHERE c4."shopId" = ${c}."shopId" AND c4."id" <> ${c}."id"
            AND (c4."customerId" = ord."customerId" OR lower(c4."shopperEmail") = lower(ord."email"))
            AND f4."at" <= ord."placedAt" AND c4."lastMessageAt" + ${influenceWindow} >= ord."placedAt"
            AND (f4."at" > a."firstShopperAt" OR (f4."at" = a."firstShopperAt" AND c4."id" > ${c}."id")))
      GROUP BY ord."currency"
    ) x
  ) v`;
}

/**
 * Whether the conversation `c` is one of the conversations behind a figure (a WHERE condition): the inbox's
 * drill-down list. The period is the caller's (the inbox filters by the day a conversation started).
 */
export function analyticsSegmentCondition(segment: AnalyticsSegment, c: string, param: Param, context: FactsContext): string {
  const predicate = SEGMENT_PREDICATES[segment](c, param);
  return `coalesce((SELECT ${predicate} FROM (${conversationFactsSelect(c, param, context)}) f), false)`;
}

const SEGMENT_PREDICATES: Record<AnalyticsSegment, (c: string, param: Param) => string> = {
  conversations: () => `f."counted"`,
  automated: () => `f."outcome" = 'automated'`,
  pending: () => `f."outcome" = 'pending'`,
  handed_off: () => `f."counted" AND f."handedOff"`,
  reached_staff: () => `f."counted" AND f."reachedStaff"`,
  first_response: () => `f."firstResponseSeconds" IS NOT NULL`,
  resolved: () => `f."resolutionSeconds" IS NOT NULL`,
  rated: (c) => `f."counted" AND ${c}."csatScore" BETWEEN 1 AND 5`,
  csat_1: (c) => `f."counted" AND ${c}."csatScore" = 1`,
  csat_2: (c) => `f."counted" AND ${c}."csatScore" = 2`,
  csat_3: (c) => `f."counted" AND ${c}."csatScore" = 3`,
  csat_4: (c) => `f."counted" AND ${c}."csatScore" = 4`,
  csat_5: (c) => `f."counted" AND ${c}."csatScore" = 5`,
  unanswered: () => `f."unanswered" > 0`,
  influenced: () => `f."influencedOrders" > 0`,
};

