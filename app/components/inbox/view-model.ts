import type { ConversationDetail, CustomerPanel, MacroSummary } from "~/modules/inbox";
import type { ConversationViewData } from "./ConversationView";
import type { PanelData } from "./CustomerPanel";
import { formatDateTime, STATUS_LABELS } from "./format";
import type { TranscriptAction, TranscriptMessage } from "./Transcript";

/*
 * The conversation page's data in the shape its components draw: the inbox module's detail and customer
 * panel, put into words (action log entries) and trimmed to what the browser needs.
 */

type DetailMessage = ConversationDetail["messages"][number];
type DetailAction = ConversationDetail["actions"][number];

const TOOL_LABELS: Record<string, string> = {
  order_status: "Order status",
  track_shipment: "Shipment tracking",
  refund_status: "Refund status",
  start_return: "Start a return",
  cancel_order: "Cancel order",
  update_address: "Change address",
  handoff: "Hand off",
};

/** Messages written elsewhere in the transcript (the log entry would only repeat them). */
const SHOWN_AS_MESSAGES = new Set(["message.staff_reply", "note.added"]);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown) => (typeof value === "string" ? value : null);

export function toTranscriptMessage(message: DetailMessage): TranscriptMessage {
  return {
    id: message.id,
    author: message.author,
    visibility: message.visibility,
    body: message.body,
    createdAt: message.createdAt,
    staffName: message.staff?.name ?? null,
    citations: dedupeBy(message.citations, (citation) => citation.sourceId).map(({ sourceId, title }) => ({ sourceId, title: title || "Untitled source" })),
    tools: message.toolCalls.map((call, index) => ({
      id: `${message.id}:${index}`,
      name: TOOL_LABELS[call.name] ?? call.name,
      ok: call.ok,
      summary: call.ok ? null : call.code,
      detail: null,
    })),
    order: message.orderCard ? { name: message.orderCard.name, status: message.orderCard.status ?? "", total: message.orderCard.total ?? "", currency: message.orderCard.currency ?? "" } : null,
    handoff: message.handoff,
    intent: message.intent,
    sentiment: message.sentiment,
    notes: [
      ...(message.fallback ? [`Offline responder answered (${message.fallback.kind})`] : []),
      ...(message.injectionSuspected ? ["Prompt injection suspected"] : []),
      ...(message.needsVerification ? ["Asked the shopper to verify an order"] : []),
      ...(message.draft ? ["AI draft, not sent"] : []),
    ],
  };
}

/** An action-log entry in words, from the staff member's point of view ("assigned it to Sam"). */
export function describeAction(entry: DetailAction, staffName: (id: string) => string | null, timeZone: string): string {
  const input = isRecord(entry.input) ? entry.input : {};
  const result = isRecord(entry.result) ? entry.result : {};
  switch (entry.action) {
    case "conversation.assigned": {
      // Staff commands log {from, to}; routing logs the strategy and puts the assignee in the result.
      const to = "to" in input ? str(input.to) : str(result.assigneeId);
      const how = str(input.strategy) ? ` (${str(input.strategy)!.replace(/_/g, " ")})` : "";
      return to ? `assigned it to ${staffName(to) ?? str(result.name) ?? "a colleague"}${how}` : "unassigned it";
    }
    case "conversation.routed": {
      const due = str(result.slaDueAt);
      const kind = str(result.slaKind) === "next_response" ? "next response" : "first response";
      return `routed it: ${str(result.priority) ?? "normal"} priority${due ? `, ${kind} due ${formatDateTime(due, timeZone)}` : ""}`;
    }
    case "conversation.priority_changed":
      return `set the priority to ${str(input.to) ?? "?"}`;
    case "conversation.tagged": {
      const added = Array.isArray(input.added) ? input.added.map(String) : [];
      const removed = Array.isArray(input.removed) ? input.removed.map(String) : [];
      return [added.length ? `tagged it ${added.join(", ")}` : "", removed.length ? `removed ${removed.join(", ")}` : ""].filter(Boolean).join(" and ") || "changed the tags";
    }
    case "conversation.snoozed":
      return str(input.until) ? `snoozed it until ${formatDateTime(str(input.until)!, timeZone)}` : "snoozed it";
    case "conversation.resolved":
      return "resolved the conversation";
    case "conversation.reopened":
      return "reopened the conversation";
    case "conversation.taken_over":
      return "took over from the assistant";
    case "conversation.handed_back":
      return "handed it back to the assistant";
    case "conversation.merged":
      return "merged another conversation into this one";
    default:
      return entry.action.replace(/[._]/g, " ");
  }
}

export function toTranscriptActions(actions: DetailAction[], staffName: (id: string) => string | null, timeZone: string): TranscriptAction[] {
  return actions
    .filter((entry) => !SHOWN_AS_MESSAGES.has(entry.action))
    .map((entry) => ({ id: entry.id, createdAt: entry.createdAt, actorName: entry.actorName, description: describeAction(entry, staffName, timeZone) }));
}

function dedupeBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const value = key(item);
    if (seen.has(value)) return false;
    seen.add(value);
    return true;
  });
}

/** The customer panel as drawn: identity, orders with what staff may act on, previous conversations, mood. */
export function toPanelData(panel: CustomerPanel, hrefFor: (conversationId: string) => string, shopCurrency: string): PanelData {
  const customer = panel.customer;
  return {
    customer: {
      name: customer?.name ?? panel.identity.shopperName,
      email: customer?.email ?? panel.identity.shopperEmail,
      verified: panel.identity.verified,
      loggedIn: panel.identity.loggedIn,
      vip: customer?.vip ?? false,
      tags: customer?.tags ?? [],
      lifetimeValue: customer ? customer.lifetimeValue : null,
      currency: customer?.currency ?? shopCurrency,
      ordersCount: customer?.ordersCount ?? panel.orders.length,
    },
    orders: panel.orders.map((order) => ({
      id: order.id,
      name: order.name,
      placedAt: order.placedAt,
      status: order.status,
      financialStatus: order.financialStatus,
      fulfillmentStatus: order.fulfillmentStatus,
      total: order.total,
      currency: order.currency,
      verified: order.verified,
      lines: order.lineItems.map((line) => ({
        id: line.id,
        title: line.title,
        variantTitle: line.variantTitle,
        quantity: line.quantity,
        refundable: Math.max(0, line.quantity - line.refundedQuantity),
      })),
      shipments: order.shipments.map((shipment) => ({
        id: shipment.id,
        label: [shipment.carrier, shipment.trackingNumbers[0], shipment.status.replace(/_/g, " ")].filter(Boolean).join(" · "),
        hasTracking: shipment.trackingNumbers.length > 0 || shipment.trackingUrls.length > 0,
      })),
      shipmentsDetail: order.shipments.map((shipment) => ({
        id: shipment.id,
        carrier: shipment.carrier,
        trackingNumber: shipment.trackingNumbers[0] ?? null,
        trackingUrl: shipment.trackingUrls.find((url) => /^https?:\/\//.test(url)) ?? null,
        status: shipment.status,
      })),
      refunds: order.refunds.map(({ id, amount, currency, status, createdAt }) => ({ id, amount, currency, status, createdAt })),
      actions: order.actions.map(({ id, kind, status, requestedAt, error }) => ({ id, kind, status, requestedAt, error })),
      disputes: order.disputes.map(({ id, status, reason, amount, currency, evidenceDueBy }) => ({ id, status, reason, amount, currency, evidenceDueBy })),
    })),
    previous: panel.previousConversations.map((conversation) => ({
      id: conversation.id,
      status: conversation.status,
      lastMessageAt: conversation.lastMessageAt,
      preview: conversation.lastMessagePreview ?? conversation.subject,
      href: hrefFor(conversation.id),
    })),
    // This conversation's messages when it has enough of them, else the customer's conversations over time.
    sentiment:
      panel.sentimentTrend.messages.length >= 2
        ? panel.sentimentTrend.messages.map(({ at, sentiment }) => ({ at, value: sentiment }))
        : panel.sentimentTrend.conversations.map(({ at, sentiment }) => ({ at, value: sentiment })),
  };
}

export interface ViewModelInput {
  detail: ConversationDetail;
  panel: PanelData;
  macros: MacroSummary[];
  staff: { id: string; name: string; email: string }[];
  me: { id: string; name: string };
  timeZone: string;
  now: Date;
}

/** Stored escalation reasons read "<code>: <detail>"; the code becomes words staff recognise. */
const ESCALATION_LABELS: Record<string, string> = {
  requested: "asked for a person",
  frustration: "frustrated shopper",
  keyword: "keyword",
  repeated_failure: "assistant could not help",
  low_confidence: "assistant did not understand",
  order_value: "high-value order",
  policy: "needs staff under the shop's rules",
  verification_locked: "order verification locked",
};

export function escalationLabel(reason: string): string {
  const [code, ...rest] = reason.split(": ");
  const label = ESCALATION_LABELS[code!];
  return label ? [label, rest.join(": ")].filter(Boolean).join(" — ") : reason;
}

export function toConversationViewData({ detail, panel, macros, staff, me, timeZone, now }: ViewModelInput): ConversationViewData {
  const header = detail.conversation;
  const names = new Map(staff.map((member) => [member.id, member.name]));
  const staffName = (id: string) => names.get(id) ?? null;
  const title = panel.customer.name ?? header.shopperName ?? panel.customer.email ?? header.shopperEmail ?? "Anonymous shopper";
  const subtitle = [header.subject, header.escalationReason ? `Escalated: ${escalationLabel(header.escalationReason)}` : null].filter(Boolean).join(" · ") || null;
  return {
    conversation: {
      id: header.id,
      title,
      subtitle,
      summary: header.summary,
      status: header.status,
      priority: header.priority,
      handledByHuman: header.handledByHuman,
      assignee: header.assignee,
      tags: header.tags,
      snoozedUntil: header.snoozed ? header.snoozedUntil : null,
      mergedIntoId: header.mergedIntoId,
    },
    messages: detail.messages.map(toTranscriptMessage),
    olderMessagesOmitted: detail.olderMessagesOmitted,
    actions: toTranscriptActions(detail.actions, staffName, timeZone),
    presence: detail.presence.map(({ staffId, name, typing }) => ({ staffId, name, typing })),
    panel,
    mergeCandidates: panel.previous
      .filter((conversation) => conversation.id !== header.id && conversation.status !== "closed")
      .map((conversation) => ({
        id: conversation.id,
        label: `${formatDateTime(conversation.lastMessageAt, timeZone, { dateStyle: "medium", timeStyle: "short" })} · ${STATUS_LABELS[conversation.status] ?? conversation.status}`,
        detail: conversation.preview ?? "",
      })),
    macros: macros.map(({ id, name }) => ({ id, name })),
    staff: staff.map(({ id, name, email }) => ({ id, name, email })),
    me,
    timeZone,
    now: now.toISOString(),
  };
}
