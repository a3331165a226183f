export { handleShopifyWebhook } from "./shopify-webhook.server";
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
