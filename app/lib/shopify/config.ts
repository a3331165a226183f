/**
 * The app's Shopify configuration that other code needs without constructing the Shopify app (scripts, tests).
 * Keep in step with shopify.app.toml ([access_scopes] and [webhooks].api_version).
 */
export const WEBHOOK_API_VERSION = "2026-10";

export const APP_SCOPES = [
  "read_customers",
  "read_orders",
  "write_orders",
  "read_products",
  "read_fulfillments",
  "read_merchant_managed_fulfillment_orders",
  "read_returns",
  "write_returns",
  "read_legal_policies",
  "read_shipping",
];
