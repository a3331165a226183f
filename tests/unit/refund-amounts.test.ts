import { describe, expect, it } from "vitest";
import { type PaidLine, quoteRefund, type RefundRules } from "~/modules/commerce/refund-amounts";

/** Worked examples: what a shopper gets back is what they paid for the units, under the merchant's rules. */

const taxOnTop: RefundRules = { taxesIncluded: false, refundTax: true, fee: 0 };
const line = (fields: Partial<PaidLine> & Pick<PaidLine, "id" | "quantity" | "unitPrice">): PaidLine => ({ discountTotal: 0, taxTotal: 0, refundedQuantity: 0, ...fields });

describe("quoteRefund", () => {
  it("refunds a whole line at its price plus the tax charged on top", () => {
    // 1 × $38.00 tee, 8% sales tax charged on top ($3.04).
    const quote = quoteRefund({ lines: [line({ id: "tee", quantity: 1, unitPrice: "38.00", taxTotal: "3.04" })], requested: [{ id: "tee", quantity: 1 }], rules: taxOnTop, paid: "41.04", alreadyRefunded: 0 });
    expect(quote.lines).toEqual([{ id: "tee", quantity: 1, subtotal: "38.00", tax: "3.04", amount: "41.04" }]);
    expect(quote).toMatchObject({ itemsTotal: "41.04", fee: "0.00", total: "41.04", remainingPaid: "41.04", capped: false });
  });

  it("takes off the line's discount allocation, per unit", () => {
    // 2 × $40.00 with a 10% line discount: $8.00 allocated to the line. One unit back: $40.00 − $4.00.
    const lines = [line({ id: "boots", quantity: 2, unitPrice: "40.00", discountTotal: "8.00" })];
    const quote = quoteRefund({ lines, requested: [{ id: "boots", quantity: 1 }], rules: taxOnTop, paid: "72.00", alreadyRefunded: 0 });
    expect(quote.lines[0]).toMatchObject({ quantity: 1, subtotal: "36.00", amount: "36.00" });
    expect(quote.total).toBe("36.00");
  });

  it("takes off the line's share of an order-level discount", () => {
    // A $40 order-level code spread by value over 2 × $50 (gets $20.00) and 1 × $100 (gets $20.00).
    // Returning one of the $50 units gives back $50 − $10 = $40; returning the $100 item gives back $80.
    const lines = [
      line({ id: "a", quantity: 2, unitPrice: "50.00", discountTotal: "20.00" }),
      line({ id: "b", quantity: 1, unitPrice: "100.00", discountTotal: "20.00" }),
    ];
    expect(quoteRefund({ lines, requested: [{ id: "a", quantity: 1 }], rules: taxOnTop, paid: "160.00", alreadyRefunded: 0 }).total).toBe("40.00");
    expect(quoteRefund({ lines, requested: [{ id: "b", quantity: 1 }], rules: taxOnTop, paid: "160.00", alreadyRefunded: 0 }).total).toBe("80.00");
  });

  it("combines a line discount and an order-level share, with tax on the discounted price", () => {
    // 2 × $38.00; TEE10 takes $7.60 off the line, WELCOME10 allocates $6.84 to it; 8% tax on the remaining
    // $61.56 is $4.92. One unit back: $38.00 − $7.22 = $30.78 plus $2.46 tax.
    const lines = [line({ id: "tee", quantity: 2, unitPrice: "38.00", discountTotal: "14.44", taxTotal: "4.92" })];
    const quote = quoteRefund({ lines, requested: [{ id: "tee", quantity: 1 }], rules: taxOnTop, paid: "66.48", alreadyRefunded: 0 });
    expect(quote.lines[0]).toEqual({ id: "tee", quantity: 1, subtotal: "30.78", tax: "2.46", amount: "33.24" });
  });

  it("keeps the tax when the merchant does not refund it, whether prices include tax or not", () => {
    // Tax on top: $100.00 + $8.25.
    const onTop = [line({ id: "x", quantity: 1, unitPrice: "100.00", taxTotal: "8.25" })];
    expect(quoteRefund({ lines: onTop, requested: [{ id: "x", quantity: 1 }], rules: { ...taxOnTop, refundTax: true }, paid: "108.25", alreadyRefunded: 0 }).total).toBe("108.25");
    expect(quoteRefund({ lines: onTop, requested: [{ id: "x", quantity: 1 }], rules: { ...taxOnTop, refundTax: false }, paid: "108.25", alreadyRefunded: 0 }).total).toBe("100.00");
    // Tax included: €121.00 of which €21.00 is VAT.
    const included = [line({ id: "x", quantity: 1, unitPrice: "121.00", taxTotal: "21.00" })];
    const withTax = quoteRefund({ lines: included, requested: [{ id: "x", quantity: 1 }], rules: { taxesIncluded: true, refundTax: true, fee: 0 }, paid: "121.00", alreadyRefunded: 0 });
    expect(withTax.lines[0]).toMatchObject({ subtotal: "100.00", tax: "21.00", amount: "121.00" });
    const withoutTax = quoteRefund({ lines: included, requested: [{ id: "x", quantity: 1 }], rules: { taxesIncluded: true, refundTax: false, fee: 0 }, paid: "121.00", alreadyRefunded: 0 });
    expect(withoutTax.lines[0]).toMatchObject({ subtotal: "100.00", tax: "0.00", amount: "100.00" });
  });

  it("deducts the merchant's return fee once, and never below zero", () => {
    const lines = [line({ id: "tee", quantity: 2, unitPrice: "38.00" })];
    const quote = quoteRefund({ lines, requested: [{ id: "tee", quantity: 2 }], rules: { ...taxOnTop, fee: "5.00" }, paid: "76.00", alreadyRefunded: 0 });
    expect(quote).toMatchObject({ itemsTotal: "76.00", fee: "5.00", total: "71.00" });
    const small = quoteRefund({ lines: [line({ id: "sock", quantity: 1, unitPrice: "3.00" })], requested: [{ id: "sock", quantity: 1 }], rules: { ...taxOnTop, fee: "5.00" }, paid: "3.00", alreadyRefunded: 0 });
    expect(small).toMatchObject({ fee: "3.00", total: "0.00" });
  });

  it("splits a line's discount and tax over partial refunds so the parts add up exactly", () => {
    // 3 × $10.00 with $1.00 off the line and $0.80 tax: thirds of a cent are rounded, the running total is exact.
    const first = line({ id: "pen", quantity: 3, unitPrice: "10.00", discountTotal: "1.00", taxTotal: "0.80" });
    const amounts = [0, 1, 2].map((refunded) => quoteRefund({ lines: [{ ...first, refundedQuantity: refunded }], requested: [{ id: "pen", quantity: 1 }], rules: taxOnTop, paid: "29.80", alreadyRefunded: 0 }).total);
    expect(amounts).toEqual(["9.94", "9.92", "9.94"]);
    expect(amounts.reduce((sum, amount) => sum + Math.round(Number(amount) * 100), 0)).toBe(2980);
  });

  it("only gives back units not refunded already", () => {
    const lines = [line({ id: "tee", quantity: 2, unitPrice: "38.00", refundedQuantity: 1 })];
    const quote = quoteRefund({ lines, requested: [{ id: "tee", quantity: 2 }], rules: taxOnTop, paid: "76.00", alreadyRefunded: "38.00" });
    expect(quote.lines).toEqual([{ id: "tee", quantity: 1, subtotal: "38.00", tax: "0.00", amount: "38.00" }]);
    const none = quoteRefund({ lines: [{ ...lines[0]!, refundedQuantity: 2 }], requested: [{ id: "tee", quantity: 1 }], rules: taxOnTop, paid: "76.00", alreadyRefunded: "76.00" });
    expect(none.lines).toEqual([]);
    expect(none.total).toBe("0.00");
  });

  it("never gives back more than was paid and not yet refunded", () => {
    // $38 tee on an order that was partly refunded ($20 as a goodwill gesture) and paid $50 in all.
    const lines = [line({ id: "tee", quantity: 1, unitPrice: "38.00" })];
    const quote = quoteRefund({ lines, requested: [{ id: "tee", quantity: 1 }], rules: taxOnTop, paid: "50.00", alreadyRefunded: "20.00" });
    expect(quote).toMatchObject({ itemsTotal: "38.00", total: "30.00", remainingPaid: "30.00", capped: true });
  });

  it("refuses a line that is not on the order", () => {
    expect(() => quoteRefund({ lines: [], requested: [{ id: "ghost", quantity: 1 }], rules: taxOnTop, paid: 0, alreadyRefunded: 0 })).toThrow(/not on the order/);
  });
});
