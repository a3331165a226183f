import { buildCatalogue } from "./catalogue";
import { planAddressChange } from "./conversations";
import { buildCustomers, datesFromOrders } from "./customers";
import { buildOrders } from "./orders";
import { customerPayload, hasAccount, orderPayload, productPayload } from "./shopify-payloads";

const BASE_CUSTOMERS = 240;
const BASE_ORDERS = 600;

/**
 * The demo store's whole history at `now`, in memory: catalogue, customers (240 × scale), six months of orders
 * (600 × scale). Deterministic: the same `now` and scale always give the same history.
 */
export function generateHistory(now: number, scale: number) {
  const catalogue = buildCatalogue(now);
  const usedEmails = new Set<string>();
  const customers = buildCustomers(Math.max(1, Math.round(BASE_CUSTOMERS * scale)), usedEmails);
  const orders = buildOrders(now, Math.max(1, Math.round(BASE_ORDERS * scale)), catalogue, customers, usedEmails);
  datesFromOrders(now, customers, orders);
  // Staff changed this order's address in Shopify: its payload carries the change.
  const addressChange = planAddressChange(now, orders);
  return { catalogue, customers, orders, addressChange };
}

/**
 * The demo store as Shopify webhook payloads (products/update, customers/update, orders/updated): what the seed
 * delivers to the sync writers, for tests and benchmarks that want a realistic store's payloads.
 */
export function demoShopifyPayloads(options: { now: Date; scale?: number }) {
  const history = generateHistory(options.now.getTime(), options.scale ?? 1);
  return {
    products: history.catalogue.map(productPayload),
    customers: history.customers.filter(hasAccount).map(customerPayload),
    orders: history.orders.map(orderPayload),
  };
}
