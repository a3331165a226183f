import type { Job, Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { describeStripeError, redactStripeSecrets, stripeClient } from "./client.server";
import { markStripeError, readStripeSettings, type StripeSettings, type StripeSettingsSource, stripeConnection } from "./connection.server";
import { linkPayment, mirrorRefunds } from "./linking.server";
import {
  chargeSnapshot,
  type DisputeSnapshot,
  failedIntentSnapshot,
  type PaymentRefundSnapshot,
  type PaymentSnapshot,
  parseStripeCharge,
  parseStripeObject,
  refundSnapshot,
  disputeSnapshot,
  StripeEventPayload,
} from "./payloads";

/**
 * Applies a recorded Stripe event (STRIPE_EVENT_JOB). Stripe delivers late, twice and in any order, so every write
 * is decided by the object's state and the event's `created` time: a status only moves forward (a refund that
 * succeeded is never pending again, a dispute that was won is never under review again) and, within one status,
 * the newer event wins. Duplicates were dropped at intake (event id per shop); a replay changes nothing.
 */

type Tx = Prisma.TransactionClient;

/** How far each status is along its way; an event may only keep or advance it (ties: the newer event). */
const PAYMENT_RANK: Record<string, number> = { pending: 0, failed: 1, succeeded: 2 };
const REFUND_RANK: Record<string, number> = { pending: 0, requires_action: 0, succeeded: 1, failed: 2, canceled: 2 };
const DISPUTE_RANK: Record<string, number> = {
  warning_needs_response: 0,
  warning_under_review: 1,
  needs_response: 2,
  under_review: 3,
  warning_closed: 4,
  won: 4,
  lost: 4,
  prevented: 4,
  charge_refunded: 4,
};

/** A SQL CASE giving a status column's rank (unknown statuses rank first). */
function rank(column: string, ranks: Record<string, number>): string {
  return `(CASE ${column}::text ${Object.entries(ranks)
    .map(([status, value]) => `WHEN '${status}' THEN ${value}`)
    .join(" ")} ELSE 0 END)`;
}

const PAYMENT_NEWER = `(${rank(`EXCLUDED."status"`, PAYMENT_RANK)}, EXCLUDED."sourceUpdatedAt") >= (${rank(`"Payment"."status"`, PAYMENT_RANK)}, "Payment"."sourceUpdatedAt")`;

/** customers/redact erased the payment's order: Stripe's later events must not bring the shopper's details back. */
const ERASED = `EXISTS (SELECT 1 FROM "Order" o WHERE o."id" = "Payment"."orderId" AND o."redactedAt" IS NOT NULL)`;

const UPSERT_PAYMENT = `
  INSERT INTO "Payment" ("id", "shopId", "platform", "externalId", "chargeId", "status", "amount", "amountRefunded", "currency", "email", "failureMessage",
    "metadata", "occurredAt", "sourceUpdatedAt", "createdAt", "updatedAt")
  VALUES (gen_random_uuid()::text, $1, 'stripe', $2, $3, $4::"PaymentStatus", $5::decimal, $6::decimal, $7, $8, $9, $10::jsonb, $11::timestamptz,
    $12::timestamptz, now(), now())
  ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET
    "status" = CASE WHEN ${PAYMENT_NEWER} THEN EXCLUDED."status" ELSE "Payment"."status" END,
    "amountRefunded" = CASE WHEN ${PAYMENT_NEWER} THEN EXCLUDED."amountRefunded" ELSE "Payment"."amountRefunded" END,
    "failureMessage" = CASE WHEN ${ERASED} THEN "Payment"."failureMessage" WHEN ${PAYMENT_NEWER} THEN EXCLUDED."failureMessage" ELSE "Payment"."failureMessage" END,
    "chargeId" = CASE WHEN ${PAYMENT_NEWER} THEN COALESCE(EXCLUDED."chargeId", "Payment"."chargeId") ELSE COALESCE("Payment"."chargeId", EXCLUDED."chargeId") END,
    "metadata" = CASE WHEN ${ERASED} THEN "Payment"."metadata" WHEN ${PAYMENT_NEWER} THEN "Payment"."metadata" || EXCLUDED."metadata" ELSE EXCLUDED."metadata" || "Payment"."metadata" END,
    "email" = CASE WHEN ${ERASED} THEN "Payment"."email" ELSE COALESCE("Payment"."email", EXCLUDED."email") END,
    "sourceUpdatedAt" = CASE WHEN ${PAYMENT_NEWER} THEN EXCLUDED."sourceUpdatedAt" ELSE "Payment"."sourceUpdatedAt" END,
    "updatedAt" = now()
  RETURNING "id", "orderId"`;

const UPSERT_REFUND = `
  INSERT INTO "PaymentRefund" ("id", "shopId", "paymentId", "platform", "externalId", "amount", "currency", "status", "reason", "failureReason",
    "occurredAt", "sourceUpdatedAt", "createdAt", "updatedAt")
  VALUES (gen_random_uuid()::text, $1, $2, 'stripe', $3, $4::decimal, $5, $6, $7, $8, $9::timestamptz, $10::timestamptz, now(), now())
  ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET
    "amount" = EXCLUDED."amount", "currency" = EXCLUDED."currency", "status" = EXCLUDED."status", "reason" = EXCLUDED."reason",
    "failureReason" = EXCLUDED."failureReason", "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt", "updatedAt" = now()
  WHERE (${rank(`EXCLUDED."status"`, REFUND_RANK)}, EXCLUDED."sourceUpdatedAt") >= (${rank(`"PaymentRefund"."status"`, REFUND_RANK)}, "PaymentRefund"."sourceUpdatedAt")
  RETURNING "id"`;

const UPSERT_DISPUTE = `
  INSERT INTO "Dispute" ("id", "shopId", "paymentId", "platform", "externalId", "amount", "currency", "status", "reason", "evidenceDueBy",
    "occurredAt", "sourceUpdatedAt", "createdAt", "updatedAt")
  VALUES (gen_random_uuid()::text, $1, $2, 'stripe', $3, $4::decimal, $5, $6, $7, $8::timestamptz, $9::timestamptz, $10::timestamptz, now(), now())
  ON CONFLICT ("shopId", "platform", "externalId") DO UPDATE SET
    "amount" = EXCLUDED."amount", "currency" = EXCLUDED."currency", "status" = EXCLUDED."status", "reason" = EXCLUDED."reason",
    "evidenceDueBy" = EXCLUDED."evidenceDueBy", "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt", "updatedAt" = now()
  WHERE (${rank(`EXCLUDED."status"`, DISPUTE_RANK)}, EXCLUDED."sourceUpdatedAt") >= (${rank(`"Dispute"."status"`, DISPUTE_RANK)}, "Dispute"."sourceUpdatedAt")
  RETURNING "id"`;

interface StoredPayment {
  id: string;
  orderId: string | null;
}

async function writePayment(tx: Tx, shopId: string, payment: PaymentSnapshot): Promise<StoredPayment> {
  const [row] = await tx.$queryRawUnsafe<StoredPayment[]>(
    UPSERT_PAYMENT,
    shopId,
    payment.externalId,
    payment.chargeId,
    payment.status,
    payment.amount,
    payment.amountRefunded,
    payment.currency,
    payment.email,
    payment.failureMessage,
    JSON.stringify(payment.metadata),
    payment.occurredAt,
    payment.version,
  );
  return row!;
}

/** True when written; false when the stored refund is further along (or newer) than this event. */
async function writeRefund(tx: Tx, shopId: string, paymentId: string, refund: PaymentRefundSnapshot): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    UPSERT_REFUND,
    shopId,
    paymentId,
    refund.externalId,
    refund.amount,
    refund.currency,
    refund.status,
    refund.reason,
    refund.failureReason,
    refund.occurredAt,
    refund.version,
  );
  return rows.length > 0;
}

async function writeDispute(tx: Tx, shopId: string, paymentId: string, dispute: DisputeSnapshot): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    UPSERT_DISPUTE,
    shopId,
    paymentId,
    dispute.externalId,
    dispute.amount,
    dispute.currency,
    dispute.status,
    dispute.reason,
    dispute.evidenceDueBy,
    dispute.occurredAt,
    dispute.version,
  );
  return rows.length > 0;
}

/** A refund or dispute of a payment Shopdesk has not seen: the charge is read from Stripe (the shop's key). */
async function fetchCharge(db: PrismaClient, shopId: string, chargeId: string, settings: StripeSettings): Promise<PaymentSnapshot> {
  const connection = await stripeConnection(db, shopId, settings);
  if (!connection) throw new Error(`Stripe is disconnected, so charge ${chargeId} could not be read; reconnect Stripe and retry`);
  const readAt = new Date();
  try {
    const charge = await stripeClient(connection.secrets.apiKey, settings.api).charges.retrieve(chargeId);
    return chargeSnapshot(parseStripeCharge(charge), readAt);
  } catch (error) {
    if (error instanceof z.ZodError) throw error;
    const failure = describeStripeError(error);
    if (failure.kind === "auth" || failure.kind === "permission") {
      await markStripeError(db, shopId, `Stripe refused Shopdesk's key reading charge ${chargeId}: ${failure.message}`);
    }
    if (failure.kind === "unavailable" || failure.kind === "rate_limit") throw new Error(`Stripe could not be reached reading charge ${chargeId}: ${failure.message}`);
    throw new Error(`Stripe refused to read charge ${chargeId}: ${failure.message}`);
  }
}

const STALE_NOTE = "older than the state already stored; not applied";

const EventJob = z.object({ webhookEventId: z.string() });

export function stripeEventJob(db: PrismaClient, settings: StripeSettingsSource) {
  return async (job: Job) => {
    await processStripeEvent(db, EventJob.parse(job.payload).webhookEventId, readStripeSettings(settings));
  };
}

/**
 * Applies one recorded event and marks it processed in the same transaction. A failure marks it failed (with the
 * error, never a key) and rethrows, so the job queue retries it; the Integrations screen lists it with Retry.
 */
export async function processStripeEvent(db: PrismaClient, webhookEventId: string, settings: StripeSettings): Promise<void> {
  const recorded = await db.webhookEvent.findFirst({
    where: { id: webhookEventId, platform: "stripe" },
    select: { id: true, shopId: true, status: true, payload: true },
  });
  if (!recorded || recorded.status === "processed" || recorded.status === "ignored") return;
  const { shopId } = recorded;
  const finish = (status: "processed" | "ignored", note: string | null) => ({
    where: { id: recorded.id },
    data: { status, processedAt: new Date(), attempts: { increment: 1 }, lastError: note },
  });
  if (!shopId || recorded.payload === null) {
    await db.webhookEvent.update(finish("ignored", !shopId ? "the shop is not installed" : "the payload was deleted (retention) before it was processed"));
    return;
  }

  try {
    const event = StripeEventPayload.parse(recorded.payload);
    const parsed = parseStripeObject(event.type, event.data.object);
    if (!parsed) {
      await db.webhookEvent.update(finish("ignored", `Shopdesk does not read ${event.type}`));
      return;
    }
    const version = new Date(event.created * 1000);

    // Refunds and disputes name their payment only by id: one not seen yet is read first, outside the transaction.
    let unseen: PaymentSnapshot | null = null;
    let paymentKey: string | null = null;
    if (parsed.kind === "refund" || parsed.kind === "dispute") {
      const object = parsed.kind === "refund" ? parsed.refund : parsed.dispute;
      paymentKey = object.payment_intent ?? object.charge;
      if (!paymentKey || !object.charge) throw new Error(`${event.type} for ${object.id} names no charge`);
      const known = await db.payment.findUnique({ where: { shopId_platform_externalId: { shopId, platform: "stripe", externalId: paymentKey } }, select: { id: true } });
      if (!known) unseen = await fetchCharge(db, shopId, object.charge, settings);
    }

    await db.$transaction(async (tx) => {
      let payment: StoredPayment;
      let applied = true;
      switch (parsed.kind) {
        case "charge": {
          payment = await writePayment(tx, shopId, chargeSnapshot(parsed.charge, version));
          for (const refund of parsed.charge.refunds?.data ?? []) await writeRefund(tx, shopId, payment.id, refundSnapshot(refund, version));
          break;
        }
        case "payment_failed":
          payment = await writePayment(tx, shopId, failedIntentSnapshot(parsed.intent, version));
          break;
        case "refund":
        case "dispute": {
          payment = unseen
            ? await writePayment(tx, shopId, unseen)
            : await tx.payment.findUniqueOrThrow({ where: { shopId_platform_externalId: { shopId, platform: "stripe", externalId: paymentKey! } }, select: { id: true, orderId: true } });
          applied =
            parsed.kind === "refund"
              ? await writeRefund(tx, shopId, payment.id, refundSnapshot(parsed.refund, version))
              : await writeDispute(tx, shopId, payment.id, disputeSnapshot(parsed.dispute, version));
          break;
        }
      }
      const orderId = payment.orderId ?? (await linkPayment(tx, shopId, payment.id));
      if (orderId) await mirrorRefunds(tx, shopId, payment.id, orderId);
      await tx.webhookEvent.update(finish("processed", applied ? null : STALE_NOTE));
    });
  } catch (error) {
    const message = redactStripeSecrets(error instanceof z.ZodError ? `unexpected event shape: ${z.prettifyError(error)}` : error instanceof Error ? error.message : String(error));
    await db.webhookEvent.update({ where: { id: recorded.id }, data: { status: "failed", attempts: { increment: 1 }, lastError: message.slice(0, 1_000) } });
    throw new Error(message);
  }
}
