import { type Priority, priorityRank } from "./priority";

export const SLA_KINDS = ["first_response", "next_response"] as const;
/** Conversation.slaKind: whether slaDueAt measures a person's first reply or the next one. */
export type SlaKind = (typeof SLA_KINDS)[number];

export interface SlaState {
  dueAt: Date;
  /** Due time reached and nobody has answered. */
  breached: boolean;
  /** Whole minutes until due, rounded down (negative once breached: minutes overdue). Wall-clock minutes. */
  minutesLeft: number;
}

/** What the inbox shows of a conversation's SLA; null when nobody waits. */
export function slaState(slaDueAt: Date | null, now: Date): SlaState | null {
  if (!slaDueAt) return null;
  const left = slaDueAt.getTime() - now.getTime();
  return { dueAt: slaDueAt, breached: left <= 0, minutesLeft: Math.floor(left / 60_000) };
}

export interface InboxOrderFields {
  slaDueAt: Date | null;
  priority: Priority;
  lastMessageAt: Date;
}

/**
 * The inbox's order: breached first, then the nearest due (nobody waiting last), then priority (urgent
 * first), then the latest message. A breached due time is always the earliest, so in SQL this is
 * `ORDER BY "slaDueAt" ASC NULLS LAST, "priority" DESC, "lastMessageAt" DESC` (the Priority enum is
 * declared low → urgent).
 */
export function compareInboxRows(a: InboxOrderFields, b: InboxOrderFields): number {
  const due = (row: InboxOrderFields) => row.slaDueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return due(a) - due(b) || priorityRank(b.priority) - priorityRank(a.priority) || b.lastMessageAt.getTime() - a.lastMessageAt.getTime();
}
