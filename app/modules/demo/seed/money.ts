/** Money of the generated history is integer cents; payloads carry Shopify's decimal strings. */

export const money = (cents: number) => (cents / 100).toFixed(2);
export const dollars = (cents: number) => `$${money(cents)}`;
export const toCents = (amount: number) => Math.round(amount * 100);

/** Splits `amount` over weights in proportion; the last share takes the rounding remainder, so shares sum to `amount`. */
export function allocate(amount: number, weights: number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let left = amount;
  return weights.map((weight, i) => {
    if (i === weights.length - 1) return left;
    const share = total === 0 ? 0 : Math.round((amount * weight) / total);
    left -= share;
    return share;
  });
}
