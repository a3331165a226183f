/**
 * What goes back to a shopper for returned or refunded items, from what they actually paid — never the list
 * price. Each unit gets its share of its line's discounts (line-level ones and the line's share of order-level
 * ones, as the platform allocated them to the line) and of the tax charged on the line; the merchant decides
 * whether tax is refunded and whether a return fee is deducted; and the result never exceeds what was paid and
 * not yet refunded. Money is counted in cents so that shares add up exactly.
 */

/** A decimal amount as stored ("38.00", a number, or a Prisma Decimal). */
export type MoneyValue = string | number | { toString(): string };

export interface PaidLine {
  id: string;
  quantity: number;
  /** List price of one unit; includes tax when the order's prices include tax. */
  unitPrice: MoneyValue;
  /** Discounts allocated to the line, for all its units. */
  discountTotal: MoneyValue;
  /** Tax charged on the line, for all its units. */
  taxTotal: MoneyValue;
  /** Units already refunded. */
  refundedQuantity: number;
}

export interface RefundRules {
  /** The order's prices include tax (Shopify's taxes_included). */
  taxesIncluded: boolean;
  /** The merchant refunds the tax paid on the items (ShopSettings.refundTax). */
  refundTax: boolean;
  /** Deducted once from the refund, e.g. the merchant's return fee; 0 when none applies. */
  fee: MoneyValue;
}

export interface RefundQuoteLine {
  id: string;
  quantity: number;
  /** What the units cost after discounts, without tax. */
  subtotal: string;
  /** Tax given back on them (0 when the merchant keeps tax). */
  tax: string;
  amount: string;
}

export interface RefundQuote {
  lines: RefundQuoteLine[];
  /** Sum of the lines' amounts, before the fee. */
  itemsTotal: string;
  fee: string;
  /** What the shopper gets back. */
  total: string;
  /** Paid and not yet refunded: the ceiling for any refund. */
  remainingPaid: string;
  /** The total was lowered to `remainingPaid`. */
  capped: boolean;
}

export function toCents(value: MoneyValue): number {
  const cents = Math.round(Number(String(value)) * 100);
  if (!Number.isFinite(cents)) throw new Error(`not an amount: ${String(value)}`);
  return cents;
}

export function fromCents(cents: number): string {
  return (cents / 100).toFixed(2);
}

/**
 * The share of a whole-line amount (discount or tax, all units) that `quantity` more units carry after
 * `alreadyRefunded` units. Shares are taken from the running total, so refunding a line in several parts
 * adds up to exactly the line's amount.
 */
function unitsShare(lineCents: number, lineQuantity: number, alreadyRefunded: number, quantity: number): number {
  if (lineQuantity <= 0) return 0;
  const upTo = (units: number) => Math.round((lineCents * units) / lineQuantity);
  return upTo(alreadyRefunded + quantity) - upTo(alreadyRefunded);
}

export function quoteRefund(input: {
  lines: PaidLine[];
  /** Units to give back per line; more than a line has left is lowered to what is left. */
  requested: { id: string; quantity: number }[];
  rules: RefundRules;
  /** The order's total as paid. */
  paid: MoneyValue;
  /** Refunds already made or under way on the order. */
  alreadyRefunded: MoneyValue;
}): RefundQuote {
  const lines: RefundQuoteLine[] = [];
  let itemsCents = 0;
  for (const wanted of input.requested) {
    const line = input.lines.find((candidate) => candidate.id === wanted.id);
    if (!line) throw new Error(`line ${wanted.id} is not on the order`);
    const quantity = Math.min(Math.max(0, Math.floor(wanted.quantity)), line.quantity - line.refundedQuantity);
    if (quantity <= 0) continue;
    const gross = toCents(line.unitPrice) * quantity;
    const discount = unitsShare(toCents(line.discountTotal), line.quantity, line.refundedQuantity, quantity);
    const tax = unitsShare(toCents(line.taxTotal), line.quantity, line.refundedQuantity, quantity);
    const net = gross - discount;
    // With tax-inclusive prices the tax is inside what was paid; otherwise it was charged on top.
    const subtotal = input.rules.taxesIncluded ? net - tax : net;
    const taxBack = input.rules.refundTax ? tax : 0;
    const amount = Math.max(0, subtotal + taxBack);
    itemsCents += amount;
    lines.push({ id: line.id, quantity, subtotal: fromCents(subtotal), tax: fromCents(taxBack), amount: fromCents(amount) });
  }
  const fee = Math.min(Math.max(0, toCents(input.rules.fee)), itemsCents);
  const remaining = Math.max(0, toCents(input.paid) - toCents(input.alreadyRefunded));
  const uncapped = itemsCents - fee;
  const total = Math.min(uncapped, remaining);
  return {
    lines,
    itemsTotal: fromCents(itemsCents),
    fee: fromCents(fee),
    total: fromCents(total),
    remainingPaid: fromCents(remaining),
    capped: total < uncapped,
  };
}
