import { STORE_FACTS, HUBS, type SeedPlace } from "../seed-data";
import { addBusinessDays, DAY, HOUR, MINUTE, previousBusinessDay, startOfUtcDay } from "./calendar";
import type { Carrier, GenEvent, GenOrder, GenShipment, Method, ShipmentFate } from "./model";
import type { Rng } from "./random";

const UPS_SHIPPER = "V8A462";

/** In each carrier's real format (the assistant's entity extraction recognises them). */
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

export function carrierFor(method: Method, subtotal: number): Carrier {
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

export const ORIGIN = `${STORE_FACTS.warehouse.city}, ${STORE_FACTS.warehouse.provinceCode}, US`;

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

interface ShipmentContext {
  now: number;
  order: Pick<GenOrder, "method" | "lineItemsTotal" | "total" | "customer">;
  shopifyId: number;
  lines: GenShipment["lines"];
}

/** A fulfillment and the carrier events it has had by `now`, following the carrier's usual route to the shopper. */
export function buildShipment(
  rng: Rng,
  context: ShipmentContext,
  shippedAt: number,
  fate: ShipmentFate,
  usedTracking: Set<string>,
): GenShipment {
  const { order, now } = context;
  const place = order.customer.place;
  const carrier = carrierFor(order.method, order.lineItemsTotal);
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
  context: ShipmentContext,
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
  // Four or more items go out in two boxes, each with its own label.
  const items = context.lines.reduce((sum, { quantity }) => sum + quantity, 0);
  const numbers = Array.from({ length: items >= 4 ? 2 : 1 }, () => trackingNumber(rng, draft.carrier, context.order.method, usedTracking));
  return {
    shopifyId: context.shopifyId,
    carrier: draft.carrier,
    trackingNumbers: numbers,
    trackingUrls: numbers.map((number) => trackingUrl(draft.carrier, number)),
    status: last?.status ?? "label_printed",
    lines: context.lines,
    shippedAt: Math.round(draft.shippedAt),
    estimatedAt: draft.estimatedAt,
    deliveredAt: delivered?.at ?? null,
    events,
    fate: draft.fate,
  };
}

