/**
 * The tone presets a merchant picks from; the free-text brand voice refines the chosen one. The chat model is
 * given the preset's description; the offline responder's templates are neutral and do not change with it.
 */
export const BRAND_TONES = {
  friendly: { label: "Friendly", description: "Friendly and approachable: warm, simple words, a light touch." },
  professional: { label: "Professional", description: "Professional and precise: courteous, clear and to the point, no slang." },
  warm: { label: "Warm", description: "Warm and reassuring: empathetic first, then practical help." },
  playful: { label: "Playful", description: "Playful and upbeat: lively wording, still clear and helpful." },
  concise: { label: "Concise", description: "Concise: the answer first, as few words as it takes." },
} as const;

export type BrandTone = keyof typeof BRAND_TONES;

export const BRAND_TONE_IDS = Object.keys(BRAND_TONES) as BrandTone[];

export function isBrandTone(value: string): value is BrandTone {
  return Object.hasOwn(BRAND_TONES, value);
}
