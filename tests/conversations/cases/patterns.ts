/** Small pattern builders shared by the case files (regular-expression sources, read case-insensitively). */

/** A range such as 3–6, 3-6, 3 to 6, 3 à 6, 3 bis 6, 3 a 6. */
export const span = (from: number, to: number) => `\\b${from}\\s?(–|-|—|to|à|bis|a|y)\\s?${to}\\b`;

/** An amount: 19.95 / 19,95 (no larger number around it). */
export const money = (value: string) => `(?<![\\d.,])${value.replace(".", "[.,]")}(?!\\d)`;

/** Any one of the alternatives (regular-expression sources). */
export const anyOf = (...alternatives: string[]) => `(${alternatives.join("|")})`;
