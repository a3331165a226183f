export { processWebhookJob } from "./process-webhook.server";
export { type IncomingWebhook, PROCESS_WEBHOOK_JOB, recordWebhook } from "./webhook-intake.server";
export { createShopifyWebhookHandler, MAX_WEBHOOK_BODY_BYTES } from "./connectors/shopify/webhook-http.server";
export {
  type AdminGraphqlRequest,
  type MailingAddress,
  OrderActionInputSchemas,
  type OrderActionNotice,
  type OrderActionNoticeText,
  type OrderActionPlatform,
} from "./actions/contract";
export { demoStandInOrderActions } from "./actions/demo-stand-in.server";
export { formatAddress, type PushOrderActionOptions, pushOrderActionJob } from "./actions/push.server";
export { type OrderActionRequest, PUSH_ORDER_ACTION_JOB, quoteOrderRefund, type RequestOrderActionResult, requestOrderAction } from "./actions/request.server";
export { shopifyOrderActions } from "./actions/shopify-platform.server";
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
export { applyShopifyDelivery } from "./connectors/shopify/webhook-processors.server";
export * as shopifyRest from "./connectors/shopify/rest-payloads";
export { findOrderRecord, type OrderRecord } from "./queries/order-record.server";
export { adminRequestFromClient, adminRequestFromRemix, ShopifyAccessError } from "./connectors/shopify/admin-graphql.server";
export {
  enqueueShopifyBackfill,
  reconcileShopifyOrders,
  requestShopifyResync,
  runShopifyBackfill,
  SHOPIFY_BACKFILL_JOB,
  SHOPIFY_RECONCILE_JOB,
  type ShopifyAdminFor,
  scheduleShopifyReconcile,
  shopifyBackfillJob,
  shopifyReconcileJob,
  shopifySyncStatus,
} from "./connectors/shopify/backfill.server";
export * as shopifyGraphql from "./connectors/shopify/graphql";
export {
  type ConnectField,
  connectWooCommerce,
  checkWooWebhooks,
  disconnectWooCommerce,
  readWooConfig,
  WOO_WEBHOOK_TOPICS,
  type WooConfig,
  type WooConnectInput,
  type WooConnectResult,
  type WooSettings,
  wooConnectInput,
  wooConnection,
  wooSettingsFromEnv,
} from "./connectors/woocommerce/connection.server";
export { WooAccessError, WooApiError } from "./connectors/woocommerce/client.server";
export { createWooWebhookHandler, WOO_WEBHOOK_JOB } from "./connectors/woocommerce/webhook-http.server";
export { wooWebhookJob } from "./connectors/woocommerce/processor.server";
export {
  enqueueWooBackfill,
  reconcileWooOrders,
  requestWooReconcile,
  runWooBackfill,
  scheduleWooReconcile,
  WOO_BACKFILL_JOB,
  WOO_RECONCILE_JOB,
  wooBackfillJob,
  wooReconcileJob,
  wooSyncStatus,
} from "./connectors/woocommerce/sync.server";
export { type StripeApiOptions, stripeClient } from "./connectors/stripe/client.server";
export {
  connectStripe,
  disconnectStripe,
  STRIPE_WEBHOOK_EVENTS,
  type StripeConnectField,
  StripeConnectInput,
  type StripeConnectResult,
  type StripeSettings,
  stripeSettingsFromEnv,
} from "./connectors/stripe/connection.server";
export { createStripeWebhookHandler, STRIPE_EVENT_JOB } from "./connectors/stripe/webhook-http.server";
export { processStripeEvent, stripeEventJob } from "./connectors/stripe/events.server";
export { stripeRefundIdempotencyKey, stripeRefundProcessor } from "./connectors/stripe/refunds.server";
export { retryStripeEvent, type StripeCardData, stripeCard } from "./connectors/stripe/status.server";
export { handleStripeAction, type StripeActionResult } from "./connectors/stripe/form.server";
export type { RefundProcessor } from "./actions/contract";
