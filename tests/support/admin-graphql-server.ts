import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdminApiClient } from "@shopify/admin-api-client";
import { WEBHOOK_API_VERSION } from "~/lib/shopify/config";
import { type AdminGraphqlRequest, adminRequestFromClient } from "~/modules/commerce";

/**
 * A stand-in for one shop's Admin GraphQL API on 127.0.0.1, speaking its wire format: POST
 * /admin/api/<version>/graphql.json with X-Shopify-Access-Token; `{data, extensions: {cost}}` answers priced
 * with Shopify's documented rules (objects 1, connections 2 + first × node) against a leaky bucket;
 * `{errors: [{extensions: {code: "THROTTLED"}}]}` when the bucket is short; HTTP 401 for a wrong token;
 * cursor pagination with pageInfo. It does not parse GraphQL: it recognises the root field and reads the
 * sizes from the variables, and answers the fields Shopdesk's queries select.
 *
 * The shop's data is kept in one neutral form (FakeShop) and rendered either as GraphQL nodes or as the
 * REST webhook payload of the same resource (`restOrderPayload`), so tests can compare both paths.
 */

// ---------------------------------------------------------------- The fake shop

export interface FakeCustomer {
  id: number;
  email: string | null;
  firstName: string;
  lastName: string;
  phone: string | null;
  locale: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export interface FakeVariant {
  id: number;
  title: string;
  sku: string | null;
  price: string;
  inventoryQuantity: number;
  tracked: boolean;
  continueSelling: boolean;
}

export interface FakeProduct {
  id: number;
  handle: string;
  title: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  imageUrl: string | null;
  variants: FakeVariant[];
  createdAt: string;
  updatedAt: string;
}

export interface FakeLineItem {
  id: number;
  productId: number;
  variantId: number;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  price: string;
  /** A code discount (DiscountCodeApplication) or an automatic one (title). */
  discounts: { amount: string; code?: string; title?: string }[];
  taxes: { title: string; rate: number; amount: string }[];
}

export interface FakeRefund {
  id: number;
  note: string | null;
  createdAt: string;
  lines: { id: number; lineItemId: number; quantity: number; restockType: "RETURN" | "NO_RESTOCK" | "CANCEL"; subtotal: string; tax: string }[];
  transactions: { id: number; kind: "REFUND"; status: "SUCCESS" | "PENDING" | "FAILURE"; amount: string; gateway: string }[];
}

export interface FakeFulfillment {
  id: number;
  status: "SUCCESS" | "CANCELLED";
  /** GraphQL displayStatus; the REST shipment_status is its lowercase (null for FULFILLED). */
  displayStatus: "FULFILLED" | "IN_TRANSIT" | "OUT_FOR_DELIVERY" | "DELIVERED";
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  tracking: { company: string; number: string; url: string }[];
  lines: { lineItemId: number; quantity: number }[];
}

export interface FakeAddress {
  firstName: string;
  lastName: string;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string;
  provinceCode: string;
  zip: string;
  country: string;
  countryCode: string;
  phone: string | null;
}

export interface FakeOrder {
  id: number;
  number: number;
  email: string | null;
  currency: string;
  subtotal: string;
  totalTax: string;
  totalDiscounts: string;
  totalShipping: string;
  total: string;
  taxesIncluded: boolean;
  financialStatus: "PENDING" | "AUTHORIZED" | "PAID" | "PARTIALLY_PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" | "VOIDED";
  fulfillmentStatus: "UNFULFILLED" | "PARTIALLY_FULFILLED" | "FULFILLED";
  cancelledAt: string | null;
  cancelReason: "CUSTOMER" | "INVENTORY" | "OTHER" | null;
  closedAt: string | null;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  customerId: number | null;
  shippingAddress: FakeAddress | null;
  shippingLines: { title: string; code: string; price: string; discountedPrice: string }[];
  lineItems: FakeLineItem[];
  refunds: FakeRefund[];
  fulfillments: FakeFulfillment[];
}

export interface FakeShop {
  currency: string;
  customers: FakeCustomer[];
  products: FakeProduct[];
  orders: FakeOrder[];
}

const DAY = 24 * 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const money = (value: number) => value.toFixed(2);

let nextId = 1;
/** Ids unique across the whole test run (several fake shops may share one database). */
const id = () => 90_000_000 + nextId++;

/**
 * A deterministic shop: `customers` customers, `products` products (the first with 25 variants, more than a
 * page holds), `recentOrders` placed within the last 58 days and `oldOrders` placed 62+ days ago. Order 0 has
 * 12 line items, 3 refunds and 3 fulfillments: more than an orders page holds, so it must be completed.
 */
export function buildFakeShop(options: { now: number; customers: number; products: number; recentOrders: number; oldOrders: number }): FakeShop {
  const { now } = options;
  const customers: FakeCustomer[] = Array.from({ length: options.customers }, (_, index) => ({
    id: id(),
    email: `shopper${index}-${nextId}@example.com`,
    firstName: `Shopper${index}`,
    lastName: "Example",
    phone: index % 3 === 0 ? `+1555000${String(index).padStart(4, "0")}` : null,
    locale: index % 4 === 0 ? "fr" : "en",
    tags: index % 2 === 0 ? ["vip", "newsletter"] : [],
    createdAt: iso(now - (200 + index) * DAY),
    updatedAt: iso(now - (100 + index) * DAY),
  }));
  const products: FakeProduct[] = Array.from({ length: options.products }, (_, index) => {
    const variants = Array.from({ length: index === 0 ? 25 : 2 }, (_, v) => ({
      id: id(),
      title: index === 0 ? `Size ${v + 1}` : v === 0 ? "Small" : "Large",
      sku: `SKU-${index}-${v}`,
      price: money(20 + index * 5 + v),
      inventoryQuantity: (index + v) % 3 === 0 ? 0 : 10 + v,
      tracked: index !== 1,
      continueSelling: index === 2,
    }));
    return {
      id: id(),
      handle: `product-${index}`,
      title: `Product ${index}`,
      descriptionHtml: `<p>Product <strong>${index}</strong> is great.</p><ul><li>Soft</li><li>Warm</li></ul>`,
      vendor: "Acme",
      productType: index % 2 === 0 ? "Apparel" : "",
      tags: ["summer"],
      status: index === options.products - 1 ? "DRAFT" : "ACTIVE",
      imageUrl: index % 2 === 0 ? `https://cdn.example.com/p${index}.jpg` : null,
      variants,
      createdAt: iso(now - (300 + index) * DAY),
      updatedAt: iso(now - (30 + index) * DAY),
    };
  });
  const orders: FakeOrder[] = [];
  const total = options.recentOrders + options.oldOrders;
  for (let index = 0; index < total; index++) {
    const recent = index < options.recentOrders;
    const createdAt = recent ? now - ((index % 58) + 1) * DAY - (index % 5) * 3600_000 : now - (62 + index) * DAY;
    orders.push(fakeOrder(customers, products, index, createdAt, index === 0 ? 12 : (index % 3) + 1));
  }
  return { currency: "EUR", customers, products, orders };
}

/** One order with line items, a discount, tax and shipping; some refunded, fulfilled, delivered or cancelled. */
export function fakeOrder(customers: FakeCustomer[], products: FakeProduct[], index: number, createdAtMs: number, lines: number): FakeOrder {
  const customer = customers[index % customers.length]!;
  const lineItems: FakeLineItem[] = Array.from({ length: lines }, (_, line) => {
    const product = products[(index + line) % products.length]!;
    const variant = product.variants[line % product.variants.length]!;
    const quantity = (line % 2) + 1;
    const gross = Number(variant.price) * quantity;
    const discounts = line === 0 && index % 2 === 0 ? [{ amount: money(gross * 0.1), code: "WELCOME10" }] : line === 1 ? [{ amount: "1.00", title: "Summer sale" }] : [];
    const net = gross - discounts.reduce((sum, discount) => sum + Number(discount.amount), 0);
    return {
      id: id(),
      productId: product.id,
      variantId: variant.id,
      title: product.title,
      variantTitle: variant.title,
      sku: variant.sku,
      quantity,
      price: variant.price,
      discounts,
      taxes: [{ title: "VAT", rate: 0.2, amount: money(net * 0.2) }],
    };
  });
  const subtotal = lineItems.reduce((sum, line) => sum + Number(line.price) * line.quantity - line.discounts.reduce((s, d) => s + Number(d.amount), 0), 0);
  const tax = lineItems.reduce((sum, line) => sum + Number(line.taxes[0]!.amount), 0);
  const discounts = lineItems.reduce((sum, line) => sum + line.discounts.reduce((s, d) => s + Number(d.amount), 0), 0);
  const shipping = 4.9;
  const updatedAt = createdAtMs + 3600_000;
  const fulfilled = index === 0 || index % 4 === 1;
  const refunded = index === 0 || index % 7 === 3;
  const fulfillments: FakeFulfillment[] = fulfilled
    ? Array.from({ length: index === 0 ? 3 : 1 }, (_, n) => {
        const delivered = n === 0 && index % 8 === 1;
        return {
          id: id(),
          status: "SUCCESS" as const,
          displayStatus: delivered ? ("DELIVERED" as const) : index === 0 && n === 2 ? ("FULFILLED" as const) : ("IN_TRANSIT" as const),
          createdAt: iso(createdAtMs + (n + 1) * 600_000),
          updatedAt: iso(updatedAt),
          deliveredAt: delivered ? iso(updatedAt) : null,
          tracking: [{ company: "DHL", number: `TRK${index}${n}`, url: `https://track.example.com/TRK${index}${n}` }],
          lines: (index === 0 ? lineItems.filter((_, line) => line % 3 === n) : lineItems).map((line) => ({ lineItemId: line.id, quantity: line.quantity })),
        };
      })
    : [];
  const refunds: FakeRefund[] = refunded
    ? Array.from({ length: index === 0 ? 3 : 1 }, (_, n) => {
        const line = lineItems[n % lineItems.length]!;
        return {
          id: id(),
          note: n === 0 ? "Too small" : null,
          createdAt: iso(createdAtMs + 1800_000 + n * 60_000),
          lines: [{ id: id(), lineItemId: line.id, quantity: 1, restockType: "RETURN" as const, subtotal: line.price, tax: money(Number(line.price) * 0.2) }],
          transactions: [{ id: id(), kind: "REFUND" as const, status: "SUCCESS" as const, amount: money(Number(line.price) * 1.2), gateway: "shopify_payments" }],
        };
      })
    : [];
  const cancelled = index % 29 === 5;
  return {
    id: id(),
    number: 1000 + index + 1,
    email: index % 10 === 9 ? null : customer.email,
    currency: "EUR",
    subtotal: money(subtotal),
    totalTax: money(tax),
    totalDiscounts: money(discounts),
    totalShipping: money(shipping),
    total: money(subtotal + tax + shipping),
    taxesIncluded: false,
    financialStatus: cancelled ? "VOIDED" : refunded ? "PARTIALLY_REFUNDED" : index % 11 === 2 ? "PENDING" : "PAID",
    fulfillmentStatus: index === 0 ? "PARTIALLY_FULFILLED" : fulfilled ? "FULFILLED" : "UNFULFILLED",
    cancelledAt: cancelled ? iso(updatedAt) : null,
    cancelReason: cancelled ? "CUSTOMER" : null,
    closedAt: fulfilled && !refunded ? iso(updatedAt) : null,
    createdAt: iso(createdAtMs),
    processedAt: iso(createdAtMs),
    updatedAt: iso(updatedAt),
    customerId: customer.id,
    shippingAddress: {
      firstName: customer.firstName,
      lastName: customer.lastName,
      company: null,
      address1: `${index} Rue de la Paix`,
      address2: null,
      city: "Paris",
      province: "Île-de-France",
      provinceCode: "IDF",
      zip: "75002",
      country: "France",
      countryCode: "FR",
      phone: customer.phone,
    },
    shippingLines: [{ title: "Standard", code: "STD", price: money(shipping), discountedPrice: money(shipping) }],
    lineItems,
    refunds,
    fulfillments,
  };
}

// ---------------------------------------------------------------- GraphQL rendering

const gid = (type: string, value: number) => `gid://shopify/${type}/${value}`;
const moneyBag = (amount: string, currency: string) => ({ shopMoney: { amount, currencyCode: currency } });
const cursorOf = (value: string) => Buffer.from(value).toString("base64url");
const cursorValue = (cursor: string) => Buffer.from(cursor, "base64url").toString("utf8");

/** A nested connection: the first `first` items after `after` (an index cursor). */
function nested<T>(items: T[], first: number, after?: string | null) {
  const start = after ? Number(cursorValue(after)) + 1 : 0;
  const nodes = items.slice(start, start + first);
  return { nodes, pageInfo: { hasNextPage: start + first < items.length, endCursor: nodes.length ? cursorOf(String(start + nodes.length - 1)) : null } };
}

type Sizes = Record<string, number>;

function gqlCustomer(customer: FakeCustomer) {
  return {
    id: gid("Customer", customer.id),
    firstName: customer.firstName,
    lastName: customer.lastName,
    locale: customer.locale,
    tags: customer.tags,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    defaultEmailAddress: customer.email ? { emailAddress: customer.email } : null,
    defaultPhoneNumber: customer.phone ? { phoneNumber: customer.phone } : null,
  };
}

function gqlVariant(variant: FakeVariant) {
  return {
    id: gid("ProductVariant", variant.id),
    title: variant.title,
    sku: variant.sku,
    price: variant.price,
    inventoryQuantity: variant.inventoryQuantity,
    inventoryPolicy: variant.continueSelling ? "CONTINUE" : "DENY",
    inventoryItem: { tracked: variant.tracked },
  };
}

function gqlProduct(product: FakeProduct, sizes: Sizes) {
  return {
    id: gid("Product", product.id),
    handle: product.handle,
    title: product.title,
    descriptionHtml: product.descriptionHtml,
    vendor: product.vendor,
    productType: product.productType,
    tags: product.tags,
    status: product.status,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
    featuredMedia: product.imageUrl ? { preview: { image: { url: product.imageUrl } } } : null,
    variants: nested(product.variants.map(gqlVariant), sizes.variants!),
  };
}

function gqlLineItem(line: FakeLineItem, currency: string) {
  return {
    id: gid("LineItem", line.id),
    title: line.title,
    variantTitle: line.variantTitle,
    sku: line.sku,
    quantity: line.quantity,
    originalUnitPriceSet: moneyBag(line.price, currency),
    product: { id: gid("Product", line.productId) },
    variant: { id: gid("ProductVariant", line.variantId) },
    discountAllocations: line.discounts.map((discount) => ({
      allocatedAmountSet: moneyBag(discount.amount, currency),
      discountApplication: discount.code ? { __typename: "DiscountCodeApplication", code: discount.code } : { __typename: "AutomaticDiscountApplication", title: discount.title },
    })),
    taxLines: line.taxes.map((tax) => ({ title: tax.title, rate: tax.rate, priceSet: moneyBag(tax.amount, currency) })),
  };
}

function gqlRefund(refund: FakeRefund, currency: string, sizes: Sizes) {
  return {
    id: gid("Refund", refund.id),
    note: refund.note,
    createdAt: refund.createdAt,
    refundLineItems: nested(
      refund.lines.map((line) => ({
        lineItem: { id: gid("LineItem", line.lineItemId) },
        quantity: line.quantity,
        restockType: line.restockType,
        subtotalSet: moneyBag(line.subtotal, currency),
        totalTaxSet: moneyBag(line.tax, currency),
      })),
      sizes.refundLineItems!,
    ),
    transactions: nested(
      refund.transactions.map((transaction) => ({
        id: gid("OrderTransaction", transaction.id),
        kind: transaction.kind,
        status: transaction.status,
        gateway: transaction.gateway,
        amountSet: moneyBag(transaction.amount, currency),
      })),
      sizes.transactions!,
    ),
  };
}

function gqlFulfillment(fulfillment: FakeFulfillment, sizes: Sizes) {
  return {
    id: gid("Fulfillment", fulfillment.id),
    status: fulfillment.status,
    displayStatus: fulfillment.displayStatus,
    createdAt: fulfillment.createdAt,
    updatedAt: fulfillment.updatedAt,
    deliveredAt: fulfillment.deliveredAt,
    estimatedDeliveryAt: null,
    trackingInfo: fulfillment.tracking.slice(0, sizes.trackingInfo),
    fulfillmentLineItems: nested(
      fulfillment.lines.map((line) => ({ lineItem: { id: gid("LineItem", line.lineItemId) }, quantity: line.quantity })),
      sizes.fulfillmentLineItems!,
    ),
  };
}

const gqlShippingLine = (currency: string) => (line: FakeOrder["shippingLines"][number]) => ({
  title: line.title,
  code: line.code,
  originalPriceSet: moneyBag(line.price, currency),
  discountedPriceSet: moneyBag(line.discountedPrice, currency),
});

/** The order as ORDERS_QUERY's node, its children cut to the requested sizes. */
export function graphqlOrderNode(order: FakeOrder, shop: FakeShop, sizes: Sizes) {
  const customer = shop.customers.find((candidate) => candidate.id === order.customerId);
  const address = order.shippingAddress;
  return {
    id: gid("Order", order.id),
    name: `#${order.number}`,
    number: order.number,
    email: order.email,
    currencyCode: order.currency,
    taxesIncluded: order.taxesIncluded,
    displayFinancialStatus: order.financialStatus,
    displayFulfillmentStatus: order.fulfillmentStatus,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
    closedAt: order.closedAt,
    createdAt: order.createdAt,
    processedAt: order.processedAt,
    updatedAt: order.updatedAt,
    subtotalPriceSet: moneyBag(order.subtotal, order.currency),
    totalPriceSet: moneyBag(order.total, order.currency),
    totalTaxSet: moneyBag(order.totalTax, order.currency),
    totalDiscountsSet: moneyBag(order.totalDiscounts, order.currency),
    totalShippingPriceSet: moneyBag(order.totalShipping, order.currency),
    customer: customer ? gqlCustomer(customer) : null,
    shippingAddress: address
      ? {
          firstName: address.firstName,
          lastName: address.lastName,
          name: `${address.firstName} ${address.lastName}`,
          company: address.company,
          address1: address.address1,
          address2: address.address2,
          city: address.city,
          province: address.province,
          provinceCode: address.provinceCode,
          zip: address.zip,
          country: address.country,
          countryCodeV2: address.countryCode,
          phone: address.phone,
          latitude: null,
          longitude: null,
        }
      : null,
    shippingLines: nested(order.shippingLines.map(gqlShippingLine(order.currency)), sizes.shippingLines!),
    lineItems: nested(
      order.lineItems.map((line) => gqlLineItem(line, order.currency)),
      sizes.lineItems!,
    ),
    refunds: order.refunds.slice(0, sizes.refunds).map((refund) => gqlRefund(refund, order.currency, sizes)),
    fulfillments: order.fulfillments.slice(0, sizes.fulfillments).map((fulfillment) => gqlFulfillment(fulfillment, sizes)),
  };
}

// ---------------------------------------------------------------- REST rendering (the webhook payload of the same order)

/** The same order as Shopify's orders/create webhook payload (REST-shaped JSON). */
export function restOrderPayload(order: FakeOrder, shop: FakeShop) {
  const customer = shop.customers.find((candidate) => candidate.id === order.customerId);
  const applications: { type: string; title?: string; code?: string }[] = [];
  const applicationIndex = (discount: FakeLineItem["discounts"][number]) => {
    const key = discount.code ?? discount.title;
    let index = applications.findIndex((application) => (application.code ?? application.title) === key);
    if (index === -1) {
      applications.push(discount.code ? { type: "discount_code", code: discount.code } : { type: "automatic", title: discount.title });
      index = applications.length - 1;
    }
    return index;
  };
  const moneySet = (amount: string) => ({ shop_money: { amount, currency_code: order.currency }, presentment_money: { amount, currency_code: order.currency } });
  const lineItems = order.lineItems.map((line) => ({
    id: line.id,
    admin_graphql_api_id: gid("LineItem", line.id),
    product_id: line.productId,
    variant_id: line.variantId,
    title: line.title,
    variant_title: line.variantTitle,
    sku: line.sku,
    quantity: line.quantity,
    price: line.price,
    discount_allocations: line.discounts.map((discount) => ({ amount: discount.amount, discount_application_index: applicationIndex(discount) })),
    tax_lines: line.taxes.map((tax) => ({ title: tax.title, rate: tax.rate, price: tax.amount })),
  }));
  const address = order.shippingAddress;
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    name: `#${order.number}`,
    order_number: order.number,
    number: order.number - 1000,
    email: order.email,
    contact_email: order.email,
    currency: order.currency,
    subtotal_price: order.subtotal,
    total_price: order.total,
    total_tax: order.totalTax,
    total_discounts: order.totalDiscounts,
    total_shipping_price_set: moneySet(order.totalShipping),
    taxes_included: order.taxesIncluded,
    financial_status: order.financialStatus.toLowerCase(),
    fulfillment_status: { UNFULFILLED: null, PARTIALLY_FULFILLED: "partial", FULFILLED: "fulfilled" }[order.fulfillmentStatus],
    cancelled_at: order.cancelledAt,
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    closed_at: order.closedAt,
    created_at: order.createdAt,
    processed_at: order.processedAt,
    updated_at: order.updatedAt,
    customer: customer
      ? {
          id: customer.id,
          admin_graphql_api_id: gid("Customer", customer.id),
          email: customer.email,
          first_name: customer.firstName,
          last_name: customer.lastName,
          phone: customer.phone,
          locale: customer.locale,
          tags: customer.tags.join(", "),
          created_at: customer.createdAt,
          updated_at: customer.updatedAt,
        }
      : null,
    shipping_address: address
      ? {
          first_name: address.firstName,
          last_name: address.lastName,
          name: `${address.firstName} ${address.lastName}`,
          company: address.company,
          address1: address.address1,
          address2: address.address2,
          city: address.city,
          province: address.province,
          province_code: address.provinceCode,
          zip: address.zip,
          country: address.country,
          country_code: address.countryCode,
          phone: address.phone,
          latitude: null,
          longitude: null,
        }
      : null,
    shipping_lines: order.shippingLines.map((line) => ({ title: line.title, code: line.code, price: line.price, discounted_price: line.discountedPrice })),
    line_items: lineItems,
    discount_applications: applications,
    refunds: order.refunds.map((refund) => ({
      id: refund.id,
      admin_graphql_api_id: gid("Refund", refund.id),
      order_id: order.id,
      note: refund.note,
      created_at: refund.createdAt,
      processed_at: refund.createdAt,
      refund_line_items: refund.lines.map((line) => ({
        id: line.id,
        line_item_id: line.lineItemId,
        quantity: line.quantity,
        restock_type: line.restockType.toLowerCase(),
        subtotal: line.subtotal,
        total_tax: line.tax,
      })),
      transactions: refund.transactions.map((transaction) => ({
        id: transaction.id,
        admin_graphql_api_id: gid("OrderTransaction", transaction.id),
        kind: transaction.kind.toLowerCase(),
        status: transaction.status.toLowerCase(),
        amount: transaction.amount,
        gateway: transaction.gateway,
        currency: order.currency,
      })),
    })),
    fulfillments: order.fulfillments.map((fulfillment) => ({
      id: fulfillment.id,
      admin_graphql_api_id: gid("Fulfillment", fulfillment.id),
      order_id: order.id,
      status: fulfillment.status.toLowerCase(),
      shipment_status: fulfillment.displayStatus === "FULFILLED" ? null : fulfillment.displayStatus.toLowerCase(),
      tracking_company: fulfillment.tracking[0]?.company ?? null,
      tracking_number: fulfillment.tracking[0]?.number ?? null,
      tracking_numbers: fulfillment.tracking.map((tracking) => tracking.number),
      tracking_url: fulfillment.tracking[0]?.url ?? null,
      tracking_urls: fulfillment.tracking.map((tracking) => tracking.url),
      line_items: fulfillment.lines.map((line) => ({ id: line.lineItemId, quantity: line.quantity })),
      created_at: fulfillment.createdAt,
      updated_at: fulfillment.updatedAt,
    })),
  };
}

// ---------------------------------------------------------------- Cost

/** What ORDERS_QUERY costs per order, by Shopify's rules, for the requested child sizes. */
function orderCost(v: Sizes) {
  const base = 1 + 5 * 2 + 3 + 1;
  return (
    base +
    (2 + v.shippingLines! * 5) +
    (2 + v.lineItems! * 12) +
    v.refunds! * (1 + (2 + v.refundLineItems! * 6) + (2 + v.transactions! * 3)) +
    v.fulfillments! * (1 + v.trackingInfo! + (2 + v.fulfillmentLineItems! * 2))
  );
}

/** Shopify's actual cost: the objects the answer holds (pageInfo aside). */
function actualCost(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + actualCost(item), 0);
  if (!value || typeof value !== "object") return 0;
  return Object.entries(value).reduce((sum, [key, child]) => (key === "pageInfo" ? sum : sum + actualCost(child)), 1);
}

// ---------------------------------------------------------------- Server

export interface LoggedRequest {
  /** The root field answered: counts, customers, products, productVariants, orders, orderDetails, refunds, fulfillments. */
  root: string;
  variables: Record<string, unknown>;
  status: number;
  throttled: boolean;
  requestedQueryCost?: number;
  currentlyAvailable?: number;
  /** Virtual time the client let pass (slept) since the previous answer. */
  waitedMs: number;
}

/** A fault fires once, on the first request it matches. */
export type Fault =
  | { when: (request: LoggedRequest) => boolean; action: "reset" }
  /** Empties the bucket before answering (another app of the shop spent it): the answer is THROTTLED. */
  | { when: (request: LoggedRequest) => boolean; action: "drain-before" }
  /** Leaves `available` points in the bucket after answering. */
  | { when: (request: LoggedRequest) => boolean; action: "drain-after"; available: number };

export class VirtualClock {
  private at = 0;
  readonly sleeps: number[] = [];
  now = () => this.at;
  /** The injected sleep: records the wait and lets that much time pass, at once. */
  sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.at += ms;
  };
}

export interface AdminGraphqlServer {
  port: number;
  shop: FakeShop;
  log: LoggedRequest[];
  faults: Fault[];
  bucket: { maximumAvailable: number; restoreRate: number; available: number; at: number };
  clock: VirtualClock;
  /** An AdminGraphqlRequest through the official client, pointed at this server. */
  client(domain: string, token?: string): AdminGraphqlRequest;
  close(): Promise<void>;
}

interface Filter {
  field: "created_at" | "updated_at";
  op: ">" | ">=";
  at: number;
}

function parseSearch(query: unknown): Filter | null {
  if (typeof query !== "string" || !query) return null;
  const match = /^(created_at|updated_at):(>=|>)'([^']+)'$/.exec(query.trim());
  if (!match) throw new Error(`the fake server does not understand the search ${query}`);
  return { field: match[1] as Filter["field"], op: match[2] as Filter["op"], at: new Date(match[3]!).getTime() };
}

function matches(order: FakeOrder, filter: Filter | null) {
  if (!filter) return true;
  const value = new Date(filter.field === "created_at" ? order.createdAt : order.updatedAt).getTime();
  return filter.op === ">" ? value > filter.at : value >= filter.at;
}

/** A top-level connection over items sorted by `key`; the cursor carries the last key read. */
function page<T>(items: T[], key: (item: T) => string, first: number, after: unknown) {
  const sorted = [...items].sort((a, b) => key(a).localeCompare(key(b)));
  const start = typeof after === "string" ? sorted.findIndex((item) => key(item) > cursorValue(after)) : 0;
  const slice = start === -1 ? [] : sorted.slice(start, start + first);
  const last = slice.at(-1);
  return { items: slice, pageInfo: { hasNextPage: start !== -1 && start + first < sorted.length, endCursor: last ? cursorOf(key(last)) : null } };
}

const idKey = (value: number) => String(value).padStart(12, "0");

export const INVALID_TOKEN_BODY = '{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}';

export async function startAdminGraphqlServer(shop: FakeShop, options: { token: string; maximumAvailable?: number; restoreRate?: number }): Promise<AdminGraphqlServer> {
  const clock = new VirtualClock();
  const maximumAvailable = options.maximumAvailable ?? 2000;
  const state: AdminGraphqlServer = {
    port: 0,
    shop,
    log: [],
    faults: [],
    bucket: { maximumAvailable, restoreRate: options.restoreRate ?? 100, available: maximumAvailable, at: 0 },
    clock,
    client(domain, token = options.token) {
      const client = createAdminApiClient({
        storeDomain: domain,
        apiVersion: WEBHOOK_API_VERSION,
        accessToken: token,
        customFetchApi: (url, init) => fetch(String(url).replace(`https://${domain}`, `http://127.0.0.1:${state.port}`), init),
      });
      return adminRequestFromClient(client);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  function answer(root: string, query: string, variables: Record<string, unknown>): { data: unknown; requested: number } {
    const v = variables as Sizes;
    const n = (name: string) => {
      const value = variables[name];
      if (typeof value !== "number") throw new Error(`variable $${name} must be a number`);
      return value;
    };
    switch (root) {
      case "counts": {
        const filter = parseSearch(variables.ordersQuery);
        return {
          requested: 3,
          data: {
            customersCount: { count: shop.customers.length, precision: "EXACT" },
            productsCount: { count: shop.products.length, precision: "EXACT" },
            ordersCount: { count: shop.orders.filter((order) => matches(order, filter)).length, precision: "EXACT" },
          },
        };
      }
      case "customers": {
        const { items, pageInfo } = page(shop.customers, (customer) => idKey(customer.id), n("first"), variables.after);
        return { requested: 2 + n("first") * 3, data: { customers: { nodes: items.map(gqlCustomer), pageInfo } } };
      }
      case "products": {
        const { items, pageInfo } = page(shop.products, (product) => idKey(product.id), n("first"), variables.after);
        return { requested: 2 + n("first") * (4 + 2 + n("variants") * 2), data: { products: { nodes: items.map((product) => gqlProduct(product, v)), pageInfo } } };
      }
      case "productVariants": {
        const product = shop.products.find((candidate) => gid("Product", candidate.id) === variables.id);
        return {
          requested: 1 + 2 + n("first") * 2,
          data: { product: product ? { variants: nested(product.variants.map(gqlVariant), n("first"), variables.after as string | null) } : null },
        };
      }
      case "orders": {
        const filter = parseSearch(variables.query);
        const key = variables.sortKey === "UPDATED_AT" ? (order: FakeOrder) => `${order.updatedAt}|${idKey(order.id)}` : (order: FakeOrder) => idKey(order.id);
        const { items, pageInfo } = page(
          shop.orders.filter((order) => matches(order, filter)),
          key,
          n("first"),
          variables.after,
        );
        return { requested: 2 + n("first") * orderCost(v), data: { orders: { nodes: items.map((order) => graphqlOrderNode(order, shop, v)), pageInfo } } };
      }
      case "orderDetails": {
        const order = shop.orders.find((candidate) => gid("Order", candidate.id) === variables.id);
        return {
          requested: 1 + (2 + n("lineItems") * 12) + (2 + n("shippingLines") * 5) + n("children") * 2,
          data: {
            order: order
              ? {
                  lineItems: nested(
                    order.lineItems.map((line) => gqlLineItem(line, order.currency)),
                    n("lineItems"),
                    variables.after as string | null,
                  ),
                  shippingLines: nested(order.shippingLines.map(gqlShippingLine(order.currency)), n("shippingLines")),
                  refunds: order.refunds.slice(0, n("children")).map((refund) => ({ id: gid("Refund", refund.id) })),
                  fulfillments: order.fulfillments.slice(0, n("children")).map((fulfillment) => ({ id: gid("Fulfillment", fulfillment.id) })),
                }
              : null,
          },
        };
      }
      case "refunds":
      case "fulfillments": {
        const ids = variables.ids as string[];
        const perNode = root === "refunds" ? 1 + (2 + n("refundLineItems") * 6) + (2 + n("transactions") * 3) : 1 + n("trackingInfo") + (2 + n("fulfillmentLineItems") * 2);
        const nodes = ids.map((wanted) => {
          for (const order of shop.orders) {
            if (root === "refunds") {
              const refund = order.refunds.find((candidate) => gid("Refund", candidate.id) === wanted);
              if (refund) return gqlRefund(refund, order.currency, v);
            } else {
              const fulfillment = order.fulfillments.find((candidate) => gid("Fulfillment", candidate.id) === wanted);
              if (fulfillment) return gqlFulfillment(fulfillment, v);
            }
          }
          return null;
        });
        return { requested: ids.length * perNode, data: { nodes } };
      }
      default:
        throw new Error(`the fake server does not answer ${query.slice(0, 80)}`);
    }
  }

  function rootOf(query: string): string {
    if (/\bordersCount\(/.test(query)) return "counts";
    if (/\bnodes\(ids:/.test(query)) return /\.\.\. on Refund\b/.test(query) ? "refunds" : "fulfillments";
    if (/\border\(id:/.test(query)) return "orderDetails";
    if (/\bproduct\(id:/.test(query)) return "productVariants";
    if (/\borders\(first:/.test(query)) return "orders";
    if (/\bcustomers\(first:/.test(query)) return "customers";
    if (/\bproducts\(first:/.test(query)) return "products";
    return "unknown";
  }

  function refill() {
    const elapsed = clock.now() - state.bucket.at;
    state.bucket.available = Math.min(state.bucket.maximumAvailable, state.bucket.available + (state.bucket.restoreRate * elapsed) / 1000);
    state.bucket.at = clock.now();
  }

  let answeredAt = 0;
  const throttleStatus = () => ({ maximumAvailable: state.bucket.maximumAvailable, currentlyAvailable: state.bucket.available, restoreRate: state.bucket.restoreRate });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const send = (status: number, body: string) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(body);
    };
    if (request.method !== "POST" || request.url !== `/admin/api/${WEBHOOK_API_VERSION}/graphql.json`) return send(404, '{"errors":"Not Found"}');
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query: string; variables?: Record<string, unknown> };
    const entry: LoggedRequest = { root: rootOf(body.query), variables: body.variables ?? {}, status: 200, throttled: false, waitedMs: clock.now() - answeredAt };
    state.log.push(entry);
    answeredAt = clock.now();
    if (request.headers["x-shopify-access-token"] !== options.token) {
      entry.status = 401;
      return send(401, INVALID_TOKEN_BODY);
    }
    const faults = state.faults.filter((fault) => fault.when(entry));
    state.faults = state.faults.filter((fault) => !faults.includes(fault));
    if (faults.some((fault) => fault.action === "reset")) {
      entry.status = 0;
      request.socket.destroy();
      return;
    }
    refill();
    if (faults.some((fault) => fault.action === "drain-before")) state.bucket.available = 0;
    const { data, requested } = answer(entry.root, body.query, entry.variables);
    entry.requestedQueryCost = requested;
    if (requested > 1000) {
      return send(
        200,
        JSON.stringify({
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (1000).`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: 1000 },
            },
          ],
        }),
      );
    }
    if (requested > state.bucket.available) {
      entry.throttled = true;
      entry.currentlyAvailable = state.bucket.available;
      return send(
        200,
        JSON.stringify({
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() } },
        }),
      );
    }
    const actual = Math.min(requested, actualCost(data));
    state.bucket.available -= actual;
    const drain = faults.find((fault) => fault.action === "drain-after");
    if (drain && drain.action === "drain-after") state.bucket.available = drain.available;
    entry.currentlyAvailable = state.bucket.available;
    send(200, JSON.stringify({ data, extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: throttleStatus() } } }));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as AddressInfo).port;
  return state;
}
