/**
 * The conversation token in localStorage, one per shop: `shopdesk:v1:<shop>.myshopify.com`. The loader
 * reads the same key (returning shoppers get the widget on idle), so keep extensions/chat-bubble/assets/
 * shopdesk-loader.js in step with STORAGE_PREFIX. Storage can be missing or throw (privacy modes, blocked
 * cookies): the widget then keeps the token in memory for the page's lifetime.
 */
export const STORAGE_PREFIX = "shopdesk:v1:";

export function storageKey(shopDomain: string): string {
  return `${STORAGE_PREFIX}${shopDomain.trim().toLowerCase()}`;
}

export interface TokenStore {
  readonly key: string;
  get(): string | null;
  set(token: string | null): void;
}

type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** Tokens are opaque base64url strings from the server; anything else in the slot is ignored. */
export function isPlausibleToken(value: unknown): value is string {
  return typeof value === "string" && value.length >= 20 && value.length <= 200 && /^[\w.~-]+$/.test(value);
}

export function createTokenStore(shopDomain: string, storage: () => StorageLike | null): TokenStore {
  const key = storageKey(shopDomain);
  let memory: string | null = null;
  return {
    key,
    get() {
      try {
        const value = storage()?.getItem(key) ?? null;
        if (isPlausibleToken(value)) return value;
      } catch {
        // fall through to memory
      }
      return memory;
    },
    set(token) {
      memory = token;
      try {
        const store = storage();
        if (token) store?.setItem(key, token);
        else store?.removeItem(key);
      } catch {
        // memory only
      }
    },
  };
}
