/**
 * The app's Shopify configuration that other code needs without constructing the Shopify app (scripts, tests).
 * Keep in step with shopify.app.toml ([access_scopes], [webhooks].api_version and its subscriptions).
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

/** Every webhook topic shopify.app.toml subscribes; Shopify delivers each to /webhooks/<topic>. */
export const WEBHOOK_TOPICS = [
  "app/uninstalled",
  "app/scopes_update",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "refunds/create",
  "fulfillments/create",
  "fulfillments/update",
  "customers/create",
  "customers/update",
  "products/create",
  "products/update",
  "products/delete",
] as const;
