/**
 * The shapes of a day's and a period's figures. Each day (a rollup row, or a day computed live) keeps counts, the
 * first response and resolution times of its conversations (sorted), the rating counts and per-key volumes, so a
 * period's medians and percentiles are exact, not averages of daily ones (summary.server.ts combines them in SQL).
 */

/**
 * A question the assistant could not answer, as a day keeps it: the message by id, not its words, so deleting or
 * erasing the message (retention, customers/redact) reaches the dashboard too.
 */
export interface UnansweredRef {
  messageId: string;
  conversationId: string;
  language: string;
  /** ISO time the shopper asked. */
  at: string;
}

/** An unanswered question with its words, read from the message when the dashboard shows it. */
export interface UnansweredQuestion extends Omit<UnansweredRef, "messageId"> {
  text: string;
}

export interface DayFigures {
  /** YYYY-MM-DD in the shop's time zone. */
  day: string;
  conversations: number;
  automated: number;
  pending: number;
  handedOff: number;
  reachedStaff: number;
  firstResponseSeconds: number[];
  resolutionSeconds: number[];
  /** How many ratings of 1, 2, 3, 4 and 5. */
  csatCounts: number[];
  byIntent: Record<string, number>;
  byLanguage: Record<string, number>;
  byChannel: Record<string, number>;
  sentimentSum: number;
  sentimentCount: number;
  unanswered: number;
  /** At most UNANSWERED_KEPT_PER_DAY, newest first. */
  unansweredQuestions: UnansweredRef[];
  influencedOrders: number;
  /** Revenue of the influenced orders by currency. */
  influencedRevenue: Record<string, number>;
}

export interface Spread {
  median: number | null;
  p90: number | null;
  /** How many conversations the times are of. */
  count: number;
}

export interface AnalyticsSummary {
  conversations: number;
  automated: number;
  /** Not decided yet: less than 72 hours since the assistant's last answer. */
  pending: number;
  /** automated ÷ (conversations − pending); null when nothing is decided. */
  automatedRate: number | null;
  handedOff: number;
  handoffRate: number | null;
  reachedStaff: number;
  firstResponseSeconds: Spread;
  resolutionSeconds: Spread;
  csat: { average: number | null; responses: number; distribution: Record<"1" | "2" | "3" | "4" | "5", number> };
  byIntent: Record<string, number>;
  byLanguage: Record<string, number>;
  byChannel: Record<string, number>;
  sentiment: { average: number | null; scored: number };
  unanswered: number;
  influenced: { orders: number; revenue: Record<string, number> };
}

export function emptyDay(day: string): DayFigures {
  return {
    day,
    conversations: 0,
    automated: 0,
    pending: 0,
    handedOff: 0,
    reachedStaff: 0,
    firstResponseSeconds: [],
    resolutionSeconds: [],
    csatCounts: [0, 0, 0, 0, 0],
    byIntent: {},
    byLanguage: {},
    byChannel: {},
    sentimentSum: 0,
    sentimentCount: 0,
    unanswered: 0,
    unansweredQuestions: [],
    influencedOrders: 0,
    influencedRevenue: {},
  };
}

/** Adds two sets of one day's figures (a day's kept conversations and those conversation retention deleted). */
export function addDayFigures(a: DayFigures, b: DayFigures): DayFigures {
  const counts = (x: Record<string, number>, y: Record<string, number>) => {
    const total = { ...x };
    for (const [key, value] of Object.entries(y)) total[key] = (total[key] ?? 0) + value;
    return total;
  };
  const times = (x: number[], y: number[]) => [...x, ...y].sort((p, q) => p - q);
  return {
    day: a.day,
    conversations: a.conversations + b.conversations,
    automated: a.automated + b.automated,
    pending: a.pending + b.pending,
    handedOff: a.handedOff + b.handedOff,
    reachedStaff: a.reachedStaff + b.reachedStaff,
    firstResponseSeconds: times(a.firstResponseSeconds, b.firstResponseSeconds),
    resolutionSeconds: times(a.resolutionSeconds, b.resolutionSeconds),
    csatCounts: [0, 1, 2, 3, 4].map((index) => (a.csatCounts[index] ?? 0) + (b.csatCounts[index] ?? 0)),
    byIntent: counts(a.byIntent, b.byIntent),
    byLanguage: counts(a.byLanguage, b.byLanguage),
    byChannel: counts(a.byChannel, b.byChannel),
    sentimentSum: a.sentimentSum + b.sentimentSum,
    sentimentCount: a.sentimentCount + b.sentimentCount,
    unanswered: a.unanswered + b.unanswered,
    unansweredQuestions: [...a.unansweredQuestions, ...b.unansweredQuestions],
    influencedOrders: a.influencedOrders + b.influencedOrders,
    influencedRevenue: counts(a.influencedRevenue, b.influencedRevenue),
  };
}
