import { htmlToText } from "~/lib/text";
import type { FinancialStatus, FulfillmentStatus, ShipmentStatus } from "@prisma/client";
import { z } from "zod";
import type { CustomerSnapshot, LineItemSnapshot, OrderSnapshot, ProductSnapshot, RefundSnapshot, ShipmentSnapshot } from "../../sync/snapshots";

/**
 * Shopify's webhook payloads (REST-shaped JSON of the API version pinned in shopify.app.toml) and their one
 * mapping into the unified snapshots. Only the fields Shopdesk uses are validated; the rest pass through.
 * The demo seeds its orders with payloads of this shape, so it runs this same mapping.
 */

const Id = z.union([z.number(), z.string()]).transform(String);
const Money = z.union([z.string(), z.number()]).transform((value) => Number(value).toFixed(2));
const MoneyOr0 = Money.nullish().transform((value) => value ?? "0.00");
const Timestamp = z.string().transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: "custom", message: `not a timestamp: ${value}` });
    return z.NEVER;
  }
  return date;
});
const OptionalTimestamp = Timestamp.nullish().transform((value) => value ?? null);
const MoneySet = z.object({ shop_money: z.object({ amount: Money }) }).nullish();
/** Shopify sends tags as one comma-separated string. */
const Tags = z
  .union([z.string(), z.array(z.string())])
  .nullish()
  .transform((value) => (Array.isArray(value) ? value : (value ?? "").split(",")).map((tag) => tag.trim()).filter(Boolean));

export function shopifyGid(type: string, id: string): string {
  return id.startsWith("gid://") ? id : `gid://shopify/${type}/${id}`;
}

const gidOf = (type: string, entity: { id: string; admin_graphql_api_id?: string | null }) => entity.admin_graphql_api_id ?? shopifyGid(type, entity.id);

// ---------------------------------------------------------------- Customers

export const CustomerPayload = z.object({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone: z.string().nullish(),
  locale: z.string().nullish(),
  tags: Tags,
  created_at: OptionalTimestamp,
  updated_at: OptionalTimestamp,
});

export function customerSnapshot(payload: z.infer<typeof CustomerPayload>): CustomerSnapshot {
  return {
    platform: "shopify",
    externalId: gidOf("Customer", payload),
    email: payload.email ?? null,
    firstName: payload.first_name ?? null,
    lastName: payload.last_name ?? null,
    phone: payload.phone ?? null,
    locale: payload.locale ?? null,
    tags: payload.tags,
    updatedAt: payload.updated_at,
    createdAt: payload.created_at,
  };
}

// ---------------------------------------------------------------- Products

const VariantPayload = z.object({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  title: z.string().default("Default Title"),
  sku: z.string().nullish(),
  price: Money,
  inventory_quantity: z.number().int().nullish(),
  inventory_management: z.string().nullish(),
  inventory_policy: z.string().nullish(),
});

export const ProductPayload = z.object({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  title: z.string(),
  handle: z.string().nullish(),
  body_html: z.string().nullish(),
  vendor: z.string().nullish(),
  product_type: z.string().nullish(),
  tags: Tags,
  status: z.string().nullish(),
  image: z.object({ src: z.string() }).nullish(),
  images: z.array(z.object({ src: z.string() })).nullish(),
  variants: z.array(VariantPayload).default([]),
  created_at: OptionalTimestamp,
  updated_at: OptionalTimestamp,
});

export const ProductDeletePayload = z.object({ id: Id });

export function productSnapshot(payload: z.infer<typeof ProductPayload>): ProductSnapshot {
  return {
    platform: "shopify",
    externalId: gidOf("Product", payload),
    handle: payload.handle ?? "",
    title: payload.title,
    description: htmlToText(payload.body_html ?? ""),
    vendor: payload.vendor ?? null,
    productType: payload.product_type || null,
    tags: payload.tags,
    status: payload.status ?? "active",
    imageUrl: payload.image?.src ?? payload.images?.[0]?.src ?? null,
    variants: payload.variants.map((variant) => {
      const inventory = variant.inventory_quantity ?? 0;
      // Untracked inventory, or "continue selling when out of stock", is always available.
      const available = !variant.inventory_management || variant.inventory_policy === "continue" || inventory > 0;
      return {
        externalId: gidOf("ProductVariant", variant),
        title: variant.title,
        sku: variant.sku || null,
        price: variant.price,
        inventoryQuantity: inventory,
        available,
      };
    }),
    updatedAt: payload.updated_at,
    createdAt: payload.created_at,
  };
}

// ---------------------------------------------------------------- Refunds

const TransactionPayload = z.object({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  kind: z.string(),
  status: z.string(),
  amount: Money,
  gateway: z.string().nullish(),
  currency: z.string().nullish(),
});

export const RefundPayload = z.object({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  order_id: Id,
  note: z.string().nullish(),
  created_at: OptionalTimestamp,
  processed_at: OptionalTimestamp,
  refund_line_items: z
    .array(
      z.object({
        line_item_id: Id,
        quantity: z.number().int(),
        restock_type: z.string().nullish(),
        subtotal: MoneyOr0,
        total_tax: MoneyOr0,
      }),
    )
    .default([]),
  transactions: z.array(TransactionPayload).default([]),
});

export function refundSnapshot(payload: z.infer<typeof RefundPayload>, currency: string): RefundSnapshot {
  const refunds = payload.transactions.filter((transaction) => transaction.kind === "refund");
  const succeeded = refunds.filter((transaction) => transaction.status === "success");
  const pending = refunds.filter((transaction) => transaction.status === "pending");
  const counted = succeeded.length > 0 ? succeeded : pending;
  const status: RefundSnapshot["status"] = refunds.length === 0 || succeeded.length > 0 ? "succeeded" : pending.length > 0 ? "pending" : "failed";
  return {
    externalId: gidOf("Refund", payload),
    amount: counted.reduce((sum, transaction) => sum + Number(transaction.amount), 0).toFixed(2),
    currency: refunds[0]?.currency ?? currency,
    status,
    reason: payload.note || null,
    processedAt: payload.processed_at ?? payload.created_at,
    createdAt: payload.created_at,
    lineItems: payload.refund_line_items.map((line) => ({
      lineItemExternalId: shopifyGid("LineItem", line.line_item_id),
      quantity: line.quantity,
      subtotal: line.subtotal,
      tax: line.total_tax,
      restockType: line.restock_type ?? null,
    })),
    transactions: payload.transactions.map((transaction) => ({
      externalId: gidOf("OrderTransaction", transaction),
      kind: transaction.kind,
      status: transaction.status,
      amount: transaction.amount,
      gateway: transaction.gateway ?? null,
    })),
  };
}

// ---------------------------------------------------------------- Fulfillments (shipments)

export const FulfillmentPayload = z.object({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  order_id: Id,
  status: z.string().nullish(),
  shipment_status: z.string().nullish(),
  tracking_company: z.string().nullish(),
  tracking_number: z.string().nullish(),
  tracking_numbers: z.array(z.string()).nullish(),
  tracking_url: z.string().nullish(),
  tracking_urls: z.array(z.string()).nullish(),
  line_items: z.array(z.object({ id: Id, quantity: z.number().int() })).default([]),
  created_at: OptionalTimestamp,
  updated_at: OptionalTimestamp,
});

/** Shopify's fulfillment status and carrier shipment_status → one shipment status. */
export function shipmentStatus(fulfillmentStatus: string | null | undefined, carrierStatus: string | null | undefined): ShipmentStatus {
  const fulfillment = (fulfillmentStatus ?? "").toLowerCase();
  if (fulfillment === "cancelled" || fulfillment === "error" || fulfillment === "failure") return fulfillment === "cancelled" ? "cancelled" : "failure";
  switch ((carrierStatus ?? "").toLowerCase()) {
    case "label_printed":
    case "label_purchased":
    case "confirmed":
      return "label_printed";
    case "in_transit":
    case "carrier_picked_up":
      return "in_transit";
    case "out_for_delivery":
      return "out_for_delivery";
    case "ready_for_pickup":
      return "ready_for_pickup";
    case "attempted_delivery":
      return "attempted_delivery";
    case "delivered":
    case "picked_up":
      return "delivered";
    case "failure":
    case "delayed":
      return carrierStatus === "delayed" ? "in_transit" : "failure";
    default:
      // A successful fulfillment without carrier news has at least left the warehouse.
      return fulfillment === "success" ? "in_transit" : "pending";
  }
}

export function shipmentSnapshot(payload: z.infer<typeof FulfillmentPayload>): ShipmentSnapshot {
  const numbers = payload.tracking_numbers?.length ? payload.tracking_numbers : payload.tracking_number ? [payload.tracking_number] : [];
  const urls = payload.tracking_urls?.length ? payload.tracking_urls : payload.tracking_url ? [payload.tracking_url] : [];
  const status = shipmentStatus(payload.status, payload.shipment_status);
  return {
    externalId: gidOf("Fulfillment", payload),
    status,
    carrier: payload.tracking_company || null,
    trackingNumbers: numbers,
    trackingUrls: urls,
    lineItems: payload.line_items.map((line) => ({ lineItemExternalId: shopifyGid("LineItem", line.id), quantity: line.quantity })),
    shippedAt: payload.created_at,
    deliveredAt: status === "delivered" ? payload.updated_at : null,
    estimatedDeliveryAt: null,
    updatedAt: payload.updated_at,
  };
}

// ---------------------------------------------------------------- Orders

const AddressPayload = z.record(z.string(), z.unknown()).nullish();

const LineItemPayload = z.object({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  product_id: Id.nullish(),
  variant_id: Id.nullish(),
  title: z.string(),
  variant_title: z.string().nullish(),
  sku: z.string().nullish(),
  quantity: z.number().int(),
  price: Money,
  discount_allocations: z.array(z.object({ amount: Money, discount_application_index: z.number().int().nullish() })).default([]),
  tax_lines: z.array(z.object({ title: z.string(), rate: z.number().nullish(), price: Money })).default([]),
});

export const OrderPayload = z.object({
  id: Id,
  admin_graphql_api_id: z.string().nullish(),
  name: z.string(),
  order_number: z.number().int().nullish(),
  number: z.number().int().nullish(),
  email: z.string().nullish(),
  contact_email: z.string().nullish(),
  currency: z.string(),
  subtotal_price: MoneyOr0,
  total_price: Money,
  total_tax: MoneyOr0,
  total_discounts: MoneyOr0,
  total_shipping_price_set: MoneySet,
  taxes_included: z.boolean().nullish(),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  cancelled_at: OptionalTimestamp,
  cancel_reason: z.string().nullish(),
  closed_at: OptionalTimestamp,
  created_at: Timestamp,
  processed_at: OptionalTimestamp,
  updated_at: OptionalTimestamp,
  customer: CustomerPayload.nullish(),
  shipping_address: AddressPayload,
  shipping_lines: z
    .array(z.object({ title: z.string(), code: z.string().nullish(), price: Money, discounted_price: Money.nullish() }))
    .default([]),
  discount_applications: z.array(z.object({ title: z.string().nullish(), code: z.string().nullish(), description: z.string().nullish() })).default([]),
  line_items: z.array(LineItemPayload).default([]),
  refunds: z.array(RefundPayload.omit({ order_id: true }).extend({ order_id: Id.nullish() })).default([]),
  fulfillments: z.array(FulfillmentPayload.omit({ order_id: true }).extend({ order_id: Id.nullish() })).default([]),
});

const FINANCIAL: readonly FinancialStatus[] = ["pending", "authorized", "paid", "partially_paid", "partially_refunded", "refunded", "voided"];
const FULFILLMENT: readonly FulfillmentStatus[] = ["unfulfilled", "partial", "fulfilled", "restocked"];

export function orderSnapshot(payload: z.infer<typeof OrderPayload>): OrderSnapshot {
  const financial = (payload.financial_status ?? "pending").toLowerCase() as FinancialStatus;
  const fulfillment = (payload.fulfillment_status ?? "unfulfilled").toLowerCase() as FulfillmentStatus;
  const shippingTotal =
    payload.total_shipping_price_set?.shop_money.amount ??
    payload.shipping_lines.reduce((sum, line) => sum + Number(line.discounted_price ?? line.price), 0).toFixed(2);
  const lineItems: LineItemSnapshot[] = payload.line_items.map((line) => ({
    externalId: gidOf("LineItem", line),
    productExternalId: line.product_id ? shopifyGid("Product", line.product_id) : null,
    variantExternalId: line.variant_id ? shopifyGid("ProductVariant", line.variant_id) : null,
    title: line.title,
    variantTitle: line.variant_title && line.variant_title !== "Default Title" ? line.variant_title : null,
    sku: line.sku || null,
    quantity: line.quantity,
    unitPrice: line.price,
    discountTotal: line.discount_allocations.reduce((sum, allocation) => sum + Number(allocation.amount), 0).toFixed(2),
    taxTotal: line.tax_lines.reduce((sum, tax) => sum + Number(tax.price), 0).toFixed(2),
    discountAllocations: line.discount_allocations.map((allocation) => {
      const application = allocation.discount_application_index == null ? undefined : payload.discount_applications[allocation.discount_application_index];
      return { amount: allocation.amount, title: application?.title ?? application?.code ?? application?.description ?? null };
    }),
    taxLines: line.tax_lines.map((tax) => ({ title: tax.title, rate: tax.rate ?? null, amount: tax.price })),
  }));
  return {
    platform: "shopify",
    externalId: gidOf("Order", payload),
    name: payload.name,
    number: payload.order_number ?? payload.number ?? Number(payload.name.replace(/\D/g, "") || 0),
    email: payload.email || payload.contact_email || payload.customer?.email || null,
    currency: payload.currency,
    subtotal: payload.subtotal_price,
    shippingTotal,
    taxTotal: payload.total_tax,
    discountTotal: payload.total_discounts,
    total: payload.total_price,
    taxesIncluded: payload.taxes_included ?? false,
    status: payload.cancelled_at ? "cancelled" : payload.closed_at ? "closed" : "open",
    financialStatus: FINANCIAL.includes(financial) ? financial : "pending",
    fulfillmentStatus: FULFILLMENT.includes(fulfillment) ? fulfillment : "unfulfilled",
    cancelledAt: payload.cancelled_at,
    cancelReason: payload.cancel_reason ?? null,
    placedAt: payload.processed_at ?? payload.created_at,
    updatedAt: payload.updated_at,
    shippingAddress: payload.shipping_address ?? null,
    shippingLines: payload.shipping_lines.map((line) => ({
      title: line.title,
      code: line.code ?? null,
      price: line.price,
      discountedPrice: line.discounted_price ?? line.price,
    })),
    customer: payload.customer ? customerSnapshot(payload.customer) : null,
    lineItems,
    refunds: payload.refunds.map((refund) => refundSnapshot({ ...refund, order_id: payload.id }, payload.currency)),
    shipments: payload.fulfillments.map((fulfillment) => shipmentSnapshot({ ...fulfillment, order_id: payload.id })),
  };
}
