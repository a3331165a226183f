import { describe, expect, it } from "vitest";
import { WooCustomer, WooOrder, WooRefund, wooCustomerSnapshot, wooOrderSnapshot } from "~/modules/commerce/connectors/woocommerce/payloads";

/** WooCommerce REST v3 resources (as the API and its webhooks send them) mapped into the unified snapshots. */

function order(overrides: Record<string, unknown> = {}) {
  return WooOrder.parse({
    id: 727,
    number: "727",
    status: "processing",
    currency: "EUR",
    date_created_gmt: "2026-11-02T09:15:00",
    date_modified_gmt: "2026-11-03T10:00:00",
    date_paid_gmt: "2026-11-02T09:16:00",
    discount_total: "5.00",
    shipping_total: "4.90",
    total: "49.40",
    total_tax: "7.50",
    prices_include_tax: false,
    customer_id: 0,
    billing: { first_name: "Ada", last_name: "Lovelace", email: "Ada@Example.com", phone: "+44 20 7946 0000" },
    shipping: { first_name: "Ada", last_name: "Lovelace", address_1: "12 Byron St", city: "London", postcode: "N1", country: "GB" },
    line_items: [
      {
        id: 315,
        name: "Wool Hoodie - Blue, M",
        parent_name: "Wool Hoodie",
        product_id: 93,
        variation_id: 95,
        quantity: 1,
        subtotal: "40.00",
        total: "35.00",
        total_tax: "7.00",
        sku: "HOOD-BL-M",
        taxes: [{ id: 75, total: "7.00", subtotal: "8.00" }],
        price: 35,
      },
    ],
    tax_lines: [{ id: 318, rate_code: "GB-VAT-1", rate_id: 75, label: "VAT", compound: false, tax_total: "7.00", rate_percent: 20 }],
    shipping_lines: [{ id: 316, method_title: "Flat rate", method_id: "flat_rate", total: "4.90" }],
    coupon_lines: [{ id: 317, code: "autumn5", discount: "5.00" }],
    refunds: [],
    meta_data: [],
    ...overrides,
  });
}

describe("WooCommerce payloads", () => {
  it("maps an order: name and number, GMT times, totals, the variation's line with its coupon share and VAT", () => {
    const snapshot = wooOrderSnapshot(order(), []);
    expect(snapshot).toMatchObject({
      platform: "woocommerce",
      externalId: "727",
      name: "#727",
      number: 727,
      email: "Ada@Example.com",
      currency: "EUR",
      subtotal: "40.00",
      shippingTotal: "4.90",
      taxTotal: "7.50",
      discountTotal: "5.00",
      total: "49.40",
      status: "open",
      financialStatus: "paid",
      fulfillmentStatus: "unfulfilled",
      customer: null,
      refunds: [],
      shipments: [],
    });
    expect(snapshot.placedAt.toISOString()).toBe("2026-11-02T09:15:00.000Z");
    expect(snapshot.updatedAt?.toISOString()).toBe("2026-11-03T10:00:00.000Z");
    expect(snapshot.lineItems).toEqual([
      {
        externalId: "315",
        productExternalId: "93",
        variantExternalId: "95",
        title: "Wool Hoodie",
        variantTitle: "Blue, M",
        sku: "HOOD-BL-M",
        quantity: 1,
        unitPrice: "40.00",
        discountTotal: "5.00",
        taxTotal: "7.00",
        discountAllocations: [{ amount: "5.00", title: "autumn5" }],
        taxLines: [{ title: "VAT", rate: 0.2, amount: "7.00" }],
      },
    ]);
    expect(snapshot.shippingLines).toEqual([{ title: "Flat rate", code: "flat_rate", price: "4.90", discountedPrice: "4.90" }]);
  });

  it.each([
    ["pending", { date_paid_gmt: null }, "open", "pending", "unfulfilled", null],
    ["on-hold", { date_paid_gmt: null }, "open", "pending", "unfulfilled", null],
    ["processing", {}, "open", "paid", "unfulfilled", null],
    ["completed", {}, "closed", "paid", "fulfilled", null],
    ["cancelled", { date_paid_gmt: null }, "cancelled", "voided", "unfulfilled", null],
    ["failed", { date_paid_gmt: null }, "cancelled", "voided", "unfulfilled", "payment failed"],
    ["refunded", {}, "closed", "refunded", "unfulfilled", null],
  ])("reads status %s as the unified statuses", (status, extra, expectedStatus, financial, fulfillment, reason) => {
    const snapshot = wooOrderSnapshot(order({ status, ...extra }), []);
    expect([snapshot.status, snapshot.financialStatus, snapshot.fulfillmentStatus, snapshot.cancelReason]).toEqual([expectedStatus, financial, fulfillment, reason]);
    expect(snapshot.cancelledAt !== null).toBe(expectedStatus === "cancelled");
  });

  it("maps refunds read from orders/<id>/refunds to their order lines, and falls back to the order's summaries", () => {
    const refund = WooRefund.parse({
      id: 730,
      date_created_gmt: "2026-11-04T08:00:00",
      amount: "35.00",
      reason: "Wrong size",
      refunded_payment: true,
      line_items: [{ id: 731, quantity: -1, subtotal: "-35.00", total_tax: "-7.00", meta_data: [{ id: 1, key: "_refunded_item_id", value: "315" }] }],
    });
    const full = wooOrderSnapshot(order({ refunds: [{ id: 730, reason: "Wrong size", total: "-35.00" }] }), [refund]);
    expect(full.refunds).toEqual([
      {
        externalId: "730",
        amount: "35.00",
        currency: "EUR",
        status: "succeeded",
        reason: "Wrong size",
        processedAt: new Date("2026-11-04T08:00:00Z"),
        createdAt: new Date("2026-11-04T08:00:00Z"),
        lineItems: [{ lineItemExternalId: "315", quantity: 1, subtotal: "35.00", tax: "7.00", restockType: null }],
        transactions: [],
      },
    ]);
    expect(full.financialStatus).toBe("partially_refunded");

    const summary = wooOrderSnapshot(order({ refunds: [{ id: 730, reason: "Wrong size", total: "-49.40" }] }));
    expect(summary.refunds).toMatchObject([{ externalId: "730", amount: "49.40", lineItems: [] }]);
    expect(summary.financialStatus).toBe("refunded");
  });

  it("keeps a numbering plugin's order number as the name, links a registered shopper, and reads shipment tracking", () => {
    const snapshot = wooOrderSnapshot(
      order({
        number: "WC-1042",
        status: "completed",
        customer_id: 12,
        meta_data: [
          {
            id: 9,
            key: "_wc_shipment_tracking_items",
            value: [{ tracking_provider: "DHL", custom_tracking_provider: "", custom_tracking_link: "", tracking_number: "JD014600003828", date_shipped: "1762246800", tracking_id: "ab12" }],
          },
        ],
      }),
      [],
    );
    expect(snapshot).toMatchObject({ name: "#WC-1042", number: 1042, fulfillmentStatus: "fulfilled" });
    expect(snapshot.customer).toMatchObject({ platform: "woocommerce", externalId: "12", email: "Ada@Example.com" });
    // The account is linked, never overwritten from the order: its version loses to any the account's own sync wrote.
    expect(snapshot.customer!.updatedAt).toEqual(new Date(0));
    expect(snapshot.shipments).toEqual([
      {
        externalId: "727:ab12",
        status: "in_transit",
        carrier: "DHL",
        trackingNumbers: ["JD014600003828"],
        trackingUrls: [],
        lineItems: [{ lineItemExternalId: "315", quantity: 1 }],
        shippedAt: new Date(1762246800 * 1000),
        deliveredAt: null,
        estimatedDeliveryAt: null,
        updatedAt: new Date("2026-11-03T10:00:00Z"),
      },
    ]);
  });

  it("maps a customer, its creation time standing in for a modification time it never had", () => {
    const customer = wooCustomerSnapshot(
      WooCustomer.parse({
        id: 25,
        email: "grace@example.com",
        first_name: "Grace",
        last_name: "Hopper",
        role: "customer",
        billing: { phone: "555-0100" },
        date_created_gmt: "2026-10-01T12:00:00",
        date_modified_gmt: null,
      }),
    );
    expect(customer).toEqual({
      platform: "woocommerce",
      externalId: "25",
      email: "grace@example.com",
      firstName: "Grace",
      lastName: "Hopper",
      phone: "555-0100",
      locale: null,
      tags: [],
      updatedAt: new Date("2026-10-01T12:00:00Z"),
      createdAt: new Date("2026-10-01T12:00:00Z"),
    });
  });

  it("refuses a payload that is not an order", () => {
    expect(() => WooOrder.parse({ id: 1, status: "processing" })).toThrow();
    expect(() => order({ date_modified_gmt: "yesterday" })).toThrow(/not a timestamp/);
  });
});
