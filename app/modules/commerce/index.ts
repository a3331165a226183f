export { hasProcessor, processWebhookJob } from "./process-webhook.server";
export { type IncomingWebhook, PROCESS_WEBHOOK_JOB, recordWebhook } from "./webhook-intake.server";
export {
  type AdminGraphqlRequest,
  ORDER_CANCEL_MUTATION,
  PUSH_ORDER_CANCEL_JOB,
  pushOrderCancelJob,
  pushOrderCancellation,
  shopifyOrderGid,
} from "./order-actions.server";
export {
  type Applied,
  type ApplyOptions,
  applyCustomer,
  applyOrder,
  applyProduct,
  applyRefund,
  applyShipment,
  applyShipmentEvents,
  deleteProduct,
  OrderNotSyncedError,
} from "./sync/apply.server";
export type * from "./sync/snapshots";
export { SHOPIFY_COMMERCE_PROCESSORS } from "./connectors/shopify/webhook-processors.server";
export * as shopifyRest from "./connectors/shopify/rest-payloads";
export { findOrderRecord, type OrderRecord } from "./queries/order-record.server";
