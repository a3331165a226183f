import type { PrismaClient } from "@prisma/client";
import type { RefundAccepted, RefundProcessor } from "../../actions/contract";
import { describeStripeError, fromMinorUnits, toMinorUnits, stripeClient } from "./client.server";
import { markStripeError, readStripeSettings, type StripeSettingsSource, stripeConnection } from "./connection.server";
import { recordStripeRefund } from "./linking.server";

/**
 * Refunds of Stripe-paid orders, made in Stripe (refunds.create) for the order-action push job. An order is
 * Stripe-paid when a succeeded Stripe payment is linked to it and the shop's Stripe account is connected. The
 * amount is the one the action computed within the merchant's limits (requestOrderAction); the idempotency key
 * is the action's, so a retried push (the job queue's, or the SDK's own after a lost answer) is one refund.
 */

/** Stripe keeps idempotency keys for 24 hours; a push is retried within minutes. */
export const stripeRefundIdempotencyKey = (orderActionId: string) => `shopdesk-refund-${orderActionId}`;

export function stripeRefundProcessor(db: PrismaClient, source: StripeSettingsSource) {
  return async (shopId: string, orderId: string): Promise<RefundProcessor | null> => {
    const settings = readStripeSettings(source);
    const payment = await db.payment.findFirst({
      where: { shopId, orderId, platform: "stripe", status: "succeeded" },
      orderBy: { occurredAt: "desc" },
      select: { externalId: true, chargeId: true, currency: true },
    });
    if (!payment) return null;
    const connection = await stripeConnection(db, shopId, settings);
    if (!connection) return null;
    const stripe = stripeClient(connection.secrets.apiKey, settings.api);

    return {
      label: "Stripe",
      async createRefund(order, request) {
        if (payment.currency !== order.currency.toUpperCase()) {
          return { accepted: false, reason: `the Stripe payment is in ${payment.currency} and order ${order.name} in ${order.currency}` };
        }
        // The PaymentIntent when there is one (Stripe refunds its succeeded charge), else the charge itself.
        const target = payment.externalId.startsWith("pi_") ? { payment_intent: payment.externalId } : { charge: payment.chargeId ?? payment.externalId };
        let refund: Awaited<ReturnType<typeof stripe.refunds.create>>;
        try {
          refund = await stripe.refunds.create(
            {
              ...target,
              amount: toMinorUnits(request.amount, order.currency),
              reason: "requested_by_customer",
              metadata: { shopdesk_order_action: request.idempotencyKey, order: order.name },
            },
            { idempotencyKey: stripeRefundIdempotencyKey(request.idempotencyKey) },
          );
        } catch (error) {
          const failure = describeStripeError(error);
          // Network, rate limits and Stripe's 5xx: the job queue tries again with the same key.
          if (failure.kind === "unavailable" || failure.kind === "rate_limit") throw new Error(`Stripe could not be reached: ${failure.message}`);
          if (failure.kind === "auth" || failure.kind === "permission") await markStripeError(db, shopId, `Stripe refused Shopdesk's key creating a refund: ${failure.message}`);
          return { accepted: false, reason: `Stripe refused the refund: ${failure.message}`, details: { type: failure.kind, code: failure.code, requestId: failure.requestId } };
        }
        if (refund.status === "failed" || refund.status === "canceled") {
          return { accepted: false, reason: `Stripe's refund ${refund.id} ${refund.status}${refund.failure_reason ? ` (${refund.failure_reason})` : ""}` };
        }
        const amount = fromMinorUnits(refund.amount, refund.currency);
        const result: RefundAccepted & Record<string, unknown> = {
          refundId: refund.id,
          amount,
          transactions: [{ externalId: refund.id, kind: "refund", status: refund.status ?? "pending", amount, gateway: "stripe" }],
          processor: "stripe",
        };
        return { accepted: true, result };
      },
      recordRefund: (tx, order, snapshot) => recordStripeRefund(tx, order, { ...snapshot, currency: payment.currency }),
    };
  };
}
