import { InboxError } from "../errors";
import { type InboxDb, inboxRead, iso, type RunSql, SqlParams } from "./sql.server";

/**
 * The customer panel beside a conversation: who the shopper is, what they bought (orders with lines,
 * shipments, refunds, returns and pending write-backs), what they are worth, their previous conversations and
 * how their mood went. An anonymous shopper has no customer, but the orders they verified in this
 * conversation are shown. Money is decimal strings in the order's currency.
 */

export const PANEL_ORDER_LIMIT = 10;
const PREVIOUS_LIMIT = 10;
const TREND_MESSAGES = 50;
/** Orders whose money was taken; lifetime value counts these, less their succeeded refunds. */
const PAID_STATUSES = ["paid", "partially_paid", "partially_refunded", "refunded"];

export interface PanelCustomer {
  id: string;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
  /** Tagged with the shop's VIP tag (routing settings, "VIP" by default; any case). */
  vip: boolean;
  locale: string | null;
  createdAt: string;
  /** customers/redact cleared the personal fields. */
  redacted: boolean;
  /** Paid orders in the shop's currency less their succeeded refunds, e.g. "245.10". */
  lifetimeValue: string;
  currency: string;
  ordersCount: number;
  /** Orders in another currency: not in lifetimeValue. */
  otherCurrencyOrders: number;
}

export interface PanelOrder {
  id: string;
  name: string;
  placedAt: string;
  status: string;
  financialStatus: string;
  fulfillmentStatus: string;
  currency: string;
  subtotal: string;
  shippingTotal: string;
  taxTotal: string;
  discountTotal: string;
  total: string;
  cancelledAt: string | null;
  /** The shopper proved in this conversation that it is theirs. */
  verified: boolean;
  /** Belongs to the conversation's customer (false: a verified order of a guest checkout). */
  ownOrder: boolean;
  lineItems: { id: string; title: string; variantTitle: string | null; sku: string | null; quantity: number; unitPrice: string; fulfilledQuantity: number; refundedQuantity: number }[];
  shipments: { id: string; status: string; carrier: string | null; trackingNumbers: string[]; trackingUrls: string[]; shippedAt: string | null; estimatedDeliveryAt: string | null; deliveredAt: string | null }[];
  refunds: { id: string; amount: string; currency: string; status: string; reason: string | null; processedAt: string | null; createdAt: string }[];
  returnRequests: { id: string; status: string; amount: string; reason: string; autoApproved: boolean; createdAt: string }[];
  /** Write-backs asked of the platform, newest first: "requested" until the platform accepts. */
  actions: { id: string; kind: string; status: string; actor: string; requestedAt: string; decidedAt: string | null; error: string | null }[];
  /** Disputes of the order's payments with the card issuer (Stripe's status and reason), newest first. */
  disputes: { id: string; status: string; reason: string; amount: string; currency: string; evidenceDueBy: string | null; createdAt: string }[];
}

export interface PreviousConversation {
  id: string;
  status: string;
  subject: string | null;
  lastMessagePreview: string | null;
  channel: string;
  csatScore: number | null;
  createdAt: string;
  lastMessageAt: string;
}

export interface CustomerPanel {
  /** Null for an anonymous shopper. */
  customer: PanelCustomer | null;
  identity: { loggedIn: boolean; verified: boolean; shopperName: string | null; shopperEmail: string | null };
  /** The customer's latest orders and the conversation's verified orders, newest first. */
  orders: PanelOrder[];
  /** Other conversations of the customer (or of the same email when not logged in), newest first. */
  previousConversations: PreviousConversation[];
  sentimentTrend: {
    /** Per conversation, oldest first: the shopper's average message sentiment (the conversation's own when none was scored). */
    conversations: { conversationId: string; at: string; sentiment: number }[];
    /** This conversation's scored shopper messages, oldest first. */
    messages: { messageId: string; at: string; sentiment: number }[];
  };
}

interface ContextRecord {
  customerId: string | null;
  shopperName: string | null;
  shopperEmail: string | null;
  verifiedOrderIds: string[] | null;
  currency: string;
  vipTag: string | null;
}

async function loadContext(run: RunSql, shopId: string, conversationId: string) {
  const [context] = await run<ContextRecord>(
    `SELECT c."customerId", c."shopperName", c."shopperEmail", c."verifiedOrderIds", s."currency", st."routing"->>'vipTag' AS "vipTag"
     FROM "Conversation" c JOIN "Shop" s ON s."id" = c."shopId" LEFT JOIN "ShopSettings" st ON st."shopId" = c."shopId"
     WHERE c."id" = $1 AND c."shopId" = $2`,
    [conversationId, shopId],
  );
  return context;
}

interface CustomerRecord {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  tags: string[] | null;
  locale: string | null;
  createdAt: Date;
  redactedAt: Date | null;
  ordersCount: number;
  otherCurrencyOrders: number;
  lifetimeValue: string;
}

async function loadCustomer(run: RunSql, shopId: string, customerId: string, currency: string) {
  const [customer] = await run<CustomerRecord>(
    `SELECT cu."id", cu."firstName", cu."lastName", cu."email", cu."phone", cu."tags", cu."locale", cu."createdAt", cu."redactedAt",
       totals."ordersCount", totals."otherCurrencyOrders", (totals."paid" - totals."refunded")::text AS "lifetimeValue"
     FROM "Customer" cu,
     LATERAL (
       SELECT count(*)::int AS "ordersCount",
         count(*) FILTER (WHERE o."currency" <> $3)::int AS "otherCurrencyOrders",
         coalesce(sum(o."total") FILTER (WHERE o."currency" = $3 AND o."financialStatus"::text = ANY($4::text[])), 0) AS "paid",
         coalesce((SELECT sum(r."amount") FROM "Refund" r JOIN "Order" ro ON ro."id" = r."orderId"
                   WHERE ro."customerId" = cu."id" AND ro."shopId" = $2 AND ro."currency" = $3 AND ro."financialStatus"::text = ANY($4::text[])
                     AND r."status" = 'succeeded' AND r."currency" = $3), 0) AS "refunded"
       FROM "Order" o WHERE o."customerId" = cu."id" AND o."shopId" = $2
     ) totals
     WHERE cu."id" = $1 AND cu."shopId" = $2`,
    [customerId, shopId, currency, PAID_STATUSES],
  );
  return customer;
}

async function loadOrders(run: RunSql, shopId: string, customerId: string | null, verifiedOrderIds: string[]) {
  const sql = new SqlParams();
  const shop = sql.param(shopId);
  const customer = sql.param(customerId, "text");
  const verified = sql.param(verifiedOrderIds, "text[]");
  const rows = await run<OrderRecord>(
    `SELECT o."id", o."name", o."placedAt", o."status"::text AS "status", o."financialStatus"::text AS "financialStatus",
       o."fulfillmentStatus"::text AS "fulfillmentStatus", o."currency", o."subtotal"::text AS "subtotal", o."shippingTotal"::text AS "shippingTotal",
       o."taxTotal"::text AS "taxTotal", o."discountTotal"::text AS "discountTotal", o."total"::text AS "total", o."cancelledAt",
       o."id" = ANY(${verified}) AS "verified", coalesce(o."customerId" = ${customer}, false) AS "ownOrder",
       (SELECT json_agg(json_build_object('id', li."id", 'title', li."title", 'variantTitle', li."variantTitle", 'sku', li."sku", 'quantity', li."quantity",
                 'unitPrice', li."unitPrice"::text, 'fulfilledQuantity', li."fulfilledQuantity", 'refundedQuantity', li."refundedQuantity") ORDER BY li."externalId")
        FROM "OrderLineItem" li WHERE li."orderId" = o."id") AS "lineItems",
       (SELECT json_agg(json_build_object('id', sh."id", 'status', sh."status", 'carrier', sh."carrier",
                 'trackingNumbers', CASE WHEN cardinality(sh."trackingNumbers") > 0 THEN sh."trackingNumbers" WHEN sh."trackingNumber" IS NOT NULL THEN ARRAY[sh."trackingNumber"] ELSE ARRAY[]::text[] END,
                 'trackingUrls', CASE WHEN cardinality(sh."trackingUrls") > 0 THEN sh."trackingUrls" WHEN sh."trackingUrl" IS NOT NULL THEN ARRAY[sh."trackingUrl"] ELSE ARRAY[]::text[] END,
                 'shippedAt', sh."shippedAt", 'estimatedDeliveryAt', sh."estimatedDeliveryAt", 'deliveredAt', sh."deliveredAt") ORDER BY sh."createdAt")
        FROM "Shipment" sh WHERE sh."orderId" = o."id") AS "shipments",
       (SELECT json_agg(json_build_object('id', r."id", 'amount', r."amount"::text, 'currency', r."currency", 'status', r."status", 'reason', r."reason",
                 'processedAt', r."processedAt", 'createdAt', r."createdAt") ORDER BY r."createdAt")
        FROM "Refund" r WHERE r."orderId" = o."id") AS "refunds",
       (SELECT json_agg(json_build_object('id', rr."id", 'status', rr."status", 'amount', rr."amount"::text, 'reason', rr."reason",
                 'autoApproved', rr."autoApproved", 'createdAt', rr."createdAt") ORDER BY rr."createdAt")
        FROM "ReturnRequest" rr WHERE rr."orderId" = o."id") AS "returnRequests",
       (SELECT json_agg(json_build_object('id', oa."id", 'kind', oa."kind", 'status', oa."status", 'actor', oa."actor", 'requestedAt', oa."requestedAt",
                 'decidedAt', oa."decidedAt", 'error', oa."error") ORDER BY oa."requestedAt" DESC)
        FROM "OrderAction" oa WHERE oa."orderId" = o."id") AS "actions",
       (SELECT json_agg(json_build_object('id', d."id", 'status', d."status", 'reason', d."reason", 'amount', d."amount"::text, 'currency', d."currency",
                 'evidenceDueBy', d."evidenceDueBy", 'createdAt', d."occurredAt") ORDER BY d."occurredAt" DESC)
        FROM "Payment" p JOIN "Dispute" d ON d."paymentId" = p."id" WHERE p."orderId" = o."id" AND p."shopId" = o."shopId") AS "disputes"
     FROM "Order" o
     WHERE o."shopId" = ${shop} AND o."id" IN (
       SELECT latest."id" FROM (SELECT o2."id" FROM "Order" o2 WHERE o2."customerId" = ${customer} AND o2."shopId" = ${shop} ORDER BY o2."placedAt" DESC LIMIT ${PANEL_ORDER_LIMIT}) latest
       UNION SELECT unnest(${verified}))
     ORDER BY o."placedAt" DESC, o."id"`,
    sql.values,
  );
  return rows.map(toOrder);
}

interface OrderRecord extends Omit<PanelOrder, "placedAt" | "cancelledAt" | "lineItems" | "shipments" | "refunds" | "returnRequests" | "actions" | "disputes"> {
  placedAt: Date;
  cancelledAt: Date | null;
  lineItems: PanelOrder["lineItems"] | null;
  shipments: PanelOrder["shipments"] | null;
  refunds: PanelOrder["refunds"] | null;
  returnRequests: PanelOrder["returnRequests"] | null;
  actions: PanelOrder["actions"] | null;
  disputes: PanelOrder["disputes"] | null;
}

function toOrder(record: OrderRecord): PanelOrder {
  return {
    ...record,
    placedAt: iso(record.placedAt)!,
    cancelledAt: iso(record.cancelledAt),
    lineItems: record.lineItems ?? [],
    shipments: (record.shipments ?? []).map((shipment) => ({
      ...shipment,
      shippedAt: iso(shipment.shippedAt),
      estimatedDeliveryAt: iso(shipment.estimatedDeliveryAt),
      deliveredAt: iso(shipment.deliveredAt),
    })),
    refunds: (record.refunds ?? []).map((refund) => ({ ...refund, processedAt: iso(refund.processedAt), createdAt: iso(refund.createdAt)! })),
    returnRequests: (record.returnRequests ?? []).map((request) => ({ ...request, createdAt: iso(request.createdAt)! })),
    actions: (record.actions ?? []).map((action) => ({ ...action, requestedAt: iso(action.requestedAt)!, decidedAt: iso(action.decidedAt) })),
    disputes: (record.disputes ?? []).map((dispute) => ({ ...dispute, evidenceDueBy: iso(dispute.evidenceDueBy), createdAt: iso(dispute.createdAt)! })),
  };
}

interface ConversationRecord {
  id: string;
  status: string;
  subject: string | null;
  lastMessagePreview: string | null;
  channel: string;
  csatScore: number | null;
  createdAt: Date;
  lastMessageAt: Date;
  sentiment: number | null;
  shopperSentiment: number | null;
}

/** The customer's (or, without one, the email's) latest conversations with the shopper's average mood in each. */
async function loadConversations(run: RunSql, shopId: string, who: { customerId: string } | { email: string }) {
  const match = "customerId" in who ? `c."customerId" = $2` : `lower(c."shopperEmail") = lower($2)`;
  return run<ConversationRecord>(
    `SELECT c."id", c."status"::text AS "status", c."subject", c."lastMessagePreview", c."channel"::text AS "channel", c."csatScore",
       c."createdAt", c."lastMessageAt", c."sentiment"::float8 AS "sentiment",
       (SELECT avg(m."sentiment") FROM "Message" m
        WHERE m."conversationId" = c."id" AND m."shopId" = c."shopId" AND m."author" = 'shopper' AND m."sentiment" IS NOT NULL)::float8 AS "shopperSentiment"
     FROM "Conversation" c
     WHERE c."shopId" = $1 AND ${match}
     ORDER BY c."createdAt" DESC LIMIT ${PREVIOUS_LIMIT + 1}`,
    [shopId, "customerId" in who ? who.customerId : who.email],
  );
}

/** The customer panel of a conversation. 404 InboxError when the conversation is not this shop's. */
export async function getCustomerPanel(db: InboxDb, input: { shopId: string; conversationId: string }): Promise<CustomerPanel> {
  if (typeof input.conversationId !== "string" || input.conversationId.length === 0 || input.conversationId.length > 64) {
    throw new InboxError("conversation not found", 404);
  }
  return inboxRead(db, async (run) => {
    const context = await loadContext(run, input.shopId, input.conversationId);
    if (!context) throw new InboxError("conversation not found", 404);
    const verifiedOrderIds = context.verifiedOrderIds ?? [];
    // One connection, one statement at a time (a pg client runs them in turn anyway).
    const customer = context.customerId ? await loadCustomer(run, input.shopId, context.customerId, context.currency) : undefined;
    const orders = await loadOrders(run, input.shopId, context.customerId, verifiedOrderIds);
    const conversations = context.customerId
      ? await loadConversations(run, input.shopId, { customerId: context.customerId })
      : context.shopperEmail
        ? await loadConversations(run, input.shopId, { email: context.shopperEmail })
        : [];
    const messages = await run<{ id: string; createdAt: Date; sentiment: number }>(
      `SELECT * FROM (SELECT m."id", m."createdAt", m."sentiment"::float8 AS "sentiment" FROM "Message" m
       WHERE m."conversationId" = $1 AND m."shopId" = $2 AND m."author" = 'shopper' AND m."sentiment" IS NOT NULL
       ORDER BY m."createdAt" DESC LIMIT ${TREND_MESSAGES}) t ORDER BY t."createdAt"`,
      [input.conversationId, input.shopId],
    );
    const vipTag = (context.vipTag?.trim() || "VIP").toLowerCase();
    const ownConversations = conversations;
    return {
      customer: customer
        ? {
            id: customer.id,
            name: [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null,
            firstName: customer.firstName,
            lastName: customer.lastName,
            email: customer.email,
            phone: customer.phone,
            tags: customer.tags ?? [],
            vip: (customer.tags ?? []).some((tag) => tag.toLowerCase() === vipTag),
            locale: customer.locale,
            createdAt: iso(customer.createdAt)!,
            redacted: customer.redactedAt !== null,
            lifetimeValue: customer.lifetimeValue,
            currency: context.currency,
            ordersCount: customer.ordersCount,
            otherCurrencyOrders: customer.otherCurrencyOrders,
          }
        : null,
      identity: { loggedIn: context.customerId !== null, verified: verifiedOrderIds.length > 0, shopperName: context.shopperName, shopperEmail: context.shopperEmail },
      orders,
      previousConversations: ownConversations
        .filter((conversation) => conversation.id !== input.conversationId)
        .slice(0, PREVIOUS_LIMIT)
        .map((conversation) => ({
          id: conversation.id,
          status: conversation.status,
          subject: conversation.subject,
          lastMessagePreview: conversation.lastMessagePreview,
          channel: conversation.channel,
          csatScore: conversation.csatScore,
          createdAt: iso(conversation.createdAt)!,
          lastMessageAt: iso(conversation.lastMessageAt)!,
        })),
      sentimentTrend: {
        conversations: ownConversations
          .map((conversation) => ({ conversationId: conversation.id, at: iso(conversation.createdAt)!, sentiment: conversation.shopperSentiment ?? conversation.sentiment }))
          .filter((point): point is { conversationId: string; at: string; sentiment: number } => point.sentiment !== null)
          .reverse(),
        messages: messages.map((message) => ({ messageId: message.id, at: iso(message.createdAt)!, sentiment: message.sentiment })),
      },
    };
  });
}
