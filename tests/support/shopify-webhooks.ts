import { createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type pg from "pg";
import { DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { WEBHOOK_API_VERSION, WEBHOOK_TOPICS } from "~/lib/shopify/config";
import { createShopifyWebhookHandler } from "~/modules/commerce";

/**
 * Shopify webhook deliveries as Shopify sends them: REST-shaped JSON of the pinned API version, with the
 * documented headers and a real HMAC over the raw body, POSTed over HTTP to the app's webhook handler.
 */

export interface DeliveryOptions {
  eventId?: string;
  secret?: string;
  triggeredAt?: Date;
}

export interface ShopifyDelivery {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export function shopifyDelivery(topic: string, shopDomain: string, payload: unknown, options: DeliveryOptions = {}): ShopifyDelivery {
  const body = JSON.stringify(payload);
  return {
    path: `/webhooks/${topic}`,
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shopDomain,
      "X-Shopify-API-Version": WEBHOOK_API_VERSION,
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": (options.triggeredAt ?? new Date()).toISOString(),
      "X-Shopify-Hmac-Sha256": createHmac("sha256", options.secret ?? DEV_SHOPIFY_API_SECRET).update(body).digest("base64"),
    },
  };
}

/**
 * The app's webhook handler (as app/lib/server/http.server.ts mounts it, with the development secret) on a
 * loopback port. `post` answers the HTTP status.
 */
export async function startWebhookServer(options: { pool?: pg.Pool } = {}) {
  const server = createServer(createShopifyWebhookHandler({ apiSecret: DEV_SHOPIFY_API_SECRET, topics: WEBHOOK_TOPICS, pool: options.pool }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    async post(delivery: ShopifyDelivery) {
      const response = await fetch(`${origin}${delivery.path}`, { method: "POST", headers: delivery.headers, body: delivery.body });
      await response.arrayBuffer();
      return response.status;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export const ORDER_ID = 5_200_000_001;
export const CUSTOMER_ID = 7_100_000_001;

export function customerPayload(overrides: Record<string, unknown> = {}) {
  return {
    id: CUSTOMER_ID,
    admin_graphql_api_id: `gid://shopify/Customer/${CUSTOMER_ID}`,
    email: "Maya.Lopez@example.com",
    first_name: "Maya",
    last_name: "Lopez",
    phone: "+15035550142",
    tags: "VIP, newsletter",
    state: "enabled",
    created_at: "2026-09-01T10:00:00-07:00",
    updated_at: "2026-11-02T09:00:00-07:00",
    ...overrides,
  };
}

/**
 * An order as orders/create sends it: two lines, a 10% order-level discount allocated across them, an
 * extra line discount on the first, tax lines, discounted shipping.
 */
export function orderPayload(overrides: Record<string, unknown> = {}) {
  return {
    id: ORDER_ID,
    admin_graphql_api_id: `gid://shopify/Order/${ORDER_ID}`,
    name: "#2041",
    order_number: 2041,
    email: "maya.lopez@example.com",
    currency: "USD",
    subtotal_price: "152.00",
    total_discounts: "19.00",
    total_tax: "12.16",
    total_price: "169.16",
    total_shipping_price_set: { shop_money: { amount: "5.00", currency_code: "USD" }, presentment_money: { amount: "5.00", currency_code: "USD" } },
    taxes_included: false,
    financial_status: "paid",
    fulfillment_status: null,
    cancelled_at: null,
    cancel_reason: null,
    closed_at: null,
    created_at: "2026-11-02T09:15:00-07:00",
    processed_at: "2026-11-02T09:15:00-07:00",
    updated_at: "2026-11-02T09:15:05-07:00",
    customer: customerPayload(),
    shipping_address: { first_name: "Maya", last_name: "Lopez", address1: "12 Alder Street", city: "Portland", province_code: "OR", zip: "97209", country_code: "US" },
    shipping_lines: [{ id: 1, title: "Standard", code: "STANDARD", price: "8.00", discounted_price: "5.00" }],
    discount_applications: [
      { type: "discount_code", code: "FALL10", title: "FALL10", value: "10.0", value_type: "percentage", allocation_method: "across", target_type: "line_item" },
      { type: "manual", title: "Loyalty", description: "Loyalty", value: "9.00", value_type: "fixed_amount", allocation_method: "one", target_type: "line_item" },
    ],
    line_items: [
      {
        id: 14_000_001,
        admin_graphql_api_id: "gid://shopify/LineItem/14000001",
        product_id: 8_100_001,
        variant_id: 44_000_001,
        title: "Ridgeline Rain Jacket",
        variant_title: "M / Moss",
        sku: "RRJ-M-MOSS",
        quantity: 1,
        price: "120.00",
        discount_allocations: [
          { amount: "12.00", discount_application_index: 0 },
          { amount: "2.00", discount_application_index: 1 },
        ],
        tax_lines: [{ title: "OR State Tax", rate: 0.08, price: "8.48" }],
      },
      {
        id: 14_000_002,
        admin_graphql_api_id: "gid://shopify/LineItem/14000002",
        product_id: 8_100_002,
        variant_id: 44_000_002,
        title: "Merino Trail Socks",
        variant_title: "Default Title",
        sku: "MTS-1",
        quantity: 3,
        price: "17.00",
        discount_allocations: [{ amount: "5.00", discount_application_index: 0 }],
        tax_lines: [{ title: "OR State Tax", rate: 0.08, price: "3.68" }],
      },
    ],
    refunds: [],
    fulfillments: [],
    ...overrides,
  };
}

export function fulfillmentPayload(overrides: Record<string, unknown> = {}) {
  return {
    id: 6_300_001,
    admin_graphql_api_id: "gid://shopify/Fulfillment/6300001",
    order_id: ORDER_ID,
    status: "success",
    shipment_status: "in_transit",
    tracking_company: "UPS",
    tracking_number: "1Z999AA10123456784",
    tracking_numbers: ["1Z999AA10123456784", "1Z999AA10123456795"],
    tracking_url: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
    tracking_urls: ["https://www.ups.com/track?tracknum=1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456795"],
    line_items: [
      { id: 14_000_001, quantity: 1 },
      { id: 14_000_002, quantity: 3 },
    ],
    created_at: "2026-11-03T08:00:00-07:00",
    updated_at: "2026-11-03T08:00:00-07:00",
    ...overrides,
  };
}

export function refundPayload(overrides: Record<string, unknown> = {}) {
  return {
    id: 9_100_001,
    admin_graphql_api_id: "gid://shopify/Refund/9100001",
    order_id: ORDER_ID,
    note: "Socks too small",
    created_at: "2026-11-10T12:00:00-07:00",
    processed_at: "2026-11-10T12:00:00-07:00",
    restock: true,
    refund_line_items: [{ id: 700_001, line_item_id: 14_000_002, quantity: 2, restock_type: "return", subtotal: "30.67", total_tax: "2.45" }],
    transactions: [{ id: 880_001, kind: "refund", status: "success", amount: "33.12", gateway: "shopify_payments", currency: "USD" }],
    order_adjustments: [],
    ...overrides,
  };
}

export function productPayload(overrides: Record<string, unknown> = {}) {
  return {
    id: 8_100_001,
    admin_graphql_api_id: "gid://shopify/Product/8100001",
    title: "Ridgeline Rain Jacket",
    handle: "ridgeline-rain-jacket",
    body_html: "<p>A <strong>waterproof</strong> 2.5-layer shell.</p><ul><li>Fully taped seams</li><li>Pit zips</li></ul>",
    vendor: "Northwind",
    product_type: "Jackets",
    tags: "rain, outerwear",
    status: "active",
    created_at: "2026-01-10T10:00:00-08:00",
    updated_at: "2026-11-01T10:00:00-07:00",
    image: { src: "https://cdn.shopify.com/s/files/ridgeline.jpg" },
    variants: [
      { id: 44_000_001, title: "M / Moss", sku: "RRJ-M-MOSS", price: "120.00", inventory_quantity: 4, inventory_management: "shopify", inventory_policy: "deny" },
      { id: 44_000_003, title: "L / Moss", sku: "RRJ-L-MOSS", price: "125.00", inventory_quantity: 0, inventory_management: "shopify", inventory_policy: "deny" },
    ],
    ...overrides,
  };
}
