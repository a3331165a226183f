import { mulberry32 } from "~/lib/random";
import { createHash } from "node:crypto";
import type { Prisma, PrismaClient, ShipmentStatus } from "@prisma/client";
import {
  ARTICLES,
  DEMO_SHOP_NAME,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  HUBS,
  INTERNATIONAL_STREETS,
  LAST_NAMES,
  PLACES,
  POLICIES,
  PRODUCTS,
  type SeedPlace,
  type SeedProductDef,
  STAFF,
  STORE_FACTS,
  STREETS,
} from "./seed-data";

/**
 * The demo shop seed: a realistic, deterministic "Northwind Outfitters" store with its catalogue, customers,
 * six months of orders (every lifecycle state, with consistent totals, shipments, carrier events and refunds),
 * help-centre articles, the four shop policies and a handful of support conversations.
 *
 * Idempotent: every row gets a stable id derived from the shop id and a natural key, and every insert is a
 * createMany with skipDuplicates, so running it again adds nothing twice. Orders (with their line items, shipments
 * and refunds) and conversations (with their messages) are written as units: complete ones are never touched
 * again, and ones an interrupted run left incomplete are rebuilt, so no order mixes data from two runs.
 * Deterministic: all randomness comes from seeded PRNGs and all dates are relative to `now`, which defaults
 * to the start of the current UTC day.
 */

export interface SeedSummary {
  shopId: string;
  products: number;
  customers: number;
  orders: number;
  shipments: number;
  refunds: number;
  articles: number;
  policies: number;
  conversations: number;
}

export interface SeedDemoShopOptions {
  domain: string;
  /** Multiplies the customer and order counts (1 = 240 customers, 600 orders). */
  scale?: number;
  /** Reference time of the generated history; defaults to the start of the current UTC day. */
  now?: Date;
}

const BASE_CUSTOMERS = 240;
const BASE_ORDERS = 600;
const HISTORY_DAYS = 180;
const BATCH_SIZE = 1_000;
const LOOKUP_CHUNK = 5_000;
const PLATFORM = "shopify" as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------- Deterministic helpers

class Rng {
  private readonly uniform: () => number;

  constructor(seed: number) {
    this.uniform = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uniform();
  }

  float(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return at(items, Math.floor(this.next() * items.length));
  }

  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weight(item), 0);
    let roll = this.next() * total;
    for (const item of items) {
      roll -= weight(item);
      if (roll < 0) return item;
    }
    return at(items, items.length - 1);
  }

  digits(count: number): string {
    let out = "";
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`seed: index ${index} out of range (${items.length})`);
  return item;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A UUID (version 5 layout) derived from the shop id and a natural key, so reruns produce the same ids. */
function stableId(shopId: string, key: string): string {
  const hex = sha256(`${shopId}:${key}`);
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

const money = (cents: number) => (cents / 100).toFixed(2);
const dollars = (cents: number) => `$${money(cents)}`;
const toCents = (amount: number) => Math.round(amount * 100);

function asciiSlug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function isWeekend(ms: number): boolean {
  const day = new Date(ms).getUTCDay();
  return day === 0 || day === 6;
}

function addBusinessDays(ms: number, days: number): number {
  let t = ms;
  let added = 0;
  while (added < days) {
    t += DAY;
    if (!isWeekend(t)) added++;
  }
  return t;
}

function previousBusinessDay(ms: number): number {
  let t = startOfUtcDay(ms) - DAY;
  while (isWeekend(t)) t -= DAY;
  return t;
}

function nextBusinessDay(ms: number): number {
  let t = startOfUtcDay(ms) + DAY;
  while (isWeekend(t)) t += DAY;
  return t;
}

const dateFormat = new Intl.DateTimeFormat("en-US", { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" });
const fmtDate = (ms: number) => dateFormat.format(new Date(ms));

async function inBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>, size = BATCH_SIZE) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Maps natural keys to the ids actually stored (normally the stable ids we generated). */
async function lookupIds(keys: string[], fetch: (chunk: string[]) => Promise<{ id: string; key: string }[]>) {
  const map = new Map<string, string>();
  for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
    for (const row of await fetch(keys.slice(i, i + LOOKUP_CHUNK))) map.set(row.key, row.id);
  }
  return map;
}

// ---------------------------------------------------------------- Generated model (in memory)

interface GenVariant {
  id: string;
  externalId: string;
  title: string;
  sku: string;
  priceCents: number;
  inventory: number;
  available: boolean;
}

interface GenProduct {
  def: SeedProductDef;
  id: string;
  externalId: string;
  variants: GenVariant[];
  available: boolean;
  returnable: boolean;
  createdAt: Date;
}

interface GenCustomer {
  id: string | null;
  externalId: string | null;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  locale: string;
  place: SeedPlace;
  address1: string;
  address2: string | null;
  createdAt?: Date;
  orderCount: number;
}

interface GenLine {
  id: string;
  externalId: string;
  product: GenProduct;
  variant: GenVariant;
  quantity: number;
  unitCents: number;
  discountCents: number;
  taxCents: number;
  fulfilledQuantity: number;
  refundedQuantity: number;
}

interface GenEvent {
  at: number;
  status: ShipmentStatus;
  location: string;
  message: string;
}

type Carrier = "UPS" | "USPS" | "FedEx" | "DHL";
type Method = "standard" | "expedited" | "express" | "remote" | "canada" | "international";

interface GenShipment {
  id: string;
  externalId: string;
  carrier: Carrier;
  trackingNumber: string;
  trackingUrl: string;
  status: ShipmentStatus;
  shippedAt: number;
  estimatedAt: number;
  deliveredAt: number | null;
  /** Chronological, only events that happened by `now`. */
  events: GenEvent[];
  fate: ShipmentFate;
}

interface GenRefund {
  id: string;
  externalId: string;
  amountCents: number;
  reason: string;
  processedAt: number;
}

type OrderStatusValue = "open" | "closed" | "cancelled";
type FinancialValue = "pending" | "paid" | "partially_refunded" | "refunded" | "voided";
type FulfillmentValue = "unfulfilled" | "partial" | "fulfilled";

interface GenOrder {
  index: number;
  id: string;
  externalId: string;
  number: number;
  name: string;
  customer: GenCustomer;
  guest: boolean;
  method: Method;
  address: Record<string, string | null>;
  lines: GenLine[];
  subtotal: number;
  shipping: number;
  tax: number;
  discount: number;
  discountCode: string | null;
  total: number;
  status: OrderStatusValue;
  financial: FinancialValue;
  fulfillment: FulfillmentValue;
  cancelledAt: number | null;
  cancelReason: string | null;
  placedAt: number;
  sourceUpdatedAt: number;
  shipments: GenShipment[];
  refunds: GenRefund[];
}

// ---------------------------------------------------------------- Catalogue

function variantCode(title: string): string {
  const tokens = title.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  return tokens.map((token) => (/^\d+$/.test(token) ? token : token.slice(0, tokens.length > 1 ? 3 : 4))).join("");
}

function buildCatalogue(shopId: string, now: number): GenProduct[] {
  const rng = new Rng(0xca7a1061);
  return PRODUCTS.map((def, index) => {
    const titles = def.variants ?? ["Default Title"];
    const variants = titles.map((title, v): GenVariant => {
      const price = def.variantPrices?.[v] ?? def.price;
      let inventory = def.soldOut ? 0 : rng.chance(0.08) ? 0 : rng.int(3, 140);
      if (def.notShipped) inventory = 0;
      return {
        id: stableId(shopId, `variant:${def.handle}:${title}`),
        externalId: `gid://shopify/ProductVariant/${44_218_304_512_000 + index * 100 + v}`,
        title,
        sku: title === "Default Title" ? `NW-${def.code}` : `NW-${def.code}-${variantCode(title)}`,
        priceCents: toCents(price),
        inventory,
        // Gift cards are digital and don't track inventory.
        available: def.notShipped ? true : inventory > 0,
      };
    });
    return {
      def,
      id: stableId(shopId, `product:${def.handle}`),
      externalId: `gid://shopify/Product/${8_104_372_658_000 + index * 1_013}`,
      variants,
      available: variants.some((variant) => variant.available),
      returnable: !def.tags.some((tag) => ["non-returnable", "hygiene-item", "personalized", "gift-card"].includes(tag)),
      createdAt: new Date(now - (HISTORY_DAYS + 20 + rng.int(0, 400)) * DAY),
    };
  });
}

// ---------------------------------------------------------------- Customers

function localeNames(locale: SeedPlace["locale"]) {
  return { first: FIRST_NAMES[locale], last: LAST_NAMES[locale] };
}

function streetAddress(rng: Rng, place: SeedPlace): string {
  if (place.countryCode === "US") return `${rng.int(100, 9899)} ${rng.pick(STREETS)}`;
  const street = rng.pick(INTERNATIONAL_STREETS[place.countryCode] ?? STREETS);
  const number = rng.int(1, 180);
  return place.countryCode === "DE" || place.countryCode === "ES" ? `${street} ${number}` : `${number} ${street}`;
}

function phoneFor(rng: Rng, place: SeedPlace): string | null {
  if (place.areaCode) return rng.chance(0.75) ? `+1 ${place.areaCode}-555-01${rng.digits(2)}` : null;
  if (place.countryCode === "GB") return rng.chance(0.5) ? `+44 20 7946 0${rng.digits(3)}` : null;
  return null;
}

function makePerson(rng: Rng, usedEmails: Set<string>, place: SeedPlace, emailHint?: string) {
  const names = localeNames(place.locale);
  const firstName = rng.pick(names.first);
  const lastName = rng.pick(names.last);
  const first = asciiSlug(firstName);
  const last = asciiSlug(lastName);
  const style = rng.int(0, 3);
  const local =
    style === 0 ? `${first}.${last}` : style === 1 ? `${first}${last}` : style === 2 ? `${first}_${last.slice(0, 1)}` : `${first.slice(0, 1)}${last}`;
  const domain = rng.pick(EMAIL_DOMAINS);
  let email = `${emailHint ?? ""}${local}@${domain}`;
  for (let n = 2; usedEmails.has(email); n++) email = `${emailHint ?? ""}${local}${n}@${domain}`;
  usedEmails.add(email);
  return { firstName, lastName, email };
}

function buildCustomers(shopId: string, count: number, usedEmails: Set<string>): GenCustomer[] {
  const rng = new Rng(0xc0575eed);
  const customers: GenCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const place = rng.weighted(PLACES, (p) => p.weight);
    const person = makePerson(rng, usedEmails, place);
    const externalId = `gid://shopify/Customer/${7_212_345_601_000 + i * 3_571}`;
    customers.push({
      id: stableId(shopId, `customer:${externalId}`),
      externalId,
      ...person,
      phone: phoneFor(rng, place),
      locale: place.locale,
      place,
      address1: streetAddress(rng, place),
      address2: place.countryCode === "US" && rng.chance(0.2) ? rng.pick(["Apt 2", "Apt 5C", "Unit 12", "Suite 300", "Apt 14"]) : null,
      orderCount: 0,
    });
  }
  return customers;
}

// ---------------------------------------------------------------- Shipments

const UPS_SHIPPER = "V8A462";

function trackingNumber(rng: Rng, carrier: Carrier, method: Method, used: Set<string>): string {
  for (;;) {
    let number: string;
    if (carrier === "UPS") number = `1Z${UPS_SHIPPER}${method === "expedited" ? "02" : "03"}${rng.digits(8)}`;
    else if (carrier === "USPS") number = `9400111${rng.digits(15)}`;
    else if (carrier === "FedEx") number = `7${rng.digits(11)}`;
    else number = `${rng.int(1, 9)}${rng.digits(9)}`;
    if (!used.has(number)) {
      used.add(number);
      return number;
    }
  }
}

function trackingUrl(carrier: Carrier, number: string): string {
  switch (carrier) {
    case "UPS":
      return `https://www.ups.com/track?loc=en_US&tracknum=${number}`;
    case "USPS":
      return `https://tools.usps.com/go/TrackConfirmAction?tLabels=${number}`;
    case "FedEx":
      return `https://www.fedex.com/fedextrack/?trknbr=${number}`;
    case "DHL":
      return `https://www.dhl.com/us-en/home/tracking/tracking-express.html?submit=1&tracking-id=${number}`;
  }
}

function carrierFor(method: Method, subtotal: number): Carrier {
  if (method === "expedited") return "UPS";
  if (method === "express") return "FedEx";
  if (method === "remote") return "USPS";
  if (method === "canada" || method === "international") return "DHL";
  return subtotal < 6_000 ? "USPS" : "UPS";
}

function transitDays(rng: Rng, method: Method, place: SeedPlace, carrier: Carrier): number {
  switch (method) {
    case "express":
      return 1;
    case "expedited":
      return rng.int(2, 3);
    case "remote":
      return rng.int(5, 8);
    case "canada":
      return rng.int(3, 5);
    case "international":
      return rng.int(5, 8);
    default: {
      const base = place.region === "west" ? 2 : place.region === "central" ? 3 : 4;
      return base + rng.int(0, carrier === "USPS" ? 2 : 1);
    }
  }
}

function locationOf(place: SeedPlace): string {
  return place.countryCode === "US" || place.countryCode === "CA"
    ? `${place.city}, ${place.provinceCode}, ${place.countryCode}`
    : `${place.city}, ${place.countryCode}`;
}

const ORIGIN = `${STORE_FACTS.warehouse.city}, ${STORE_FACTS.warehouse.provinceCode}, US`;

const CARRIER_TEXT: Record<Carrier, { pickup: string; arrived: string; departed: string; local: string; out: string }> = {
  USPS: {
    pickup: "Accepted at USPS Origin Facility",
    arrived: "Arrived at USPS Regional Facility",
    departed: "Departed USPS Regional Facility",
    local: "Arrived at Post Office",
    out: "Out for Delivery",
  },
  UPS: {
    pickup: "Pickup Scan",
    arrived: "Arrived at Facility",
    departed: "Departed from Facility",
    local: "Arrived at Local Delivery Facility",
    out: "Out For Delivery Today",
  },
  FedEx: {
    pickup: "Picked up",
    arrived: "Arrived at FedEx hub",
    departed: "Departed FedEx hub",
    local: "At local FedEx facility",
    out: "On FedEx vehicle for delivery",
  },
  DHL: {
    pickup: "Shipment picked up",
    arrived: "Arrived at DHL Sort Facility",
    departed: "Departed Facility",
    local: "Arrived at DHL Delivery Facility",
    out: "Shipment is out with courier for delivery",
  },
};

function deliveredMessage(rng: Rng, carrier: Carrier, lastName: string, signature: boolean): string {
  const signer = lastName.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toUpperCase();
  if (carrier === "DHL") return `Delivered - Signed for by: ${signer}`;
  if (signature) return carrier === "FedEx" ? `Delivered: signed for by ${signer}` : `Delivered: signed by ${signer}`;
  if (carrier === "USPS") return rng.pick(["Delivered, In/At Mailbox", "Delivered, Front Door/Porch", "Delivered, Parcel Locker"]);
  if (carrier === "UPS") return rng.pick(["Delivered: front door", "Delivered: receiver", "Delivered: mailroom"]);
  return rng.pick(["Delivered: left at front door. Signature service not requested.", "Delivered: left at back door."]);
}

/** "outNow" and "attemptedNow" pin a shipment's last event just before `now` so the demo always shows those states. */
type ShipmentFate = "normal" | "delayed" | "attempted" | "lost" | "outNow" | "attemptedNow";

function buildShipment(
  rng: Rng,
  context: { shopId: string; now: number; order: Pick<GenOrder, "method" | "subtotal" | "total" | "customer">; key: string },
  shippedAt: number,
  fate: ShipmentFate,
  usedTracking: Set<string>,
): GenShipment {
  const { order, now } = context;
  const place = order.customer.place;
  const carrier = carrierFor(order.method, order.subtotal);
  const days = transitDays(rng, order.method, place, carrier);
  let estimateDay = startOfUtcDay(addBusinessDays(shippedAt, days));
  const europe = place.region === "international" && !["CA", "AU"].includes(place.countryCode);
  const timeOfDay = () => (europe ? 8 : 16) * HOUR + rng.float(0.5, 7.5) * HOUR;

  let deliveryDay = estimateDay;
  if (fate === "delayed") deliveryDay = startOfUtcDay(addBusinessDays(estimateDay, rng.int(3, 5)));
  else if (days > 1 && rng.chance(0.18)) deliveryDay = previousBusinessDay(estimateDay);
  else if (rng.chance(0.08)) deliveryDay = startOfUtcDay(addBusinessDays(estimateDay, 1));
  if (deliveryDay <= startOfUtcDay(shippedAt)) deliveryDay = startOfUtcDay(addBusinessDays(shippedAt, 1));
  let deliveredAtPlanned = deliveryDay + timeOfDay();
  if (fate === "outNow" || fate === "attemptedNow") {
    // Out for delivery right now (delivery due within hours), or a delivery attempt a few hours ago.
    deliveredAtPlanned = fate === "outNow" ? now + rng.float(1, 2.5) * HOUR : now - rng.float(0.5, 4) * HOUR;
    estimateDay = startOfUtcDay(deliveredAtPlanned);
  }
  const estimatedAt = estimateDay + 23 * HOUR + 59 * MINUTE;

  const text = CARRIER_TEXT[carrier];
  const destination = locationOf(place);
  const hubs = HUBS[carrier === "DHL" ? `DHL:${place.countryCode}` : `${carrier}:${place.region}`] ?? [];
  const events: GenEvent[] = [];
  const pickup = shippedAt + rng.float(1, 3) * HOUR;
  const outForDelivery = deliveredAtPlanned - rng.float(3, 6) * HOUR;
  const localArrival = outForDelivery - rng.float(2, 5) * HOUR;

  events.push({ at: shippedAt, status: "label_printed", location: ORIGIN, message: `Shipping label created, ${carrier} awaiting item` });
  events.push({ at: pickup, status: "in_transit", location: ORIGIN, message: text.pickup });
  const span = localArrival - pickup;
  const slots = hubs.length * 2 + 1;
  hubs.forEach((hub, h) => {
    const arrived = pickup + (span * (2 * h + 1)) / slots;
    const departed = arrived + (span / slots) * rng.float(0.4, 0.8);
    events.push({ at: arrived, status: "in_transit", location: hub, message: text.arrived });
    if (carrier === "DHL" && h === hubs.length - 1) {
      events.push({ at: arrived + (departed - arrived) / 2, status: "in_transit", location: hub, message: "Customs clearance status updated: clearance processing complete" });
    }
    events.push({ at: departed, status: "in_transit", location: hub, message: text.departed });
  });
  const lastHub = hubs.at(-1) ?? ORIGIN;

  if (fate === "lost") {
    // The parcel vanishes after a hub scan; the carrier declares an exception a week later.
    const kept = events.filter((event) => event.at < pickup + span * 0.6);
    kept.push({
      at: pickup + span * 0.6 + 7 * DAY,
      status: "failure",
      location: kept.at(-1)?.location ?? ORIGIN,
      message: "Exception: package could not be located in the carrier network. Investigation opened.",
    });
    return finishShipment(context, { carrier, shippedAt, estimatedAt, events: kept, fate }, rng, usedTracking);
  }

  if (fate === "delayed") {
    events.push({
      at: estimatedAt - rng.float(8, 14) * HOUR,
      status: "in_transit",
      location: lastHub,
      message: "Delayed: severe weather is affecting the carrier network. A new delivery date will be provided.",
    });
  }
  events.push({ at: localArrival, status: "in_transit", location: destination, message: text.local });
  events.push({ at: outForDelivery, status: "out_for_delivery", location: destination, message: text.out });

  const signature = order.total > 50_000;
  if (fate === "attempted" || fate === "attemptedNow") {
    events.push({
      at: deliveredAtPlanned,
      status: "attempted_delivery",
      location: destination,
      message: signature
        ? "Delivery attempted: signature required, no one available to sign. We'll try again next business day."
        : "Delivery attempted: no access to delivery location. We'll try again next business day.",
    });
    const retryDay = startOfUtcDay(addBusinessDays(deliveredAtPlanned, 1));
    const retry = retryDay + timeOfDay();
    events.push({ at: retry - rng.float(3, 5) * HOUR, status: "out_for_delivery", location: destination, message: text.out });
    events.push({ at: retry, status: "delivered", location: destination, message: deliveredMessage(rng, carrier, order.customer.lastName, signature) });
  } else {
    events.push({
      at: deliveredAtPlanned,
      status: "delivered",
      location: destination,
      message: deliveredMessage(rng, carrier, order.customer.lastName, signature),
    });
  }
  return finishShipment(context, { carrier, shippedAt, estimatedAt, events, fate }, rng, usedTracking);
}

function finishShipment(
  context: { shopId: string; now: number; order: Pick<GenOrder, "method">; key: string },
  draft: { carrier: Carrier; shippedAt: number; estimatedAt: number; events: GenEvent[]; fate: ShipmentFate },
  rng: Rng,
  usedTracking: Set<string>,
): GenShipment {
  const events = draft.events
    .map((event) => ({ ...event, at: Math.round(event.at) }))
    .filter((event) => event.at <= context.now)
    .sort((a, b) => a.at - b.at);
  const last = events.at(-1);
  const delivered = events.find((event) => event.status === "delivered");
  const number = trackingNumber(rng, draft.carrier, context.order.method, usedTracking);
  return {
    id: stableId(context.shopId, `shipment:${context.key}`),
    externalId: "",
    carrier: draft.carrier,
    trackingNumber: number,
    trackingUrl: trackingUrl(draft.carrier, number),
    status: last?.status ?? "label_printed",
    shippedAt: draft.shippedAt,
    estimatedAt: draft.estimatedAt,
    deliveredAt: delivered?.at ?? null,
    events,
    fate: draft.fate,
  };
}

// ---------------------------------------------------------------- Orders

/** When the warehouse ships an order: Standard and international within 1–2 business days, faster options same day before the cut-off. */
function dispatchTime(rng: Rng, placedAt: number, method: Method): number {
  const day = startOfUtcDay(placedAt);
  // 1 p.m. Pacific is 20:00 UTC; allow an hour for picking and packing.
  const beforeCutoff = !isWeekend(placedAt) && placedAt < day + 19 * HOUR;
  const sameDay = () => Math.max(placedAt + HOUR, day + 20.5 * HOUR + rng.float(0, 2.5) * HOUR);
  if (method === "express" || method === "expedited") {
    return beforeCutoff ? sameDay() : nextBusinessDay(placedAt) + rng.float(17, 23) * HOUR;
  }
  const roll = rng.next();
  if (beforeCutoff && roll < 0.15) return sameDay();
  return startOfUtcDay(addBusinessDays(placedAt, roll < 0.75 ? 1 : 2)) + rng.float(16, 23.5) * HOUR;
}

function chooseMethod(rng: Rng, place: SeedPlace, hasFuel: boolean): Method {
  if (place.region === "remote") return "remote";
  if (place.countryCode === "CA") return "canada";
  if (place.region === "international") return "international";
  if (hasFuel) return "standard";
  const roll = rng.next();
  return roll < 0.84 ? "standard" : roll < 0.95 ? "expedited" : "express";
}

function shippingCost(method: Method, discounted: number): number {
  const { rates, freeShippingThresholdCents, freeInternationalThresholdCents } = STORE_FACTS;
  switch (method) {
    case "standard":
      return discounted >= freeShippingThresholdCents ? 0 : rates.standard;
    case "expedited":
      return rates.expedited;
    case "express":
      return rates.express;
    case "remote":
      return rates.remoteUs;
    case "canada":
      return discounted >= freeInternationalThresholdCents ? 0 : rates.canada;
    case "international":
      return discounted >= freeInternationalThresholdCents ? 0 : rates.international;
  }
}

/** Splits `amount` over lines in proportion to their value; the last line takes the rounding remainder. */
function allocate(amount: number, weights: number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let left = amount;
  return weights.map((weight, i) => {
    if (i === weights.length - 1) return left;
    const share = total === 0 ? 0 : Math.round((amount * weight) / total);
    left -= share;
    return share;
  });
}

const CANCEL_REASONS = ["customer", "inventory", "fraud", "declined"] as const;
type CancelReason = (typeof CANCEL_REASONS)[number];
const CANCEL_WEIGHTS: Record<CancelReason, number> = { customer: 55, inventory: 15, fraud: 12, declined: 18 };
const CANCEL_REFUND_REASONS: Record<CancelReason, string> = {
  customer: "Order cancelled at customer's request",
  inventory: "Order cancelled: item out of stock",
  fraud: "Order cancelled: failed fraud screening",
  declined: "Order cancelled: payment declined",
};
const RETURN_REASONS = ["Return: too small", "Return: too large", "Return: changed mind", "Return: not as expected", "Return: color different from photos"];
const DAMAGE_REASONS = ["Damaged in transit", "Defective: zipper failure", "Defective: seam tape peeling", "Wrong item shipped", "Wrong size shipped"];

function buildOrders(
  shopId: string,
  now: number,
  count: number,
  catalogue: GenProduct[],
  customers: GenCustomer[],
  usedEmails: Set<string>,
): GenOrder[] {
  const rng = new Rng(0x0de5eed5);
  const usedTracking = new Set<string>();
  const showcase = { outNow: 0, attemptedNow: 0 };
  const shippable = catalogue.filter((product) => !product.def.notShipped);

  const ages = Array.from({ length: count }, () => Math.max(0.4 * HOUR, HISTORY_DAYS * DAY * rng.next() ** 1.4));
  ages.sort((a, b) => b - a);

  return ages.map((age, index): GenOrder => {
    const number = 1001 + index;
    const name = `#${number}`;
    const externalId = `gid://shopify/Order/${5_912_345_678_000 + index * 1_117}`;
    const id = stableId(shopId, `order:${externalId}`);
    const placedAt = Math.round(now - age);

    // Customer: a few guest checkouts, otherwise skewed towards repeat buyers.
    let customer: GenCustomer;
    const guest = customers.length === 0 || rng.chance(0.04);
    if (guest) {
      const place = rng.weighted(PLACES, (p) => p.weight);
      customer = {
        id: null,
        externalId: null,
        ...makePerson(rng, usedEmails, place),
        phone: phoneFor(rng, place),
        locale: place.locale,
        place,
        address1: streetAddress(rng, place),
        address2: null,
        orderCount: 0,
      };
    } else {
      customer = at(customers, Math.floor(customers.length * rng.next() ** 1.5));
    }
    const place = customer.place;

    // Line items.
    const lineCount = rng.weighted([1, 2, 3, 4], (n) => [45, 30, 17, 8][n - 1] ?? 1);
    const eligible = shippable.filter((product) => {
      if (product.def.code === "IFC" && (place.region === "remote" || place.region === "international")) return false;
      if (product.def.productType === "Food" && place.countryCode === "AU") return false;
      return true;
    });
    const chosen: GenProduct[] = [];
    for (let attempt = 0; chosen.length < lineCount && attempt < 20; attempt++) {
      const product = rng.weighted(eligible, (p) => p.def.popularity ?? 1);
      if (!chosen.includes(product)) chosen.push(product);
    }
    const lines: GenLine[] = chosen.map((product, l) => {
      const variant = rng.pick(product.variants);
      const multi = ["Socks", "Food"].includes(product.def.productType) || product.def.code === "IFC";
      const quantity = multi ? rng.int(1, product.def.code === "IFC" ? 4 : 3) : rng.chance(0.1) ? 2 : 1;
      const lineExternalId = `gid://shopify/LineItem/${14_021_550_000_000 + index * 10 + l}`;
      return {
        id: stableId(shopId, `line:${lineExternalId}`),
        externalId: lineExternalId,
        product,
        variant,
        quantity,
        unitCents: variant.priceCents,
        discountCents: 0,
        taxCents: 0,
        fulfilledQuantity: 0,
        refundedQuantity: 0,
      };
    });
    const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitCents, 0);

    // Discounts, shipping and tax.
    let discount = 0;
    let discountCode: string | null = null;
    if (!guest && customer.orderCount === 0 && rng.chance(0.3)) {
      discountCode = "WELCOME10";
      discount = Math.round(subtotal * 0.1);
    } else if (subtotal >= 15_000 && rng.chance(0.12)) {
      discountCode = "TRAIL15";
      discount = Math.round(subtotal * 0.15);
    } else if (subtotal >= 6_000 && rng.chance(0.05)) {
      discountCode = "SAVE10";
      discount = 1_000;
    }
    customer.orderCount++;
    const discounted = subtotal - discount;
    const method = chooseMethod(
      rng,
      place,
      lines.some((line) => line.product.def.code === "IFC"),
    );
    const shipping = shippingCost(method, discounted);
    const tax = Math.round(discounted * place.taxRate);
    const total = subtotal + shipping + tax - discount;
    const lineValues = lines.map((line) => line.quantity * line.unitCents);
    const lineDiscounts = allocate(discount, lineValues);
    lines.forEach((line, l) => {
      line.discountCents = lineDiscounts[l] ?? 0;
    });
    const lineTaxes = allocate(
      tax,
      lines.map((line) => line.quantity * line.unitCents - line.discountCents),
    );
    lines.forEach((line, l) => {
      line.taxCents = lineTaxes[l] ?? 0;
    });

    const address: Record<string, string | null> = {
      firstName: customer.firstName,
      lastName: customer.lastName,
      name: `${customer.firstName} ${customer.lastName}`,
      address1: customer.address1,
      address2: customer.address2,
      city: place.city,
      province: place.province,
      provinceCode: place.provinceCode,
      zip: place.zip,
      country: place.country,
      countryCode: place.countryCode,
      phone: customer.phone,
    };

    const order: GenOrder = {
      index,
      id,
      externalId,
      number,
      name,
      customer,
      guest,
      method,
      address,
      lines,
      subtotal,
      shipping,
      tax,
      discount,
      discountCode,
      total,
      status: "open",
      financial: "paid",
      fulfillment: "unfulfilled",
      cancelledAt: null,
      cancelReason: null,
      placedAt,
      sourceUpdatedAt: placedAt + rng.int(2, 40) * 1_000,
      shipments: [],
      refunds: [],
    };
    const refundId = (k: number) => {
      const refundExternalId = `gid://shopify/Refund/${921_604_000_000 + index * 4 + k}`;
      return { id: stableId(shopId, `refund:${refundExternalId}`), externalId: refundExternalId };
    };

    // Lifecycle.
    const shipAt = dispatchTime(rng, placedAt, method);
    const fateRoll = rng.next();
    const cancelWindow = Math.min(shipAt - placedAt - 0.1 * HOUR, 20 * HOUR);
    const cancelledAt = placedAt + rng.float(0.25 * HOUR, Math.max(0.3 * HOUR, cancelWindow));

    if (fateRoll < 0.045 && cancelledAt <= now) {
      const reason = rng.weighted(CANCEL_REASONS, (r) => CANCEL_WEIGHTS[r]);
      order.status = "cancelled";
      order.cancelledAt = Math.round(cancelledAt);
      order.cancelReason = reason;
      if (reason === "declined") {
        order.financial = "voided";
        order.sourceUpdatedAt = order.cancelledAt;
      } else {
        order.financial = "refunded";
        const processedAt = order.cancelledAt + rng.int(1, 4) * MINUTE;
        order.refunds.push({
          ...refundId(0),
          amountCents: total,
          reason: CANCEL_REFUND_REASONS[reason],
          processedAt,
        });
        for (const line of lines) line.refundedQuantity = line.quantity;
        order.sourceUpdatedAt = processedAt;
      }
      return order;
    }

    // PayPal eCheck payments stay pending for 3–5 business days and ship once cleared.
    if (age < 4 * DAY && fateRoll > 0.88) {
      order.financial = "pending";
      return order;
    }
    if (shipAt > now) return order;

    // Shipped: sometimes one item is backordered and follows in a second parcel.
    const recent = age < 20 * DAY;
    const split = lines.length >= 2 && rng.chance(recent ? 0.3 : 0.08);
    const firstLines = split ? lines.slice(0, -1) : lines;
    const laterLines = split ? lines.slice(-1) : [];
    const fateFor = (): ShipmentFate => {
      const roll = rng.next();
      const showcaseWindow = !split && place.countryCode === "US" && shipAt <= now - 2 * DAY && shipAt >= now - 5 * DAY;
      if (showcaseWindow && showcase.outNow < 3) {
        showcase.outNow++;
        return "outNow";
      }
      if (showcaseWindow && showcase.attemptedNow < 2) {
        showcase.attemptedNow++;
        return "attemptedNow";
      }
      if (!split && roll < 0.015) return "lost";
      if (roll < 0.04) return "attempted";
      if (roll < 0.08) return "delayed";
      return "normal";
    };
    const fulfillmentId = (k: number) => `gid://shopify/Fulfillment/${4_815_162_342_000 + index * 4 + k}`;
    const first = buildShipment(rng, { shopId, now, order, key: fulfillmentId(0) }, shipAt, fateFor(), usedTracking);
    first.externalId = fulfillmentId(0);
    order.shipments.push(first);
    for (const line of firstLines) line.fulfilledQuantity = line.quantity;
    order.fulfillment = "fulfilled";
    if (split) {
      const laterAt = addBusinessDays(shipAt, rng.int(3, 12));
      if (laterAt <= now) {
        const second = buildShipment(rng, { shopId, now, order, key: fulfillmentId(1) }, laterAt, fateFor(), usedTracking);
        second.externalId = fulfillmentId(1);
        order.shipments.push(second);
        for (const line of laterLines) line.fulfilledQuantity = line.quantity;
      } else {
        order.fulfillment = "partial";
      }
    }
    const latestEvent = Math.max(...order.shipments.flatMap((shipment) => shipment.events.map((event) => event.at)));
    order.sourceUpdatedAt = Math.max(order.sourceUpdatedAt, latestEvent);

    const allDelivered = order.fulfillment === "fulfilled" && order.shipments.every((shipment) => shipment.deliveredAt !== null);
    const lost = order.shipments.find((shipment) => shipment.status === "failure");
    if (lost) {
      const failedAt = lost.events.at(-1)?.at ?? now;
      if (failedAt + 5 * DAY <= now) {
        // Carrier trace closed: refund everything, shipping included.
        const processedAt = failedAt + rng.float(3, 5) * DAY;
        order.refunds.push({ ...refundId(0), amountCents: total, reason: "Parcel lost in transit: carrier claim filed", processedAt: Math.round(processedAt) });
        order.financial = "refunded";
        order.status = "closed";
        for (const line of lines) line.refundedQuantity = line.quantity;
        order.sourceUpdatedAt = Math.round(processedAt);
      }
      return order;
    }
    if (!allDelivered) return order;

    const deliveredAt = Math.max(...order.shipments.map((shipment) => shipment.deliveredAt ?? 0));
    order.status = "closed";
    if (deliveredAt + 30 * DAY > now) return order;

    const refundRoll = rng.next();
    if (refundRoll < 0.065) {
      // Damaged, defective or wrong: full refund including shipping.
      const processedAt = Math.round(deliveredAt + rng.float(1, 6) * DAY);
      const reason = rng.pick(DAMAGE_REASONS);
      const itemsAmount = total - shipping;
      order.refunds.push({ ...refundId(0), amountCents: itemsAmount, reason, processedAt });
      if (shipping > 0) order.refunds.push({ ...refundId(1), amountCents: shipping, reason: "Shipping refund", processedAt: processedAt + MINUTE });
      order.financial = "refunded";
      for (const line of lines) line.refundedQuantity = line.quantity;
      order.sourceUpdatedAt = processedAt + MINUTE;
    } else if (refundRoll < 0.155) {
      const returnable = lines.filter((line) => line.product.returnable);
      let amount = 0;
      let reason = "";
      let returned: { line: GenLine; quantity: number }[] = [];
      if (returnable.length > 0 && rng.chance(0.75)) {
        const candidates = returnable.length > 1 && rng.chance(0.5) ? returnable.slice(0, 2) : [rng.pick(returnable)];
        returned = candidates.map((line) => ({ line, quantity: line.quantity > 1 && rng.chance(0.5) ? 1 : line.quantity }));
        const value = returned.reduce((sum, { line, quantity }) => {
          const net = Math.round(((line.quantity * line.unitCents - line.discountCents) * quantity) / line.quantity);
          const lineTax = Math.round((line.taxCents * quantity) / line.quantity);
          return sum + net + lineTax;
        }, 0);
        const fee = place.countryCode === "US" ? STORE_FACTS.returnLabelFeeCents : 0;
        amount = value - fee;
        reason = fee > 0 ? `${rng.pick(RETURN_REASONS)} (return label fee ${dollars(fee)} deducted)` : rng.pick(RETURN_REASONS);
      }
      if (amount <= 0 || amount >= total) {
        returned = [];
        amount = Math.min(total - 100, Math.max(500, Math.round((subtotal * 0.15) / 100) * 100));
        reason = rng.pick(["Goodwill credit: delivery arrived late", "Price adjustment: item reduced within 14 days", "Goodwill credit: minor cosmetic flaw"]);
      }
      if (amount > 0 && amount < total) {
        const processedAt = Math.round(deliveredAt + (returned.length > 0 ? rng.float(8, 26) : rng.float(0.5, 3)) * DAY);
        order.refunds.push({ ...refundId(0), amountCents: amount, reason, processedAt });
        order.financial = "partially_refunded";
        for (const { line, quantity } of returned) line.refundedQuantity = quantity;
        order.sourceUpdatedAt = processedAt;
      }
    }
    return order;
  });
}

/** Customers' sign-up dates precede their first order. */
function assignCustomerDates(rng: Rng, now: number, customers: GenCustomer[], orders: GenOrder[]) {
  const firstOrder = new Map<GenCustomer, number>();
  for (const order of orders) {
    if (order.guest) continue;
    const seen = firstOrder.get(order.customer);
    if (seen === undefined || order.placedAt < seen) firstOrder.set(order.customer, order.placedAt);
  }
  for (const customer of customers) {
    const first = firstOrder.get(customer);
    customer.createdAt = new Date(
      first === undefined ? now - rng.float(1, 400) * DAY : first - (rng.chance(0.6) ? rng.float(1, 10) * MINUTE : rng.float(1, 120) * DAY),
    );
  }
}

// ---------------------------------------------------------------- Conversations

interface ConvMessage {
  author: "shopper" | "assistant" | "staff" | "system";
  body: string;
  at: number;
  visibility?: "public" | "internal";
  staffEmail?: string;
  intent?: string;
  confidence?: number;
  metadata?: Prisma.InputJsonValue;
}

interface ConvSpec {
  key: string;
  customer: GenCustomer | null;
  shopperName: string;
  shopperEmail: string | null;
  subject: string;
  language: string;
  status: "open" | "waiting_on_staff" | "waiting_on_shopper" | "resolved" | "closed";
  priority: "low" | "normal" | "high" | "urgent";
  handledByHuman: boolean;
  assigneeEmail?: string;
  verified: GenOrder[];
  lastIntent: string;
  sentiment: number;
  summary?: string;
  escalatedAt?: number;
  escalationReason?: string;
  resolvedAt?: number;
  csatScore?: number;
  csatComment?: string;
  messages: ConvMessage[];
}

function latestOf<T>(items: T[], score: (item: T) => number): T | undefined {
  let best: T | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const value = score(item);
    if (value > bestScore) {
      best = item;
      bestScore = value;
    }
  }
  return best;
}

function buildConversations(now: number, orders: GenOrder[], customers: GenCustomer[], articleIds: Map<string, { id: string; title: string }>): ConvSpec[] {
  const cite = (...slugs: string[]) =>
    slugs.flatMap((slug) => {
      const article = articleIds.get(slug);
      return article ? [{ sourceId: article.id, title: article.title }] : [];
    });
  const specs: ConvSpec[] = [];
  const withCustomer = orders.filter((order) => !order.guest && order.customer.place.countryCode === "US");
  const minutes = (n: number) => n * MINUTE;

  // 1. Where is my order? Resolved by the assistant, rated 5.
  const inTransit = latestOf(
    withCustomer.filter(
      (order) =>
        order.fulfillment === "fulfilled" &&
        order.shipments.length === 1 &&
        order.shipments[0]?.status === "in_transit" &&
        (order.shipments[0]?.shippedAt ?? now) < now - 6 * HOUR,
    ),
    (order) => order.placedAt,
  );
  if (inTransit) {
    const shipment = at(inTransit.shipments, 0);
    const t0 = Math.round(shipment.shippedAt + (now - shipment.shippedAt) * 0.6);
    const latest = latestOf(
      shipment.events.filter((event) => event.at <= t0),
      (event) => event.at,
    );
    const customer = inTransit.customer;
    specs.push({
      key: "wismo",
      customer,
      shopperName: `${customer.firstName} ${customer.lastName}`,
      shopperEmail: customer.email,
      subject: `Where is order ${inTransit.name}?`,
      language: "en",
      status: "resolved",
      priority: "normal",
      handledByHuman: false,
      verified: [inTransit],
      lastIntent: "order_status",
      sentiment: 0.4,
      resolvedAt: t0 + minutes(12),
      csatScore: 5,
      csatComment: "Quick and easy, thanks!",
      messages: [
        { author: "shopper", at: t0, intent: "order_status", confidence: 0.97, body: `Hi! Where is my order ${inTransit.name}? I need it before my trip this weekend.` },
        { author: "assistant", at: t0 + 4_000, body: "Happy to check! To keep your order details private, could you confirm the email address you used at checkout?" },
        { author: "shopper", at: t0 + minutes(1), intent: "verify_identity", confidence: 0.99, body: customer.email },
        {
          author: "assistant",
          at: t0 + minutes(1) + 5_000,
          confidence: 0.94,
          body: `Thanks, ${customer.firstName}! Order ${inTransit.name} shipped on ${fmtDate(shipment.shippedAt)} with ${shipment.carrier} (tracking ${shipment.trackingNumber}). Latest update: "${latest?.message ?? "Shipping label created"}" in ${latest?.location ?? ORIGIN}. ${shipment.carrier} currently estimates delivery on ${fmtDate(shipment.estimatedAt)}. You can follow it here: ${shipment.trackingUrl}`,
          metadata: {
            toolCalls: [{ name: "lookup_order", input: { orderName: inTransit.name, email: customer.email } }],
            orderCard: {
              orderId: inTransit.id,
              name: inTransit.name,
              fulfillmentStatus: inTransit.fulfillment,
              carrier: shipment.carrier,
              trackingNumber: shipment.trackingNumber,
              trackingUrl: shipment.trackingUrl,
              estimatedDeliveryAt: new Date(shipment.estimatedAt).toISOString(),
            },
            citations: cite("order-tracking"),
          },
        },
        { author: "shopper", at: t0 + minutes(3), intent: "thanks", confidence: 0.95, body: "Perfect, that works. Thanks!" },
        {
          author: "assistant",
          at: t0 + minutes(3) + 4_000,
          body: "You're welcome, have a great trip! If the tracking stops updating for 5 business days, message us here and we'll open a trace with the carrier.",
          metadata: { citations: cite("shipping-delays") },
        },
      ],
    });
  }

  // 2. Damaged item, refund above the auto-approve limit: escalated, waiting on staff, high priority.
  const deliveredPaid = withCustomer.filter(
    (order) => order.status === "closed" && order.financial === "paid" && order.shipments.every((s) => s.deliveredAt !== null),
  );
  const lastDelivery = (order: GenOrder) => Math.max(...order.shipments.map((s) => s.deliveredAt ?? 0));
  const damaged =
    latestOf(
      deliveredPaid.filter(
        (order) =>
          order.lines.some((line) => line.product.def.productType === "Tents") && lastDelivery(order) < now - 6 * HOUR && lastDelivery(order) > now - 7 * DAY,
      ),
      lastDelivery,
    ) ??
    latestOf(
      deliveredPaid.filter((order) => order.total > 10_000 && lastDelivery(order) < now - 6 * HOUR),
      lastDelivery,
    );
  if (damaged) {
    const customer = damaged.customer;
    const line = damaged.lines.find((l) => l.product.def.productType === "Tents") ?? at(damaged.lines, 0);
    const isTent = line.product.def.productType === "Tents";
    const problem = isTent ? "one of the pole sections is snapped clean through" : "the main zipper pulled apart along one side";
    const t0 = Math.round(Math.min(lastDelivery(damaged) + 3 * HOUR, now - 2 * HOUR));
    const handoffAt = t0 + minutes(6);
    specs.push({
      key: "damaged-escalated",
      customer,
      shopperName: `${customer.firstName} ${customer.lastName}`,
      shopperEmail: customer.email,
      subject: `Damaged ${line.product.def.title} (${damaged.name})`,
      language: "en",
      status: "waiting_on_staff",
      priority: "high",
      handledByHuman: true,
      assigneeEmail: at(STAFF, 2).email,
      verified: [damaged],
      lastIntent: "damaged_item",
      sentiment: -0.6,
      summary: `${customer.firstName}'s ${line.product.def.title} from ${damaged.name} arrived damaged (${problem}). Photos provided within the 7-day window. Wants a full refund of ${dollars(damaged.total)}, above the ${dollars(STORE_FACTS.autoApproveRefundLimit * 100)} auto-approve limit.`,
      escalatedAt: handoffAt,
      escalationReason: `Refund request of ${dollars(damaged.total)} is above the ${dollars(STORE_FACTS.autoApproveRefundLimit * 100)} auto-approve limit (damaged item, photos attached).`,
      messages: [
        {
          author: "shopper",
          at: t0,
          intent: "damaged_item",
          confidence: 0.93,
          body: `My ${line.product.def.title} arrived and ${problem}. I'm leaving for a trip on Friday. This is really frustrating.`,
        },
        {
          author: "assistant",
          at: t0 + 5_000,
          body: "I'm really sorry, that's not how anyone wants to start a trip. I can help. Could you confirm your order number and the email address you used at checkout?",
        },
        { author: "shopper", at: t0 + minutes(1), intent: "verify_identity", confidence: 0.98, body: `${damaged.name}, ${customer.email}` },
        {
          author: "assistant",
          at: t0 + minutes(1) + 6_000,
          confidence: 0.9,
          body: `Thank you, I found order ${damaged.name}, delivered on ${fmtDate(lastDelivery(damaged))}. Items that arrive damaged and are reported within 7 days of delivery are covered: we can send a free replacement or give you a full refund including shipping. Could you upload a photo of the damage and of the shipping box?`,
          metadata: {
            toolCalls: [{ name: "lookup_order", input: { orderName: damaged.name, email: customer.email } }],
            citations: cite("damaged-defective-wrong-items"),
          },
        },
        {
          author: "shopper",
          at: t0 + minutes(5),
          intent: "refund_request",
          confidence: 0.91,
          body: "Photos attached. Honestly I just want a full refund at this point, I'll buy something locally before Friday.",
          metadata: {
            attachments: [
              { name: "damage.jpg", contentType: "image/jpeg" },
              { name: "shipping-box.jpg", contentType: "image/jpeg" },
            ],
          },
        },
        {
          author: "assistant",
          at: handoffAt,
          body: `Thanks for the photos, and I completely understand. Because this refund is over ${dollars(STORE_FACTS.autoApproveRefundLimit * 100)}, a member of our team needs to approve it. I've passed your conversation and photos to them and they'll reply right here. Our team is available Monday–Friday 8 a.m.–6 p.m. and Saturday 9 a.m.–3 p.m. Pacific Time.`,
          metadata: { handoff: true, citations: cite("contact-us") },
        },
        {
          author: "system",
          at: handoffAt + 1_000,
          visibility: "internal",
          body: `Escalated to the support team: refund of ${dollars(damaged.total)} above the auto-approve limit. Assigned to ${at(STAFF, 2).name}.`,
        },
        {
          author: "assistant",
          at: handoffAt + 3_000,
          visibility: "internal",
          confidence: 0.82,
          body: `Hi ${customer.firstName}, I'm so sorry about the damaged ${line.product.def.title}. I've issued a full refund of ${dollars(damaged.total)} to your original payment method, shipping included; you'll see it within 5–10 business days. There's no need to send it back. Have a great trip!`,
          metadata: { draft: true, suggestedAction: { type: "refund", orderId: damaged.id, amount: money(damaged.total), reason: "Damaged on arrival" } },
        },
      ],
    });
  }

  // 3. Exchange for a different size: the assistant is waiting on the shopper.
  const sized = ["XS", "S", "M", "L", "XL"];
  const exchange = latestOf(
    withCustomer.filter(
      (order) =>
        order !== damaged &&
        order.status === "closed" &&
        order.financial === "paid" &&
        lastDelivery(order) > now - 25 * DAY &&
        lastDelivery(order) < now - DAY &&
        order.lines.some((line) => ["S", "M", "L"].includes(line.variant.title) && line.product.def.productType !== "Socks"),
    ),
    lastDelivery,
  );
  if (exchange) {
    const customer = exchange.customer;
    const line = exchange.lines.find((l) => ["S", "M", "L"].includes(l.variant.title) && l.product.def.productType !== "Socks") ?? at(exchange.lines, 0);
    const nextSize = sized[sized.indexOf(line.variant.title) + 1] ?? "XL";
    const nextVariant = line.product.variants.find((variant) => variant.title === nextSize);
    const stock = nextVariant?.available
      ? `Size ${nextSize} is in stock right now.`
      : `Size ${nextSize} is out of stock at the moment, so I could set up a refund or store credit instead if you prefer.`;
    const t0 = now - 5 * HOUR;
    specs.push({
      key: "exchange-size",
      customer,
      shopperName: `${customer.firstName} ${customer.lastName}`,
      shopperEmail: customer.email,
      subject: `Exchange ${line.product.def.title} for a bigger size`,
      language: "en",
      status: "waiting_on_shopper",
      priority: "normal",
      handledByHuman: false,
      verified: [exchange],
      lastIntent: "exchange",
      sentiment: 0.1,
      messages: [
        {
          author: "shopper",
          at: t0,
          intent: "exchange",
          confidence: 0.95,
          body: `Hi, the ${line.product.def.title} I got in ${line.variant.title} is too tight across the shoulders. Can I swap it for a bigger size? Order ${exchange.name}, email ${customer.email}.`,
        },
        {
          author: "assistant",
          at: t0 + 6_000,
          confidence: 0.92,
          body: `Of course! Order ${exchange.name} was delivered on ${fmtDate(lastDelivery(exchange))}, so you're well within the 30-day window. Exchanges are free for US orders: we email you a prepaid label and ship the new size as soon as your return gets its first carrier scan. ${stock} Would you like me to start an exchange for size ${nextSize}? Please make sure the tags are still attached.`,
          metadata: {
            toolCalls: [{ name: "lookup_order", input: { orderName: exchange.name, email: customer.email } }],
            citations: cite("exchanges", "apparel-size-guide"),
            quickReplies: [`Yes, exchange for ${nextSize}`, "I'd prefer a refund"],
          },
        },
      ],
    });
  }

  // 4. Address change before shipping: handled and resolved by a staff member.
  const unshipped = latestOf(
    withCustomer.filter(
      (order) => order.status === "open" && order.fulfillment === "unfulfilled" && order.financial === "paid" && !order.address.address2 && order.placedAt < now - 3 * HOUR,
    ),
    (order) => order.placedAt,
  );
  if (unshipped) {
    const customer = unshipped.customer;
    const t0 = unshipped.placedAt + minutes(14);
    const staff = at(STAFF, 3);
    const staffReply = t0 + minutes(38);
    unshipped.address.address2 = "Apt 4B";
    unshipped.sourceUpdatedAt = Math.max(unshipped.sourceUpdatedAt, staffReply);
    specs.push({
      key: "address-change",
      customer,
      shopperName: `${customer.firstName} ${customer.lastName}`,
      shopperEmail: customer.email,
      subject: `Add apartment number to ${unshipped.name}`,
      language: "en",
      status: "resolved",
      priority: "normal",
      handledByHuman: true,
      assigneeEmail: staff.email,
      verified: [unshipped],
      lastIntent: "address_change",
      sentiment: 0.5,
      escalatedAt: t0 + minutes(1),
      escalationReason: "Address changes need staff approval.",
      resolvedAt: staffReply + minutes(5),
      messages: [
        {
          author: "shopper",
          at: t0,
          intent: "address_change",
          confidence: 0.96,
          body: `I just placed order ${unshipped.name} and forgot my apartment number! It should be Apt 4B. My email is ${customer.email}.`,
        },
        {
          author: "assistant",
          at: t0 + 5_000,
          body: "Thanks for letting us know so quickly. Your order hasn't shipped yet, so the address can still be updated. Address changes are checked by our team before they're applied, so I've passed your request on; you'll get a confirmation here and by email.",
          metadata: { handoff: true, citations: cite("change-shipping-address") },
        },
        {
          author: "staff",
          at: staffReply,
          staffEmail: staff.email,
          body: `Hi ${customer.firstName}, ${staff.name.split(" ")[0]} here. I've added Apt 4B to the shipping address on ${unshipped.name}: ${customer.address1}, Apt 4B, ${customer.place.city}, ${customer.place.provinceCode} ${customer.place.zip}. You'll get tracking by email as soon as it ships.`,
        },
        { author: "shopper", at: staffReply + minutes(3), intent: "thanks", confidence: 0.97, body: `Great, thank you ${staff.name.split(" ")[0]}!` },
      ],
    });
  }

  // 5. Sizing question in French, no order: closed.
  const frCustomer = customers.find((customer) => customer.locale === "fr");
  const t5 = now - 6 * DAY + 10 * HOUR;
  specs.push({
    key: "sizing-fr",
    customer: frCustomer ?? null,
    shopperName: frCustomer ? `${frCustomer.firstName} ${frCustomer.lastName}` : "Camille",
    shopperEmail: frCustomer?.email ?? null,
    subject: "Pointure Ridgeback Waterproof Hiking Boot",
    language: "fr",
    status: "closed",
    priority: "low",
    handledByHuman: false,
    verified: [],
    lastIntent: "sizing",
    sentiment: 0.6,
    resolvedAt: t5 + minutes(8),
    messages: [
      {
        author: "shopper",
        at: t5,
        intent: "sizing",
        confidence: 0.93,
        body: "Bonjour, je chausse du 42 en pointure européenne. Quelle taille dois-je prendre pour la Ridgeback Waterproof Hiking Boot homme ?",
      },
      {
        author: "assistant",
        at: t5 + 6_000,
        confidence: 0.88,
        body: "Bonjour ! Le 42 EU se situe entre le 8 US (41 EU, pied de 25,8 cm) et le 9 US (42,5 EU, pied de 26,7 cm). La Ridgeback taille normalement, et si vous êtes entre deux tailles nous conseillons de prendre une demi-taille au-dessus : je vous recommande donc le 9 US. Mesurez votre pied en fin de journée, avec vos chaussettes de randonnée, pour confirmer.",
        metadata: { citations: cite("footwear-size-guide") },
      },
      { author: "shopper", at: t5 + minutes(3), intent: "returns", confidence: 0.9, body: "Et si elles ne me vont pas, je peux les renvoyer depuis la France ?" },
      {
        author: "assistant",
        at: t5 + minutes(3) + 6_000,
        confidence: 0.9,
        body: "Oui : vous avez 30 jours après la livraison pour renvoyer des chaussures essayées uniquement en intérieur, dans leur boîte d'origine. Pour les commandes internationales, les frais de retour sont à votre charge et nous ne proposons pas d'échange direct : il suffit de retourner l'article puis de passer une nouvelle commande. Le remboursement est effectué en dollars américains sur votre moyen de paiement d'origine.",
        metadata: { citations: cite("return-policy-overview", "exchanges", "currencies") },
      },
      { author: "shopper", at: t5 + minutes(5), intent: "thanks", confidence: 0.97, body: "Merci beaucoup, bonne journée !" },
    ],
  });

  // 6. Cancellation before shipping, done by the assistant: resolved, rated 4.
  const cancelled = latestOf(
    orders.filter((order) => order.status === "cancelled" && order.cancelReason === "customer" && !order.guest && order.cancelledAt !== null),
    (order) => order.placedAt,
  );
  if (cancelled?.cancelledAt) {
    const customer = cancelled.customer;
    const t0 = cancelled.cancelledAt - minutes(3);
    specs.push({
      key: "cancel-order",
      customer,
      shopperName: `${customer.firstName} ${customer.lastName}`,
      shopperEmail: customer.email,
      subject: `Cancel order ${cancelled.name}`,
      language: customer.locale,
      status: "resolved",
      priority: "normal",
      handledByHuman: false,
      verified: [cancelled],
      lastIntent: "cancel_order",
      sentiment: 0.2,
      resolvedAt: cancelled.cancelledAt + minutes(2),
      csatScore: 4,
      csatComment: "Easy, but I wish I could have just changed the color instead of cancelling.",
      messages: [
        { author: "shopper", at: t0, intent: "cancel_order", confidence: 0.97, body: `Hi, can I cancel order ${cancelled.name}? I picked the wrong color.` },
        { author: "assistant", at: t0 + 4_000, body: "I can help with that. Please confirm the email address on the order." },
        { author: "shopper", at: t0 + minutes(1), intent: "verify_identity", confidence: 0.99, body: customer.email },
        {
          author: "assistant",
          at: t0 + minutes(1) + 5_000,
          confidence: 0.95,
          body: `Thanks! Order ${cancelled.name} hasn't shipped yet, so it can be cancelled free of charge. Shall I cancel the whole order and refund ${dollars(cancelled.total)} to your original payment method?`,
          metadata: { citations: cite("cancel-order"), quickReplies: ["Yes, cancel it", "No, keep my order"] },
        },
        { author: "shopper", at: t0 + minutes(2) + 30_000, intent: "confirm", confidence: 0.98, body: "Yes please" },
        {
          author: "assistant",
          at: cancelled.cancelledAt,
          confidence: 0.97,
          body: `Done: order ${cancelled.name} is cancelled and ${dollars(cancelled.total)} has been refunded to your original payment method. Card refunds take 5–10 business days to appear, and you'll get a cancellation email shortly. You're welcome to place a new order in the color you wanted.`,
          metadata: {
            toolCalls: [
              {
                name: "cancel_order",
                input: { orderId: cancelled.id, reason: "customer" },
                result: { status: "cancelled", refunded: money(cancelled.total) },
              },
            ],
          },
        },
      ],
    });
  }

  // 7. Discount code problem from a guest: open.
  const t7 = now - 50 * MINUTE;
  specs.push({
    key: "discount-code",
    customer: null,
    shopperName: "Jordan",
    shopperEmail: "jordan.wells@example.org",
    subject: "WELCOME10 not working",
    language: "en",
    status: "open",
    priority: "normal",
    handledByHuman: false,
    verified: [],
    lastIntent: "discount_code",
    sentiment: -0.2,
    messages: [
      { author: "shopper", at: t7, intent: "discount_code", confidence: 0.96, body: "The code WELCOME10 says it's not valid for my cart??" },
      {
        author: "assistant",
        at: t7 + 5_000,
        confidence: 0.9,
        body: "Sorry about that! WELCOME10 takes 10% off your first order and can be used once per customer and email address. It's usually declined when the email at checkout has ordered with us before, or when the cart only has gift cards or Final Sale items. What's in your cart?",
        metadata: { citations: cite("discount-codes") },
      },
      { author: "shopper", at: t7 + minutes(2), intent: "discount_code", confidence: 0.88, body: "Just the Cascade rain shell and a $50 gift card. I've never ordered before." },
      {
        author: "assistant",
        at: t7 + minutes(2) + 6_000,
        confidence: 0.86,
        body: "Thanks! Codes don't apply to gift cards, but the Cascade 2.5L Rain Shell qualifies, so you should see 10% off the jacket. Please check that the code is typed without spaces and that the email at checkout is the one you used to sign up for the newsletter. If it still fails, tell me and I'll ask our team to look into it.",
        metadata: { citations: cite("discount-codes", "gift-cards"), quickReplies: ["It worked, thanks!", "Still not working"] },
      },
    ],
  });

  return specs;
}

// ---------------------------------------------------------------- Seed

export async function seedDemoShop(prisma: PrismaClient, options: SeedDemoShopOptions): Promise<SeedSummary> {
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`seedDemoShop: scale must be a positive number, got ${scale}`);
  const now = options.now ? options.now.getTime() : startOfUtcDay(Date.now());
  const domain = options.domain.trim().toLowerCase();

  // Shop and settings.
  const shopFields = {
    name: DEMO_SHOP_NAME,
    email: STORE_FACTS.supportEmail,
    currency: STORE_FACTS.currency,
    timezone: STORE_FACTS.timezone,
    primaryLocale: "en",
    locales: [...STORE_FACTS.locales],
  };
  const shop = await prisma.shop.upsert({ where: { domain }, create: { domain, ...shopFields }, update: shopFields, select: { id: true } });
  const shopId = shop.id;
  const id = (key: string) => stableId(shopId, key);

  await prisma.shopSettings.upsert({
    where: { shopId },
    update: {},
    create: {
      shopId,
      assistantName: "Juniper",
      greeting: "Hi, I'm Juniper from Northwind Outfitters! I can track your order, start a return or exchange, and help with sizing and shipping questions.",
      brandVoice: "Warm, practical and outdoorsy. Short sentences and plain words, no hype. Use the shopper's first name when you know it.",
      neverSay: ["guaranteed delivery", "I promise", "lifetime warranty", "that's not our problem"],
      returnWindowDays: STORE_FACTS.returnWindowDays,
      autoApproveRefundLimit: money(STORE_FACTS.autoApproveRefundLimit * 100),
      returnConditions:
        "Items must be unused, unwashed and returned within 30 days of delivery with the original tags attached and in the original packaging. Footwear may be tried on indoors only. Gift cards, Final Sale items, personalized items, food, fuel canisters and opened socks or underwear can't be returned.",
      allowCancelUnfulfilled: true,
      addressChangeNeedsApproval: true,
      escalationRules: {
        orderValueThreshold: 250,
        keywords: ["chargeback", "lawyer", "fraud", "injury", "injured", "unsafe", "allergic", "better business bureau"],
        frustrationThreshold: 0.7,
        maxFailedTurns: 2,
      },
      businessHours: {
        timezone: STORE_FACTS.timezone,
        days: {
          monday: { open: "08:00", close: "18:00" },
          tuesday: { open: "08:00", close: "18:00" },
          wednesday: { open: "08:00", close: "18:00" },
          thursday: { open: "08:00", close: "18:00" },
          friday: { open: "08:00", close: "18:00" },
          saturday: { open: "09:00", close: "15:00" },
          sunday: null,
        },
        closedOn: "US federal holidays",
        expectedResponse: "within 1 business day",
      },
      widget: { quickReplies: ["Where is my order?", "Start a return", "Sizing help", "Shipping costs"] },
    },
  });

  await prisma.staffMember.createMany({
    data: STAFF.map((member) => ({ id: id(`staff:${member.email}`), shopId, email: member.email, name: member.name, role: member.role })),
    skipDuplicates: true,
  });
  const staffIds = new Map(
    (await prisma.staffMember.findMany({ where: { shopId, email: { in: STAFF.map((m) => m.email) } }, select: { id: true, email: true } })).map((row) => [
      row.email,
      row.id,
    ]),
  );

  // Catalogue.
  const catalogue = buildCatalogue(shopId, now);
  await prisma.product.createMany({
    data: catalogue.map((product) => ({
      id: product.id,
      shopId,
      platform: PLATFORM,
      externalId: product.externalId,
      handle: product.def.handle,
      title: product.def.title,
      description: product.def.description,
      vendor: product.def.vendor ?? DEMO_SHOP_NAME,
      productType: product.def.productType,
      tags: product.def.tags,
      status: "active",
      currency: STORE_FACTS.currency,
      priceMin: money(Math.min(...product.variants.map((v) => v.priceCents))),
      priceMax: money(Math.max(...product.variants.map((v) => v.priceCents))),
      available: product.available,
      createdAt: product.createdAt,
    })),
    skipDuplicates: true,
  });
  const productIds = await lookupIds(
    catalogue.map((p) => p.externalId),
    async (chunk) =>
      (
        await prisma.product.findMany({ where: { shopId, platform: PLATFORM, externalId: { in: chunk } }, select: { id: true, externalId: true } })
      ).map((row) => ({ id: row.id, key: row.externalId })),
  );
  const variantRows: Prisma.ProductVariantCreateManyInput[] = [];
  for (const product of catalogue) {
    const productId = productIds.get(product.externalId);
    if (!productId) continue;
    for (const variant of product.variants) {
      variantRows.push({
        id: variant.id,
        shopId,
        productId,
        externalId: variant.externalId,
        title: variant.title,
        sku: variant.sku,
        price: money(variant.priceCents),
        inventoryQuantity: variant.inventory,
        available: variant.available,
      });
    }
  }
  await inBatches(variantRows, (batch) => prisma.productVariant.createMany({ data: batch, skipDuplicates: true }));

  // Customers and orders.
  const usedEmails = new Set<string>();
  const customers = buildCustomers(shopId, Math.max(1, Math.round(BASE_CUSTOMERS * scale)), usedEmails);
  const orders = buildOrders(shopId, now, Math.max(1, Math.round(BASE_ORDERS * scale)), catalogue, customers, usedEmails);
  assignCustomerDates(new Rng(0xda7e5eed), now, customers, orders);


  await inBatches(customers, (batch) =>
    prisma.customer.createMany({
      data: batch.map((customer) => ({
        id: customer.id ?? undefined,
        shopId,
        platform: PLATFORM,
        externalId: customer.externalId ?? "",
        email: customer.email,
        firstName: customer.firstName,
        lastName: customer.lastName,
        phone: customer.phone,
        locale: customer.locale,
        createdAt: customer.createdAt,
      })),
      skipDuplicates: true,
    }),
  );
  const customerIds = await lookupIds(
    customers.map((c) => c.externalId ?? ""),
    async (chunk) =>
      (
        await prisma.customer.findMany({ where: { shopId, platform: PLATFORM, externalId: { in: chunk } }, select: { id: true, externalId: true } })
      ).map((row) => ({ id: row.id, key: row.externalId })),
  );
  const customerIdOf = (customer: GenCustomer | null) => (customer?.externalId ? (customerIds.get(customer.externalId) ?? null) : null);

  // Orders are written as units: shipments and refunds first, line items last, so an order with line items is
  // complete. Complete orders are left alone (a rerun on another day generates a slightly different history and
  // must not graft it onto stored orders); orders an interrupted run left incomplete are removed and rebuilt.
  const storedOrders = await lookupIds(
    orders.map((o) => o.externalId),
    async (chunk) =>
      (
        await prisma.order.findMany({
          where: { shopId, platform: PLATFORM, externalId: { in: chunk } },
          select: { id: true, externalId: true, _count: { select: { lineItems: true } } },
        })
      ).map((row) => ({ id: row._count.lineItems > 0 ? row.id : `incomplete:${row.id}`, key: row.externalId })),
  );
  const incompleteOrderIds = [...storedOrders.values()].filter((value) => value.startsWith("incomplete:")).map((value) => value.slice(11));
  for (let i = 0; i < incompleteOrderIds.length; i += LOOKUP_CHUNK) {
    await prisma.order.deleteMany({ where: { shopId, id: { in: incompleteOrderIds.slice(i, i + LOOKUP_CHUNK) } } });
  }
  const newOrders: GenOrder[] = [];
  for (const order of orders) {
    const stored = storedOrders.get(order.externalId);
    if (stored && !stored.startsWith("incomplete:")) order.id = stored;
    else newOrders.push(order);
  }

  // Built before new orders are written: the address-change conversation edits its (unshipped) order.
  const articleIds = new Map(ARTICLES.map((article) => [article.slug, { id: id(`knowledge:article:${article.slug}`), title: article.title }]));
  const conversations = buildConversations(now, orders, customers, articleIds);

  await inBatches(newOrders, (batch) =>
    prisma.order.createMany({
      data: batch.map((order) => ({
        id: order.id,
        shopId,
        customerId: order.guest ? null : customerIdOf(order.customer),
        platform: PLATFORM,
        externalId: order.externalId,
        name: order.name,
        number: order.number,
        email: order.customer.email,
        currency: STORE_FACTS.currency,
        subtotal: money(order.subtotal),
        shippingTotal: money(order.shipping),
        taxTotal: money(order.tax),
        discountTotal: money(order.discount),
        total: money(order.total),
        status: order.status,
        financialStatus: order.financial,
        fulfillmentStatus: order.fulfillment,
        shippingAddress: order.address,
        cancelledAt: order.cancelledAt === null ? null : new Date(order.cancelledAt),
        cancelReason: order.cancelReason,
        placedAt: new Date(order.placedAt),
        sourceUpdatedAt: new Date(order.sourceUpdatedAt),
        createdAt: new Date(order.placedAt + 2_000),
      })),
      skipDuplicates: true,
    }),
  );
  const orderIds = await lookupIds(
    newOrders.map((o) => o.externalId),
    async (chunk) =>
      (await prisma.order.findMany({ where: { shopId, platform: PLATFORM, externalId: { in: chunk } }, select: { id: true, externalId: true } })).map(
        (row) => ({ id: row.id, key: row.externalId }),
      ),
  );

  const lineRows: Prisma.OrderLineItemCreateManyInput[] = [];
  const shipmentRows: Prisma.ShipmentCreateManyInput[] = [];
  const refundRows: Prisma.RefundCreateManyInput[] = [];
  for (const order of newOrders) {
    const orderId = orderIds.get(order.externalId);
    if (!orderId) continue;
    order.id = orderId;
    for (const line of order.lines) {
      lineRows.push({
        id: line.id,
        shopId,
        orderId,
        externalId: line.externalId,
        productExternalId: line.product.externalId,
        title: line.product.def.title,
        variantTitle: line.variant.title === "Default Title" ? null : line.variant.title,
        sku: line.variant.sku,
        quantity: line.quantity,
        unitPrice: money(line.unitCents),
        fulfilledQuantity: line.fulfilledQuantity,
        refundedQuantity: line.refundedQuantity,
      });
    }
    for (const shipment of order.shipments) {
      shipmentRows.push({
        id: shipment.id,
        shopId,
        orderId,
        platform: PLATFORM,
        externalId: shipment.externalId,
        status: shipment.status,
        carrier: shipment.carrier,
        trackingNumber: shipment.trackingNumber,
        trackingUrl: shipment.trackingUrl,
        events: shipment.events
          .slice()
          .reverse()
          .map((event) => ({ at: new Date(event.at).toISOString(), status: event.status, location: event.location, message: event.message })),
        shippedAt: new Date(shipment.shippedAt),
        estimatedDeliveryAt: new Date(shipment.estimatedAt),
        deliveredAt: shipment.deliveredAt === null ? null : new Date(shipment.deliveredAt),
        createdAt: new Date(shipment.shippedAt),
      });
    }
    for (const refund of order.refunds) {
      refundRows.push({
        id: refund.id,
        shopId,
        orderId,
        platform: PLATFORM,
        externalId: refund.externalId,
        amount: money(refund.amountCents),
        currency: STORE_FACTS.currency,
        status: "succeeded",
        reason: refund.reason,
        processedAt: new Date(refund.processedAt),
        createdAt: new Date(refund.processedAt),
      });
    }
  }
  await inBatches(shipmentRows, (batch) => prisma.shipment.createMany({ data: batch, skipDuplicates: true }), 500);
  await inBatches(refundRows, (batch) => prisma.refund.createMany({ data: batch, skipDuplicates: true }));
  await inBatches(lineRows, (batch) => prisma.orderLineItem.createMany({ data: batch, skipDuplicates: true }));

  // Knowledge: articles and policies, published, version 1 each.
  const publishedAt = now - 90 * DAY;
  const sources = [
    ...ARTICLES.map((article, i) => ({
      id: id(`knowledge:article:${article.slug}`),
      kind: "article" as const,
      externalId: null,
      title: article.title,
      body: article.body,
      tags: article.tags,
      publishedAt: publishedAt + i * HOUR,
    })),
    ...POLICIES.map((policy, i) => ({
      id: id(`knowledge:policy:${policy.externalId}`),
      kind: "policy" as const,
      externalId: policy.externalId,
      title: policy.title,
      body: policy.body,
      tags: policy.tags,
      publishedAt: publishedAt - (i + 1) * DAY,
    })),
  ];
  await prisma.knowledgeSource.createMany({
    data: sources.map((source) => ({
      id: source.id,
      shopId,
      kind: source.kind,
      externalId: source.externalId,
      title: source.title,
      body: source.body,
      tags: source.tags,
      language: "en",
      status: "published",
      version: 1,
      contentHash: sha256(`${source.title}\n${source.body}`),
      publishedAt: new Date(source.publishedAt),
      createdAt: new Date(source.publishedAt),
    })),
    skipDuplicates: true,
  });
  // A policy synced earlier under another id keeps that id.
  const storedPolicies = await prisma.knowledgeSource.findMany({
    where: { shopId, kind: "policy", externalId: { in: POLICIES.map((p) => p.externalId) } },
    select: { id: true, externalId: true },
  });
  const storedSourceIds = new Set(
    (await prisma.knowledgeSource.findMany({ where: { shopId, id: { in: sources.map((s) => s.id) } }, select: { id: true } })).map((row) => row.id),
  );
  for (const row of storedPolicies) storedSourceIds.add(row.id);
  const policyIdByKey = new Map(storedPolicies.map((row) => [row.externalId ?? "", row.id]));
  await prisma.knowledgeSourceVersion.createMany({
    data: sources.flatMap((source) => {
      const sourceId = source.kind === "policy" ? policyIdByKey.get(source.externalId ?? "") : source.id;
      if (!sourceId || !storedSourceIds.has(sourceId)) return [];
      return [
        {
          id: id(`knowledge-version:${source.kind}:${source.externalId ?? source.id}:1`),
          sourceId,
          version: 1,
          title: source.title,
          body: source.body,
          tags: source.tags,
          createdAt: new Date(source.publishedAt),
        },
      ];
    }),
    skipDuplicates: true,
  });

  // Conversations and messages.
  const conversationRows: Prisma.ConversationCreateManyInput[] = [];
  const messageRows: Prisma.MessageCreateManyInput[] = [];
  for (const spec of conversations) {
    const conversationId = id(`conversation:${spec.key}`);
    const first = at(spec.messages, 0);
    const last = at(spec.messages, spec.messages.length - 1);
    const firstResponse = spec.messages.find((m) => m.author !== "shopper" && m.author !== "system" && m.visibility !== "internal");
    conversationRows.push({
      id: conversationId,
      shopId,
      customerId: customerIdOf(spec.customer),
      assigneeId: spec.assigneeEmail ? (staffIds.get(spec.assigneeEmail) ?? null) : null,
      channel: "web_chat",
      status: spec.status,
      priority: spec.priority,
      handledByHuman: spec.handledByHuman,
      subject: spec.subject,
      language: spec.language,
      tokenHash: sha256(`${shopId}:demo-conversation:${spec.key}`),
      shopperEmail: spec.shopperEmail,
      shopperName: spec.shopperName,
      verifiedOrderIds: spec.verified.map((order) => order.id),
      lastIntent: spec.lastIntent,
      sentiment: spec.sentiment,
      summary: spec.summary ?? null,
      escalatedAt: spec.escalatedAt === undefined ? null : new Date(spec.escalatedAt),
      escalationReason: spec.escalationReason ?? null,
      firstResponseAt: firstResponse ? new Date(firstResponse.at) : null,
      lastMessageAt: new Date(last.at),
      resolvedAt: spec.resolvedAt === undefined ? null : new Date(spec.resolvedAt),
      csatScore: spec.csatScore ?? null,
      csatComment: spec.csatComment ?? null,
      createdAt: new Date(first.at),
    });
    spec.messages.forEach((message, i) => {
      messageRows.push({
        id: id(`message:${spec.key}:${i}`),
        shopId,
        conversationId,
        author: message.author,
        visibility: message.visibility ?? "public",
        staffId: message.staffEmail ? (staffIds.get(message.staffEmail) ?? null) : null,
        body: message.body,
        metadata: message.metadata ?? {},
        intent: message.intent ?? null,
        confidence: message.confidence ?? null,
        createdAt: new Date(message.at),
      });
    });
  }
  // Conversations are units too: one with messages is complete and kept; one without is rebuilt.
  const existingConversations = await prisma.conversation.findMany({
    where: { shopId, id: { in: conversationRows.map((c) => c.id ?? "") } },
    select: { id: true, _count: { select: { messages: true } } },
  });
  const completeConversations = new Set(existingConversations.filter((c) => c._count.messages > 0).map((c) => c.id));
  const incompleteConversations = existingConversations.filter((c) => c._count.messages === 0).map((c) => c.id);
  if (incompleteConversations.length > 0) await prisma.conversation.deleteMany({ where: { shopId, id: { in: incompleteConversations } } });
  const newConversationRows = conversationRows.filter((c) => !completeConversations.has(c.id ?? ""));
  await prisma.conversation.createMany({ data: newConversationRows, skipDuplicates: true });
  const storedConversations = new Set(
    (await prisma.conversation.findMany({ where: { shopId, id: { in: newConversationRows.map((c) => c.id ?? "") } }, select: { id: true } })).map(
      (row) => row.id,
    ),
  );
  await prisma.message.createMany({ data: messageRows.filter((m) => storedConversations.has(m.conversationId)), skipDuplicates: true });

  // Summary of what the shop now holds.
  const [products, customerCount, orderCount, shipments, refunds, articles, policies, conversationCount] = await Promise.all([
    prisma.product.count({ where: { shopId } }),
    prisma.customer.count({ where: { shopId } }),
    prisma.order.count({ where: { shopId } }),
    prisma.shipment.count({ where: { shopId } }),
    prisma.refund.count({ where: { shopId } }),
    prisma.knowledgeSource.count({ where: { shopId, kind: "article" } }),
    prisma.knowledgeSource.count({ where: { shopId, kind: "policy" } }),
    prisma.conversation.count({ where: { shopId } }),
  ]);
  return {
    shopId,
    products,
    customers: customerCount,
    orders: orderCount,
    shipments,
    refunds,
    articles,
    policies,
    conversations: conversationCount,
  };
}
