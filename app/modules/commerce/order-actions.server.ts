import type { Job, PrismaClient } from "@prisma/client";
import { z } from "zod";

/**
 * Pushes order actions taken in Shopdesk (today: a shopper's cancellation through the assistant) to the
 * platform that owns the order. The local order is cancelled at once so the shopper gets an answer; if
 * Shopify refuses (it shipped meanwhile, a payment is pending…), the local cancellation is undone and the
 * conversation goes to staff with the platform's reason.
 */

export const PUSH_ORDER_CANCEL_JOB = "commerce.push-order-cancel";

export const ORDER_CANCEL_MUTATION = `#graphql
  mutation ShopdeskOrderCancel($orderId: ID!, $notifyCustomer: Boolean, $refundMethod: OrderCancelRefundMethodInput!, $restock: Boolean!, $reason: OrderCancelReason!, $staffNote: String) {
    orderCancel(orderId: $orderId, notifyCustomer: $notifyCustomer, refundMethod: $refundMethod, restock: $restock, reason: $reason, staffNote: $staffNote) {
      job { id done }
      orderCancelUserErrors { field message code }
    }
  }`;

/** Runs one Admin GraphQL operation with variables and returns its JSON body. */
export type AdminGraphqlRequest = (query: string, variables: Record<string, unknown>) => Promise<unknown>;

const CancelResponse = z.object({
  data: z
    .object({
      orderCancel: z
        .object({
          job: z.object({ id: z.string() }).nullish(),
          orderCancelUserErrors: z.array(z.object({ message: z.string(), code: z.string().nullish() })),
        })
        .nullish(),
    })
    .nullish(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});

export const CancelPayload = z.object({ orderId: z.string(), staffNote: z.string().max(500).optional() });

export function shopifyOrderGid(externalId: string): string {
  return externalId.startsWith("gid://") ? externalId : `gid://shopify/Order/${externalId}`;
}

export type PushResult = { status: "pushed"; jobId: string | null } | { status: "rejected"; reason: string } | { status: "skipped"; reason: string };

export async function pushOrderCancellation(db: PrismaClient, payload: z.infer<typeof CancelPayload>, admin: AdminGraphqlRequest | null): Promise<PushResult> {
  const order = await db.order.findUnique({ where: { id: payload.orderId }, include: { shop: { select: { id: true } } } });
  if (order?.status !== "cancelled") return { status: "skipped", reason: "order is not cancelled locally" };
  if (order.platform !== "shopify") return { status: "skipped", reason: `${order.platform} orders are cancelled by staff on that platform` };
  if (!admin) return { status: "skipped", reason: "no Shopify connection for this shop" };

  const body = CancelResponse.parse(
    await admin(ORDER_CANCEL_MUTATION, {
      orderId: shopifyOrderGid(order.externalId),
      notifyCustomer: true,
      refundMethod: { originalPaymentMethodsRefund: true },
      restock: true,
      reason: "CUSTOMER",
      staffNote: payload.staffNote ?? "Cancelled by the shopper through the Shopdesk assistant",
    }),
  );
  // Transport-level GraphQL errors (throttling, auth) are retried by the job queue.
  if (body.errors?.length) throw new Error(`orderCancel failed: ${body.errors.map((error) => error.message).join("; ")}`);
  const userErrors = body.data?.orderCancel?.orderCancelUserErrors ?? [];
  if (userErrors.length === 0) {
    await db.actionLog.create({
      data: {
        shopId: order.shopId,
        actor: "system",
        action: "order.cancel_pushed",
        targetType: "order",
        targetId: order.id,
        idempotencyKey: `cancel-pushed:${order.id}`,
        result: { platformJobId: body.data?.orderCancel?.job?.id ?? null },
      },
    });
    return { status: "pushed", jobId: body.data?.orderCancel?.job?.id ?? null };
  }

  const reason = userErrors.map((error) => error.message).join("; ");
  const cancelAction = await db.actionLog.findUnique({ where: { shopId_idempotencyKey: { shopId: order.shopId, idempotencyKey: `cancel:${order.id}` } } });
  const rejectedAt = Date.now();
  await db.$transaction(async (tx) => {
    await tx.order.update({ where: { id: order.id }, data: { status: "open", cancelledAt: null, cancelReason: null } });
    // Free the cancellation's idempotency key: the order is open again, so a later request must act anew.
    if (cancelAction) {
      await tx.actionLog.update({ where: { id: cancelAction.id }, data: { idempotencyKey: `cancel:${order.id}:rejected:${rejectedAt}` } });
    }
    await tx.refund.deleteMany({ where: { orderId: order.id, externalId: `shopdesk-cancel-${order.id}`, status: "pending" } });
    await tx.actionLog.create({
      data: {
        shopId: order.shopId,
        conversationId: cancelAction?.conversationId ?? null,
        actor: "system",
        action: "order.cancel_rejected",
        targetType: "order",
        targetId: order.id,
        reason: `Shopify refused the cancellation: ${reason}`.slice(0, 500),
        idempotencyKey: `cancel-rejected:${order.id}:${rejectedAt}`,
        result: { userErrors },
      },
    });
    if (cancelAction?.conversationId) {
      await tx.message.create({
        data: {
          shopId: order.shopId,
          conversationId: cancelAction.conversationId,
          author: "system",
          visibility: "internal",
          body: `Shopify refused to cancel ${order.name}: ${reason}. The order is open again; please follow up with the shopper.`,
        },
      });
      await tx.conversation.update({ where: { id: cancelAction.conversationId }, data: { status: "waiting_on_staff", priority: "high" } });
    }
  });
  return { status: "rejected", reason };
}

export function pushOrderCancelJob(db: PrismaClient, adminFor: (shopId: string) => Promise<AdminGraphqlRequest | null>) {
  return async (job: Job) => {
    const payload = CancelPayload.parse(job.payload);
    const order = await db.order.findUnique({ where: { id: payload.orderId }, select: { shopId: true } });
    if (!order) return;
    await pushOrderCancellation(db, payload, await adminFor(order.shopId));
  };
}
