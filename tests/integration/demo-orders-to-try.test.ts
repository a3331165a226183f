import type { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { demoOrdersToTry } from "~/modules/demo";
import { createTestShop, deleteTestShop } from "../support/shops";

/** The demo's start-up lines name real orders: one shipped, one not yet shipped, one refunded, newest of each. */
describe("demoOrdersToTry", () => {
  let shop: { id: string; domain: string };
  let other: { id: string; domain: string };
  const day = (n: number) => new Date(Date.UTC(2026, 10, n));

  async function order(shopId: string, number: number, placed: number, fields: Partial<Prisma.OrderUncheckedCreateInput>, customer?: { first: string; last: string; email: string }) {
    const row = customer
      ? await prisma.customer.create({ data: { shopId, platform: "shopify", externalId: `c-${number}`, firstName: customer.first, lastName: customer.last, email: customer.email } })
      : null;
    await prisma.order.create({
      data: {
        shopId,
        customerId: row?.id ?? null,
        platform: "shopify",
        externalId: `o-${number}`,
        name: `#${number}`,
        number,
        email: customer?.email ?? null,
        currency: "USD",
        subtotal: 10,
        total: 10,
        placedAt: day(placed),
        sourceUpdatedAt: day(placed),
        ...fields,
      },
    });
  }

  beforeAll(async () => {
    shop = await createTestShop();
    other = await createTestShop();
    const shipped = { status: "open", fulfillmentStatus: "fulfilled", financialStatus: "paid" } as const;
    await order(shop.id, 1001, 1, shipped, { first: "Alice", last: "Moreau", email: "alice@example.com" });
    await order(shop.id, 1002, 3, shipped, { first: "Ben", last: "Okoro", email: "ben@example.com" });
    // Newer, but nobody to verify it with (no email), redacted, or another shop's: never suggested.
    await order(shop.id, 1003, 5, shipped);
    await order(shop.id, 1004, 6, { ...shipped, redactedAt: day(7) }, { first: "Cara", last: "Diaz", email: "cara@example.com" });
    await order(other.id, 1005, 8, shipped, { first: "Dan", last: "Elm", email: "dan@example.com" });
    await order(shop.id, 1006, 2, { status: "open", fulfillmentStatus: "unfulfilled", financialStatus: "paid" }, { first: "Eve", last: "Fox", email: "eve@example.com" });
    // A cancelled-and-refunded order is not the refund to ask about; a returned one is.
    await order(shop.id, 1007, 9, { status: "cancelled", fulfillmentStatus: "unfulfilled", financialStatus: "refunded" }, { first: "Gus", last: "Hale", email: "gus@example.com" });
    await order(shop.id, 1008, 4, { status: "closed", fulfillmentStatus: "fulfilled", financialStatus: "partially_refunded" }, { first: "Ida", last: "Jones", email: "ida@example.com" });
  });

  afterAll(async () => {
    await deleteTestShop(shop.domain);
    await deleteTestShop(other.domain);
  });

  it("names the newest order of each state with the email it was placed with", async () => {
    const found = await demoOrdersToTry(prisma, shop.id);
    expect(found.map(({ order, email, customer }) => ({ order, email, customer }))).toEqual([
      { order: "#1002", email: "ben@example.com", customer: "Ben Okoro" },
      { order: "#1006", email: "eve@example.com", customer: "Eve Fox" },
      { order: "#1008", email: "ida@example.com", customer: "Ida Jones" },
    ]);
    expect(found[0]?.suggestion).toMatch(/^shipped/);
    expect(found[1]?.suggestion).toMatch(/^not shipped yet/);
    expect(found[2]?.suggestion).toMatch(/^refunded/);
  });

  it("leaves out states the shop has no order in", async () => {
    const found = await demoOrdersToTry(prisma, other.id);
    expect(found.map((entry) => entry.order)).toEqual(["#1005"]);
  });
});
