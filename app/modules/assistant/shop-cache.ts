export interface PerShopCache<T> {
  (shopId: string, load: () => Promise<T>): Promise<T>;
  /** Forgets a shop's entry, so the next read loads afresh (in this process only). */
  invalidate(shopId: string): void;
}

/**
 * A per-shop cache for data every turn reads and that may be a few seconds stale (the assistant's settings,
 * the catalogue's product titles). Concurrent turns share one load. It lives in this process: another app
 * instance keeps its own copy until the TTL runs out.
 */
export function perShopCache<T>(ttlMs: number): PerShopCache<T> {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  const read = (shopId: string, load: () => Promise<T>): Promise<T> => {
    const cached = entries.get(shopId);
    if (cached && Date.now() - cached.at < ttlMs) return cached.value;
    const value = load();
    entries.set(shopId, { at: Date.now(), value });
    // A failed load is not remembered (unless a newer load has replaced it already).
    value.catch(() => {
      if (entries.get(shopId)?.value === value) entries.delete(shopId);
    });
    return value;
  };
  return Object.assign(read, { invalidate: (shopId: string) => void entries.delete(shopId) });
}
