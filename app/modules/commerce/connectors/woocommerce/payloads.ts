import type { FinancialStatus, FulfillmentStatus, OrderStatus } from "@prisma/client";
import { z } from "zod";
import type { CustomerSnapshot, LineItemSnapshot, OrderSnapshot, RefundSnapshot, ShipmentSnapshot } from "../../sync/snapshots";

/**
 * WooCommerce REST v3 resources (the same JSON its webhooks deliver) and their one mapping into the unified
 * snapshots. Ids are WooCommerce's own, as strings; only the fields Shopdesk uses are validated.
 */

const Id = z.union([z.number(), z.string()]).transform(String);
const Money = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined || value === "" ? "0.00" : Number(value).toFixed(2)));
/** WooCommerce writes GMT times without a zone ("2026-05-01T10:00:00"). */
const GmtTimestamp = z
  .string()
  .nullish()
  .transform((value, ctx) => {
    if (!value) return null;
    const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: `not a timestamp: ${value}` });
      return z.NEVER;
    }
    return date;
  });
const Text = z.string().nullish().transform((value) => (value ? value : null));
const MetaData = z.array(z.object({ key: z.string(), value: z.unknown() })).default([]);

const Address = z
  .object({
    first_name: Text,
    last_name: Text,
    company: Text,
    address_1: Text,
    address_2: Text,
    city: Text,
    state: Text,
    postcode: Text,
    country: Text,
    email: Text,
    phone: Text,
  })
  .partial()
  .nullish();

// ---------------------------------------------------------------- Customers

export const WooCustomer = z.object({
  id: Id,
  email: Text,
  first_name: Text,
  last_name: Text,
  role: Text,
  billing: Address,
  date_created_gmt: GmtTimestamp,
  date_modified_gmt: GmtTimestamp,
});

export function wooCustomerSnapshot(customer: z.infer<typeof WooCustomer>): CustomerSnapshot {
  return {
    platform: "woocommerce",
    externalId: customer.id,
    email: customer.email ?? customer.billing?.email ?? null,
    firstName: customer.first_name ?? customer.billing?.first_name ?? null,
    lastName: customer.last_name ?? customer.billing?.last_name ?? null,
    phone: customer.billing?.phone ?? null,
    locale: null,
    tags: [],
    // A customer never saved since creation has no modification date: its creation is its version.
    updatedAt: customer.date_modified_gmt ?? customer.date_created_gmt,
    createdAt: customer.date_created_gmt,
  };
}

// ---------------------------------------------------------------- Refunds

export const WooRefund = z.object({
  id: Id,
  date_created_gmt: GmtTimestamp,
  amount: Money,
  reason: Text,
  /** True when the payment gateway sent the money back; false for a refund recorded by hand. */
  refunded_payment: z.boolean().nullish(),
  line_items: z
    .array(
      z.object({
        id: Id,
        quantity: z.number(),
        subtotal: Money,
        total_tax: Money,
        meta_data: MetaData,
      }),
    )
    .default([]),
});

/** The refund's line ↔ the order line it refunds (WooCommerce keeps it in `_refunded_item_id`). */
function refundedItemId(line: { id: string; meta_data: { key: string; value: unknown }[] }): string {
  const meta = line.meta_data.find((entry) => entry.key === "_refunded_item_id");
  return meta ? String(meta.value) : line.id;
}

const abs = (money: string) => Math.abs(Number(money)).toFixed(2);

export function wooRefundSnapshot(refund: z.infer<typeof WooRefund>, currency: string): RefundSnapshot {
  return {
    externalId: refund.id,
    amount: abs(refund.amount),
    currency,
    // WooCommerce stores a refund only once it is done (or recorded by hand).
    status: "succeeded",
    reason: refund.reason,
    processedAt: refund.date_created_gmt,
    createdAt: refund.date_created_gmt,
    lineItems: refund.line_items
      .filter((line) => line.quantity !== 0)
      .map((line) => ({
        lineItemExternalId: refundedItemId(line),
        quantity: Math.abs(line.quantity),
        subtotal: abs(line.subtotal),
        tax: abs(line.total_tax),
        restockType: null,
      })),
    transactions: [],
  };
}

// ---------------------------------------------------------------- Orders

const WooTaxLine = z.object({ rate_id: Id.nullish(), label: Text, rate_percent: z.number().nullish() });

export const WooOrder = z.object({
  id: Id,
  number: z.union([z.string(), z.number()]).nullish(),
  status: z.string(),
  currency: z.string(),
  date_created_gmt: GmtTimestamp,
  date_modified_gmt: GmtTimestamp,
  date_paid_gmt: GmtTimestamp,
  date_completed_gmt: GmtTimestamp,
  discount_total: Money,
  shipping_total: Money,
  total: Money,
  total_tax: Money,
  prices_include_tax: z.boolean().nullish(),
  customer_id: z.number().int().nullish(),
  billing: Address,
  shipping: Address,
  line_items: z
    .array(
      z.object({
        id: Id,
        name: z.string(),
        parent_name: Text,
        product_id: z.number().int().nullish(),
        variation_id: z.number().int().nullish(),
        quantity: z.number().int(),
        subtotal: Money,
        total: Money,
        total_tax: Money,
        sku: Text,
        taxes: z.array(z.object({ id: Id, total: Money })).default([]),
      }),
    )
    .default([]),
  tax_lines: z.array(WooTaxLine).default([]),
  shipping_lines: z.array(z.object({ method_title: z.string().nullish(), method_id: Text, total: Money })).default([]),
  coupon_lines: z.array(z.object({ code: Text })).default([]),
  /** Summaries only ({ id, reason, total }); the refunds themselves come from GET orders/<id>/refunds. */
  refunds: z.array(z.object({ id: Id, reason: Text, total: Money })).default([]),
  meta_data: MetaData,
});

export type WooOrderPayload = z.infer<typeof WooOrder>;

/** order.deleted (and a trashed order's other deletions) deliver only the id. */
export const WooDeleted = z.object({ id: Id });

/** "1042" → 1042; a numbering plugin's "WC-1042" → 1042; no digits → the post id. */
function orderNumber(order: WooOrderPayload): { label: string; number: number } {
  const label = order.number === null || order.number === undefined || order.number === "" ? order.id : String(order.number);
  const digits = label.match(/\d{1,9}/)?.[0];
  return { label, number: Number(digits ?? order.id.slice(-9)) };
}

/**
 * WooCommerce's order status → the unified statuses. `completed` means shipped and done; `failed` (payment
 * failed) and `trash` will not be fulfilled, so they read as cancelled.
 */
function statuses(order: WooOrderPayload, refunded: number): { status: OrderStatus; financial: FinancialStatus; fulfillment: FulfillmentStatus; cancelReason: string | null } {
  const total = Number(order.total);
  const paid = Boolean(order.date_paid_gmt) || order.status === "processing" || order.status === "completed";
  let financial: FinancialStatus = paid ? "paid" : "pending";
  if (order.status === "refunded" || (refunded > 0 && refunded >= total)) financial = "refunded";
  else if (refunded > 0) financial = "partially_refunded";
  const fulfillment: FulfillmentStatus = order.status === "completed" ? "fulfilled" : "unfulfilled";
  switch (order.status) {
    case "cancelled":
      return { status: "cancelled", financial: paid ? financial : "voided", fulfillment, cancelReason: null };
    case "failed":
      return { status: "cancelled", financial: "voided", fulfillment, cancelReason: "payment failed" };
    case "trash":
      return { status: "cancelled", financial, fulfillment, cancelReason: "deleted in WooCommerce" };
    case "completed":
    case "refunded":
      return { status: "closed", financial, fulfillment, cancelReason: null };
    default:
      return { status: "open", financial, fulfillment, cancelReason: null };
  }
}

/** Shipment tracking (the WooCommerce Shipment Tracking extension keeps its items in the order's meta). */
const TrackingItems = z
  .array(
    z.object({
      tracking_id: z.string().nullish(),
      tracking_number: z.string().nullish(),
      tracking_provider: z.string().nullish(),
      custom_tracking_provider: z.string().nullish(),
      custom_tracking_link: z.string().nullish(),
      date_shipped: z.union([z.string(), z.number()]).nullish(),
    }),
  )
  .catch([]);

function shipments(order: WooOrderPayload, lines: LineItemSnapshot[], version: Date | null): ShipmentSnapshot[] {
  const meta = order.meta_data.find((entry) => entry.key === "_wc_shipment_tracking_items");
  if (!meta) return [];
  const items = TrackingItems.parse(meta.value).filter((item) => item.tracking_number);
  return items.map((item, index) => {
    const shippedSeconds = Number(item.date_shipped);
    const shippedAt = Number.isFinite(shippedSeconds) && shippedSeconds > 0 ? new Date(shippedSeconds * 1_000) : null;
    return {
      externalId: `${order.id}:${item.tracking_id || index}`,
      // WooCommerce knows a parcel left, never where it is: in transit until the order says otherwise.
      status: order.status === "cancelled" || order.status === "failed" ? "cancelled" : "in_transit",
      carrier: item.custom_tracking_provider || item.tracking_provider || null,
      trackingNumbers: [item.tracking_number!],
      trackingUrls: item.custom_tracking_link ? [item.custom_tracking_link] : [],
      // One parcel for a completed order carries every line; with several, which line went where is unknown.
      lineItems: items.length === 1 && order.status === "completed" ? lines.map((line) => ({ lineItemExternalId: line.externalId, quantity: line.quantity })) : [],
      shippedAt,
      deliveredAt: null,
      estimatedDeliveryAt: null,
      updatedAt: version,
    };
  });
}

/**
 * One order as the unified snapshot. `refunds` are the order's full refunds (GET orders/<id>/refunds) when
 * they were read; otherwise the payload's summaries stand in (amount and reason, no lines).
 */
export function wooOrderSnapshot(order: WooOrderPayload, refunds?: z.infer<typeof WooRefund>[]): OrderSnapshot {
  const { label, number } = orderNumber(order);
  const rates = new Map(order.tax_lines.map((line) => [String(line.rate_id), line]));
  const lineItems: LineItemSnapshot[] = order.line_items.map((line) => {
    const discount = Math.max(0, Number(line.subtotal) - Number(line.total));
    return {
      externalId: line.id,
      productExternalId: line.product_id ? String(line.product_id) : null,
      variantExternalId: line.variation_id ? String(line.variation_id) : null,
      title: line.parent_name ?? line.name,
      // A variation's name is "<product> - <attributes>".
      variantTitle: line.parent_name && line.name.startsWith(`${line.parent_name} - `) ? line.name.slice(line.parent_name.length + 3) : null,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.quantity > 0 ? (Number(line.subtotal) / line.quantity).toFixed(2) : line.subtotal,
      discountTotal: discount.toFixed(2),
      taxTotal: line.total_tax,
      discountAllocations: discount > 0 ? [{ amount: discount.toFixed(2), title: order.coupon_lines.map((coupon) => coupon.code).filter(Boolean).join(", ") || null }] : [],
      taxLines: line.taxes
        .filter((tax) => Number(tax.total) !== 0)
        .map((tax) => {
          const rate = rates.get(tax.id);
          return { title: rate?.label ?? "Tax", rate: rate?.rate_percent != null ? rate.rate_percent / 100 : null, amount: tax.total };
        }),
    };
  });
  const refundSnapshots = refunds
    ? refunds.map((refund) => wooRefundSnapshot(refund, order.currency))
    : order.refunds.map((summary) =>
        wooRefundSnapshot({ id: summary.id, amount: summary.total, reason: summary.reason, date_created_gmt: null, refunded_payment: null, line_items: [] }, order.currency),
      );
  const refunded = refundSnapshots.reduce((sum, refund) => sum + Number(refund.amount), 0);
  const { status, financial, fulfillment, cancelReason } = statuses(order, refunded);
  const placedAt = order.date_created_gmt ?? order.date_modified_gmt ?? new Date(0);
  const customerId = order.customer_id && order.customer_id > 0 ? String(order.customer_id) : null;
  const email = order.billing?.email ?? null;
  return {
    platform: "woocommerce",
    externalId: order.id,
    name: `#${label}`,
    number,
    email,
    currency: order.currency,
    subtotal: order.line_items.reduce((sum, line) => sum + Number(line.subtotal), 0).toFixed(2),
    shippingTotal: order.shipping_total,
    taxTotal: order.total_tax,
    discountTotal: order.discount_total,
    total: order.total,
    taxesIncluded: order.prices_include_tax ?? false,
    status,
    financialStatus: financial,
    fulfillmentStatus: fulfillment,
    cancelledAt: status === "cancelled" ? order.date_modified_gmt : null,
    cancelReason,
    placedAt,
    updatedAt: order.date_modified_gmt,
    shippingAddress: order.shipping && Object.values(order.shipping).some(Boolean) ? { ...order.shipping } : null,
    shippingLines: order.shipping_lines.map((line) => ({ title: line.method_title ?? "Shipping", code: line.method_id, price: line.total, discountedPrice: line.total })),
    // A registered shopper's account: linked, never overwritten from the order (its billing details are the
    // order's, not the account's) — the epoch version loses to any version the account's own sync wrote.
    customer: customerId
      ? {
          platform: "woocommerce",
          externalId: customerId,
          email,
          firstName: order.billing?.first_name ?? null,
          lastName: order.billing?.last_name ?? null,
          phone: order.billing?.phone ?? null,
          locale: null,
          tags: [],
          updatedAt: new Date(0),
          createdAt: null,
        }
      : null,
    lineItems,
    refunds: refundSnapshots,
    shipments: shipments(order, lineItems, order.date_modified_gmt),
  };
}
