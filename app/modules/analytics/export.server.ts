import { type AnalyticsDb, analyticsRead, shopClock } from "./days.server";
import { conversationFactsSelect, SqlParams } from "./facts.server";
import type { Period } from "./period";

/**
 * The CSV behind the dashboard: one row per conversation of the period (the conversations its figures count),
 * with the same facts. No shopper names, e-mails or message text: the conversation id links to the inbox.
 */

export const CSV_COLUMNS = [
  "conversation_id",
  "started_at",
  "day",
  "channel",
  "language",
  "intent",
  "status",
  "outcome",
  "handed_off",
  "reached_staff",
  "first_response_seconds",
  "resolution_seconds",
  "csat",
  "sentiment",
  "unanswered_questions",
  "influenced_orders",
  "influenced_revenue",
] as const;

interface ExportRow {
  id: string;
  createdAt: Date;
  day: string;
  channel: string;
  language: string;
  intent: string | null;
  status: string;
  outcome: string;
  handedOff: boolean;
  reachedStaff: boolean;
  firstResponseSeconds: number | null;
  resolutionSeconds: number | null;
  csatScore: number | null;
  sentiment: number | null;
  unanswered: number;
  influencedOrders: number;
  influencedRevenue: Record<string, number>;
}

function cell(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  // Quote what would break the row; a leading =, +, - or @ is prefixed so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@]/.test(text) && typeof value === "string" ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const seconds = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

/** The period's conversations as CSV text (header first), oldest first; null when the shop does not exist. */
export async function exportConversationsCsv(input: { shopId: string; period: Period; now?: Date; db?: AnalyticsDb }): Promise<{ csv: string; rows: number } | null> {
  const now = input.now ?? new Date();
  return analyticsRead(async (run) => {
    const clock = await shopClock(run, input.shopId, now);
    if (!clock) return null;
    const sql = new SqlParams();
    const p = sql.param;
    const tz = p(clock.timeZone, "text");
    const rows = await run<ExportRow>(
      `SELECT c."id", c."createdAt", to_char((c."createdAt" AT TIME ZONE ${tz})::date, 'YYYY-MM-DD') AS "day", c."channel"::text AS "channel", c."language",
         c."lastIntent" AS "intent", c."status"::text AS "status", f."outcome", f."handedOff", f."reachedStaff", f."firstResponseSeconds", f."resolutionSeconds",
         c."csatScore", c."sentiment"::float8 AS "sentiment", f."unanswered", f."influencedOrders", f."influencedRevenue"
       FROM "Conversation" c
       CROSS JOIN LATERAL (${conversationFactsSelect("c", p, { now })}) f
       WHERE c."shopId" = ${p(input.shopId)} AND f."counted"
         AND c."createdAt" >= (${p(input.period.from, "date")}::timestamp AT TIME ZONE ${tz})
         AND c."createdAt" < ((${p(input.period.to, "date")} + 1)::timestamp AT TIME ZONE ${tz})
       ORDER BY c."createdAt", c."id"`,
      sql.values,
    );
    const lines = [CSV_COLUMNS.join(",")];
    for (const row of rows) {
      const revenue = Object.entries(row.influencedRevenue)
        .map(([currency, amount]) => `${currency} ${Number(amount).toFixed(2)}`)
        .join("; ");
      lines.push(
        [
          row.id,
          new Date(row.createdAt).toISOString(),
          row.day,
          row.channel,
          row.language,
          row.intent,
          row.status,
          row.outcome === "not_automated" ? "not automated" : row.outcome,
          row.handedOff,
          row.reachedStaff,
          seconds(row.firstResponseSeconds),
          seconds(row.resolutionSeconds),
          row.csatScore,
          row.sentiment === null ? null : Math.round(row.sentiment * 1000) / 1000,
          row.unanswered,
          row.influencedOrders,
          revenue || null,
        ]
          .map(cell)
          .join(","),
      );
    }
    return { csv: `${lines.join("\r\n")}\r\n`, rows: rows.length };
  }, input.db);
}
