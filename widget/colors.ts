/**
 * Accessible colours from the merchant's accent (the block's colour setting): which text colour goes on it,
 * and a version of it that is readable on the panel's white background (WCAG 2 contrast ratios).
 */

export type Rgb = [number, number, number];

export const DEFAULT_ACCENT = "#2c6ecb";
const DARK = "#111111";
const LIGHT = "#ffffff";
const INK_FALLBACK = "#1f2937";

export function parseHex(value: string | null | undefined): Rgb | null {
  const match = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec((value ?? "").trim());
  if (!match) return null;
  let hex = match[1]!;
  if (hex.length <= 4) hex = [...hex.slice(0, 3)].map((c) => c + c).join("");
  return [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

export function relativeLuminance([r, g, b]: Rgb): number {
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export interface AccentPalette {
  /** The accent itself (a valid hex colour). */
  accent: string;
  /** Text and icons on the accent: white or near-black, whichever contrasts more. */
  onAccent: string;
  /** The accent where it is text or a focus ring on white, if it has 4.5:1 there; else a dark neutral. */
  ink: string;
}

export function accentPalette(value: string | null | undefined): AccentPalette {
  const rgb = parseHex(value);
  const accent = rgb ? (value ?? DEFAULT_ACCENT).trim() : DEFAULT_ACCENT;
  const color = rgb ?? parseHex(DEFAULT_ACCENT)!;
  const white: Rgb = [255, 255, 255];
  const dark = parseHex(DARK)!;
  const onAccent = contrastRatio(color, white) >= contrastRatio(color, dark) ? LIGHT : DARK;
  const ink = contrastRatio(color, white) >= 4.5 ? accent : INK_FALLBACK;
  return { accent, onAccent, ink };
}
