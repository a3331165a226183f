import type { FinancialStatus, FulfillmentStatus, OrderStatus, Platform, RefundStatus, ShipmentStatus } from "@prisma/client";

/**
 * The unified shape every connector maps a platform's resource into (Shopify webhooks and GraphQL backfill,
 * later WooCommerce and Stripe). `apply*` in ./apply.server.ts writes snapshots to the database, newest wins.
 * Money is a decimal string in the order's currency ("19.99"); ids are the platform's own (Shopify GIDs).
 */

export interface CustomerSnapshot {
  platform: Platform;
  externalId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  locale: string | null;
  tags: string[];
  /** The platform's updated_at; null when the payload has none (then the delivery's trigger time is used). */
  updatedAt: Date | null;
  createdAt: Date | null;
}

export interface ProductVariantSnapshot {
  externalId: string;
  title: string;
  sku: string | null;
  price: string;
  inventoryQuantity: number;
  available: boolean;
}

export interface ProductSnapshot {
  platform: Platform;
  externalId: string;
  handle: string;
  title: string;
  /** Plain text (HTML stripped). */
  description: string;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  /** active, draft, archived. */
  status: string;
  imageUrl: string | null;
  variants: ProductVariantSnapshot[];
  updatedAt: Date | null;
  createdAt: Date | null;
}

export interface LineItemSnapshot {
  externalId: string;
  productExternalId: string | null;
  variantExternalId: string | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  unitPrice: string;
  /** Everything discounted from this line, all units: its discount allocations (line and order-level). */
  discountTotal: string;
  /** Tax charged on this line, all units. */
  taxTotal: string;
  discountAllocations: { amount: string; title: string | null }[];
  taxLines: { title: string; rate: number | null; amount: string }[];
}

export interface RefundSnapshot {
  externalId: string;
  /** Money that went back to the shopper: successful refund transactions (or the refund's total). */
  amount: string;
  currency: string;
  status: RefundStatus;
  reason: string | null;
  processedAt: Date | null;
  createdAt: Date | null;
  lineItems: { lineItemExternalId: string; quantity: number; subtotal: string; tax: string; restockType: string | null }[];
  transactions: { externalId: string; kind: string; status: string; amount: string; gateway: string | null }[];
}

export interface ShipmentSnapshot {
  externalId: string;
  status: ShipmentStatus;
  carrier: string | null;
  trackingNumbers: string[];
  trackingUrls: string[];
  lineItems: { lineItemExternalId: string; quantity: number }[];
  shippedAt: Date | null;
  deliveredAt: Date | null;
  estimatedDeliveryAt: Date | null;
  updatedAt: Date | null;
}

/** A carrier event of a shipment (Shopify fulfillment events), newest first once stored. */
export interface ShipmentEventSnapshot {
  at: Date;
  status: ShipmentStatus;
  location: string | null;
  message: string | null;
  estimatedDeliveryAt: Date | null;
}

export interface OrderSnapshot {
  platform: Platform;
  externalId: string;
  /** What the shopper sees, e.g. "#1042". */
  name: string;
  number: number;
  email: string | null;
  currency: string;
  subtotal: string;
  shippingTotal: string;
  taxTotal: string;
  discountTotal: string;
  total: string;
  taxesIncluded: boolean;
  status: OrderStatus;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  cancelledAt: Date | null;
  cancelReason: string | null;
  placedAt: Date;
  updatedAt: Date | null;
  shippingAddress: Record<string, unknown> | null;
  shippingLines: { title: string; code: string | null; price: string; discountedPrice: string }[];
  customer: CustomerSnapshot | null;
  lineItems: LineItemSnapshot[];
  /** Children carried by the order payload; refunds and shipments also arrive on their own topics. */
  refunds: RefundSnapshot[];
  shipments: ShipmentSnapshot[];
}

/** What applying a snapshot did: `stale` means a newer version was already stored and nothing was overwritten. */
export type ApplyOutcome = "created" | "updated" | "unchanged" | "stale";
