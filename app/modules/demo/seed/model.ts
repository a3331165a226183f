import type { ShipmentStatus } from "@prisma/client";
import type { SeedPlace, SeedProductDef } from "../seed-data";

/**
 * The generated history, in memory, before it becomes Shopify payloads (./shopify-payloads.ts). Ids are Shopify's
 * numeric REST ids; times are epoch milliseconds; money is integer cents.
 */

export const HISTORY_DAYS = 180;

export interface GenVariant {
  shopifyId: number;
  title: string;
  sku: string;
  priceCents: number;
  inventory: number;
  /** Gift cards are digital: Shopify does not track their inventory, so they are always available. */
  tracked: boolean;
}

export interface GenProduct {
  def: SeedProductDef;
  shopifyId: number;
  variants: GenVariant[];
  returnable: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface GenCustomer {
  /** null for a guest checkout (an order without a customer account). */
  shopifyId: number | null;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  locale: SeedPlace["locale"];
  place: SeedPlace;
  address1: string;
  address2: string | null;
  createdAt: number;
  /** Shopify bumps a customer's updated_at with each order (orders_count, total_spent). */
  updatedAt: number;
  orderCount: number;
}

export interface GenLine {
  shopifyId: number;
  product: GenProduct;
  variant: GenVariant;
  quantity: number;
  unitCents: number;
  /** The order-level discount allocated to this line, all units. */
  discountCents: number;
  /** Tax on the discounted line, all units. */
  taxCents: number;
}

export interface GenEvent {
  at: number;
  status: ShipmentStatus;
  location: string;
  message: string;
}

export type Carrier = "UPS" | "USPS" | "FedEx" | "DHL";
export type Method = "standard" | "expedited" | "express" | "remote" | "canada" | "international";
/** "outNow" and "attemptedNow" pin a shipment's last event just before `now` so the demo always shows those states. */
export type ShipmentFate = "normal" | "delayed" | "attempted" | "lost" | "outNow" | "attemptedNow";

export interface GenShipment {
  shopifyId: number;
  carrier: Carrier;
  /** One per parcel: bulky fulfillments go out in two boxes. */
  trackingNumbers: string[];
  trackingUrls: string[];
  status: ShipmentStatus;
  lines: { line: GenLine; quantity: number }[];
  shippedAt: number;
  estimatedAt: number;
  deliveredAt: number | null;
  /** Chronological, only events that happened by `now`. */
  events: GenEvent[];
  fate: ShipmentFate;
}

export interface GenRefundLine {
  line: GenLine;
  quantity: number;
  /** The line's discounted price for these units, and their share of its tax. */
  subtotalCents: number;
  taxCents: number;
  restockType: "cancel" | "return" | "no_restock";
}

export interface GenRefund {
  shopifyId: number;
  reason: string;
  processedAt: number;
  lines: GenRefundLine[];
  /** Shipping paid back (Shopify: an order adjustment of kind shipping_refund). */
  shippingCents: number;
  /** What went back to the shopper: the refund transaction. */
  amountCents: number;
}

export type OrderStatusValue = "open" | "closed" | "cancelled";
export type FinancialValue = "pending" | "paid" | "partially_refunded" | "refunded" | "voided";
export type FulfillmentValue = "unfulfilled" | "partial" | "fulfilled";

export interface GenDiscount {
  code: string;
  valueType: "percentage" | "fixed_amount";
  /** Percent, or dollars for a fixed amount. */
  value: number;
}

export interface GenOrder {
  index: number;
  shopifyId: number;
  number: number;
  name: string;
  customer: GenCustomer;
  guest: boolean;
  method: Method;
  address: { address1: string; address2: string | null };
  lines: GenLine[];
  /** Before discounts (Shopify's total_line_items_price). */
  lineItemsTotal: number;
  shipping: number;
  tax: number;
  discount: number;
  discountCode: GenDiscount | null;
  total: number;
  status: OrderStatusValue;
  financial: FinancialValue;
  fulfillment: FulfillmentValue;
  cancelledAt: number | null;
  cancelReason: string | null;
  closedAt: number | null;
  placedAt: number;
  updatedAt: number;
  shipments: GenShipment[];
  refunds: GenRefund[];
}
