import type { OrderActionKind, Prisma } from "@prisma/client";
import { z } from "zod";
import type { RefundSnapshot } from "../sync/snapshots";

/**
 * The shapes of order actions written back to the platform: what a caller asks for (per kind), what a platform
 * connector is handed and answers, and what the shopper is told once the platform has decided.
 */

export const MailingAddressSchema = z
  .object({
    firstName: z.string().trim().max(100).optional(),
    lastName: z.string().trim().max(100).optional(),
    company: z.string().trim().max(100).optional(),
    address1: z.string().trim().min(1).max(200),
    address2: z.string().trim().max(200).optional(),
    city: z.string().trim().min(1).max(100),
    provinceCode: z.string().trim().max(10).optional(),
    zip: z.string().trim().max(20).optional(),
    /** ISO 3166-1 alpha-2; the order's current country when omitted. */
    countryCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/)
      .transform((code) => code.toUpperCase())
      .optional(),
    phone: z.string().trim().max(40).optional(),
  })
  .strict();

/** Shopify's MailingAddressInput fields (camelCase), as sent with orderUpdate. */
export type MailingAddress = z.infer<typeof MailingAddressSchema>;

const Reason = z.string().trim().max(500);
const LineQuantity = z.object({ lineItemId: z.string().min(1), quantity: z.number().int().min(1).max(1_000) });

/** What each kind of action needs from its caller. Amounts are never given: they are computed from what was paid. */
export const OrderActionInputSchemas = {
  cancel: z.object({ reason: Reason, notifyCustomer: z.boolean().default(true), restock: z.boolean().default(true) }).strict(),
  update_address: z.object({ address: MailingAddressSchema }).strict(),
  return: z
    .object({
      items: z.array(LineQuantity.extend({ condition: z.string().max(40).optional() }).strict()).min(1).max(50),
      reason: Reason,
      /** A person at the store approves it (Shopify returnRequest) instead of the merchant's rules (returnCreate). */
      review: z.boolean(),
    })
    .strict(),
  refund: z
    .object({
      items: z.array(LineQuantity.extend({ restock: z.boolean().default(false) }).strict()).min(1).max(50),
      reason: Reason,
      notify: z.boolean().default(true),
    })
    .strict(),
  /** The platform e-mails the shopper the shipment's tracking details again (our Shipment id). */
  resend_tracking: z.object({ shipmentId: z.string().trim().min(1).max(100) }).strict(),
} satisfies Record<OrderActionKind, z.ZodType>;

export type OrderActionInput = { [K in OrderActionKind]: z.input<(typeof OrderActionInputSchemas)[K]> };
export type ParsedOrderActionInput = { [K in OrderActionKind]: z.output<(typeof OrderActionInputSchemas)[K]> };

const QuotedLine = z.object({ id: z.string(), quantity: z.number().int(), subtotal: z.string(), tax: z.string(), amount: z.string() });
const Quoted = { amount: z.string(), fee: z.string(), lines: z.array(QuotedLine), capped: z.boolean() };

/** OrderAction.input as stored: the caller's input plus what was computed from the order when it was requested. */
export const StoredOrderActionInputSchemas = {
  cancel: OrderActionInputSchemas.cancel.extend({ expectedRefund: z.string() }),
  update_address: OrderActionInputSchemas.update_address.extend({ address: MailingAddressSchema.extend({ countryCode: z.string() }) }),
  return: OrderActionInputSchemas.return.extend({ ...Quoted, returnRequestId: z.string() }),
  refund: OrderActionInputSchemas.refund.extend(Quoted),
  resend_tracking: OrderActionInputSchemas.resend_tracking.extend({ trackingNumber: z.string() }),
} satisfies Record<OrderActionKind, z.ZodType>;

export type StoredOrderActionInput = { [K in OrderActionKind]: z.output<(typeof StoredOrderActionInputSchemas)[K]> };

/** The order as a platform connector needs it. */
export interface PushOrder {
  name: string;
  /** The platform's id (a Shopify GID). */
  externalId: string;
  currency: string;
}

export interface PushLine {
  /** The platform's line item id (a Shopify LineItem GID). */
  externalId: string;
  title: string;
  quantity: number;
}

/**
 * A platform's answer. Refusals carry the platform's reason; a connector throws on transport failures
 * (throttling, 5xx, network) so the job queue retries them.
 */
export type PlatformDecision = { accepted: true; result: Record<string, unknown> } | { accepted: false; reason: string; details?: unknown };

/** A shipment as the platform knows it, with the tracking the shopper is sent again. */
export interface PushShipment {
  /** The platform's fulfillment id (a Shopify Fulfillment GID or numeric id). */
  externalId: string;
  carrier: string | null;
  trackingNumbers: string[];
  trackingUrls: string[];
}

export interface RefundAccepted {
  refundId: string;
  /** What the platform refunded: our amount, or the platform's suggestion when that was lower. */
  amount: string;
  transactions: { externalId: string; kind: string; status: string; amount: string; gateway: string | null }[];
}

/** One platform's write-back operations. */
export interface OrderActionPlatform {
  /** Who decides, as staff read it in notes: "Shopify", "the demo stand-in". */
  readonly label: string;
  cancel(order: PushOrder, input: { reason: string; notifyCustomer: boolean; restock: boolean }): Promise<PlatformDecision>;
  updateShippingAddress(order: PushOrder, address: MailingAddress): Promise<PlatformDecision>;
  createReturn(order: PushOrder, request: { lines: PushLine[]; review: boolean; note: string; fee: string; requestedAt: Date }): Promise<PlatformDecision>;
  createRefund(
    order: PushOrder,
    request: { lines: (PushLine & { restock: boolean; subtotal: string; tax: string })[]; amount: string; note: string; notify: boolean; idempotencyKey: string },
  ): Promise<{ accepted: true; result: RefundAccepted & Record<string, unknown> } | { accepted: false; reason: string; details?: unknown }>;
  /** Sends the shopper the shipment's tracking details again (the platform's shipping-update e-mail). */
  resendTracking(order: PushOrder, shipment: PushShipment): Promise<PlatformDecision>;
}

/**
 * A payment processor that refunds an order's payment itself (Stripe), in place of the platform that owns the
 * order. Its refunds are recorded under the processor's own platform, not the order's.
 */
export interface RefundProcessor {
  readonly label: string;
  createRefund: OrderActionPlatform["createRefund"];
  /** Records an accepted refund on the order (pending until the processor's events confirm it), in the acceptance's transaction. */
  recordRefund(tx: Prisma.TransactionClient, order: { id: string; shopId: string }, refund: RefundSnapshot): Promise<void>;
}

/** What the shopper is told in the conversation once the platform decided. */
export interface OrderActionNotice {
  kind: OrderActionKind;
  outcome: "confirmed" | "refused";
  orderName: string;
  currency: string;
  /** A return the store reviews (returnRequest) rather than one its rules approved (returnCreate). */
  review?: boolean;
  /** Return: the refund once the items are back; refund: what was refunded. */
  amount?: string;
  items?: { title: string; quantity: number }[];
  /** The new shipping address, on one line. */
  address?: string;
  /** Resend tracking: the tracking number sent again. */
  trackingNumber?: string;
  /** Resend tracking: the platform e-mailed it to the shopper (the demo stand-in sends no e-mail). */
  emailed?: boolean;
}

/** The public message for a notice, in the conversation's language (the assistant's phrases). */
export type OrderActionNoticeText = (notice: OrderActionNotice, language: string) => string;

/** Runs one Admin GraphQL operation with variables and returns its JSON body; throws on transport failure. */
export type AdminGraphqlRequest = (query: string, variables: Record<string, unknown>) => Promise<unknown>;
