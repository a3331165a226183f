import { EMAIL_DOMAINS, FIRST_NAMES, INTERNATIONAL_STREETS, LAST_NAMES, PLACES, type SeedPlace, STREETS } from "../seed-data";
import { DAY, MINUTE } from "./calendar";
import type { GenCustomer, GenOrder } from "./model";
import { Rng } from "./random";

function asciiSlug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

export function streetAddress(rng: Rng, place: SeedPlace): string {
  if (place.countryCode === "US") return `${rng.int(100, 9899)} ${rng.pick(STREETS)}`;
  const street = rng.pick(INTERNATIONAL_STREETS[place.countryCode] ?? STREETS);
  const number = rng.int(1, 180);
  return place.countryCode === "DE" || place.countryCode === "ES" ? `${street} ${number}` : `${number} ${street}`;
}

/** E.164, as Shopify stores a customer's phone. */
export function phoneFor(rng: Rng, place: SeedPlace): string | null {
  if (place.areaCode) return rng.chance(0.75) ? `+1${place.areaCode}55501${rng.digits(2)}` : null;
  if (place.countryCode === "GB") return rng.chance(0.5) ? `+442079460${rng.digits(3)}` : null;
  return null;
}

/** A person with a unique e-mail address (reserved example domains only). */
export function makePerson(rng: Rng, usedEmails: Set<string>, place: SeedPlace) {
  const firstName = rng.pick(FIRST_NAMES[place.locale]);
  const lastName = rng.pick(LAST_NAMES[place.locale]);
  const first = asciiSlug(firstName);
  const last = asciiSlug(lastName);
  const style = rng.int(0, 3);
  const local =
    style === 0 ? `${first}.${last}` : style === 1 ? `${first}${last}` : style === 2 ? `${first}_${last.slice(0, 1)}` : `${first.slice(0, 1)}${last}`;
  const domain = rng.pick(EMAIL_DOMAINS);
  let email = `${local}@${domain}`;
  for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${domain}`;
  usedEmails.add(email);
  return { firstName, lastName, email };
}

/** Customer accounts; their sign-up and last-update times are set once the orders exist (datesFromOrders). */
export function buildCustomers(count: number, usedEmails: Set<string>): GenCustomer[] {
  const rng = new Rng(0xc0575eed);
  const customers: GenCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const place = rng.weighted(PLACES, (p) => p.weight);
    const person = makePerson(rng, usedEmails, place);
    customers.push({
      shopifyId: 7_212_345_601_000 + i * 3_571,
      ...person,
      phone: phoneFor(rng, place),
      locale: place.locale,
      place,
      address1: streetAddress(rng, place),
      address2: place.countryCode === "US" && rng.chance(0.2) ? rng.pick(["Apt 2", "Apt 5C", "Unit 12", "Suite 300", "Apt 14"]) : null,
      createdAt: 0,
      updatedAt: 0,
      orderCount: 0,
    });
  }
  return customers;
}

/** Customers sign up shortly (or long) before their first order; each order updates the customer record. */
export function datesFromOrders(now: number, customers: GenCustomer[], orders: GenOrder[]) {
  const rng = new Rng(0xda7e5eed);
  const firstOrder = new Map<GenCustomer, number>();
  const lastOrder = new Map<GenCustomer, number>();
  for (const order of orders) {
    if (order.guest) continue;
    firstOrder.set(order.customer, Math.min(firstOrder.get(order.customer) ?? order.placedAt, order.placedAt));
    lastOrder.set(order.customer, Math.max(lastOrder.get(order.customer) ?? order.placedAt, order.placedAt));
  }
  for (const customer of customers) {
    const first = firstOrder.get(customer);
    customer.createdAt = Math.round(
      first === undefined ? now - rng.float(1, 400) * DAY : first - (rng.chance(0.6) ? rng.float(1, 10) * MINUTE : rng.float(1, 120) * DAY),
    );
    customer.updatedAt = Math.max(customer.createdAt, (lastOrder.get(customer) ?? 0) + 3_000);
  }
}
