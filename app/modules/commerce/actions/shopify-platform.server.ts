import { z } from "zod";
import { shopifyGid } from "../connectors/shopify/rest-payloads";
import { fromCents, toCents } from "../refund-amounts";
import type { AdminGraphqlRequest, MailingAddress, OrderActionPlatform, PlatformDecision, PushLine, PushOrder, RefundAccepted } from "./contract";

/**
 * Order actions on Shopify through the Admin GraphQL API (version pinned in app/lib/shopify/config.ts):
 * orderCancel, orderUpdate (shipping address), returnRequest / returnCreate on the order's returnable
 * fulfillment line items, refundCreate checked against Shopify's suggestedRefund, fulfillmentTrackingInfoUpdate
 * with notifyCustomer (Shopify e-mails the shipping update again). userErrors are refusals;
 * top-level GraphQL errors (THROTTLED, internal errors) and missing data throw so the job queue retries them.
 */

const ORDER_CANCEL_MUTATION = `#graphql
  mutation ShopdeskOrderCancel($orderId: ID!, $notifyCustomer: Boolean, $refundMethod: OrderCancelRefundMethodInput!, $restock: Boolean!, $reason: OrderCancelReason!, $staffNote: String) {
    orderCancel(orderId: $orderId, notifyCustomer: $notifyCustomer, refundMethod: $refundMethod, restock: $restock, reason: $reason, staffNote: $staffNote) {
      job { id done }
      orderCancelUserErrors { field message code }
    }
  }`;

const ORDER_UPDATE_ADDRESS_MUTATION = `#graphql
  mutation ShopdeskOrderUpdateAddress($input: OrderInput!) {
    orderUpdate(input: $input) {
      order { id }
      userErrors { field message }
    }
  }`;

const RETURNABLE_FULFILLMENTS_QUERY = `#graphql
  query ShopdeskReturnableFulfillments($orderId: ID!) {
    returnableFulfillments(orderId: $orderId, first: 25) {
      nodes {
        id
        returnableFulfillmentLineItems(first: 100) {
          nodes { quantity fulfillmentLineItem { id lineItem { id } } }
        }
      }
    }
  }`;

const RETURN_REQUEST_MUTATION = `#graphql
  mutation ShopdeskReturnRequest($input: ReturnRequestInput!) {
    returnRequest(input: $input) {
      return { id status }
      userErrors { field message code }
    }
  }`;

const RETURN_CREATE_MUTATION = `#graphql
  mutation ShopdeskReturnCreate($returnInput: ReturnInput!) {
    returnCreate(returnInput: $returnInput) {
      return { id status }
      userErrors { field message code }
    }
  }`;

const SUGGESTED_REFUND_QUERY = `#graphql
  query ShopdeskSuggestedRefund($orderId: ID!, $refundLineItems: [RefundLineItemInput!]) {
    order(id: $orderId) {
      suggestedRefund(refundLineItems: $refundLineItems) {
        amountSet { shopMoney { amount currencyCode } }
        suggestedTransactions { gateway kind parentTransaction { id } amountSet { shopMoney { amount } } }
      }
    }
  }`;

// refundCreate requires an idempotency key (API 2026-04 and later): retries of one action are one refund.
const REFUND_CREATE_MUTATION = `#graphql
  mutation ShopdeskRefundCreate($input: RefundInput!, $idempotencyKey: String!) {
    refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
      refund {
        id
        totalRefundedSet { shopMoney { amount } }
        transactions(first: 10) { nodes { id kind status gateway amountSet { shopMoney { amount } } } }
      }
      userErrors { field message }
    }
  }`;

// The same tracking sent again with notifyCustomer: Shopify e-mails the shopper its shipping update once more.
const RESEND_TRACKING_MUTATION = `#graphql
  mutation ShopdeskResendTracking($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
    fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) {
      fulfillment { id trackingInfo(first: 10) { number url company } }
      userErrors { field message }
    }
  }`;

const UserError = z.object({ field: z.array(z.string()).nullish(), message: z.string(), code: z.string().nullish() });
const Money = z.object({ shopMoney: z.object({ amount: z.string() }) });

const Envelope = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(z.object({ message: z.string(), extensions: z.object({ code: z.string().nullish() }).passthrough().nullish() }).passthrough()).nullish(),
});

/** A failure to talk to Shopify (not a decision): retried by the job queue. */
class ShopifyUnavailableError extends Error {}

async function run<T>(admin: AdminGraphqlRequest, query: string, variables: Record<string, unknown>, field: string, schema: z.ZodType<T>): Promise<T> {
  const body = Envelope.parse(await admin(query, variables));
  if (body.errors?.length) {
    throw new ShopifyUnavailableError(body.errors.map((error) => [error.extensions?.code, error.message].filter(Boolean).join(": ")).join("; "));
  }
  const value = body.data?.[field];
  if (value === undefined || value === null) throw new ShopifyUnavailableError(`Shopify returned no ${field}`);
  return schema.parse(value);
}

function refusal(userErrors: z.infer<typeof UserError>[]): PlatformDecision | null {
  if (userErrors.length === 0) return null;
  return { accepted: false, reason: userErrors.map((error) => error.message).join("; "), details: { userErrors } };
}

const CancelPayload = z.object({ job: z.object({ id: z.string() }).nullish(), orderCancelUserErrors: z.array(UserError) });
const UpdatePayload = z.object({ order: z.object({ id: z.string() }).nullish(), userErrors: z.array(UserError) });
const ReturnPayload = z.object({ return: z.object({ id: z.string(), status: z.string() }).nullish(), userErrors: z.array(UserError) });
const TrackingPayload = z.object({
  fulfillment: z.object({ id: z.string(), trackingInfo: z.array(z.object({ number: z.string().nullish(), url: z.string().nullish(), company: z.string().nullish() })) }).nullish(),
  userErrors: z.array(UserError),
});
const ReturnableFulfillments = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      returnableFulfillmentLineItems: z.object({
        nodes: z.array(z.object({ quantity: z.number().int(), fulfillmentLineItem: z.object({ id: z.string(), lineItem: z.object({ id: z.string() }) }) })),
      }),
    }),
  ),
});
const SuggestedRefundOrder = z.object({
  suggestedRefund: z.object({
    amountSet: Money,
    suggestedTransactions: z.array(z.object({ gateway: z.string().nullish(), kind: z.string(), parentTransaction: z.object({ id: z.string() }).nullish(), amountSet: Money })),
  }),
});
const RefundPayload = z.object({
  refund: z
    .object({
      id: z.string(),
      totalRefundedSet: Money,
      transactions: z.object({ nodes: z.array(z.object({ id: z.string(), kind: z.string(), status: z.string(), gateway: z.string().nullish(), amountSet: Money })) }),
    })
    .nullish(),
  userErrors: z.array(UserError),
});

/** Which fulfillment line items carry the units to return: Shopify returns fulfilled units, not order lines. */
function allocateReturn(lines: PushLine[], returnable: z.infer<typeof ReturnableFulfillments>): { items: { fulfillmentLineItemId: string; quantity: number }[] } | { missing: string } {
  const available = returnable.nodes.flatMap((fulfillment) => fulfillment.returnableFulfillmentLineItems.nodes).map((node) => ({ ...node }));
  const items: { fulfillmentLineItemId: string; quantity: number }[] = [];
  for (const line of lines) {
    let left = line.quantity;
    for (const node of available) {
      if (left === 0) break;
      if (node.fulfillmentLineItem.lineItem.id !== line.externalId || node.quantity === 0) continue;
      const take = Math.min(left, node.quantity);
      node.quantity -= take;
      left -= take;
      items.push({ fulfillmentLineItemId: node.fulfillmentLineItem.id, quantity: take });
    }
    if (left > 0) return { missing: `Shopify lists only ${line.quantity - left} of ${line.quantity} × ${line.title} as returnable` };
  }
  return { items };
}

/** Our amount spread over the transactions Shopify suggests refunding (original payment methods first). */
function refundTransactions(orderId: string, amountCents: number, suggested: z.infer<typeof SuggestedRefundOrder>["suggestedRefund"]["suggestedTransactions"]) {
  const transactions: { orderId: string; parentId: string; amount: string; gateway: string; kind: "REFUND" }[] = [];
  let left = amountCents;
  for (const transaction of suggested) {
    if (left === 0) break;
    if (!transaction.parentTransaction || !transaction.gateway) continue;
    const take = Math.min(left, toCents(transaction.amountSet.shopMoney.amount));
    if (take <= 0) continue;
    transactions.push({ orderId, parentId: transaction.parentTransaction.id, amount: fromCents(take), gateway: transaction.gateway, kind: "REFUND" });
    left -= take;
  }
  return { transactions, unallocatedCents: left };
}

export function shopifyOrderActions(admin: AdminGraphqlRequest): OrderActionPlatform {
  const orderGid = (order: PushOrder) => shopifyGid("Order", order.externalId);
  return {
    label: "Shopify",

    async cancel(order, input) {
      const payload = await run(
        admin,
        ORDER_CANCEL_MUTATION,
        {
          orderId: orderGid(order),
          notifyCustomer: input.notifyCustomer,
          refundMethod: { originalPaymentMethodsRefund: true },
          restock: input.restock,
          reason: "CUSTOMER",
          staffNote: `Requested through Shopdesk: ${input.reason}`.slice(0, 255),
        },
        "orderCancel",
        CancelPayload,
      );
      return refusal(payload.orderCancelUserErrors) ?? { accepted: true, result: { platformJobId: payload.job?.id ?? null } };
    },

    async updateShippingAddress(order, address: MailingAddress) {
      const payload = await run(admin, ORDER_UPDATE_ADDRESS_MUTATION, { input: { id: orderGid(order), shippingAddress: address } }, "orderUpdate", UpdatePayload);
      return refusal(payload.userErrors) ?? { accepted: true, result: { orderId: payload.order?.id ?? orderGid(order) } };
    },

    async createReturn(order, request) {
      const returnable = await run(admin, RETURNABLE_FULFILLMENTS_QUERY, { orderId: orderGid(order) }, "returnableFulfillments", ReturnableFulfillments);
      const allocated = allocateReturn(request.lines, returnable);
      if ("missing" in allocated) return { accepted: false, reason: allocated.missing };
      const note = request.note.slice(0, 255);
      const fee = toCents(request.fee) > 0 ? { returnShippingFee: { amount: { amount: request.fee, currencyCode: order.currency } } } : {};
      const payload = request.review
        ? await run(
            admin,
            RETURN_REQUEST_MUTATION,
            { input: { orderId: orderGid(order), returnLineItems: allocated.items.map((item) => ({ ...item, customerNote: note })), ...fee } },
            "returnRequest",
            ReturnPayload,
          )
        : await run(
            admin,
            RETURN_CREATE_MUTATION,
            { returnInput: { orderId: orderGid(order), requestedAt: request.requestedAt.toISOString(), returnLineItems: allocated.items.map((item) => ({ ...item, returnReasonNote: note })), ...fee } },
            "returnCreate",
            ReturnPayload,
          );
      return refusal(payload.userErrors) ?? { accepted: true, result: { returnId: payload.return?.id ?? null, returnStatus: payload.return?.status ?? null, fulfillmentLineItems: allocated.items } };
    },

    async createRefund(order, request) {
      const refundLineItems = request.lines.map((line) => ({ lineItemId: line.externalId, quantity: line.quantity, restockType: line.restock ? "RETURN" : "NO_RESTOCK" }));
      const suggestion = await run(admin, SUGGESTED_REFUND_QUERY, { orderId: orderGid(order), refundLineItems }, "order", SuggestedRefundOrder);
      // Shopify's suggestion is the reference: when it is lower than ours (it knows about refunds, fees or
      // adjustments we may not have synced yet), Shopify's amount is refunded.
      const suggestedCents = toCents(suggestion.suggestedRefund.amountSet.shopMoney.amount);
      const amountCents = Math.min(toCents(request.amount), suggestedCents);
      if (amountCents <= 0) return { accepted: false, reason: "Shopify suggests nothing to refund for these items" };
      const { transactions, unallocatedCents } = refundTransactions(orderGid(order), amountCents, suggestion.suggestedRefund.suggestedTransactions);
      if (unallocatedCents > 0) return { accepted: false, reason: "Shopify offers no payment to refund this amount to" };
      const payload = await run(
        admin,
        REFUND_CREATE_MUTATION,
        { input: { orderId: orderGid(order), note: request.note.slice(0, 255), notify: request.notify, refundLineItems, transactions }, idempotencyKey: request.idempotencyKey },
        "refundCreate",
        RefundPayload,
      );
      const refused = refusal(payload.userErrors);
      if (refused && !refused.accepted) return refused;
      if (!payload.refund) throw new ShopifyUnavailableError("refundCreate returned no refund");
      const result: RefundAccepted & Record<string, unknown> = {
        refundId: payload.refund.id,
        amount: payload.refund.totalRefundedSet.shopMoney.amount,
        suggestedAmount: fromCents(suggestedCents),
        transactions: payload.refund.transactions.nodes.map((transaction) => ({
          externalId: transaction.id,
          kind: transaction.kind.toLowerCase(),
          status: transaction.status.toLowerCase(),
          amount: transaction.amountSet.shopMoney.amount,
          gateway: transaction.gateway ?? null,
        })),
      };
      return { accepted: true, result };
    },

    async resendTracking(_order, shipment) {
      const trackingInfoInput = {
        ...(shipment.carrier ? { company: shipment.carrier } : {}),
        numbers: shipment.trackingNumbers,
        ...(shipment.trackingUrls.length > 0 ? { urls: shipment.trackingUrls } : {}),
      };
      const payload = await run(
        admin,
        RESEND_TRACKING_MUTATION,
        { fulfillmentId: shopifyGid("Fulfillment", shipment.externalId), trackingInfoInput, notifyCustomer: true },
        "fulfillmentTrackingInfoUpdate",
        TrackingPayload,
      );
      return (
        refusal(payload.userErrors) ?? {
          accepted: true,
          result: { fulfillmentId: payload.fulfillment?.id ?? shopifyGid("Fulfillment", shipment.externalId), trackingNumbers: (payload.fulfillment?.trackingInfo ?? []).map((info) => info.number).filter(Boolean), notifiedCustomer: true },
        }
      );
    },
  };
}
