import type { ShipmentEventSnapshot } from "~/modules/commerce";
import { DEMO_SHOP_NAME, STORE_FACTS } from "../seed-data";
import { iso } from "./calendar";
import type { GenCustomer, GenLine, GenOrder, GenProduct, GenRefund, GenShipment, Method } from "./model";
import { money } from "./money";

/**
 * The generated history as Shopify sends it: REST webhook payloads of the pinned API version (orders/updated,
 * customers/update, products/update), so the demo is written by the same mapping and writers as a real store.
 * Carrier events are not part of any webhook; they come from Shopify's fulfillment events resource and are
 * given in the unified shape.
 */

const CURRENCY = STORE_FACTS.currency;
/** The warehouse's Shopify location, where fulfilments leave from and returns are restocked. */
const LOCATION_ID = 71_503_282_000;

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
const moneySet = (cents: number) => ({
  shop_money: { amount: money(cents), currency_code: CURRENCY },
  presentment_money: { amount: money(cents), currency_code: CURRENCY },
});

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// ---------------------------------------------------------------- Products

export function productPayload(product: GenProduct) {
  const { def } = product;
  return {
    id: product.shopifyId,
    admin_graphql_api_id: gid("Product", product.shopifyId),
    title: def.title,
    handle: def.handle,
    body_html: `<p>${escapeHtml(def.description)}</p>`,
    vendor: def.vendor ?? DEMO_SHOP_NAME,
    product_type: def.productType,
    tags: def.tags.join(", "),
    status: "active",
    published_scope: "global",
    created_at: iso(product.createdAt),
    updated_at: iso(product.updatedAt),
    published_at: iso(product.createdAt),
    image: null,
    images: [],
    variants: product.variants.map((variant, v) => ({
      id: variant.shopifyId,
      admin_graphql_api_id: gid("ProductVariant", variant.shopifyId),
      product_id: product.shopifyId,
      title: variant.title,
      option1: variant.title,
      position: v + 1,
      sku: variant.sku,
      price: money(variant.priceCents),
      inventory_quantity: variant.inventory,
      // Gift cards are digital: untracked inventory, nothing to ship.
      inventory_management: variant.tracked ? "shopify" : null,
      inventory_policy: "deny",
      requires_shipping: variant.tracked,
      taxable: variant.tracked,
      created_at: iso(product.createdAt),
      updated_at: iso(product.updatedAt),
    })),
  };
}

// ---------------------------------------------------------------- Customers

function addressOf(customer: GenCustomer, street: { address1: string; address2: string | null }) {
  const { place } = customer;
  return {
    first_name: customer.firstName,
    last_name: customer.lastName,
    name: `${customer.firstName} ${customer.lastName}`,
    company: null,
    address1: street.address1,
    address2: street.address2,
    city: place.city,
    province: place.province,
    province_code: place.provinceCode,
    zip: place.zip,
    country: place.country,
    country_code: place.countryCode,
    phone: customer.phone,
  };
}

const VIP_ORDER_COUNT = 4;

export function customerPayload(customer: GenCustomer & { shopifyId: number }) {
  return {
    id: customer.shopifyId,
    admin_graphql_api_id: gid("Customer", customer.shopifyId),
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    phone: customer.phone,
    state: "enabled",
    verified_email: true,
    // Regulars are tagged the way many stores tag them; the inbox's routing raises their priority.
    tags: customer.orderCount >= VIP_ORDER_COUNT ? "VIP" : "",
    currency: CURRENCY,
    tax_exempt: false,
    created_at: iso(customer.createdAt),
    updated_at: iso(customer.updatedAt),
    default_address: { id: customer.shopifyId + 1_000_000_000, customer_id: customer.shopifyId, ...addressOf(customer, customer), default: true },
  };
}

export const hasAccount = (customer: GenCustomer): customer is GenCustomer & { shopifyId: number } => customer.shopifyId !== null;

// ---------------------------------------------------------------- Orders

const SHIPPING_RATES: Record<Method, { title: string; code: string }> = {
  standard: { title: "Standard", code: "STANDARD" },
  expedited: { title: "Expedited", code: "EXPEDITED" },
  express: { title: "Express (next business day)", code: "EXPRESS" },
  remote: { title: "Standard (Alaska & Hawaii)", code: "STANDARD_REMOTE" },
  canada: { title: "Canada Standard", code: "CANADA" },
  international: { title: "International Standard", code: "INTERNATIONAL" },
};

const taxTitle = (order: GenOrder) => `${order.customer.place.provinceCode} State Tax`;

function lineItemPayload(order: GenOrder, line: GenLine) {
  const { def } = line.product;
  const variantTitle = line.variant.title === "Default Title" ? null : line.variant.title;
  const shipped = order.shipments.some((shipment) => shipment.lines.some((item) => item.line === line));
  return {
    id: line.shopifyId,
    admin_graphql_api_id: gid("LineItem", line.shopifyId),
    product_id: line.product.shopifyId,
    variant_id: line.variant.shopifyId,
    title: def.title,
    variant_title: variantTitle,
    name: variantTitle ? `${def.title} - ${variantTitle}` : def.title,
    sku: line.variant.sku,
    vendor: def.vendor ?? DEMO_SHOP_NAME,
    quantity: line.quantity,
    price: money(line.unitCents),
    price_set: moneySet(line.unitCents),
    // Order-level discounts are not line discounts: Shopify reports them only as allocations.
    total_discount: "0.00",
    requires_shipping: true,
    taxable: true,
    gift_card: false,
    fulfillment_status: shipped ? "fulfilled" : null,
    fulfillable_quantity: shipped || order.status === "cancelled" ? 0 : line.quantity,
    discount_allocations:
      line.discountCents > 0 ? [{ amount: money(line.discountCents), amount_set: moneySet(line.discountCents), discount_application_index: 0 }] : [],
    tax_lines:
      order.customer.place.taxRate > 0
        ? [{ title: taxTitle(order), rate: order.customer.place.taxRate, price: money(line.taxCents), price_set: moneySet(line.taxCents) }]
        : [],
  };
}

function refundPayload(order: GenOrder, refund: GenRefund, gateway: string) {
  const itemsCents = refund.lines.reduce((sum, line) => sum + line.subtotalCents + line.taxCents, 0);
  // What was kept back (a return label fee) or paid beyond the items (goodwill) is a refund discrepancy.
  const discrepancy = refund.amountCents - itemsCents - refund.shippingCents;
  const adjustment = (k: number, kind: string, reason: string, cents: number) => ({
    id: refund.shopifyId * 10 + k,
    order_id: order.shopifyId,
    refund_id: refund.shopifyId,
    kind,
    reason,
    amount: money(cents),
    amount_set: moneySet(cents),
    tax_amount: "0.00",
  });
  return {
    id: refund.shopifyId,
    admin_graphql_api_id: gid("Refund", refund.shopifyId),
    order_id: order.shopifyId,
    note: refund.reason,
    restock: refund.lines.some((line) => line.restockType !== "no_restock"),
    created_at: iso(refund.processedAt),
    processed_at: iso(refund.processedAt),
    refund_line_items: refund.lines.map((item, j) => ({
      id: refund.shopifyId * 10 + j,
      line_item_id: item.line.shopifyId,
      quantity: item.quantity,
      restock_type: item.restockType,
      location_id: item.restockType === "no_restock" ? null : LOCATION_ID,
      subtotal: money(item.subtotalCents),
      subtotal_set: moneySet(item.subtotalCents),
      total_tax: money(item.taxCents),
      total_tax_set: moneySet(item.taxCents),
    })),
    transactions: [
      {
        id: refund.shopifyId + 5_000_000_000_000,
        admin_graphql_api_id: gid("OrderTransaction", refund.shopifyId + 5_000_000_000_000),
        order_id: order.shopifyId,
        kind: "refund",
        status: "success",
        amount: money(refund.amountCents),
        currency: CURRENCY,
        gateway,
        processed_at: iso(refund.processedAt),
        created_at: iso(refund.processedAt),
      },
    ],
    order_adjustments: [
      ...(refund.shippingCents > 0 ? [adjustment(8, "shipping_refund", "Shipping refund", -refund.shippingCents)] : []),
      ...(discrepancy !== 0 ? [adjustment(9, "refund_discrepancy", "Refund discrepancy", discrepancy)] : []),
    ],
  };
}

function fulfillmentPayload(order: GenOrder, shipment: GenShipment, k: number) {
  return {
    id: shipment.shopifyId,
    admin_graphql_api_id: gid("Fulfillment", shipment.shopifyId),
    order_id: order.shopifyId,
    name: `${order.name}.${k + 1}`,
    status: "success",
    // The carrier's latest status; Shopify's values for these states have the same names.
    shipment_status: shipment.status,
    service: "manual",
    location_id: LOCATION_ID,
    tracking_company: shipment.carrier,
    tracking_number: shipment.trackingNumbers[0] ?? null,
    tracking_numbers: shipment.trackingNumbers,
    tracking_url: shipment.trackingUrls[0] ?? null,
    tracking_urls: shipment.trackingUrls,
    line_items: shipment.lines.map(({ line, quantity }) => ({
      id: line.shopifyId,
      admin_graphql_api_id: gid("LineItem", line.shopifyId),
      variant_id: line.variant.shopifyId,
      title: line.product.def.title,
      sku: line.variant.sku,
      quantity,
    })),
    created_at: iso(shipment.shippedAt),
    updated_at: iso(fulfillmentUpdatedAt(shipment)),
  };
}

/** A fulfillment changes with each carrier event (its shipment_status follows the latest). */
const fulfillmentUpdatedAt = (shipment: GenShipment) => shipment.events.at(-1)?.at ?? shipment.shippedAt;

/** The order as orders/updated delivers it at `now`: with every refund and fulfilment it has had so far. */
export function orderPayload(order: GenOrder) {
  const { customer } = order;
  const rate = SHIPPING_RATES[order.method];
  const gateway = order.financial === "pending" ? "paypal" : "shopify_payments";
  const discounted = order.lineItemsTotal - order.discount;
  const taxRate = customer.place.taxRate;
  return {
    id: order.shopifyId,
    admin_graphql_api_id: gid("Order", order.shopifyId),
    name: order.name,
    number: order.number - 1000,
    order_number: order.number,
    email: customer.email,
    contact_email: customer.email,
    phone: null,
    customer_locale: customer.locale,
    currency: CURRENCY,
    presentment_currency: CURRENCY,
    source_name: "web",
    payment_gateway_names: [gateway],
    confirmed: true,
    test: false,
    tags: "",
    note: null,
    total_line_items_price: money(order.lineItemsTotal),
    // Shopify's subtotal is after discounts, before shipping and tax.
    subtotal_price: money(discounted),
    subtotal_price_set: moneySet(discounted),
    total_discounts: money(order.discount),
    total_discounts_set: moneySet(order.discount),
    total_tax: money(order.tax),
    total_tax_set: moneySet(order.tax),
    total_shipping_price_set: moneySet(order.shipping),
    total_price: money(order.total),
    total_price_set: moneySet(order.total),
    taxes_included: false,
    tax_lines: taxRate > 0 ? [{ title: taxTitle(order), rate: taxRate, price: money(order.tax), price_set: moneySet(order.tax) }] : [],
    financial_status: order.financial,
    fulfillment_status: order.fulfillment === "unfulfilled" ? null : order.fulfillment,
    cancelled_at: order.cancelledAt === null ? null : iso(order.cancelledAt),
    cancel_reason: order.cancelReason,
    closed_at: order.closedAt === null ? null : iso(order.closedAt),
    created_at: iso(order.placedAt),
    processed_at: iso(order.placedAt),
    updated_at: iso(order.updatedAt),
    customer: hasAccount(customer) ? customerPayload(customer) : null,
    billing_address: addressOf(customer, customer),
    shipping_address: addressOf(customer, order.address),
    shipping_lines: [
      {
        id: order.shopifyId + 3_000_000_000_000,
        title: order.shipping === 0 ? `Free ${rate.title}` : rate.title,
        code: rate.code,
        source: "shopify",
        price: money(order.shipping),
        price_set: moneySet(order.shipping),
        discounted_price: money(order.shipping),
        discounted_price_set: moneySet(order.shipping),
        discount_allocations: [],
        tax_lines: [],
      },
    ],
    discount_codes: order.discountCode ? [{ code: order.discountCode.code, amount: money(order.discount), type: order.discountCode.valueType }] : [],
    discount_applications: order.discountCode
      ? [
          {
            type: "discount_code",
            code: order.discountCode.code,
            value: order.discountCode.value.toFixed(1),
            value_type: order.discountCode.valueType,
            allocation_method: "across",
            target_selection: "all",
            target_type: "line_item",
          },
        ]
      : [],
    line_items: order.lines.map((line) => lineItemPayload(order, line)),
    refunds: order.refunds.map((refund) => refundPayload(order, refund, gateway)),
    fulfillments: order.shipments.map((shipment, k) => fulfillmentPayload(order, shipment, k)),
  };
}

/** The carrier events of a fulfillment (Shopify's fulfillment events resource), each with the carrier's delivery estimate. */
export function shipmentEvents(shipment: GenShipment): ShipmentEventSnapshot[] {
  return shipment.events.map((event) => ({
    at: new Date(event.at),
    status: event.status,
    location: event.location,
    message: event.message,
    estimatedDeliveryAt: new Date(shipment.estimatedAt),
  }));
}

export const fulfillmentGid = (shipment: GenShipment) => gid("Fulfillment", shipment.shopifyId);
export const orderGid = (order: GenOrder) => gid("Order", order.shopifyId);
export const customerGid = (customer: GenCustomer & { shopifyId: number }) => gid("Customer", customer.shopifyId);
export const productGid = (product: GenProduct) => gid("Product", product.shopifyId);
