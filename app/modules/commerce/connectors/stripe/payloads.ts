import { z } from "zod";
import { fromMinorUnits } from "./client.server";

/**
 * The parts of Stripe's objects Shopdesk reads (charges, refunds, disputes, payment intents), as they arrive in
 * events and from the API, mapped to what the payment tables store. Unknown fields are ignored; an id may come
 * expanded into its object.
 */

const Id = z.union([z.string(), z.object({ id: z.string() }).transform((object) => object.id)]);
const OptionalId = Id.nullish().transform((id) => id ?? null);
const Metadata = z.record(z.string(), z.string()).nullish().catch({}).transform((metadata) => metadata ?? {});
const Email = z.string().nullish().transform((email) => email?.trim().toLowerCase() || null);

const StripeRefund = z.object({
  id: z.string(),
  object: z.literal("refund"),
  amount: z.number().int(),
  currency: z.string(),
  created: z.number().int(),
  status: z.string().nullish(),
  charge: OptionalId,
  payment_intent: OptionalId,
  reason: z.string().nullish(),
  failure_reason: z.string().nullish(),
  metadata: Metadata,
});

const StripeCharge = z.object({
  id: z.string(),
  object: z.literal("charge"),
  amount: z.number().int(),
  amount_refunded: z.number().int().default(0),
  currency: z.string(),
  created: z.number().int(),
  status: z.enum(["succeeded", "pending", "failed"]),
  payment_intent: OptionalId,
  billing_details: z.object({ email: Email }).partial().nullish(),
  receipt_email: Email,
  failure_message: z.string().nullish(),
  metadata: Metadata,
  // Older API versions list the charge's refunds on it.
  refunds: z.object({ data: z.array(StripeRefund) }).nullish(),
});
export type StripeCharge = z.infer<typeof StripeCharge>;

const StripeDispute = z.object({
  id: z.string(),
  object: z.literal("dispute"),
  amount: z.number().int(),
  currency: z.string(),
  created: z.number().int(),
  status: z.string(),
  reason: z.string(),
  charge: Id,
  payment_intent: OptionalId,
  evidence_details: z.object({ due_by: z.number().int().nullish() }).nullish(),
});

const StripePaymentIntent = z.object({
  id: z.string(),
  object: z.literal("payment_intent"),
  amount: z.number().int(),
  currency: z.string(),
  created: z.number().int(),
  latest_charge: OptionalId,
  receipt_email: Email,
  metadata: Metadata,
  last_payment_error: z
    .object({
      message: z.string().nullish(),
      payment_method: z.object({ billing_details: z.object({ email: Email }).partial().nullish() }).nullish(),
    })
    .nullish(),
});

export const StripeEventPayload = z.object({
  id: z.string(),
  type: z.string(),
  created: z.number().int(),
  data: z.object({ object: z.unknown() }),
});

export type ParsedStripeEvent =
  | { kind: "charge"; charge: StripeCharge }
  | { kind: "refund"; refund: z.infer<typeof StripeRefund> }
  | { kind: "dispute"; dispute: z.infer<typeof StripeDispute> }
  | { kind: "payment_failed"; intent: z.infer<typeof StripePaymentIntent> };

/** The object an event of a subscribed type carries; throws (zod) when it is not the expected shape. */
export function parseStripeObject(type: string, object: unknown): ParsedStripeEvent | null {
  switch (type) {
    case "charge.refunded":
      return { kind: "charge", charge: StripeCharge.parse(object) };
    case "charge.refund.updated":
    case "refund.created":
    case "refund.updated":
      return { kind: "refund", refund: StripeRefund.parse(object) };
    case "charge.dispute.created":
    case "charge.dispute.updated":
    case "charge.dispute.closed":
      return { kind: "dispute", dispute: StripeDispute.parse(object) };
    case "payment_intent.payment_failed":
      return { kind: "payment_failed", intent: StripePaymentIntent.parse(object) };
    default:
      return null;
  }
}

export function parseStripeCharge(object: unknown): StripeCharge {
  return StripeCharge.parse(object);
}

// ---------------------------------------------------------------- What is stored

const at = (seconds: number) => new Date(seconds * 1000);

/** A payment as one object tells it, with the time that version is from. */
export interface PaymentSnapshot {
  /** The PaymentIntent's id, or the charge's when it has none. */
  externalId: string;
  chargeId: string | null;
  status: "pending" | "succeeded" | "failed";
  amount: string;
  amountRefunded: string;
  /** ISO 4217, upper case like the orders' currencies. */
  currency: string;
  email: string | null;
  failureMessage: string | null;
  metadata: Record<string, string>;
  occurredAt: Date;
  version: Date;
}

export interface PaymentRefundSnapshot {
  externalId: string;
  amount: string;
  currency: string;
  status: string;
  reason: string | null;
  failureReason: string | null;
  occurredAt: Date;
  version: Date;
}

export interface DisputeSnapshot {
  externalId: string;
  amount: string;
  currency: string;
  status: string;
  reason: string;
  evidenceDueBy: Date | null;
  occurredAt: Date;
  version: Date;
}

export function chargeSnapshot(charge: StripeCharge, version: Date): PaymentSnapshot {
  return {
    externalId: charge.payment_intent ?? charge.id,
    chargeId: charge.id,
    status: charge.status,
    amount: fromMinorUnits(charge.amount, charge.currency),
    amountRefunded: fromMinorUnits(charge.amount_refunded, charge.currency),
    currency: charge.currency.toUpperCase(),
    email: charge.billing_details?.email ?? charge.receipt_email ?? null,
    failureMessage: charge.failure_message ?? null,
    metadata: charge.metadata,
    occurredAt: at(charge.created),
    version,
  };
}

export function failedIntentSnapshot(intent: z.infer<typeof StripePaymentIntent>, version: Date): PaymentSnapshot {
  return {
    externalId: intent.id,
    chargeId: intent.latest_charge,
    status: "failed",
    amount: fromMinorUnits(intent.amount, intent.currency),
    amountRefunded: "0.00",
    currency: intent.currency.toUpperCase(),
    email: intent.receipt_email ?? intent.last_payment_error?.payment_method?.billing_details?.email ?? null,
    failureMessage: intent.last_payment_error?.message ?? null,
    metadata: intent.metadata,
    occurredAt: at(intent.created),
    version,
  };
}

export function refundSnapshot(refund: z.infer<typeof StripeRefund>, version: Date): PaymentRefundSnapshot {
  return {
    externalId: refund.id,
    amount: fromMinorUnits(refund.amount, refund.currency),
    currency: refund.currency.toUpperCase(),
    // Refunds from before Stripe reported a status succeeded when created.
    status: refund.status ?? "succeeded",
    reason: refund.reason ?? null,
    failureReason: refund.failure_reason ?? null,
    occurredAt: at(refund.created),
    version,
  };
}

export function disputeSnapshot(dispute: z.infer<typeof StripeDispute>, version: Date): DisputeSnapshot {
  const due = dispute.evidence_details?.due_by;
  return {
    externalId: dispute.id,
    amount: fromMinorUnits(dispute.amount, dispute.currency),
    currency: dispute.currency.toUpperCase(),
    status: dispute.status,
    reason: dispute.reason,
    evidenceDueBy: due ? at(due) : null,
    occurredAt: at(dispute.created),
    version,
  };
}

/** Stripe's dispute statuses that still need the merchant (evidence, or waiting on the issuer). */
export const OPEN_DISPUTE_STATUSES = ["warning_needs_response", "warning_under_review", "needs_response", "under_review"] as const;
