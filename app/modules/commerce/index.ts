export { handleShopifyWebhook } from "./shopify-webhook.server";
export { hasProcessor, processWebhookJob } from "./process-webhook.server";
export { type IncomingWebhook, PROCESS_WEBHOOK_JOB, recordWebhook } from "./webhook-intake.server";
