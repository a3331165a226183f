import { FinancialStatus, type FulfillmentStatus } from "@prisma/client";
import { z } from "zod";
import type { CustomerSnapshot, LineItemSnapshot, OrderSnapshot, ProductSnapshot, ShipmentSnapshot } from "../../sync/snapshots";
import { htmlToText } from "~/lib/text";
import { refundSnapshot, shipmentStatus } from "./rest-payloads";

/**
 * Shopify's Admin GraphQL API (the version pinned in app/lib/shopify/config.ts) for the backfill and the
 * reconciliation: the queries, the shape of their nodes, and their mapping into the same snapshots the
 * webhook payloads map into (./rest-payloads.ts), so both paths write through the same `apply*`.
 *
 * Query cost: Shopify prices a query before running it (objects 1, connections 2 + first × their node) and
 * refuses one above 1,000. Nested connections multiply, so an order page keeps its children small
 * (NESTED_PAGE_SIZES, about 280 points an order); an order whose children did not fit is completed by
 * ORDER_DETAILS_QUERY, REFUNDS_QUERY and FULFILLMENTS_QUERY (see `isTruncated`).
 */

// ---------------------------------------------------------------- Queries

const MONEY = "shopMoney { amount currencyCode }";

const CUSTOMER_FIELDS = `
  id firstName lastName locale tags createdAt updatedAt
  defaultEmailAddress { emailAddress }
  defaultPhoneNumber { phoneNumber }`;

const LINE_ITEM_FIELDS = `
  id title variantTitle sku quantity
  originalUnitPriceSet { ${MONEY} }
  product { id }
  variant { id }
  discountAllocations {
    allocatedAmountSet { ${MONEY} }
    discountApplication {
      __typename
      ... on DiscountCodeApplication { code }
      ... on ManualDiscountApplication { title }
      ... on AutomaticDiscountApplication { title }
      ... on ScriptDiscountApplication { title }
    }
  }
  taxLines { title rate priceSet { ${MONEY} } }`;

const REFUND_FIELDS = `
  id note createdAt
  refundLineItems(first: $refundLineItems) {
    nodes { lineItem { id } quantity restockType subtotalSet { ${MONEY} } totalTaxSet { ${MONEY} } }
    pageInfo { hasNextPage }
  }
  transactions(first: $transactions) {
    nodes { id kind status gateway amountSet { ${MONEY} } }
    pageInfo { hasNextPage }
  }`;

const FULFILLMENT_FIELDS = `
  id status displayStatus createdAt updatedAt deliveredAt estimatedDeliveryAt
  trackingInfo(first: $trackingInfo) { company number url }
  fulfillmentLineItems(first: $fulfillmentLineItems) {
    nodes { lineItem { id } quantity }
    pageInfo { hasNextPage }
  }`;

const SHIPPING_LINE_FIELDS = `title code originalPriceSet { ${MONEY} } discountedPriceSet { ${MONEY} }`;

const ORDER_FIELDS = `
  id name number email currencyCode taxesIncluded
  displayFinancialStatus displayFulfillmentStatus
  cancelledAt cancelReason closedAt createdAt processedAt updatedAt
  subtotalPriceSet { ${MONEY} }
  totalPriceSet { ${MONEY} }
  totalTaxSet { ${MONEY} }
  totalDiscountsSet { ${MONEY} }
  totalShippingPriceSet { ${MONEY} }
  customer { ${CUSTOMER_FIELDS} }
  shippingAddress { firstName lastName name company address1 address2 city province provinceCode zip country countryCodeV2 phone latitude longitude }
  shippingLines(first: $shippingLines) { nodes { ${SHIPPING_LINE_FIELDS} } pageInfo { hasNextPage } }
  lineItems(first: $lineItems) { nodes { ${LINE_ITEM_FIELDS} } pageInfo { hasNextPage endCursor } }
  refunds(first: $refunds) { ${REFUND_FIELDS} }
  fulfillments(first: $fulfillments) { ${FULFILLMENT_FIELDS} }`;

const NESTED_VARIABLES =
  "$lineItems: Int!, $shippingLines: Int!, $refunds: Int!, $refundLineItems: Int!, $transactions: Int!, $fulfillments: Int!, $fulfillmentLineItems: Int!, $trackingInfo: Int!";

/** Children per order in a page of orders; larger ones are completed afterwards. */
export const NESTED_PAGE_SIZES = {
  lineItems: 10,
  shippingLines: 5,
  refunds: 2,
  refundLineItems: 5,
  transactions: 2,
  fulfillments: 2,
  fulfillmentLineItems: 5,
  trackingInfo: 3,
} as const;

/** Children when completing one order (each query stays under 1,000 points). */
export const NESTED_DETAIL_SIZES = { lineItems: 50, shippingLines: 20, children: 50, refundLineItems: 50, transactions: 10, fulfillmentLineItems: 50, trackingInfo: 10 } as const;

/** Page sizes of the top-level connections (orders cost about 280 points each, products about 46, customers 3). */
export const PAGE_SIZES = { customers: 100, products: 20, orders: 3 } as const;

export const COUNTS_QUERY = `#graphql
  query ShopdeskBackfillCounts($ordersQuery: String) {
    customersCount(limit: null) { count precision }
    productsCount(limit: null) { count precision }
    ordersCount(query: $ordersQuery, limit: null) { count precision }
  }`;

export const CUSTOMERS_QUERY = `#graphql
  query ShopdeskCustomersPage($first: Int!, $after: String) {
    customers(first: $first, after: $after, sortKey: ID) {
      nodes { ${CUSTOMER_FIELDS} }
      pageInfo { hasNextPage endCursor }
    }
  }`;

const VARIANT_FIELDS = "id title sku price inventoryQuantity inventoryPolicy inventoryItem { tracked }";

export const PRODUCTS_QUERY = `#graphql
  query ShopdeskProductsPage($first: Int!, $after: String, $variants: Int!) {
    products(first: $first, after: $after, sortKey: ID) {
      nodes {
        id handle title descriptionHtml vendor productType tags status createdAt updatedAt
        featuredMedia { preview { image { url } } }
        variants(first: $variants) { nodes { ${VARIANT_FIELDS} } pageInfo { hasNextPage endCursor } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`;

/** The rest of a product's variants when it has more than a page holds (a product lists every variant it keeps). */
export const PRODUCT_VARIANTS_QUERY = `#graphql
  query ShopdeskProductVariants($id: ID!, $first: Int!, $after: String) {
    product(id: $id) {
      variants(first: $first, after: $after) { nodes { ${VARIANT_FIELDS} } pageInfo { hasNextPage endCursor } }
    }
  }`;

export const PRODUCT_VARIANTS_PAGE = { page: 20, detail: 100 } as const;

/** `query` is Shopify's search syntax: `created_at:>='…'` for the backfill, `updated_at:>'…'` for reconciliation. */
export const ORDERS_QUERY = `#graphql
  query ShopdeskOrdersPage($first: Int!, $after: String, $query: String, $sortKey: OrderSortKeys!, ${NESTED_VARIABLES}) {
    orders(first: $first, after: $after, query: $query, sortKey: $sortKey) {
      nodes { ${ORDER_FIELDS} }
      pageInfo { hasNextPage endCursor }
    }
  }`;

/** One order's line items (paged) and the ids of all its refunds and fulfillments (about 800 points). */
export const ORDER_DETAILS_QUERY = `#graphql
  query ShopdeskOrderDetails($id: ID!, $lineItems: Int!, $after: String, $shippingLines: Int!, $children: Int!) {
    order(id: $id) {
      lineItems(first: $lineItems, after: $after) { nodes { ${LINE_ITEM_FIELDS} } pageInfo { hasNextPage endCursor } }
      shippingLines(first: $shippingLines) { nodes { ${SHIPPING_LINE_FIELDS} } pageInfo { hasNextPage } }
      refunds(first: $children) { id }
      fulfillments(first: $children) { id }
    }
  }`;

/** Refunds by id with all their lines (about 335 points each). */
export const REFUNDS_QUERY = `#graphql
  query ShopdeskRefunds($ids: [ID!]!, $refundLineItems: Int!, $transactions: Int!) {
    nodes(ids: $ids) { ... on Refund { ${REFUND_FIELDS} } }
  }`;

/** Fulfillments by id with all their lines (about 113 points each). */
export const FULFILLMENTS_QUERY = `#graphql
  query ShopdeskFulfillments($ids: [ID!]!, $fulfillmentLineItems: Int!, $trackingInfo: Int!) {
    nodes(ids: $ids) { ... on Fulfillment { ${FULFILLMENT_FIELDS} } }
  }`;

/** How many refunds, or fulfillments, one query asks for (stays under 1,000 points). */
export const CHILDREN_BATCH = { refunds: 2, fulfillments: 8 } as const;

// ---------------------------------------------------------------- Response envelope

export const ThrottleStatus = z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() });

export const ResponseEnvelope = z.object({
  data: z.unknown().optional(),
  errors: z
    .union([
      z.array(z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).passthrough().optional() }).passthrough()),
      z.string(),
    ])
    .optional(),
  extensions: z
    .object({
      cost: z
        .object({ requestedQueryCost: z.number(), actualQueryCost: z.number().nullish(), throttleStatus: ThrottleStatus })
        .optional(),
    })
    .passthrough()
    .optional(),
});

const PageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() });
const MoneyBag = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) });
const amountOf = (bag: z.infer<typeof MoneyBag> | null | undefined) => Number(bag?.shopMoney.amount ?? 0).toFixed(2);
const Timestamp = z.string().transform((value) => new Date(value));
const OptionalTimestamp = z.string().nullish().transform((value) => (value ? new Date(value) : null));

// ---------------------------------------------------------------- Customers

export const CustomerNode = z.object({
  id: z.string(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  locale: z.string().nullish(),
  tags: z.array(z.string()).default([]),
  createdAt: OptionalTimestamp,
  updatedAt: OptionalTimestamp,
  defaultEmailAddress: z.object({ emailAddress: z.string().nullish() }).nullish(),
  defaultPhoneNumber: z.object({ phoneNumber: z.string().nullish() }).nullish(),
});

export function customerFromGraphql(node: z.infer<typeof CustomerNode>): CustomerSnapshot {
  return {
    platform: "shopify",
    externalId: node.id,
    email: node.defaultEmailAddress?.emailAddress ?? null,
    firstName: node.firstName ?? null,
    lastName: node.lastName ?? null,
    phone: node.defaultPhoneNumber?.phoneNumber ?? null,
    locale: node.locale ?? null,
    tags: node.tags,
    updatedAt: node.updatedAt,
    createdAt: node.createdAt,
  };
}

export const CustomersPage = z.object({ customers: z.object({ nodes: z.array(CustomerNode), pageInfo: PageInfo }) });

// ---------------------------------------------------------------- Products

const VariantNode = z.object({
  id: z.string(),
  title: z.string(),
  sku: z.string().nullish(),
  price: z.string(),
  inventoryQuantity: z.number().int().nullish(),
  inventoryPolicy: z.string().nullish(),
  inventoryItem: z.object({ tracked: z.boolean() }).nullish(),
});
const VariantConnection = z.object({ nodes: z.array(VariantNode), pageInfo: PageInfo });

export const ProductNode = z.object({
  id: z.string(),
  handle: z.string(),
  title: z.string(),
  descriptionHtml: z.string().nullish(),
  vendor: z.string().nullish(),
  productType: z.string().nullish(),
  tags: z.array(z.string()).default([]),
  status: z.string(),
  createdAt: OptionalTimestamp,
  updatedAt: OptionalTimestamp,
  featuredMedia: z.object({ preview: z.object({ image: z.object({ url: z.string() }).nullish() }).nullish() }).nullish(),
  variants: VariantConnection,
});

export const ProductsPage = z.object({ products: z.object({ nodes: z.array(ProductNode), pageInfo: PageInfo }) });
export const ProductVariantsPage = z.object({ product: z.object({ variants: VariantConnection }).nullable() });

export function productFromGraphql(node: z.infer<typeof ProductNode>, variants: z.infer<typeof VariantNode>[] = node.variants.nodes): ProductSnapshot {
  return {
    platform: "shopify",
    externalId: node.id,
    handle: node.handle,
    title: node.title,
    description: htmlToText(node.descriptionHtml ?? ""),
    vendor: node.vendor ?? null,
    productType: node.productType || null,
    tags: node.tags,
    status: node.status.toLowerCase(),
    imageUrl: node.featuredMedia?.preview?.image?.url ?? null,
    variants: variants.map((variant) => {
      const inventory = variant.inventoryQuantity ?? 0;
      // As for webhooks: untracked inventory, or "continue selling when out of stock", is always available.
      const available = variant.inventoryItem?.tracked === false || variant.inventoryPolicy === "CONTINUE" || inventory > 0;
      return {
        externalId: variant.id,
        title: variant.title,
        sku: variant.sku || null,
        price: Number(variant.price).toFixed(2),
        inventoryQuantity: inventory,
        available,
      };
    }),
    updatedAt: node.updatedAt,
    createdAt: node.createdAt,
  };
}

// ---------------------------------------------------------------- Orders

const LineItemNode = z.object({
  id: z.string(),
  title: z.string(),
  variantTitle: z.string().nullish(),
  sku: z.string().nullish(),
  quantity: z.number().int(),
  originalUnitPriceSet: MoneyBag,
  product: z.object({ id: z.string() }).nullish(),
  variant: z.object({ id: z.string() }).nullish(),
  discountAllocations: z
    .array(
      z.object({
        allocatedAmountSet: MoneyBag,
        discountApplication: z.object({ code: z.string().nullish(), title: z.string().nullish() }).passthrough().nullish(),
      }),
    )
    .default([]),
  taxLines: z.array(z.object({ title: z.string(), rate: z.number().nullish(), priceSet: MoneyBag })).default([]),
});
const LineItemConnection = z.object({ nodes: z.array(LineItemNode), pageInfo: PageInfo });

const ShippingLineConnection = z.object({
  nodes: z.array(z.object({ title: z.string(), code: z.string().nullish(), originalPriceSet: MoneyBag, discountedPriceSet: MoneyBag.nullish() })),
  pageInfo: z.object({ hasNextPage: z.boolean() }),
});

export const RefundNode = z.object({
  id: z.string(),
  note: z.string().nullish(),
  createdAt: OptionalTimestamp,
  refundLineItems: z.object({
    nodes: z.array(
      z.object({
        lineItem: z.object({ id: z.string() }),
        quantity: z.number().int(),
        restockType: z.string().nullish(),
        subtotalSet: MoneyBag.nullish(),
        totalTaxSet: MoneyBag.nullish(),
      }),
    ),
    pageInfo: z.object({ hasNextPage: z.boolean() }),
  }),
  transactions: z.object({
    nodes: z.array(z.object({ id: z.string(), kind: z.string(), status: z.string(), gateway: z.string().nullish(), amountSet: MoneyBag })),
    pageInfo: z.object({ hasNextPage: z.boolean() }),
  }),
});

export const FulfillmentNode = z.object({
  id: z.string(),
  status: z.string(),
  displayStatus: z.string().nullish(),
  createdAt: OptionalTimestamp,
  updatedAt: OptionalTimestamp,
  deliveredAt: OptionalTimestamp,
  estimatedDeliveryAt: OptionalTimestamp,
  trackingInfo: z.array(z.object({ company: z.string().nullish(), number: z.string().nullish(), url: z.string().nullish() })).default([]),
  fulfillmentLineItems: z.object({
    // FulfillmentLineItem.quantity is nullable in the schema.
    nodes: z.array(z.object({ lineItem: z.object({ id: z.string() }), quantity: z.number().int().nullable() })),
    pageInfo: z.object({ hasNextPage: z.boolean() }),
  }),
});

const Address = z
  .object({
    firstName: z.string().nullish(),
    lastName: z.string().nullish(),
    name: z.string().nullish(),
    company: z.string().nullish(),
    address1: z.string().nullish(),
    address2: z.string().nullish(),
    city: z.string().nullish(),
    province: z.string().nullish(),
    provinceCode: z.string().nullish(),
    zip: z.string().nullish(),
    country: z.string().nullish(),
    countryCodeV2: z.string().nullish(),
    phone: z.string().nullish(),
    latitude: z.number().nullish(),
    longitude: z.number().nullish(),
  })
  .nullish();

export const OrderNode = z.object({
  id: z.string(),
  name: z.string(),
  number: z.number().int(),
  email: z.string().nullish(),
  currencyCode: z.string(),
  taxesIncluded: z.boolean(),
  displayFinancialStatus: z.string().nullish(),
  displayFulfillmentStatus: z.string(),
  cancelledAt: OptionalTimestamp,
  cancelReason: z.string().nullish(),
  closedAt: OptionalTimestamp,
  createdAt: Timestamp,
  processedAt: OptionalTimestamp,
  updatedAt: OptionalTimestamp,
  subtotalPriceSet: MoneyBag.nullish(),
  totalPriceSet: MoneyBag,
  totalTaxSet: MoneyBag.nullish(),
  totalDiscountsSet: MoneyBag.nullish(),
  totalShippingPriceSet: MoneyBag.nullish(),
  customer: CustomerNode.nullish(),
  shippingAddress: Address,
  shippingLines: ShippingLineConnection,
  lineItems: LineItemConnection,
  refunds: z.array(RefundNode),
  fulfillments: z.array(FulfillmentNode),
});
export type OrderNode = z.infer<typeof OrderNode>;

export const OrdersPage = z.object({ orders: z.object({ nodes: z.array(OrderNode), pageInfo: PageInfo }) });

export const OrderDetails = z.object({
  order: z
    .object({
      lineItems: LineItemConnection,
      shippingLines: ShippingLineConnection,
      refunds: z.array(z.object({ id: z.string() })),
      fulfillments: z.array(z.object({ id: z.string() })),
    })
    .nullable(),
});

export const RefundsById = z.object({ nodes: z.array(RefundNode.nullable()) });
export const FulfillmentsById = z.object({ nodes: z.array(FulfillmentNode.nullable()) });

// The *Count fields are nullable in the schema: no count is an unknown total, not a failed backfill.
const Count = z.object({ count: z.number().int() }).nullable();
export const Counts = z.object({ customersCount: Count, productsCount: Count, ordersCount: Count });

/** Whether a page could not hold all of an order's children (then the order is completed before it is applied). */
export function isTruncated(order: OrderNode): boolean {
  return (
    order.lineItems.pageInfo.hasNextPage ||
    order.shippingLines.pageInfo.hasNextPage ||
    order.refunds.length >= NESTED_PAGE_SIZES.refunds ||
    order.fulfillments.length >= NESTED_PAGE_SIZES.fulfillments ||
    order.refunds.some((refund) => refund.refundLineItems.pageInfo.hasNextPage || refund.transactions.pageInfo.hasNextPage) ||
    order.fulfillments.some((fulfillment) => fulfillment.fulfillmentLineItems.pageInfo.hasNextPage || fulfillment.trackingInfo.length >= NESTED_PAGE_SIZES.trackingInfo)
  );
}

const FINANCIAL = new Set<string>(Object.values(FinancialStatus));

/** displayFinancialStatus → the REST financial_status webhooks carry (PARTIALLY_REFUNDED → partially_refunded); others (EXPIRED) → pending, as for webhooks. */
export function financialStatusFromGraphql(value: string | null | undefined): FinancialStatus {
  const status = (value ?? "pending").toLowerCase();
  return FINANCIAL.has(status) ? (status as FinancialStatus) : "pending";
}

/** displayFulfillmentStatus → the REST fulfillment_status; every not-yet-shipped state (OPEN, IN_PROGRESS, ON_HOLD…) is unfulfilled. */
export function fulfillmentStatusFromGraphql(value: string): FulfillmentStatus {
  switch (value) {
    case "FULFILLED":
      return "fulfilled";
    case "PARTIALLY_FULFILLED":
      return "partial";
    case "RESTOCKED":
      return "restocked";
    default:
      return "unfulfilled";
  }
}

/** Fulfillment.displayStatus → the REST shipment_status it corresponds to (null where REST has none). */
function carrierStatusFromGraphql(displayStatus: string | null | undefined): string | null {
  switch (displayStatus) {
    case null:
    case undefined:
    case "FULFILLED":
    case "MARKED_AS_FULFILLED":
    case "SUBMITTED":
    case "CANCELED":
    case "LABEL_VOIDED":
      return null;
    case "NOT_DELIVERED":
      return "failure";
    default:
      return displayStatus.toLowerCase();
  }
}

export function shipmentFromGraphql(node: z.infer<typeof FulfillmentNode>): ShipmentSnapshot {
  const status = shipmentStatus(node.status.toLowerCase(), carrierStatusFromGraphql(node.displayStatus));
  return {
    externalId: node.id,
    status,
    carrier: node.trackingInfo.find((info) => info.company)?.company ?? null,
    trackingNumbers: node.trackingInfo.flatMap((info) => (info.number ? [info.number] : [])),
    trackingUrls: node.trackingInfo.flatMap((info) => (info.url ? [info.url] : [])),
    // A line without a quantity counts no shipped units (REST fulfillments always carry one).
    lineItems: node.fulfillmentLineItems.nodes.flatMap((line) => (line.quantity === null ? [] : [{ lineItemExternalId: line.lineItem.id, quantity: line.quantity }])),
    shippedAt: node.createdAt,
    deliveredAt: status === "delivered" ? (node.deliveredAt ?? node.updatedAt) : null,
    estimatedDeliveryAt: node.estimatedDeliveryAt,
    updatedAt: node.updatedAt,
  };
}

const numericId = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

/** Refund amount and status follow the webhook rule (successful refund transactions), so both paths agree. */
function refundFromGraphql(node: z.infer<typeof RefundNode>, orderId: string, currency: string) {
  return refundSnapshot(
    {
      id: numericId(node.id),
      admin_graphql_api_id: node.id,
      order_id: numericId(orderId),
      note: node.note ?? null,
      created_at: node.createdAt,
      processed_at: node.createdAt,
      refund_line_items: node.refundLineItems.nodes.map((line) => ({
        line_item_id: line.lineItem.id,
        quantity: line.quantity,
        restock_type: line.restockType?.toLowerCase() ?? null,
        subtotal: amountOf(line.subtotalSet),
        total_tax: amountOf(line.totalTaxSet),
      })),
      transactions: node.transactions.nodes.map((transaction) => ({
        id: numericId(transaction.id),
        admin_graphql_api_id: transaction.id,
        kind: transaction.kind.toLowerCase(),
        status: transaction.status.toLowerCase(),
        amount: amountOf(transaction.amountSet),
        gateway: transaction.gateway ?? null,
        currency: transaction.amountSet.shopMoney.currencyCode,
      })),
    },
    currency,
  );
}

/** The address in the webhook's (REST) keys, so an order's stored address looks the same whichever path wrote it. */
function addressFromGraphql(address: z.infer<typeof Address>): Record<string, unknown> | null {
  if (!address) return null;
  return {
    first_name: address.firstName ?? null,
    last_name: address.lastName ?? null,
    name: address.name ?? null,
    company: address.company ?? null,
    address1: address.address1 ?? null,
    address2: address.address2 ?? null,
    city: address.city ?? null,
    province: address.province ?? null,
    province_code: address.provinceCode ?? null,
    zip: address.zip ?? null,
    country: address.country ?? null,
    country_code: address.countryCodeV2 ?? null,
    phone: address.phone ?? null,
    latitude: address.latitude ?? null,
    longitude: address.longitude ?? null,
  };
}

export function orderFromGraphql(order: OrderNode): OrderSnapshot {
  const lineItems: LineItemSnapshot[] = order.lineItems.nodes.map((line) => ({
    externalId: line.id,
    productExternalId: line.product?.id ?? null,
    variantExternalId: line.variant?.id ?? null,
    title: line.title,
    variantTitle: line.variantTitle && line.variantTitle !== "Default Title" ? line.variantTitle : null,
    sku: line.sku || null,
    quantity: line.quantity,
    unitPrice: amountOf(line.originalUnitPriceSet),
    discountTotal: line.discountAllocations.reduce((sum, allocation) => sum + Number(allocation.allocatedAmountSet.shopMoney.amount), 0).toFixed(2),
    taxTotal: line.taxLines.reduce((sum, tax) => sum + Number(tax.priceSet.shopMoney.amount), 0).toFixed(2),
    discountAllocations: line.discountAllocations.map((allocation) => ({
      amount: amountOf(allocation.allocatedAmountSet),
      title: allocation.discountApplication?.title ?? allocation.discountApplication?.code ?? null,
    })),
    taxLines: line.taxLines.map((tax) => ({ title: tax.title, rate: tax.rate ?? null, amount: amountOf(tax.priceSet) })),
  }));
  const customer = order.customer ? customerFromGraphql(order.customer) : null;
  return {
    platform: "shopify",
    externalId: order.id,
    name: order.name,
    number: order.number,
    email: order.email || customer?.email || null,
    currency: order.currencyCode,
    subtotal: amountOf(order.subtotalPriceSet),
    shippingTotal: amountOf(order.totalShippingPriceSet),
    taxTotal: amountOf(order.totalTaxSet),
    discountTotal: amountOf(order.totalDiscountsSet),
    total: amountOf(order.totalPriceSet),
    taxesIncluded: order.taxesIncluded,
    status: order.cancelledAt ? "cancelled" : order.closedAt ? "closed" : "open",
    financialStatus: financialStatusFromGraphql(order.displayFinancialStatus),
    fulfillmentStatus: fulfillmentStatusFromGraphql(order.displayFulfillmentStatus),
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason?.toLowerCase() ?? null,
    placedAt: order.processedAt ?? order.createdAt,
    updatedAt: order.updatedAt,
    shippingAddress: addressFromGraphql(order.shippingAddress),
    shippingLines: order.shippingLines.nodes.map((line) => ({
      title: line.title,
      code: line.code ?? null,
      price: amountOf(line.originalPriceSet),
      discountedPrice: amountOf(line.discountedPriceSet ?? line.originalPriceSet),
    })),
    customer,
    lineItems,
    refunds: order.refunds.map((refund) => refundFromGraphql(refund, order.id, order.currencyCode)),
    shipments: order.fulfillments.map(shipmentFromGraphql),
  };
}
