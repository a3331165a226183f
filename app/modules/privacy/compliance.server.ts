import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";

/**
 * Shopify's mandatory compliance topics. customers/data_request gathers what we hold about a customer into
 * an export the merchant can hand over; customers/redact erases that customer's personal data; shop/redact
 * (48 hours after uninstall) deletes everything the shop had with us.
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

async function findCustomers(db: PrismaClient, shopId: string, customer: z.infer<typeof CustomerRef>) {
  const or: Prisma.CustomerWhereInput[] = [];
  if (customer.id) or.push({ externalId: customer.id }, { externalId: `gid://shopify/Customer/${customer.id}` });
  if (customer.email) or.push({ email: { equals: customer.email, mode: "insensitive" } });
  if (or.length === 0) return [];
  return db.customer.findMany({ where: { shopId, platform: "shopify", OR: or } });
}

function orderExternalIds(ids: string[]) {
  return ids.flatMap((id) => [id, `gid://shopify/Order/${id}`]);
}

export async function exportCustomerData(db: PrismaClient, input: unknown) {
  const payload = DataRequestPayload.parse(input);
  const shop = await db.shop.findUnique({ where: { domain: payload.shop_domain } });
  if (!shop) return null;
  const customers = await findCustomers(db, shop.id, payload.customer);
  const customerIds = customers.map((customer) => customer.id);
  const [orders, conversations] = await Promise.all([
    db.order.findMany({
      where: {
        shopId: shop.id,
        OR: [{ customerId: { in: customerIds } }, { externalId: { in: orderExternalIds(payload.orders_requested) } }],
      },
      include: { lineItems: true, refunds: true, shipments: true },
    }),
    db.conversation.findMany({
      where: {
        shopId: shop.id,
        OR: [
          { customerId: { in: customerIds } },
          ...(payload.customer.email ? [{ shopperEmail: { equals: payload.customer.email, mode: "insensitive" as const } }] : []),
        ],
      },
      include: { messages: { where: { visibility: "public" }, orderBy: { createdAt: "asc" } } },
    }),
  ]);
  const report = { customers, orders, conversations };
  await db.actionLog.create({
    data: {
      shopId: shop.id,
      actor: "shopify",
      action: "compliance.data_request",
      reason: "customers/data_request webhook",
      idempotencyKey: `data_request:${payload.data_request?.id ?? payload.customer.id ?? payload.customer.email}`,
      input: { customer: payload.customer, ordersRequested: payload.orders_requested },
      result: JSON.parse(JSON.stringify(report)) as Prisma.InputJsonValue,
    },
  }).catch((error: unknown) => {
    // A repeated request with the same id keeps the first export.
    if ((error as { code?: string }).code !== "P2002") throw error;
  });
  return report;
}

export async function redactCustomer(db: PrismaClient, input: unknown) {
  const payload = CustomerRedactPayload.parse(input);
  const shop = await db.shop.findUnique({ where: { domain: payload.shop_domain } });
  if (!shop) return { customers: 0, orders: 0, conversations: 0 };
  const customers = await findCustomers(db, shop.id, payload.customer);
  const customerIds = customers.map((customer) => customer.id);
  const now = new Date();
  return db.$transaction(async (tx) => {
    const orders = await tx.order.updateMany({
      where: {
        shopId: shop.id,
        OR: [{ customerId: { in: customerIds } }, { externalId: { in: orderExternalIds(payload.orders_to_redact) } }],
      },
      data: { email: null, redactedAt: now },
    });
    const conversationWhere: Prisma.ConversationWhereInput = {
      shopId: shop.id,
      OR: [
        { customerId: { in: customerIds } },
        ...(payload.customer.email ? [{ shopperEmail: { equals: payload.customer.email, mode: "insensitive" as const } }] : []),
      ],
    };
    const conversationIds = (await tx.conversation.findMany({ where: conversationWhere, select: { id: true } })).map(
      (conversation) => conversation.id,
    );
    await tx.message.updateMany({
      where: { shopId: shop.id, conversationId: { in: conversationIds }, author: "shopper" },
      data: { body: "[redacted]", metadata: {} },
    });
    await tx.conversation.updateMany({
      where: { id: { in: conversationIds } },
      data: { shopperEmail: null, shopperName: null, csatComment: null, summary: null },
    });
    await tx.customer.updateMany({
      where: { id: { in: customerIds } },
      data: { email: null, firstName: null, lastName: null, phone: null, redactedAt: now },
    });
    // Prisma cannot set a JSON column to SQL NULL through updateMany's typed input; do it directly.
    if (customerIds.length > 0 || payload.orders_to_redact.length > 0) {
      await tx.$executeRaw`
        UPDATE "Order" SET "shippingAddress" = NULL
        WHERE "shopId" = ${shop.id}
          AND ("customerId" = ANY(${customerIds}::text[]) OR "externalId" = ANY(${orderExternalIds(payload.orders_to_redact)}::text[]))`;
      // Actions written back for these orders keep what was done, not the address or the shopper's words.
      await tx.$executeRaw`
        UPDATE "OrderAction" SET "input" = ("input" - 'address' - 'reason') || '{"redacted": true}'::jsonb
        WHERE "shopId" = ${shop.id} AND "orderId" IN (
          SELECT "id" FROM "Order" WHERE "shopId" = ${shop.id}
            AND ("customerId" = ANY(${customerIds}::text[]) OR "externalId" = ANY(${orderExternalIds(payload.orders_to_redact)}::text[])))`;
      await tx.$executeRaw`
        UPDATE "ReturnRequest" SET "reason" = '[redacted]'
        WHERE "shopId" = ${shop.id} AND "orderId" IN (
          SELECT "id" FROM "Order" WHERE "shopId" = ${shop.id}
            AND ("customerId" = ANY(${customerIds}::text[]) OR "externalId" = ANY(${orderExternalIds(payload.orders_to_redact)}::text[])))`;
    }
    return { customers: customerIds.length, orders: orders.count, conversations: conversationIds.length };
  });
}

export async function redactShop(db: PrismaClient, input: unknown) {
  const payload = ShopRedactPayload.parse(input);
  await db.session.deleteMany({ where: { shop: payload.shop_domain } });
  const { count } = await db.shop.deleteMany({ where: { domain: payload.shop_domain } });
  return { shopsDeleted: count };
}
