import type { z } from "zod";
import type { AdminGraphqlRequest } from "../../actions/contract";
import { ResponseEnvelope, type ThrottleStatus } from "./graphql";

/**
 * Runs Admin GraphQL queries for long reads (backfill, reconciliation) within Shopify's cost-based rate limit:
 * a leaky bucket per app and shop whose state every response reports in `extensions.cost.throttleStatus`.
 */

/** Shopify will not serve this shop with this token (revoked, uninstalled, missing scope): retrying cannot help. */
export class ShopifyAccessError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(
      `Shopify refused access (HTTP ${status}: ${detail}). Open Shopdesk from the Shopify admin to re-authenticate (or reinstall), then start the sync again.`,
    );
    this.name = "ShopifyAccessError";
  }
}

/** HTTP statuses after which only the merchant can restore access. */
const ACCESS_STATUSES = new Set([401, 402, 403, 404, 423]);

function detailOf(text: string, fallback: string): string {
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    if (typeof body.errors === "string") return body.errors;
    if (body.errors) return JSON.stringify(body.errors);
  } catch {
    // Not JSON: the text itself is the detail.
  }
  return text.trim().slice(0, 300) || fallback;
}

/** What `@shopify/admin-api-client`'s `request` resolves to (it never throws; failures come back in `errors`). */
interface ClientResponse {
  data?: unknown;
  extensions?: unknown;
  errors?: { networkStatusCode?: number; message?: string; graphQLErrors?: unknown[]; response?: Response };
}

/** An AdminGraphqlRequest over `createAdminApiClient(...)`: GraphQL errors are returned, HTTP and network failures thrown. */
export function adminRequestFromClient(client: { request: (operation: string, options: { variables: Record<string, unknown> }) => Promise<ClientResponse> }): AdminGraphqlRequest {
  return async (query, variables) => {
    const response = await client.request(query, { variables });
    const errors = response.errors;
    if (errors && !errors.graphQLErrors) {
      const status = errors.networkStatusCode;
      if (!status) throw new Error(`Shopify could not be reached: ${errors.message ?? "network error"}`);
      const detail = detailOf((await errors.response?.text().catch(() => "")) ?? "", errors.message ?? "");
      if (ACCESS_STATUSES.has(status)) throw new ShopifyAccessError(status, detail);
      throw new Error(`Shopify answered HTTP ${status}: ${detail}`);
    }
    return { data: response.data, errors: errors?.graphQLErrors, extensions: response.extensions };
  };
}

/**
 * An AdminGraphqlRequest over the Remix app's `admin.graphql` (unauthenticated.admin), which throws on GraphQL
 * errors (GraphqlQueryError, with the body) and HTTP errors (HttpResponseError, with the status).
 */
export function adminRequestFromRemix(graphql: (query: string, options: { variables: Record<string, unknown> }) => Promise<Response>): AdminGraphqlRequest {
  return async (query, variables) => {
    try {
      return await (await graphql(query, { variables })).json();
    } catch (error) {
      const failure = error as { body?: { data?: unknown; extensions?: unknown; errors?: { graphQLErrors?: unknown[] } }; response?: { code?: number } };
      if (failure.body?.errors?.graphQLErrors) {
        return { data: failure.body.data, errors: failure.body.errors.graphQLErrors, extensions: failure.body.extensions };
      }
      const status = failure.response?.code;
      if (status && ACCESS_STATUSES.has(status)) throw new ShopifyAccessError(status, error instanceof Error ? error.message : String(error));
      throw error;
    }
  };
}

export interface ThrottleOptions {
  /** Waits `ms` milliseconds; tests pass one that records the wait and advances a virtual clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds now: how long the bucket has been refilling since the last response. */
  clock?: () => number;
}

/** Runs one named query and parses its data; the name keys the query's last known cost. */
export type AdminQuery = <T>(operation: string, query: string, variables: Record<string, unknown>, data: z.ZodType<T>) => Promise<T>;

/** Consecutive THROTTLED answers to one query before giving up (the job retries later). */
const MAX_THROTTLED = 10;

export function throttledAdmin(admin: AdminGraphqlRequest, options: ThrottleOptions = {}): AdminQuery {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? Date.now;
  let bucket: (z.infer<typeof ThrottleStatus> & { at: number }) | null = null;
  const lastCost = new Map<string, number>();

  const waitMs = (needed: number, available: number, restoreRate: number) => Math.ceil(((needed - available) / restoreRate) * 1000);

  /** Before a query: wait until the bucket (as last reported, refilled since) holds what the query cost last time. */
  async function waitForRoom(operation: string, needed: number) {
    if (!bucket) return;
    if (needed > bucket.maximumAvailable) throw new Error(`${operation} costs ${needed} points, more than this shop's bucket holds (${bucket.maximumAvailable})`);
    const available = Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + (bucket.restoreRate * (clock() - bucket.at)) / 1000);
    if (available < needed) await sleep(waitMs(needed, available, bucket.restoreRate));
  }

  return async (operation, query, variables, data) => {
    for (let throttled = 0; ; throttled++) {
      const needed = lastCost.get(operation);
      if (needed !== undefined) await waitForRoom(operation, needed);
      const body = ResponseEnvelope.parse(await admin(query, variables));
      const cost = body.extensions?.cost;
      if (cost) {
        bucket = { ...cost.throttleStatus, at: clock() };
        lastCost.set(operation, cost.requestedQueryCost);
      }
      const errors = typeof body.errors === "string" ? [{ message: body.errors, extensions: undefined }] : (body.errors ?? []);
      if (errors.some((error) => error.extensions?.code === "THROTTLED")) {
        if (throttled + 1 >= MAX_THROTTLED) throw new Error(`Shopify throttled ${operation} ${throttled + 1} times in a row`);
        // Wait until the bucket holds what this query asked for, then send the same page again.
        await sleep(cost ? waitMs(cost.requestedQueryCost, cost.throttleStatus.currentlyAvailable, cost.throttleStatus.restoreRate) : 1_000);
        continue;
      }
      const denied = errors.find((error) => error.extensions?.code === "ACCESS_DENIED");
      if (denied) throw new ShopifyAccessError(403, denied.message);
      if (errors.length > 0) throw new Error(`Shopify ${operation} failed: ${errors.map((error) => error.message).join("; ")}`);
      return data.parse(body.data);
    }
  };
}
