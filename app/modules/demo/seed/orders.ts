import { PLACES, type SeedPlace, STORE_FACTS } from "../seed-data";
import { addBusinessDays, DAY, HOUR, isWeekend, MINUTE, nextBusinessDay, startOfUtcDay } from "./calendar";
import { makePerson, phoneFor, streetAddress } from "./customers";
import type { GenCustomer, GenDiscount, GenLine, GenOrder, GenProduct, GenRefund, GenRefundLine, Method, ShipmentFate } from "./model";
import { HISTORY_DAYS } from "./model";
import { allocate, dollars } from "./money";
import { Rng } from "./random";
import { buildShipment } from "./shipments";

/**
 * Six months of orders in every lifecycle state: pending payment, unfulfilled, partly and fully shipped (with
 * carrier fates: on time, delayed, attempted, lost), delivered and closed, cancelled, refunded in full or in part.
 * Totals are consistent the way Shopify's are: order-level discounts are allocated across lines, tax is charged
 * on each discounted line, and refunds pay back line subtotals, their tax and shipping.
 */

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

export function shippingCost(method: Method, discounted: number): number {
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

/** Every unit of every line back: its discounted price and its tax. */
function wholeLines(lines: GenLine[], restockType: GenRefundLine["restockType"]): GenRefundLine[] {
  return lines.map((line) => ({
    line,
    quantity: line.quantity,
    subtotalCents: line.quantity * line.unitCents - line.discountCents,
    taxCents: line.taxCents,
    restockType,
  }));
}

/** Some units of a line back, with their share of its discount and tax. */
function partOfLine(line: GenLine, quantity: number): GenRefundLine {
  return {
    line,
    quantity,
    subtotalCents: Math.round(((line.quantity * line.unitCents - line.discountCents) * quantity) / line.quantity),
    taxCents: Math.round((line.taxCents * quantity) / line.quantity),
    restockType: "return",
  };
}

const refundTotal = (lines: GenRefundLine[]) => lines.reduce((sum, line) => sum + line.subtotalCents + line.taxCents, 0);

function chooseDiscount(rng: Rng, customer: GenCustomer, guest: boolean, lineItemsTotal: number): { code: GenDiscount | null; cents: number } {
  if (!guest && customer.orderCount === 0 && rng.chance(0.3)) {
    return { code: { code: "WELCOME10", valueType: "percentage", value: 10 }, cents: Math.round(lineItemsTotal * 0.1) };
  }
  if (lineItemsTotal >= 15_000 && rng.chance(0.12)) {
    return { code: { code: "TRAIL15", valueType: "percentage", value: 15 }, cents: Math.round(lineItemsTotal * 0.15) };
  }
  if (lineItemsTotal >= 6_000 && rng.chance(0.05)) return { code: { code: "SAVE10", valueType: "fixed_amount", value: 10 }, cents: 1_000 };
  return { code: null, cents: 0 };
}

export function buildOrders(now: number, count: number, catalogue: GenProduct[], customers: GenCustomer[], usedEmails: Set<string>): GenOrder[] {
  const rng = new Rng(0x0de5eed5);
  const usedTracking = new Set<string>();
  const showcase = { outNow: 0, attemptedNow: 0 };
  const shippable = catalogue.filter((product) => !product.def.notShipped);

  const ages = Array.from({ length: count }, () => Math.max(0.4 * HOUR, HISTORY_DAYS * DAY * rng.next() ** 1.4));
  ages.sort((a, b) => b - a);

  const lapses = new Lapses();
  const build = (age: number, index: number): GenOrder => {
    const number = 1001 + index;
    const placedAt = Math.round(now - age);

    // Customer: a few guest checkouts, otherwise skewed towards repeat buyers.
    let customer: GenCustomer;
    const guest = customers.length === 0 || rng.chance(0.04);
    if (guest) {
      const place = rng.weighted(PLACES, (p) => p.weight);
      customer = {
        shopifyId: null,
        ...makePerson(rng, usedEmails, place),
        phone: phoneFor(rng, place),
        locale: place.locale,
        place,
        address1: streetAddress(rng, place),
        address2: null,
        createdAt: placedAt,
        updatedAt: placedAt,
        orderCount: 0,
      };
    } else {
      customer = lapses.stayingCustomer(customers, Math.floor(customers.length * rng.next() ** 1.5), placedAt);
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
      return { shopifyId: 14_021_550_000_000 + index * 10 + l, product, variant, quantity, unitCents: variant.priceCents, discountCents: 0, taxCents: 0 };
    });
    const lineItemsTotal = lines.reduce((sum, line) => sum + line.quantity * line.unitCents, 0);

    // Discounts (allocated across lines by value), shipping and tax (on each discounted line).
    const discount = chooseDiscount(rng, customer, guest, lineItemsTotal);
    customer.orderCount++;
    const discounted = lineItemsTotal - discount.cents;
    const method = chooseMethod(
      rng,
      place,
      lines.some((line) => line.product.def.code === "IFC"),
    );
    const shipping = shippingCost(method, discounted);
    const tax = Math.round(discounted * place.taxRate);
    const total = discounted + shipping + tax;
    const lineDiscounts = allocate(
      discount.cents,
      lines.map((line) => line.quantity * line.unitCents),
    );
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

    const order: GenOrder = {
      index,
      shopifyId: 5_912_345_678_000 + index * 1_117,
      number,
      name: `#${number}`,
      customer,
      guest,
      method,
      address: { address1: customer.address1, address2: customer.address2 },
      lines,
      lineItemsTotal,
      shipping,
      tax,
      discount: discount.cents,
      discountCode: discount.code,
      total,
      status: "open",
      financial: "paid",
      fulfillment: "unfulfilled",
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      placedAt,
      updatedAt: placedAt + rng.int(2, 40) * 1_000,
      shipments: [],
      refunds: [],
    };
    const refund = (k: number, fields: Omit<GenRefund, "shopifyId">) => order.refunds.push({ shopifyId: 921_604_000_000 + index * 4 + k, ...fields });

    // Lifecycle.
    const shipAt = dispatchTime(rng, placedAt, method);
    const fateRoll = rng.next();
    const cancelWindow = Math.min(shipAt - placedAt - 0.1 * HOUR, 20 * HOUR);
    const cancelledAt = placedAt + rng.float(0.25 * HOUR, Math.max(0.3 * HOUR, cancelWindow));

    if (fateRoll < 0.045 && cancelledAt <= now) {
      const reason = rng.weighted(CANCEL_REASONS, (r) => CANCEL_WEIGHTS[r]);
      order.status = "cancelled";
      order.cancelledAt = Math.round(cancelledAt);
      order.closedAt = order.cancelledAt;
      order.cancelReason = reason;
      if (reason === "declined") {
        order.financial = "voided";
        order.updatedAt = order.cancelledAt;
      } else {
        order.financial = "refunded";
        const processedAt = order.cancelledAt + rng.int(1, 4) * MINUTE;
        refund(0, { reason: CANCEL_REFUND_REASONS[reason], processedAt, lines: wholeLines(lines, "cancel"), shippingCents: shipping, amountCents: total });
        order.updatedAt = processedAt;
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
      // Alternate the two showcase states, so that even a date with few shipments in the window shows both.
      if (showcaseWindow && showcase.attemptedNow < 2 && (showcase.attemptedNow < showcase.outNow || showcase.outNow >= 3)) {
        showcase.attemptedNow++;
        return "attemptedNow";
      }
      if (showcaseWindow && showcase.outNow < 3) {
        showcase.outNow++;
        return "outNow";
      }
      if (!split && roll < 0.015) return "lost";
      if (roll < 0.04) return "attempted";
      if (roll < 0.08) return "delayed";
      return "normal";
    };
    const shipment = (k: number, shipLines: GenLine[], shippedAt: number) =>
      // Each shipment draws from its own generator: how many draws a fate takes never shifts the orders after it.
      buildShipment(
        new Rng(Math.floor(rng.next() * 2 ** 31)),
        { now, order, shopifyId: 4_815_162_342_000 + index * 4 + k, lines: shipLines.map((line) => ({ line, quantity: line.quantity })) },
        shippedAt,
        fateFor(),
        usedTracking,
      );
    order.shipments.push(shipment(0, firstLines, shipAt));
    order.fulfillment = "fulfilled";
    if (split) {
      const laterAt = addBusinessDays(shipAt, rng.int(3, 12));
      if (laterAt <= now) order.shipments.push(shipment(1, laterLines, laterAt));
      else order.fulfillment = "partial";
    }
    const latestEvent = Math.max(...order.shipments.flatMap((s) => s.events.map((event) => event.at)));
    order.updatedAt = Math.max(order.updatedAt, latestEvent);

    const allDelivered = order.fulfillment === "fulfilled" && order.shipments.every((s) => s.deliveredAt !== null);
    const lost = order.shipments.find((s) => s.status === "failure");
    if (lost) {
      const failedAt = lost.events.at(-1)?.at ?? now;
      if (failedAt + 5 * DAY <= now) {
        // Carrier trace closed: refund everything, shipping included.
        const processedAt = Math.round(failedAt + rng.float(3, 5) * DAY);
        refund(0, {
          reason: "Parcel lost in transit: carrier claim filed",
          processedAt,
          lines: wholeLines(lines, "no_restock"),
          shippingCents: shipping,
          amountCents: total,
        });
        order.financial = "refunded";
        order.status = "closed";
        order.closedAt = processedAt;
        order.updatedAt = processedAt;
      }
      return order;
    }
    if (!allDelivered) return order;

    const deliveredAt = Math.max(...order.shipments.map((s) => s.deliveredAt ?? 0));
    order.status = "closed";
    order.closedAt = deliveredAt;
    if (deliveredAt + 30 * DAY > now) return order;

    const refundRoll = rng.next();
    if (refundRoll < 0.065) {
      // Damaged, defective or wrong: the items back, then the shipping in a second refund.
      const processedAt = Math.round(deliveredAt + rng.float(1, 6) * DAY);
      const reason = rng.pick(DAMAGE_REASONS);
      refund(0, { reason, processedAt, lines: wholeLines(lines, "no_restock"), shippingCents: 0, amountCents: total - shipping });
      if (shipping > 0) refund(1, { reason: "Shipping refund", processedAt: processedAt + MINUTE, lines: [], shippingCents: shipping, amountCents: shipping });
      order.financial = "refunded";
      order.updatedAt = processedAt + MINUTE;
    } else if (refundRoll < 0.155) {
      const returnable = lines.filter((line) => line.product.returnable);
      let amount = 0;
      let reason = "";
      let returned: GenRefundLine[] = [];
      if (returnable.length > 0 && rng.chance(0.75)) {
        const candidates = returnable.length > 1 && rng.chance(0.5) ? returnable.slice(0, 2) : [rng.pick(returnable)];
        returned = candidates.map((line) => partOfLine(line, line.quantity > 1 && rng.chance(0.5) ? 1 : line.quantity));
        const fee = place.countryCode === "US" ? STORE_FACTS.returnLabelFeeCents : 0;
        amount = refundTotal(returned) - fee;
        reason = fee > 0 ? `${rng.pick(RETURN_REASONS)} (return label fee ${dollars(fee)} deducted)` : rng.pick(RETURN_REASONS);
      }
      if (amount <= 0 || amount >= total) {
        returned = [];
        amount = Math.min(total - 100, Math.max(500, Math.round((lineItemsTotal * 0.15) / 100) * 100));
        reason = rng.pick(["Goodwill credit: delivery arrived late", "Price adjustment: item reduced within 14 days", "Goodwill credit: minor cosmetic flaw"]);
      }
      if (amount > 0 && amount < total) {
        const processedAt = Math.round(deliveredAt + (returned.length > 0 ? rng.float(8, 26) : rng.float(0.5, 3)) * DAY);
        refund(0, { reason, processedAt, lines: returned, shippingCents: 0, amountCents: amount });
        order.financial = "partially_refunded";
        order.updatedAt = processedAt;
      }
    }
    return order;
  };
  return ages.map((age, index) => lapses.record(build(age, index)));
}

/**
 * Customers who had a bad experience (a refund for a damaged, lost or returned order, a late or missed delivery)
 * mostly stop buying after it, as real ones do; the churn prediction learns from that. When a lapsed customer
 * comes up for a later order, the next customer from the same place who has not lapsed, and has ordered before
 * exactly when they have, places it instead: the same place and first-order status keep every random draw of
 * the order the same, so only who placed it changes.
 */
class Lapses {
  private readonly since = new Map<GenCustomer, number>();

  /** Notes when the order's customer lapses (8 customers in 10, chosen by their id, not by a draw). */
  record(order: GenOrder): GenOrder {
    if (order.guest || order.customer.shopifyId === null || ((order.customer.shopifyId - 7_212_345_601_000) / 3_571) % 10 >= 8) return order;
    const refunds = order.status === "cancelled" ? [] : order.refunds.map((refund) => refund.processedAt);
    const late = order.shipments.filter((shipment) => ["delayed", "attempted", "lost"].includes(shipment.fate)).map((shipment) => shipment.estimatedAt);
    const at = Math.min(...refunds, ...late);
    if (Number.isFinite(at) && at < (this.since.get(order.customer) ?? Number.POSITIVE_INFINITY)) this.since.set(order.customer, at);
    return order;
  }

  stayingCustomer(customers: GenCustomer[], index: number, at: number): GenCustomer {
    const chosen = customers[index]!;
    const lapsed = (customer: GenCustomer) => (this.since.get(customer) ?? Number.POSITIVE_INFINITY) <= at;
    if (!lapsed(chosen)) return chosen;
    for (let step = 1; step < customers.length; step++) {
      const candidate = customers[(index + step) % customers.length]!;
      if (candidate.place === chosen.place && (candidate.orderCount === 0) === (chosen.orderCount === 0) && !lapsed(candidate)) return candidate;
    }
    return chosen;
  }
}
