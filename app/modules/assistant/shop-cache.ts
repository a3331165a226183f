/**
 * A per-shop cache for data every turn reads and that may be a few seconds stale (the assistant's settings,
 * the catalogue's product titles). Concurrent turns share one load.
 */
export function perShopCache<T>(ttlMs: number) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return (shopId: string, load: () => Promise<T>): Promise<T> => {
    const cached = entries.get(shopId);
    if (cached && Date.now() - cached.at < ttlMs) return cached.value;
    const value = load();
    entries.set(shopId, { at: Date.now(), value });
    // A failed load is not remembered.
    value.catch(() => entries.delete(shopId));
    return value;
  };
}
