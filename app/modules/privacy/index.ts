/** Shopify's compliance webhooks (data requests, erasure), data-request exports, and payload and conversation retention. */
export { exportCustomerData, listRedactions, type RedactionResult, type RedactionRow, redactCustomer, redactShop } from "./compliance.server";
export {
  DATA_REQUEST_EXPORT_DAYS,
  DATA_REQUEST_LIST_LIMIT,
  type DataRequestExportRow,
  type DataRequestExportState,
  downloadDataRequestExport,
  type ExportDownload,
  listDataRequestExports,
} from "./exports.server";
export {
  type ConversationRetentionRun,
  DEFAULT_WEBHOOK_PAYLOAD_RETENTION_DAYS,
  deleteExpiredConversations,
  deleteExpiredWebhookPayloads,
  PRIVACY_RETENTION_INTERVAL_MS,
  PRIVACY_RETENTION_JOB,
  privacyRetentionJob,
  schedulePrivacyRetention,
  webhookPayloadRetentionDays,
} from "./retention.server";
