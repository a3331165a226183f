/**
 * A period's figures from its days. Each day (a rollup row, or today computed live) keeps counts, the first
 * response and resolution times of its conversations (sorted), the rating counts and per-key volumes, so a
 * period's medians and percentiles are exact, not averages of daily ones.
 */

export interface UnansweredQuestion {
  conversationId: string;
  text: string;
  language: string;
  /** ISO time the shopper asked. */
  at: string;
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
  unansweredQuestions: UnansweredQuestion[];
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

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks of sorted values. */
export function percentile(sorted: number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (position - lower);
}

/** To the millisecond, the precision of the stored times (and without float noise: 2880, not 2879.9999999999995). */
const milliseconds = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: milliseconds(percentile(sorted, 0.5)), p90: milliseconds(percentile(sorted, 0.9)), count: sorted.length };
}

function addInto(target: Record<string, number>, source: Record<string, number>) {
  for (const [key, value] of Object.entries(source)) target[key] = (target[key] ?? 0) + value;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const cents = (value: number) => Math.round(value * 100) / 100;

export function summarize(days: DayFigures[]): AnalyticsSummary {
  const total = (pick: (day: DayFigures) => number) => days.reduce((sum, day) => sum + pick(day), 0);
  const conversations = total((day) => day.conversations);
  const automated = total((day) => day.automated);
  const pending = total((day) => day.pending);
  const handedOff = total((day) => day.handedOff);
  const csatCounts = [1, 2, 3, 4, 5].map((_, index) => total((day) => day.csatCounts[index] ?? 0));
  const responses = csatCounts.reduce((sum, count) => sum + count, 0);
  const ratingSum = csatCounts.reduce((sum, count, index) => sum + count * (index + 1), 0);
  const byIntent: Record<string, number> = {};
  const byLanguage: Record<string, number> = {};
  const byChannel: Record<string, number> = {};
  const revenue: Record<string, number> = {};
  for (const day of days) {
    addInto(byIntent, day.byIntent);
    addInto(byLanguage, day.byLanguage);
    addInto(byChannel, day.byChannel);
    addInto(revenue, day.influencedRevenue);
  }
  const sentimentCount = total((day) => day.sentimentCount);
  return {
    conversations,
    automated,
    pending,
    automatedRate: ratio(automated, conversations - pending),
    handedOff,
    handoffRate: ratio(handedOff, conversations),
    reachedStaff: total((day) => day.reachedStaff),
    firstResponseSeconds: spread(days.flatMap((day) => day.firstResponseSeconds)),
    resolutionSeconds: spread(days.flatMap((day) => day.resolutionSeconds)),
    csat: {
      average: ratio(ratingSum, responses),
      responses,
      distribution: { "1": csatCounts[0]!, "2": csatCounts[1]!, "3": csatCounts[2]!, "4": csatCounts[3]!, "5": csatCounts[4]! },
    },
    byIntent: sortByCount(byIntent),
    byLanguage: sortByCount(byLanguage),
    byChannel: sortByCount(byChannel),
    sentiment: { average: sentimentCount > 0 ? total((day) => day.sentimentSum) / sentimentCount : null, scored: sentimentCount },
    unanswered: total((day) => day.unanswered),
    influenced: { orders: total((day) => day.influencedOrders), revenue: Object.fromEntries(Object.entries(revenue).map(([currency, amount]) => [currency, cents(amount)])) },
  };
}

/** Largest first, then by name: the order every "by …" list is shown and printed in. */
function sortByCount(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
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
