import { InboxError } from "../errors";
import type { InboxChannel, InboxPriority } from "./filters";
import type { InboxRow } from "./list.server";
import { type InboxDb, inboxRead, iso, SqlParams } from "./sql.server";

/**
 * One conversation as staff see it: the header, the whole transcript (public messages and internal notes, with
 * what the assistant did, from Message.metadata), the action log and who else is there right now.
 */

/** The newest messages shown; older ones are left out (olderMessagesOmitted) rather than sent by the thousand. */
export const TRANSCRIPT_LIMIT = 500;
const ACTION_LOG_LIMIT = 200;

export interface ConversationHeader {
  id: string;
  subject: string | null;
  status: InboxRow["status"];
  priority: InboxPriority;
  assignee: { id: string; name: string } | null;
  tags: string[];
  snoozedUntil: string | null;
  /** Snoozed now (snoozedUntil in the future). */
  snoozed: boolean;
  sla: { waitingSince: string | null; dueAt: string | null; kind: string | null; breached: boolean };
  language: string;
  channel: InboxChannel;
  handledByHuman: boolean;
  escalatedAt: string | null;
  escalationReason: string | null;
  summary: string | null;
  lastIntent: string | null;
  sentiment: number | null;
  mergedIntoId: string | null;
  csat: { score: number; comment: string | null } | null;
  customerId: string | null;
  shopperName: string | null;
  shopperEmail: string | null;
  /** Orders the shopper proved are theirs in this conversation. */
  verifiedOrderIds: string[];
  firstResponseAt: string | null;
  /** The widget's read receipt: the shopper has seen every message up to here. */
  shopperLastReadAt: string | null;
  createdAt: string;
  lastMessageAt: string;
  resolvedAt: string | null;
}

/** What the assistant's turn stored with its reply, read defensively (older rows may lack fields). */
export interface TranscriptMessage {
  id: string;
  author: "shopper" | "assistant" | "staff" | "system";
  visibility: "public" | "internal";
  staff: { id: string; name: string } | null;
  body: string;
  createdAt: string;
  intent: string | null;
  /** The shopper's sentiment in this message (-1..1). */
  sentiment: number | null;
  /** Knowledge passages the reply is based on. */
  citations: { sourceId: string; chunkId: string | null; title: string }[];
  /** Tools the assistant ran for this reply and whether each succeeded (code: why not). */
  toolCalls: { name: string; ok: boolean; code: string | null }[];
  /** The order the reply showed the shopper, as stored by the turn. */
  orderCard: TranscriptOrderCard | null;
  /** This reply handed the conversation to a person. */
  handoff: { reason: string | null } | null;
  quickReplies: string[];
  /** "openai" or "offline". */
  provider: string | null;
  /** The chat model failed or broke a guardrail and the offline responder answered instead. */
  fallback: { kind: string; detail: string } | null;
  /** The assistant asked the shopper to verify an order (number + email). */
  needsVerification: boolean;
  injectionSuspected: boolean;
  /** An AI draft kept as an internal message. */
  draft: boolean;
  /** Staff ids @mentioned in an internal note. */
  mentions: string[];
}

export interface TranscriptOrderCard {
  id: string | null;
  name: string;
  status: string | null;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  currency: string | null;
  total: string | null;
  items: { title: string; variantTitle: string | null; quantity: number }[];
  shipments: { carrier: string | null; trackingNumber: string | null; trackingUrl: string | null; status: string | null }[];
}

export interface ActionLogEntry {
  id: string;
  /** "assistant", "system" or "staff:<id>". */
  actor: string;
  /** The staff member's name for "staff:<id>"; "Assistant" / "System" otherwise. */
  actorName: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  input: unknown;
  result: unknown;
  createdAt: string;
}

export interface PresenceEntry {
  staffId: string;
  name: string;
  typing: boolean;
  expiresAt: string;
}

export interface ConversationDetail {
  conversation: ConversationHeader;
  /** Oldest first. */
  messages: TranscriptMessage[];
  olderMessagesOmitted: boolean;
  /** Oldest first. */
  actions: ActionLogEntry[];
  /** Other staff viewing or typing right now (unexpired presence). */
  presence: PresenceEntry[];
}

interface HeaderRecord {
  id: string;
  subject: string | null;
  status: ConversationHeader["status"];
  priority: InboxPriority;
  assigneeId: string | null;
  assigneeName: string | null;
  tags: string[] | null;
  snoozedUntil: Date | null;
  waitingSince: Date | null;
  slaDueAt: Date | null;
  slaKind: string | null;
  language: string;
  channel: InboxChannel;
  handledByHuman: boolean;
  escalatedAt: Date | null;
  escalationReason: string | null;
  summary: string | null;
  lastIntent: string | null;
  sentiment: number | null;
  mergedIntoId: string | null;
  csatScore: number | null;
  csatComment: string | null;
  customerId: string | null;
  shopperName: string | null;
  shopperEmail: string | null;
  verifiedOrderIds: string[] | null;
  firstResponseAt: Date | null;
  shopperLastReadAt: Date | null;
  createdAt: Date;
  lastMessageAt: Date;
  resolvedAt: Date | null;
  messages: MessageRecord[] | null;
  actions: ActionRecord[] | null;
  presence: { staffId: string; name: string; typing: boolean; expiresAt: string }[] | null;
}

interface MessageRecord {
  id: string;
  author: TranscriptMessage["author"];
  visibility: TranscriptMessage["visibility"];
  staffId: string | null;
  staffName: string | null;
  body: string;
  createdAt: string;
  intent: string | null;
  sentiment: number | null;
  metadata: unknown;
}

interface ActionRecord {
  id: string;
  actor: string;
  staffName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  input: unknown;
  result: unknown;
  createdAt: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function orderCardOf(value: unknown): TranscriptOrderCard | null {
  if (!isRecord(value) || typeof value.name !== "string") return null;
  return {
    id: text(value.id),
    name: value.name,
    status: text(value.status),
    financialStatus: text(value.financialStatus),
    fulfillmentStatus: text(value.fulfillmentStatus),
    currency: text(value.currency),
    total: text(value.total),
    items: list(value.items)
      .filter(isRecord)
      .map((item) => ({ title: text(item.title) ?? "", variantTitle: text(item.variantTitle), quantity: typeof item.quantity === "number" ? item.quantity : 0 })),
    shipments: list(value.shipments)
      .filter(isRecord)
      .map((shipment) => ({ carrier: text(shipment.carrier), trackingNumber: text(shipment.trackingNumber), trackingUrl: text(shipment.trackingUrl), status: text(shipment.status) })),
  };
}

/** Message.metadata as the assistant's turn, the shopper actions and the inbox commands write it. */
function toMessage(record: MessageRecord): TranscriptMessage {
  const metadata = isRecord(record.metadata) ? record.metadata : {};
  const memory = isRecord(metadata.memory) ? metadata.memory : {};
  const awaiting = isRecord(memory.awaiting) ? memory.awaiting : {};
  const handoff = metadata.handoff;
  const fallback = isRecord(metadata.fallback) ? metadata.fallback : null;
  return {
    id: record.id,
    author: record.author,
    visibility: record.visibility,
    staff: record.staffId ? { id: record.staffId, name: record.staffName ?? "" } : null,
    body: record.body,
    createdAt: iso(record.createdAt)!,
    intent: record.intent,
    sentiment: record.sentiment,
    citations: list(metadata.citations)
      .filter(isRecord)
      .filter((citation) => typeof citation.sourceId === "string")
      .map((citation) => ({ sourceId: String(citation.sourceId), chunkId: text(citation.chunkId), title: text(citation.title) ?? "" })),
    toolCalls: list(metadata.toolCalls)
      .filter(isRecord)
      .filter((call) => typeof call.name === "string")
      .map((call) => ({ name: String(call.name), ok: call.ok === true, code: text(call.code) })),
    orderCard: orderCardOf(metadata.orderCard),
    handoff: handoff ? { reason: isRecord(handoff) ? text(handoff.reason) : null } : null,
    quickReplies: list(metadata.quickReplies).filter((reply): reply is string => typeof reply === "string"),
    provider: text(metadata.provider),
    fallback: fallback ? { kind: text(fallback.kind) ?? "", detail: text(fallback.detail) ?? "" } : null,
    needsVerification: awaiting.kind === "verification",
    injectionSuspected: metadata.injectionSuspected === true,
    draft: metadata.draft === true,
    mentions: list(metadata.mentions).filter((id): id is string => typeof id === "string"),
  };
}

function actorName(record: ActionRecord): string {
  if (record.actor.startsWith("staff:")) return record.staffName ?? "A former staff member";
  if (record.actor === "assistant") return "Assistant";
  if (record.actor === "system") return "System";
  return record.actor;
}

/**
 * The conversation view's data in one statement. 404 InboxError when the conversation is not this shop's.
 * `now` decides whose presence has expired (default: the clock).
 */
export async function getConversationDetail(
  db: InboxDb,
  input: { shopId: string; staffId: string; conversationId: string; now?: Date },
): Promise<ConversationDetail> {
  if (typeof input.conversationId !== "string" || input.conversationId.length === 0 || input.conversationId.length > 64) {
    throw new InboxError("conversation not found", 404);
  }
  const sql = new SqlParams();
  const conversation = sql.param(input.conversationId);
  const shop = sql.param(input.shopId);
  const now = sql.param(input.now ?? new Date(), "timestamptz");
  const staff = sql.param(input.staffId);
  const statement = `
SELECT c."id", c."subject", c."status"::text AS "status", c."priority"::text AS "priority", c."assigneeId", a."name" AS "assigneeName",
  c."tags", c."snoozedUntil", c."waitingSince", c."slaDueAt", c."slaKind", c."language", c."channel"::text AS "channel",
  c."handledByHuman", c."escalatedAt", c."escalationReason", c."summary", c."lastIntent", c."sentiment"::float8 AS "sentiment",
  c."mergedIntoId", c."csatScore", c."csatComment", c."customerId", c."shopperName", c."shopperEmail", c."verifiedOrderIds",
  c."firstResponseAt", c."shopperLastReadAt", c."createdAt", c."lastMessageAt", c."resolvedAt",
  (SELECT json_agg(t ORDER BY t."createdAt", t."id") FROM (
     SELECT m."id", m."author", m."visibility", m."staffId", s."name" AS "staffName", m."body", m."createdAt", m."intent",
       m."sentiment"::float8 AS "sentiment", m."metadata"
     FROM "Message" m LEFT JOIN "StaffMember" s ON s."id" = m."staffId"
     WHERE m."conversationId" = c."id" AND m."shopId" = c."shopId"
     ORDER BY m."createdAt" DESC, m."id" DESC LIMIT ${TRANSCRIPT_LIMIT + 1}) t) AS "messages",
  (SELECT json_agg(t ORDER BY t."createdAt", t."id") FROM (
     SELECT l."id", l."actor", s."name" AS "staffName", l."action", l."targetType", l."targetId", l."reason", l."input", l."result", l."createdAt"
     FROM "ActionLog" l LEFT JOIN "StaffMember" s ON l."actor" LIKE 'staff:%' AND s."id" = substr(l."actor", 7) AND s."shopId" = l."shopId"
     WHERE l."conversationId" = c."id" AND l."shopId" = c."shopId"
     ORDER BY l."createdAt" DESC, l."id" DESC LIMIT ${ACTION_LOG_LIMIT}) t) AS "actions",
  (SELECT json_agg(json_build_object('staffId', p."staffId", 'name', s."name", 'typing', p."typing", 'expiresAt', p."expiresAt") ORDER BY s."name")
     FROM "StaffPresence" p JOIN "StaffMember" s ON s."id" = p."staffId"
     WHERE p."conversationId" = c."id" AND p."shopId" = c."shopId" AND p."expiresAt" > ${now} AND p."staffId" <> ${staff}) AS "presence"
FROM "Conversation" c LEFT JOIN "StaffMember" a ON a."id" = c."assigneeId"
WHERE c."id" = ${conversation} AND c."shopId" = ${shop}`;
  const [record] = await inboxRead(db, (run) => run<HeaderRecord>(statement, sql.values));
  if (!record) throw new InboxError("conversation not found", 404);

  const clock = input.now ?? new Date();
  const active = record.status === "open" || record.status === "waiting_on_staff" || record.status === "waiting_on_shopper";
  const messages = record.messages ?? [];
  return {
    conversation: {
      id: record.id,
      subject: record.subject,
      status: record.status,
      priority: record.priority,
      assignee: record.assigneeId && record.assigneeName !== null ? { id: record.assigneeId, name: record.assigneeName } : null,
      tags: record.tags ?? [],
      snoozedUntil: iso(record.snoozedUntil),
      snoozed: record.snoozedUntil !== null && new Date(record.snoozedUntil) > clock,
      sla: {
        waitingSince: iso(record.waitingSince),
        dueAt: iso(record.slaDueAt),
        kind: record.slaKind,
        breached: active && record.slaDueAt !== null && new Date(record.slaDueAt) <= clock,
      },
      language: record.language,
      channel: record.channel,
      handledByHuman: record.handledByHuman,
      escalatedAt: iso(record.escalatedAt),
      escalationReason: record.escalationReason,
      summary: record.summary,
      lastIntent: record.lastIntent,
      sentiment: record.sentiment,
      mergedIntoId: record.mergedIntoId,
      csat: record.csatScore === null ? null : { score: record.csatScore, comment: record.csatComment },
      customerId: record.customerId,
      shopperName: record.shopperName,
      shopperEmail: record.shopperEmail,
      verifiedOrderIds: record.verifiedOrderIds ?? [],
      firstResponseAt: iso(record.firstResponseAt),
      shopperLastReadAt: iso(record.shopperLastReadAt),
      createdAt: iso(record.createdAt)!,
      lastMessageAt: iso(record.lastMessageAt)!,
      resolvedAt: iso(record.resolvedAt),
    },
    // The newest TRANSCRIPT_LIMIT + 1 came back oldest first: the extra (oldest) one only says more exist.
    messages: messages.slice(messages.length > TRANSCRIPT_LIMIT ? 1 : 0).map(toMessage),
    olderMessagesOmitted: messages.length > TRANSCRIPT_LIMIT,
    actions: (record.actions ?? []).map((entry) => ({
      id: entry.id,
      actor: entry.actor,
      actorName: actorName(entry),
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      reason: entry.reason,
      input: entry.input,
      result: entry.result,
      createdAt: iso(entry.createdAt)!,
    })),
    presence: (record.presence ?? []).map((entry) => ({ staffId: entry.staffId, name: entry.name, typing: entry.typing, expiresAt: iso(entry.expiresAt)! })),
  };
}
