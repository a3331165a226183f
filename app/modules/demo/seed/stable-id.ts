import { createHash } from "node:crypto";

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * A UUID (version 5 layout) derived from the shop id and a natural key, so reruns produce the same ids. Only rows
 * the seed writes itself use it (staff, knowledge, conversations); commerce rows get theirs from the sync writers.
 */
export function stableId(shopId: string, key: string): string {
  const hex = sha256(`${shopId}:${key}`);
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}
