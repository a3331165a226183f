import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "@prisma/client";
import { z } from "zod";
import { createDataRequestExport } from "./exports.server";
import { anyOf, type CustomerIdentifiers, collectIdentifiers, customerPattern, REDACTED, shopWidePattern } from "./identifiers";

/**
 * Shopify's mandatory compliance topics. customers/data_request gathers what we hold about a customer into an
 * export the merchant downloads from the admin (exports.server.ts); customers/redact erases that customer's
 * personal data; shop/redact (48 hours after uninstall) deletes everything the shop had with us.
 *
 * What customers/redact does, table by table (prisma/schema.prisma). "The customer's rows" are: their Customer
 * rows (Shopify id, or e-mail on any platform); their orders (by customer, by orders_to_redact, or by e-mail);
 * their conversations (by customer, by shopperEmail, by an order they verified, or where any message holds
 * their e-mail or phone). "Scrubbed" means every e-mail, phone number and full name of theirs (and, in their own
 * rows, their given and family names and street lines) is replaced by "[redacted]" in text and JSON, by the
 * patterns in identifiers.ts. Rows stay where they carry the shop's counts (orders, conversations, actions).
 *
 * - Session, Shop, ShopSettings, Integration, StaffMember, Macro, Product, ProductVariant, KnowledgeSource,
 *   KnowledgeSourceVersion, KnowledgeChunk (incl. its tsvector): the merchant's and staff's data, no shopper's.
 * - Customer: email, firstName, lastName, phone nulled, tags emptied, redactedAt set (a later sync skips it).
 * - Order: email and shippingAddress nulled, redactedAt set (a later sync does not restore them); other orders'
 *   shippingAddress scrubbed (a gift sent to the customer). Totals, statuses and dates stay.
 * - OrderLineItem: products and amounts only; kept.
 * - Refund: reason (a note) nulled on their orders, scrubbed elsewhere; amounts stay.
 * - Payment (Stripe): email nulled and metadata/failureMessage scrubbed on their payments (by order or e-mail),
 *   scrubbed elsewhere; amounts and states stay. PaymentRefund: reason/failureReason scrubbed. Dispute: the
 *   issuer's reason codes only; kept.
 * - AnalyticsDailyRollup: their unanswered questions' text "[redacted]" (the entry is still counted);
 *   unansweredQuestions scrubbed elsewhere; the rest are counts.
 * - Shipment: carrier events scrubbed; tracking numbers stay (a parcel, not a person, once the order is erased).
 * - ReturnRequest: reason "[redacted]" on their orders and conversations, scrubbed elsewhere; items stay.
 * - OrderAction: input keeps its shape (pending actions are still pushed): reason and the address's lines become
 *   "[redacted]", then input/result/error scrubbed; an address change not yet sent is rejected (nothing to send).
 * - Conversation (theirs): shopperEmail, shopperName, summary, csatComment nulled; subject and
 *   lastMessagePreview "[redacted]"; escalationReason keeps only its reason code (before the colon); tags
 *   scrubbed. Other conversations: those text columns scrubbed.
 * - Message (theirs, public and internal notes alike): body "[redacted]", metadata {} (dialogue memory, tool
 *   results, order cards, citations). Other messages: body and metadata scrubbed. Message.searchText is
 *   generated from body, and ConversationSearch.lexemes is rebuilt from bodies by the Message triggers.
 * - ConversationRead, StaffPresence: ids and times only. RateLimitCounter: keys of shopper addresses and
 *   conversation ids, no shop, no e-mail or name; they expire with their window.
 * - ActionLog (on their conversations, orders or customer rows): input and result become {"redacted": true},
 *   reason nulled. Elsewhere: input, result, reason, targetId scrubbed; an idempotencyKey holding an
 *   identifier becomes "redacted:<id>". The redaction itself is logged with counts only.
 * - Notification (on their conversations): subject "[redacted]", and the recipient of e-mails to the shopper;
 *   elsewhere recipient, subject, error scrubbed. Rows stay (one send per dedupe key).
 * - LiveEvent: rows of their conversations, and any naming them, deleted (they live 15 minutes anyway).
 * - DataRequestExport: content and customerEmail of their exports (by Shopify id, e-mail, or content) deleted.
 * - WebhookEvent: any payload naming them (e-mail, phone, full name, Shopify customer or order id) nulled,
 *   payloadDeletedAt set; the row stays as the delivery's idempotency key; lastError scrubbed.
 * - Job: payload and lastError of the shop's jobs scrubbed (payloads hold ids, errors may quote platforms).
 * - SyncState: lastError scrubbed.
 *
 * shop/redact deletes the Shop row, and so by cascade every table with a shopId foreign key; then what has no
 * such key: Session (by domain), WebhookEvent without a shop (by domain), LiveEvent and Job (by shopId; a job
 * still running, e.g. the one applying this shop/redact, loses its shop and payload instead).
 */

const CustomerRef = z.object({
  id: z.union([z.number(), z.string()]).transform(String).optional(),
  email: z.string().nullish(),
});

export const DataRequestPayload = z.object({
  shop_domain: z.string(),
  customer: CustomerRef,
  orders_requested: z.array(z.union([z.number(), z.string()]).transform(String)).default([]),
  data_request: z.object({ id: z.union([z.number(), z.string()]).transform(String) }).optional(),
});

export const CustomerRedactPayload = z.object({
  shop_domain: z.string(),
  customer: CustomerRef,
  orders_to_redact: z.array(z.union([z.number(), z.string()]).transform(String)).default([]),
});

export const ShopRedactPayload = z.object({ shop_domain: z.string() });

type Db = PrismaClient | Prisma.TransactionClient;
type CustomerRef = z.infer<typeof CustomerRef>;

/** Numeric Shopify ids also appear as GIDs. */
const withGids = (kind: string, ids: string[]) => ids.flatMap((id) => (id.startsWith("gid://") ? [id] : [id, `gid://shopify/${kind}/${id}`]));

async function findCustomers(db: Db, shopId: string, customer: CustomerRef) {
  const or: Prisma.CustomerWhereInput[] = [];
  if (customer.id) or.push({ platform: "shopify", externalId: { in: withGids("Customer", [customer.id]) } });
  if (customer.email) or.push({ email: { equals: customer.email, mode: "insensitive" } });
  if (or.length === 0) return [];
  return db.customer.findMany({ where: { shopId, OR: or } });
}

function orderWhere(shopId: string, customerIds: string[], orderIds: string[], emails: string[]): Prisma.OrderWhereInput {
  return {
    shopId,
    OR: [
      { customerId: { in: customerIds } },
      { platform: "shopify", externalId: { in: withGids("Order", orderIds) } },
      ...emails.map((email) => ({ email: { equals: email, mode: "insensitive" as const } })),
    ],
  };
}

/** The customer's own conversations: theirs by account, by the e-mail they gave, or by an order they proved. */
function ownConversationWhere(shopId: string, customerIds: string[], emails: string[], orderIds: string[]): Prisma.ConversationWhereInput {
  return {
    shopId,
    OR: [
      { customerId: { in: customerIds } },
      ...emails.map((email) => ({ shopperEmail: { equals: email, mode: "insensitive" as const } })),
      ...(orderIds.length > 0 ? [{ verifiedOrderIds: { hasSome: orderIds } }] : []),
    ],
  };
}

// ---------------------------------------------------------------- customers/data_request

export async function exportCustomerData(db: PrismaClient, input: unknown) {
  const payload = DataRequestPayload.parse(input);
  const shop = await db.shop.findUnique({ where: { domain: payload.shop_domain } });
  if (!shop) return null;
  const customers = await findCustomers(db, shop.id, payload.customer);
  const customerIds = customers.map((customer) => customer.id);
  const emails = [...new Set([payload.customer.email, ...customers.map((customer) => customer.email)].filter((email): email is string => Boolean(email)).map((email) => email.toLowerCase()))];
  const orders = await db.order.findMany({
    where: orderWhere(shop.id, customerIds, payload.orders_requested, emails),
    orderBy: { placedAt: "asc" },
    select: {
      id: true,
      platform: true,
      externalId: true,
      name: true,
      placedAt: true,
      email: true,
      currency: true,
      subtotal: true,
      shippingTotal: true,
      taxTotal: true,
      discountTotal: true,
      total: true,
      status: true,
      financialStatus: true,
      fulfillmentStatus: true,
      cancelledAt: true,
      shippingAddress: true,
      lineItems: { select: { title: true, variantTitle: true, sku: true, quantity: true, unitPrice: true, discountTotal: true, taxTotal: true } },
      refunds: { select: { amount: true, currency: true, status: true, reason: true, processedAt: true } },
      shipments: { select: { status: true, carrier: true, trackingNumbers: true, trackingUrls: true, shippedAt: true, deliveredAt: true, events: true } },
      returnRequests: { select: { status: true, reason: true, items: true, amount: true, createdAt: true, decidedAt: true } },
      actions: { select: { kind: true, status: true, input: true, requestedAt: true, decidedAt: true } },
    },
  });
  const payments = await db.payment.findMany({
    where: {
      shopId: shop.id,
      OR: [{ orderId: { in: orders.map((order) => order.id) } }, ...emails.map((email) => ({ email: { equals: email, mode: "insensitive" as const } }))],
    },
    orderBy: { occurredAt: "asc" },
    select: { platform: true, amount: true, amountRefunded: true, currency: true, status: true, email: true, occurredAt: true },
  });
  const conversations = await db.conversation.findMany({
    where: ownConversationWhere(shop.id, customerIds, emails, orders.map((order) => order.id)),
    orderBy: { createdAt: "asc" },
    select: {
      channel: true,
      status: true,
      language: true,
      subject: true,
      shopperEmail: true,
      shopperName: true,
      csatScore: true,
      csatComment: true,
      createdAt: true,
      // What the shopper saw: staff notes and drafts are the team's, not the shopper's.
      messages: { where: { visibility: "public" }, orderBy: { createdAt: "asc" }, select: { author: true, body: true, createdAt: true } },
    },
  });
  const content = {
    format: "shopdesk.data-request.v1",
    shop: shop.domain,
    dataRequestId: payload.data_request?.id ?? null,
    customer: { id: payload.customer.id ?? null, email: payload.customer.email ?? null },
    ordersRequested: payload.orders_requested,
    customers: customers.map(({ platform, externalId, email, firstName, lastName, phone, locale, tags, createdAt }) => ({
      platform,
      externalId,
      email,
      firstName,
      lastName,
      phone,
      locale,
      tags,
      createdAt,
    })),
    orders: orders.map(({ id: _id, ...order }) => order),
    payments,
    conversations,
  };
  return createDataRequestExport(db, {
    shopId: shop.id,
    dataRequestId: payload.data_request?.id ?? null,
    customerExternalId: payload.customer.id ?? null,
    customerEmail: payload.customer.email ?? null,
    content: JSON.parse(JSON.stringify(content)) as Prisma.InputJsonValue,
    counts: { customers: customers.length, orders: orders.length, conversations: conversations.length },
  });
}

// ---------------------------------------------------------------- customers/redact

type ColumnKind = "text" | "json" | "array" | "key";

/** Shop-scoped columns a shopper's e-mail, phone or name can reach; scrubbed wherever they appear. */
const SCRUBBED_COLUMNS: { table: string; column: string; kind: ColumnKind }[] = [
  { table: "Message", column: "body", kind: "text" },
  { table: "Message", column: "metadata", kind: "json" },
  { table: "Conversation", column: "shopperName", kind: "text" },
  { table: "Conversation", column: "subject", kind: "text" },
  { table: "Conversation", column: "summary", kind: "text" },
  { table: "Conversation", column: "escalationReason", kind: "text" },
  { table: "Conversation", column: "lastMessagePreview", kind: "text" },
  { table: "Conversation", column: "csatComment", kind: "text" },
  { table: "Conversation", column: "tags", kind: "array" },
  { table: "ActionLog", column: "input", kind: "json" },
  { table: "ActionLog", column: "result", kind: "json" },
  { table: "ActionLog", column: "reason", kind: "text" },
  { table: "ActionLog", column: "targetId", kind: "text" },
  { table: "ActionLog", column: "idempotencyKey", kind: "key" },
  { table: "Notification", column: "recipient", kind: "text" },
  { table: "Notification", column: "subject", kind: "text" },
  { table: "Notification", column: "error", kind: "text" },
  { table: "OrderAction", column: "input", kind: "json" },
  { table: "OrderAction", column: "result", kind: "json" },
  { table: "OrderAction", column: "error", kind: "text" },
  { table: "ReturnRequest", column: "reason", kind: "text" },
  { table: "Refund", column: "reason", kind: "text" },
  { table: "Shipment", column: "events", kind: "json" },
  { table: "Order", column: "shippingAddress", kind: "json" },
  { table: "Payment", column: "metadata", kind: "json" },
  { table: "Payment", column: "failureMessage", kind: "text" },
  { table: "PaymentRefund", column: "reason", kind: "text" },
  { table: "PaymentRefund", column: "failureReason", kind: "text" },
  { table: "AnalyticsDailyRollup", column: "unansweredQuestions", kind: "json" },
  { table: "Job", column: "payload", kind: "json" },
  { table: "Job", column: "lastError", kind: "text" },
  { table: "SyncState", column: "lastError", kind: "text" },
  { table: "WebhookEvent", column: "lastError", kind: "text" },
];

const ident = (name: string) => Prisma.raw(`"${name}"`);

/** Replaces every match of `pattern` in one column, in the rows `where` selects (which must scope the shop). */
function scrub(tx: Prisma.TransactionClient, table: string, column: string, kind: ColumnKind, pattern: string, where: Prisma.Sql) {
  const t = ident(table);
  const c = ident(column);
  switch (kind) {
    case "text":
      return tx.$executeRaw`UPDATE ${t} SET ${c} = regexp_replace(${c}, ${pattern}, ${REDACTED}, 'gi') WHERE ${where} AND ${c} ~* ${pattern}`;
    case "json":
      return tx.$executeRaw`UPDATE ${t} SET ${c} = regexp_replace(${c}::text, ${pattern}, ${REDACTED}, 'gi')::jsonb WHERE ${where} AND ${c}::text ~* ${pattern}`;
    case "array":
      return tx.$executeRaw`UPDATE ${t} SET ${c} = ARRAY(SELECT regexp_replace(v, ${pattern}, ${REDACTED}, 'gi') FROM unnest(${c}) AS v)
        WHERE ${where} AND array_to_string(${c}, '|') ~* ${pattern}`;
    case "key":
      // Unique keys: "[redacted]" twice would collide.
      return tx.$executeRaw`UPDATE ${t} SET ${c} = 'redacted:' || "id" WHERE ${where} AND ${c} ~* ${pattern}`;
  }
}

/** A Shopify numeric id or GID as it appears in payloads: the number alone, not inside a longer one. */
const numericIdPattern = (id: string) => {
  const digits = id.replace(/^gid:\/\/shopify\/\w+\//, "");
  return /^\d{5,}$/.test(digits) ? `(?<![0-9])${digits}(?![0-9])` : null;
};

export interface RedactionResult {
  customers: number;
  orders: number;
  conversations: number;
  webhookPayloads: number;
  exports: number;
}

const ADDRESS_CHANGE_ERASED = "The customer's data was erased (customers/redact) before the store accepted this address change.";

const NOTHING: RedactionResult = { customers: 0, orders: 0, conversations: 0, webhookPayloads: 0, exports: 0 };

/** Redaction runs in the job worker; a large shop's scan may take a while, and must all commit or none. */
const REDACTION_TRANSACTION = { timeout: 10 * 60_000, maxWait: 60_000 };

export async function redactCustomer(db: PrismaClient, input: unknown, now = new Date()): Promise<RedactionResult> {
  const payload = CustomerRedactPayload.parse(input);
  const shop = await db.shop.findUnique({ where: { domain: payload.shop_domain }, select: { id: true, domain: true } });
  if (!shop) return NOTHING;
  const shopId = shop.id;
  return db.$transaction(async (tx) => {
    const customers = await findCustomers(tx, shopId, payload.customer);
    const customerIds = customers.map((customer) => customer.id);
    const payloadEmails = payload.customer.email ? [payload.customer.email] : [];
    const orders = await tx.order.findMany({
      where: orderWhere(shopId, customerIds, payload.orders_to_redact, [...payloadEmails, ...customers.flatMap((customer) => (customer.email ? [customer.email] : []))]),
      select: { id: true, externalId: true, name: true, email: true, shippingAddress: true },
    });
    const orderIds = orders.map((order) => order.id);
    const ids: CustomerIdentifiers = collectIdentifiers({
      emails: [...payloadEmails, ...orders.map((order) => order.email)],
      customers,
      addresses: orders.map((order) => order.shippingAddress),
    });
    const everywhere = shopWidePattern(ids);
    // Strong identifiers only: a conversation where someone wrote the customer's e-mail or phone is theirs.
    const contact = shopWidePattern({ ...ids, names: [], fullNames: [], addressLines: [] });

    const own = await tx.conversation.findMany({
      where: ownConversationWhere(shopId, customerIds, ids.emails, orderIds),
      select: { id: true, shopperName: true },
    });
    const mentioned = contact
      ? await tx.$queryRaw<{ conversationId: string }[]>`
          SELECT DISTINCT "conversationId" FROM "Message"
          WHERE "shopId" = ${shopId} AND ("body" ~* ${contact} OR "metadata"::text ~* ${contact})`
      : [];
    const conversationIds = [...new Set([...own.map((conversation) => conversation.id), ...mentioned.map((row) => row.conversationId)])];
    const theirs = customerPattern({ ...ids, names: [...ids.names, ...own.flatMap((conversation) => (conversation.shopperName ? conversation.shopperName.split(/\s+/) : []))] });

    // Their conversations: keep the rows (counts, statuses, CSAT scores), not what was said.
    await tx.$executeRaw`
      UPDATE "Message" SET "body" = ${REDACTED}, "metadata" = '{}'::jsonb
      WHERE "shopId" = ${shopId} AND "conversationId" = ANY(${conversationIds}::text[])`;
    await tx.$executeRaw`
      UPDATE "Conversation" SET "shopperEmail" = NULL, "shopperName" = NULL, "summary" = NULL, "csatComment" = NULL,
        "subject" = CASE WHEN "subject" IS NULL THEN NULL ELSE ${REDACTED} END,
        "lastMessagePreview" = CASE WHEN "lastMessagePreview" IS NULL THEN NULL ELSE ${REDACTED} END,
        "escalationReason" = NULLIF(split_part("escalationReason", ':', 1), '')
      WHERE "shopId" = ${shopId} AND "id" = ANY(${conversationIds}::text[])`;
    await tx.$executeRaw`DELETE FROM "LiveEvent" WHERE "shopId" = ${shopId} AND "conversationId" = ANY(${conversationIds}::text[])`;
    await tx.$executeRaw`
      UPDATE "Notification" SET "subject" = ${REDACTED}, "recipient" = CASE WHEN "kind" = 'staff_reply' THEN ${REDACTED} ELSE "recipient" END
      WHERE "shopId" = ${shopId} AND "conversationId" = ANY(${conversationIds}::text[])`;
    // What was done for them stays countable; what they said and what it returned does not.
    const targets = [...conversationIds, ...orderIds, ...orders.map((order) => order.name), ...customerIds];
    await tx.$executeRaw`
      UPDATE "ActionLog" SET "input" = '{"redacted": true}'::jsonb, "result" = '{"redacted": true}'::jsonb, "reason" = NULL
      WHERE "shopId" = ${shopId} AND ("conversationId" = ANY(${conversationIds}::text[]) OR "targetId" = ANY(${targets}::text[]))`;

    // Their orders: history and amounts stay; contact details go, and later syncs do not bring them back.
    await tx.$executeRaw`
      UPDATE "Order" SET "email" = NULL, "shippingAddress" = NULL, "redactedAt" = COALESCE("redactedAt", ${now})
      WHERE "shopId" = ${shopId} AND "id" = ANY(${orderIds}::text[])`;
    const theirActions = Prisma.sql`"shopId" = ${shopId} AND ("orderId" = ANY(${orderIds}::text[]) OR "conversationId" = ANY(${conversationIds}::text[]))`;
    // An address change not yet sent cannot be sent without the address: refused, and why.
    await tx.$executeRaw`
      UPDATE "OrderAction" SET "status" = 'rejected', "decidedAt" = ${now}, "error" = ${ADDRESS_CHANGE_ERASED},
        "idempotencyKey" = "idempotencyKey" || ':redacted:' || "id"
      WHERE ${theirActions} AND "kind" = 'update_address' AND "status" = 'requested'`;
    // Inputs keep their shape (a pending cancellation or refund is still pushed, and readers parse them strictly):
    // the shopper's words and the address's lines become "[redacted]".
    await tx.$executeRaw`
      UPDATE "OrderAction" SET "input" = jsonb_set("input", '{reason}', to_jsonb(${REDACTED}::text))
      WHERE ${theirActions} AND jsonb_typeof("input"->'reason') = 'string'`;
    await tx.$executeRaw`
      UPDATE "OrderAction" SET "input" = jsonb_set("input", '{address}',
        jsonb_strip_nulls(jsonb_build_object('address1', ${REDACTED}::text, 'city', ${REDACTED}::text, 'countryCode', "input"->'address'->'countryCode')))
      WHERE ${theirActions} AND jsonb_typeof("input"->'address') = 'object'`;
    await tx.$executeRaw`
      UPDATE "ReturnRequest" SET "reason" = ${REDACTED}
      WHERE "shopId" = ${shopId} AND ("orderId" = ANY(${orderIds}::text[]) OR "conversationId" = ANY(${conversationIds}::text[]))`;
    await tx.$executeRaw`UPDATE "Refund" SET "reason" = NULL WHERE "shopId" = ${shopId} AND "orderId" = ANY(${orderIds}::text[])`;
    // Payments (Stripe): theirs by order or by the e-mail they paid with; amounts and states stay.
    const theirPayments = Prisma.sql`"shopId" = ${shopId} AND ("orderId" = ANY(${orderIds}::text[]) OR lower("email") = ANY(${ids.emails}::text[]))`;
    if (theirs) {
      await scrub(tx, "Payment", "metadata", "json", theirs, theirPayments);
      await scrub(tx, "Payment", "failureMessage", "text", theirs, theirPayments);
    }
    await tx.$executeRaw`UPDATE "Payment" SET "email" = NULL WHERE ${theirPayments} AND "email" IS NOT NULL`;
    // The dashboard's unanswered questions quote what shoppers asked: theirs are kept as counted, not as said.
    await tx.$executeRaw`
      UPDATE "AnalyticsDailyRollup" r SET "unansweredQuestions" = (
        SELECT coalesce(jsonb_agg(CASE WHEN q->>'conversationId' = ANY(${conversationIds}::text[]) THEN jsonb_set(q, '{text}', to_jsonb(${REDACTED}::text)) ELSE q END ORDER BY n), '[]'::jsonb)
        FROM jsonb_array_elements(r."unansweredQuestions") WITH ORDINALITY AS e(q, n))
      WHERE r."shopId" = ${shopId} AND jsonb_typeof(r."unansweredQuestions") = 'array' AND EXISTS (
        SELECT 1 FROM jsonb_array_elements(r."unansweredQuestions") q WHERE q->>'conversationId' = ANY(${conversationIds}::text[]))`;
    if (theirs) {
      const ofTheirOrders = Prisma.sql`"shopId" = ${shopId} AND "orderId" = ANY(${orderIds}::text[])`;
      for (const column of ["input", "result"]) await scrub(tx, "OrderAction", column, "json", theirs, ofTheirOrders);
      await scrub(tx, "OrderAction", "error", "text", theirs, ofTheirOrders);
      await scrub(tx, "Shipment", "events", "json", theirs, ofTheirOrders);
      await scrub(tx, "Conversation", "tags", "array", theirs, Prisma.sql`"shopId" = ${shopId} AND "id" = ANY(${conversationIds}::text[])`);
    }

    // Predictions about them (churn risk, a conversation's expected rating) are a profile: erased, not kept.
    await tx.$executeRaw`
      DELETE FROM "PredictionScore"
      WHERE "shopId" = ${shopId} AND (("kind" = 'churn' AND "subjectId" = ANY(${customerIds}::text[])) OR ("kind" = 'csat' AND "subjectId" = ANY(${conversationIds}::text[])))`;
    await tx.$executeRaw`
      UPDATE "Customer" SET "email" = NULL, "firstName" = NULL, "lastName" = NULL, "phone" = NULL, "tags" = '{}',
        "redactedAt" = COALESCE("redactedAt", ${now})
      WHERE "shopId" = ${shopId} AND "id" = ANY(${customerIds}::text[])`;

    // Exports made for them (a data request before this erasure) must not outlive it.
    const externalIds = [...new Set([payload.customer.id, ...customers.filter((customer) => customer.platform === "shopify").map((customer) => customer.externalId.replace(/^gid:\/\/shopify\/Customer\//, ""))].filter((id): id is string => Boolean(id)))];
    const exports = await tx.$executeRaw`
      UPDATE "DataRequestExport" SET "content" = NULL, "customerEmail" = NULL,
        "contentDeletedReason" = CASE WHEN "content" IS NOT NULL THEN 'redacted' ELSE "contentDeletedReason" END,
        "contentDeletedAt" = COALESCE("contentDeletedAt", ${now})
      WHERE "shopId" = ${shopId} AND ("customerExternalId" = ANY(${externalIds}::text[]) OR lower("customerEmail") = ANY(${ids.emails}::text[])
        ${everywhere ? Prisma.sql`OR "content"::text ~* ${everywhere}` : Prisma.empty})`;

    // Raw deliveries that name them: the payload goes, the row stays as the delivery's idempotency key.
    const eventPattern = anyOf([
      everywhere,
      ...externalIds.map(numericIdPattern),
      ...orders.filter((order) => order.externalId.startsWith("gid://shopify/")).map((order) => numericIdPattern(order.externalId)),
      ...payload.orders_to_redact.map(numericIdPattern),
    ]);
    const webhookPayloads = eventPattern
      ? await tx.$executeRaw`
          UPDATE "WebhookEvent" SET "payload" = NULL, "payloadDeletedAt" = ${now}
          WHERE ("shopId" = ${shopId} OR ("shopId" IS NULL AND "shopDomain" = ${shop.domain}))
            AND "payload" IS NOT NULL AND "payload"::text ~* ${eventPattern}`
      : 0;

    // Anywhere else in the shop: e-mail, phone and full name wherever they were written.
    if (everywhere) {
      for (const { table, column, kind } of SCRUBBED_COLUMNS) {
        const shopScope = table === "WebhookEvent" ? Prisma.sql`("shopId" = ${shopId} OR ("shopId" IS NULL AND "shopDomain" = ${shop.domain}))` : Prisma.sql`"shopId" = ${shopId}`;
        await scrub(tx, table, column, kind, everywhere, shopScope);
      }
      await tx.$executeRaw`DELETE FROM "LiveEvent" WHERE "shopId" = ${shopId} AND "payload"::text ~* ${everywhere}`;
    }

    const result: RedactionResult = { customers: customerIds.length, orders: orderIds.length, conversations: conversationIds.length, webhookPayloads, exports };
    await tx.actionLog.create({
      data: {
        shopId,
        actor: "shopify",
        action: "compliance.customer_redact",
        reason: "customers/redact webhook",
        idempotencyKey: `customer_redact:${randomUUID()}`,
        input: { ordersToRedact: payload.orders_to_redact.length },
        result: { ...result },
        createdAt: now,
      },
    });
    return result;
  }, REDACTION_TRANSACTION);
}

// ---------------------------------------------------------------- shop/redact

export async function redactShop(db: PrismaClient, input: unknown) {
  const payload = ShopRedactPayload.parse(input);
  const domain = payload.shop_domain;
  return db.$transaction(async (tx) => {
    const shop = await tx.shop.findUnique({ where: { domain }, select: { id: true } });
    await tx.session.deleteMany({ where: { shop: domain } });
    // Deliveries recorded before the shop was (or after it no longer was) installed have no shop row to cascade from.
    await tx.webhookEvent.deleteMany({ where: { shopDomain: domain } });
    if (!shop) return { shopsDeleted: 0 };
    await tx.liveEvent.deleteMany({ where: { shopId: shop.id } });
    // A job still running (this one among them) is the queue's to finish: it keeps its row, not its shop or payload.
    await tx.job.deleteMany({ where: { shopId: shop.id, status: { not: "running" } } });
    await tx.job.updateMany({ where: { shopId: shop.id }, data: { shopId: null, payload: {}, lastError: null } });
    const { count } = await tx.shop.deleteMany({ where: { id: shop.id } });
    return { shopsDeleted: count };
  }, REDACTION_TRANSACTION);
}

// ---------------------------------------------------------------- the admin's record

const RedactionCounts = z.object({
  customers: z.number().catch(0),
  orders: z.number().catch(0),
  conversations: z.number().catch(0),
  webhookPayloads: z.number().catch(0),
  exports: z.number().catch(0),
});

export interface RedactionRow extends RedactionResult {
  id: string;
  at: string;
}

/** The shop's latest customers/redact requests and what each erased (counts only: nothing else is left). */
export async function listRedactions(db: Db, shopId: string, limit = 20): Promise<RedactionRow[]> {
  const logs = await db.actionLog.findMany({
    where: { shopId, action: "compliance.customer_redact" },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, createdAt: true, result: true },
  });
  const none = { customers: 0, orders: 0, conversations: 0, webhookPayloads: 0, exports: 0 };
  return logs.map((log) => ({ id: log.id, at: log.createdAt.toISOString(), ...(RedactionCounts.safeParse(log.result).data ?? none) }));
}
