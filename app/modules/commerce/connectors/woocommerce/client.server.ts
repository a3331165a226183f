import { setTimeout as sleep } from "node:timers/promises";
import WooCommerceRestApiModule from "@woocommerce/woocommerce-rest-api";

/**
 * The store's REST API (wc/v3) through WooCommerce's official client, with what the client leaves to its
 * callers: retries of 429 and 5xx answers with backoff (Retry-After honoured), pagination headers, and errors
 * that never carry the request (its URL holds the OAuth parameters, its config the consumer secret).
 */

// The package is CommonJS with `exports.default`: Node's ESM loader hands over the exports object, bundlers the class.
const WooCommerceRestApi = ((WooCommerceRestApiModule as unknown as { default?: typeof WooCommerceRestApiModule }).default ??
  WooCommerceRestApiModule) as typeof WooCommerceRestApiModule;

export interface WooCredentials {
  /** The site's address, e.g. https://shop.example.com (no trailing slash). */
  storeUrl: string;
  consumerKey: string;
  consumerSecret: string;
}

export interface WooRequestOptions {
  /** Retries after the first attempt for 429, 5xx and network failures. */
  retries?: number;
  /** First backoff; doubles each retry (with jitter), never above maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
}

const DEFAULTS: Required<WooRequestOptions> = { retries: 4, baseDelayMs: 1_000, maxDelayMs: 30_000, timeoutMs: 20_000 };

/** WooCommerce's `per_page` ceiling. */
export const WOO_PAGE_SIZE = 100;

/** A failed call, described by WooCommerce's answer (status, error code and message) and nothing of the request. */
export class WooApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
  ) {
    super(message);
    this.name = "WooApiError";
  }

  get retryable(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

/** 401/403: the keys are wrong, revoked or lack the permission; retrying will not help. */
export class WooAccessError extends WooApiError {
  constructor(message: string, status: number, code: string | null) {
    super(message, status, code);
    this.name = "WooAccessError";
  }
}

interface AxiosLikeError {
  isAxiosError?: boolean;
  code?: string;
  response?: { status: number; headers?: Record<string, unknown>; data?: unknown };
}

function toWooError(error: unknown, what: string): WooApiError {
  const failure = error as AxiosLikeError;
  const response = failure?.response;
  if (!response) {
    // No answer: DNS, refused connection, timeout. The code names it; the message would repeat the URL.
    const reason = failure?.code ?? (error instanceof Error ? error.name : "error");
    return new WooApiError(`WooCommerce could not be reached for ${what} (${reason})`, null, reason);
  }
  const body = response.data as { code?: unknown; message?: unknown } | null | undefined;
  const code = typeof body?.code === "string" ? body.code : null;
  const detail = typeof body?.message === "string" ? `: ${body.message.slice(0, 300)}` : "";
  const message = `WooCommerce answered ${response.status} to ${what}${code ? ` (${code})` : ""}${detail}`;
  return response.status === 401 || response.status === 403 ? new WooAccessError(message, response.status, code) : new WooApiError(message, response.status, code);
}

function header(headers: Record<string, unknown> | undefined, name: string): string | null {
  if (!headers) return null;
  const value = typeof (headers as { get?: unknown }).get === "function" ? (headers as { get(name: string): unknown }).get(name) : headers[name.toLowerCase()];
  return value == null ? null : String(value);
}

function retryAfterMs(error: unknown): number | null {
  const value = header((error as AxiosLikeError)?.response?.headers, "retry-after");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1_000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

export interface WooResponse<T = unknown> {
  data: T;
  /** X-WP-Total and X-WP-TotalPages of a list; null elsewhere. */
  total: number | null;
  totalPages: number | null;
}

export type Params = Record<string, string | number | boolean>;

export interface WooClient {
  get<T = unknown>(endpoint: string, params?: Params): Promise<WooResponse<T>>;
  post<T = unknown>(endpoint: string, data: unknown): Promise<WooResponse<T>>;
  put<T = unknown>(endpoint: string, data: unknown): Promise<WooResponse<T>>;
  delete<T = unknown>(endpoint: string, params?: Params): Promise<WooResponse<T>>;
}

const asCount = (value: string | null) => (value === null || !/^\d+$/.test(value) ? null : Number(value));

/**
 * A client for one store. Over HTTPS the library sends the keys as Basic auth; over plain HTTP it signs each
 * request with OAuth 1.0a (HMAC-SHA256), as WooCommerce requires there.
 */
export function wooClient(credentials: WooCredentials, options: WooRequestOptions = {}): WooClient {
  const settings = { ...DEFAULTS, ...options };
  const api = new WooCommerceRestApi({
    url: credentials.storeUrl,
    consumerKey: credentials.consumerKey,
    consumerSecret: credentials.consumerSecret,
    version: "wc/v3",
    timeout: settings.timeoutMs,
    // Our own retries decide; redirects to a login page would read as HTML, not as the API.
    axiosConfig: { maxRedirects: 0 },
  });

  async function call<T>(what: string, send: () => Promise<{ data: unknown; headers?: Record<string, unknown> }>): Promise<WooResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await send();
        return {
          data: response.data as T,
          total: asCount(header(response.headers, "x-wp-total")),
          totalPages: asCount(header(response.headers, "x-wp-totalpages")),
        };
      } catch (error) {
        const failure = toWooError(error, what);
        if (!failure.retryable || attempt >= settings.retries) throw failure;
        const backoff = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt * (1 + Math.random() * 0.25));
        await sleep(Math.min(settings.maxDelayMs, Math.max(backoff, retryAfterMs(error) ?? 0)));
      }
    }
  }

  return {
    get: (endpoint, params = {}) => call(`GET ${endpoint}`, () => api.get(endpoint, params)),
    post: (endpoint, data) => call(`POST ${endpoint}`, () => api.post(endpoint, data)),
    put: (endpoint, data) => call(`PUT ${endpoint}`, () => api.put(endpoint, data)),
    delete: (endpoint, params = {}) => call(`DELETE ${endpoint}`, () => api.delete(endpoint, params)),
  };
}

/**
 * Reads a list page by page (`per_page` 100, `X-WP-TotalPages`), from `startPage`; `onPage` gets each page's
 * items and the totals.
 */
export async function eachPage<T>(
  client: WooClient,
  endpoint: string,
  params: Params,
  startPage: number,
  onPage: (items: T[], page: { page: number; totalPages: number; total: number | null }) => Promise<unknown>,
  pageSize = WOO_PAGE_SIZE,
): Promise<void> {
  for (let page = startPage; ; page++) {
    const response = await client.get<T[]>(endpoint, { ...params, per_page: pageSize, page });
    if (!Array.isArray(response.data)) throw new WooApiError(`WooCommerce answered GET ${endpoint} with something that is not a list`, 200, null);
    const totalPages = response.totalPages ?? (response.data.length < pageSize ? page : page + 1);
    await onPage(response.data, { page, totalPages, total: response.total });
    if (page >= totalPages || response.data.length === 0) return;
  }
}
