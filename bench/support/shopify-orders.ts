/**
 * Shopify REST order payloads (the orders/create and orders/updated webhook bodies of the pinned API version)
 * for the webhooks bench: each order goes through the life a real order has, one payload per version, with
 * updated_at increasing. Deterministic for a seed, so reruns send the same traffic.
 *
 * Version 0 (orders/create): placed, payment pending. 1: paid. 2: edited (one more of the first line).
 * 3: fulfilled, in transit (about 60% of orders; the rest get a tag). 4: delivered, and about 20% of orders
 * get a partial refund of one unit.
 */
import { mulberry32 } from "~/lib/random";

export const VERSIONS_PER_ORDER = 5;

export interface OrderEvent {
  topic: "orders/create" | "orders/updated";
  orderIndex: number;
  version: number;
  /** X-Shopify-Triggered-At: when the change happened. */
  triggeredAt: string;
  payload: Record<string, unknown>;
}

/** What the newest version says, for the bench's final-state check. */
export interface ExpectedOrder {
  externalId: string;
  updatedAt: Date;
  total: string;
  financialStatus: string;
  lineItems: number;
  refunds: number;
  shipments: number;
}

const ORDER_ID_BASE = 5_100_000_000_000;
const CUSTOMER_ID_BASE = 7_300_000_000_000;
const PRODUCT_ID_BASE = 8_200_000_000_000;
const LINE_ID_BASE = 13_700_000_000_000;
const MINUTE = 60_000;
/** Minutes after placement at which each version happens. */
const VERSION_OFFSETS_MIN = [0, 3, 120, 1_440, 5_760];
const FIRST_NAMES = ["Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances"];
const LAST_NAMES = ["Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen"];
const PRODUCTS = [
  { title: "Cascade Rain Shell", variants: ["S", "M", "L"], cents: 18_900 },
  { title: "Summit Hiking Boot", variants: ["40", "42", "44"], cents: 15_900 },
  { title: "Merino Base Layer", variants: ["S", "M", "L"], cents: 7_900 },
  { title: "Trail Socks (3-pack)", variants: ["Default Title"], cents: 2_400 },
  { title: "Alpine Down Vest", variants: ["M", "L"], cents: 12_900 },
  { title: "Trekking Poles", variants: ["Default Title"], cents: 8_900 },
];
const STATE_TAX = 0.06;
const COUNTY_TAX = 0.02;
const DISCOUNT_RATE = 0.1;

const money = (cents: number) => (cents / 100).toFixed(2);
const moneySet = (cents: number) => ({
  shop_money: { amount: money(cents), currency_code: "USD" },
  presentment_money: { amount: money(cents), currency_code: "USD" },
});

/** Shopify writes local times with their offset, e.g. 2026-11-20T09:15:00-05:00. */
function shopifyTime(date: Date) {
  return `${new Date(date.getTime() - 5 * 60 * MINUTE).toISOString().slice(0, 19)}-05:00`;
}

interface Line {
  id: number;
  productIndex: number;
  variantIndex: number;
  quantity: number;
  discounted: boolean;
}

/** The fixed facts of one order; its versions are derived from them. */
interface OrderPlan {
  index: number;
  id: number;
  number: number;
  placedAt: Date;
  customerIndex: number;
  lines: Line[];
  fulfilled: boolean;
  refunded: boolean;
}

function planOrder(index: number, customers: number, firstPlacedAt: Date): OrderPlan {
  const random = mulberry32(0x5eed + index);
  const lineCount = 1 + Math.floor(random() * 4);
  const lines: Line[] = [];
  for (let line = 0; line < lineCount; line++) {
    const productIndex = Math.floor(random() * PRODUCTS.length);
    lines.push({
      id: LINE_ID_BASE + index * 10 + line,
      productIndex,
      variantIndex: Math.floor(random() * PRODUCTS[productIndex]!.variants.length),
      quantity: 1 + Math.floor(random() * 2),
      discounted: random() < 0.3,
    });
  }
  return {
    index,
    id: ORDER_ID_BASE + index,
    number: 20_001 + index,
    placedAt: new Date(firstPlacedAt.getTime() + index * 7 * MINUTE),
    customerIndex: Math.floor(random() * customers),
    lines,
    fulfilled: random() < 0.6,
    refunded: random() < 0.2,
  };
}

function customerPayload(index: number) {
  const first = FIRST_NAMES[index % FIRST_NAMES.length]!;
  const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length]!;
  const id = CUSTOMER_ID_BASE + index;
  const since = shopifyTime(new Date(Date.UTC(2026, 0, 1) + index * 60 * MINUTE));
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    email: `${first}.${last}.${index}@example.com`.toLowerCase(),
    first_name: first,
    last_name: last,
    phone: null,
    state: "enabled",
    verified_email: true,
    locale: "en",
    tags: index % 5 === 0 ? "vip, newsletter" : "",
    created_at: since,
    updated_at: since,
  };
}

function address(customer: ReturnType<typeof customerPayload>, index: number) {
  return {
    first_name: customer.first_name,
    last_name: customer.last_name,
    address1: `${100 + (index % 900)} Main Street`,
    address2: null,
    city: "Portland",
    province: "Oregon",
    province_code: "OR",
    zip: "97205",
    country: "United States",
    country_code: "US",
    phone: null,
  };
}

function orderVersion(plan: OrderPlan, version: number): OrderEvent {
  const updatedAt = new Date(plan.placedAt.getTime() + VERSION_OFFSETS_MIN[version]! * MINUTE);
  const customer = customerPayload(plan.customerIndex);
  // The edit (version 2) adds one of the first line.
  const quantities = plan.lines.map((line, position) => line.quantity + (version >= 2 && position === 0 ? 1 : 0));
  let subtotalBeforeDiscounts = 0;
  let discounts = 0;
  let tax = 0;
  const lineItems = plan.lines.map((line, position) => {
    const product = PRODUCTS[line.productIndex]!;
    const quantity = quantities[position]!;
    const gross = product.cents * quantity;
    const discount = line.discounted ? Math.round(gross * DISCOUNT_RATE) : 0;
    const stateTax = Math.round((gross - discount) * STATE_TAX);
    const countyTax = Math.round((gross - discount) * COUNTY_TAX);
    subtotalBeforeDiscounts += gross;
    discounts += discount;
    tax += stateTax + countyTax;
    const variantTitle = product.variants[line.variantIndex]!;
    return {
      id: line.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
      product_id: PRODUCT_ID_BASE + line.productIndex,
      variant_id: PRODUCT_ID_BASE + line.productIndex * 100 + line.variantIndex + 1,
      title: product.title,
      variant_title: variantTitle,
      name: variantTitle === "Default Title" ? product.title : `${product.title} - ${variantTitle}`,
      sku: `SKU-${line.productIndex}-${line.variantIndex}`,
      vendor: "Shopdesk Outfitters",
      quantity,
      fulfillable_quantity: version >= 3 && plan.fulfilled ? 0 : quantity,
      fulfillment_status: version >= 3 && plan.fulfilled ? "fulfilled" : null,
      requires_shipping: true,
      taxable: true,
      gift_card: false,
      grams: 450,
      price: money(product.cents),
      price_set: moneySet(product.cents),
      total_discount: "0.00",
      discount_allocations: discount > 0 ? [{ amount: money(discount), amount_set: moneySet(discount), discount_application_index: 0 }] : [],
      tax_lines: [
        { title: "Oregon State Tax", rate: STATE_TAX, price: money(stateTax), price_set: moneySet(stateTax), channel_liable: false },
        { title: "Multnomah County Tax", rate: COUNTY_TAX, price: money(countyTax), price_set: moneySet(countyTax), channel_liable: false },
      ],
    };
  });
  const subtotal = subtotalBeforeDiscounts - discounts;
  const shipping = subtotal >= 10_000 ? 0 : 695;
  const total = subtotal + shipping + tax;

  const fulfillments =
    version >= 3 && plan.fulfilled
      ? [
          {
            id: plan.id + 40_000_000_000,
            admin_graphql_api_id: `gid://shopify/Fulfillment/${plan.id + 40_000_000_000}`,
            order_id: plan.id,
            name: `#${plan.number}.1`,
            status: "success",
            shipment_status: version >= 4 ? "delivered" : "in_transit",
            service: "manual",
            tracking_company: "UPS",
            tracking_number: `1Z999AA1${String(plan.number).padStart(10, "0")}`,
            tracking_numbers: [`1Z999AA1${String(plan.number).padStart(10, "0")}`],
            tracking_url: `https://www.ups.com/track?tracknum=1Z999AA1${String(plan.number).padStart(10, "0")}`,
            tracking_urls: [`https://www.ups.com/track?tracknum=1Z999AA1${String(plan.number).padStart(10, "0")}`],
            line_items: lineItems.map((line) => ({ id: line.id, quantity: line.quantity })),
            created_at: shopifyTime(new Date(plan.placedAt.getTime() + VERSION_OFFSETS_MIN[3]! * MINUTE)),
            updated_at: shopifyTime(updatedAt),
          },
        ]
      : [];
  const refunded = version >= 4 && plan.refunded;
  const refundLine = lineItems[0]!;
  const refundSubtotal = Math.round(Number(refundLine.price) * 100 * (plan.lines[0]!.discounted ? 1 - DISCOUNT_RATE : 1));
  const refundTax = Math.round(refundSubtotal * (STATE_TAX + COUNTY_TAX));
  const refunds = refunded
    ? [
        {
          id: plan.id + 60_000_000_000,
          admin_graphql_api_id: `gid://shopify/Refund/${plan.id + 60_000_000_000}`,
          order_id: plan.id,
          note: "Too small",
          restock: true,
          created_at: shopifyTime(updatedAt),
          processed_at: shopifyTime(updatedAt),
          refund_line_items: [
            {
              id: plan.id + 61_000_000_000,
              line_item_id: refundLine.id,
              quantity: 1,
              restock_type: "return",
              subtotal: money(refundSubtotal),
              total_tax: money(refundTax),
            },
          ],
          transactions: [
            {
              id: plan.id + 62_000_000_000,
              admin_graphql_api_id: `gid://shopify/OrderTransaction/${plan.id + 62_000_000_000}`,
              kind: "refund",
              status: "success",
              amount: money(refundSubtotal + refundTax),
              gateway: "shopify_payments",
              currency: "USD",
            },
          ],
        },
      ]
    : [];

  const payload = {
    id: plan.id,
    admin_graphql_api_id: `gid://shopify/Order/${plan.id}`,
    name: `#${plan.number}`,
    number: plan.number - 1_000,
    order_number: plan.number,
    email: customer.email,
    contact_email: customer.email,
    currency: "USD",
    presentment_currency: "USD",
    confirmed: true,
    test: false,
    source_name: "web",
    tags: version >= 3 && !plan.fulfilled ? "backorder" : "",
    note: null,
    subtotal_price: money(subtotal),
    subtotal_price_set: moneySet(subtotal),
    total_line_items_price: money(subtotalBeforeDiscounts),
    total_discounts: money(discounts),
    total_discounts_set: moneySet(discounts),
    total_tax: money(tax),
    total_tax_set: moneySet(tax),
    total_shipping_price_set: moneySet(shipping),
    total_price: money(total),
    total_price_set: moneySet(total),
    taxes_included: false,
    financial_status: version === 0 ? "pending" : refunded ? "partially_refunded" : "paid",
    fulfillment_status: version >= 3 && plan.fulfilled ? "fulfilled" : null,
    cancelled_at: null,
    cancel_reason: null,
    closed_at: null,
    created_at: shopifyTime(plan.placedAt),
    processed_at: shopifyTime(plan.placedAt),
    updated_at: shopifyTime(updatedAt),
    customer,
    billing_address: address(customer, plan.customerIndex),
    shipping_address: address(customer, plan.customerIndex),
    shipping_lines: [
      { id: plan.id + 20_000_000_000, title: "Standard", code: "STANDARD", source: "shopify", price: money(shipping), discounted_price: money(shipping) },
    ],
    discount_applications: plan.lines.some((line) => line.discounted)
      ? [
          {
            type: "discount_code",
            code: "WELCOME10",
            title: "WELCOME10",
            value: "10.0",
            value_type: "percentage",
            allocation_method: "each",
            target_selection: "entitled",
            target_type: "line_item",
          },
        ]
      : [],
    discount_codes: discounts > 0 ? [{ code: "WELCOME10", amount: money(discounts), type: "percentage" }] : [],
    line_items: lineItems,
    fulfillments,
    refunds,
  };
  return { topic: version === 0 ? "orders/create" : "orders/updated", orderIndex: plan.index, version, triggeredAt: updatedAt.toISOString(), payload };
}

/**
 * Every version of orders [first, first + count). Orders share a pool of customers (about one customer per
 * three orders), as repeat buyers do.
 */
export function orderEvents(first: number, count: number, options: { firstPlacedAt: Date; customers: number }) {
  const events: OrderEvent[] = [];
  const expected: ExpectedOrder[] = [];
  for (let index = first; index < first + count; index++) {
    const plan = planOrder(index, options.customers, options.firstPlacedAt);
    for (let version = 0; version < VERSIONS_PER_ORDER; version++) events.push(orderVersion(plan, version));
    const newest = events.at(-1)!.payload as { updated_at: string; total_price: string; financial_status: string; line_items: unknown[]; refunds: unknown[]; fulfillments: unknown[] };
    expected.push({
      externalId: `gid://shopify/Order/${plan.id}`,
      updatedAt: new Date(newest.updated_at),
      total: newest.total_price,
      financialStatus: newest.financial_status,
      lineItems: newest.line_items.length,
      refunds: newest.refunds.length,
      shipments: newest.fulfillments.length,
    });
  }
  return { events, expected };
}
