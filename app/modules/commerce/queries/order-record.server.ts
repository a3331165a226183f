import type { PrismaClient } from "@prisma/client";

/**
 * One order as an operator sees it (`npm run cli -- orders get`): the unified model with the platform's own
 * vocabulary for statuses, money as decimal strings. No address and no payment data.
 */
export interface OrderRecord {
  name: string;
  platform: string;
  externalId: string;
  email: string | null;
  status: string;
  financialStatus: string;
  fulfillmentStatus: string;
  currency: string;
  subtotalPrice: string;
  totalDiscounts: string;
  totalTax: string;
  totalShipping: string;
  totalPrice: string;
  placedAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  lineItems: { title: string; variantTitle: string | null; sku: string | null; quantity: number; price: string; discount: string; tax: string; fulfilledQuantity: number; refundedQuantity: number }[];
  refunds: { amount: string; status: string; processedAt: string | null }[];
  shipments: { carrier: string | null; trackingNumber: string | null; trackingUrl: string | null; status: string; deliveredAt: string | null }[];
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * Finds an order of the shop by what an operator would type: its name ("#1042" or "1042"), its platform id
 * ("gid://shopify/Order/…" or the bare number) or Shopdesk's own id.
 */
export async function findOrderRecord(db: PrismaClient, shopId: string, reference: string): Promise<OrderRecord | null> {
  const ref = reference.trim();
  if (!ref) return null;
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { orderNamePrefix: true } });
  const names = [ref, /^\d+$/.test(ref) ? `${shop.orderNamePrefix}${ref}` : null].filter((name): name is string => Boolean(name));
  const externalIds = [ref, /^\d+$/.test(ref) ? `gid://shopify/Order/${ref}` : null].filter((id): id is string => Boolean(id));
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const order = await db.order.findFirst({
    where: { shopId, OR: [{ name: { in: names } }, { externalId: { in: externalIds } }, ...(isUuid ? [{ id: ref }] : [])] },
    include: {
      lineItems: { orderBy: { externalId: "asc" } },
      refunds: { orderBy: { createdAt: "asc" } },
      shipments: { orderBy: { createdAt: "asc" } },
    },
    orderBy: { placedAt: "desc" },
  });
  if (!order) return null;
  return {
    name: order.name,
    platform: order.platform,
    externalId: order.externalId,
    email: order.email,
    status: order.status,
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    currency: order.currency,
    subtotalPrice: order.subtotal.toFixed(2),
    totalDiscounts: order.discountTotal.toFixed(2),
    totalTax: order.taxTotal.toFixed(2),
    totalShipping: order.shippingTotal.toFixed(2),
    totalPrice: order.total.toFixed(2),
    placedAt: order.placedAt.toISOString(),
    updatedAt: order.sourceUpdatedAt.toISOString(),
    cancelledAt: iso(order.cancelledAt),
    lineItems: order.lineItems.map((line) => ({
      title: line.title,
      variantTitle: line.variantTitle,
      sku: line.sku,
      quantity: line.quantity,
      price: line.unitPrice.toFixed(2),
      discount: line.discountTotal.toFixed(2),
      tax: line.taxTotal.toFixed(2),
      fulfilledQuantity: line.fulfilledQuantity,
      refundedQuantity: line.refundedQuantity,
    })),
    refunds: order.refunds.map((refund) => ({ amount: refund.amount.toFixed(2), status: refund.status, processedAt: iso(refund.processedAt) })),
    shipments: order.shipments.map((shipment) => ({
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      trackingUrl: shipment.trackingUrl,
      status: shipment.status,
      deliveredAt: iso(shipment.deliveredAt),
    })),
  };
}
