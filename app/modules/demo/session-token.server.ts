import { createHmac, randomUUID } from "node:crypto";
import { SignJWT } from "jose";

/**
 * Local stand-ins for what Shopify does around an embedded app, so the demo runs with no Shopify account:
 * session tokens (the JWT App Bridge hands the app) and app-proxy signatures. Both are signed with the
 * app secret exactly as Shopify signs them, so the app's real verification (authenticate.admin,
 * authenticate.public.appProxy) runs unchanged. Only reachable when demo mode is on (never in production).
 */

export const DEMO_STAFF_USER_ID = "4200001";
/**
 * The Shopify users the demo admin can be signed in as, with Shopify's profile of each (the online access
 * token's associated_user). Alex is the default; `/demo/admin?as=maya` opens a second staff member (the store's
 * owner), e.g. in another browser, to see two agents in the inbox at once.
 */
export const DEMO_STAFF_USERS = {
  alex: { id: DEMO_STAFF_USER_ID, firstName: "Alex", lastName: "Rivera", email: "alex.rivera@northwindoutfitters.example.com", accountOwner: false },
  maya: { id: "4200002", firstName: "Maya", lastName: "Lindqvist", email: "maya@northwindoutfitters.example.com", accountOwner: true },
} as const;
export type DemoStaffKey = keyof typeof DEMO_STAFF_USERS;
export const DEMO_STAFF_USER = DEMO_STAFF_USERS.alex;

/** The demo browser's choice of user, kept in a cookie so every token it asks for names the same person. */
export const DEMO_STAFF_COOKIE = "shopdesk_demo_staff";

export function demoStaffKeyOf(value: string | null | undefined): DemoStaffKey | null {
  return value && Object.hasOwn(DEMO_STAFF_USERS, value) ? (value as DemoStaffKey) : null;
}

/** The demo user a request's cookie names (Alex when none). */
export function demoStaffKeyOfRequest(request: Request): DemoStaffKey {
  const match = (request.headers.get("Cookie") ?? "").match(new RegExp(`(?:^|;\\s*)${DEMO_STAFF_COOKIE}=([a-z]+)`));
  return demoStaffKeyOf(match?.[1]) ?? "alex";
}

export function demoStaffUserOf(request: Request) {
  return DEMO_STAFF_USERS[demoStaffKeyOfRequest(request)];
}

const TOKEN_LIFETIME_SECONDS = 60;

/** The `host` parameter the Shopify admin adds: base64 of the shop's admin URL. */
export function adminHostParam(shopDomain: string) {
  const store = shopDomain.replace(/\.myshopify\.com$/, "");
  return Buffer.from(`admin.shopify.com/store/${store}`).toString("base64url");
}

/** A session token with the claims Shopify's admin issues (HS256 with the app secret). */
export async function signSessionToken(options: { shopDomain: string; apiKey: string; apiSecret: string; userId?: string }) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: `https://${options.shopDomain}/admin`,
    dest: `https://${options.shopDomain}`,
    aud: options.apiKey,
    sub: options.userId ?? DEMO_STAFF_USER_ID,
    exp: now + TOKEN_LIFETIME_SECONDS,
    nbf: now - 5,
    iat: now,
    jti: randomUUID(),
    sid: randomUUID(),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(options.apiSecret));
}

/** The embedded admin URL of a page with a fresh token, as the Shopify admin loads it in its iframe. */
export async function embeddedAdminUrl(options: {
  appUrl: string;
  path: string;
  shopDomain: string;
  apiKey: string;
  apiSecret: string;
  userId?: string;
}) {
  const url = new URL(options.path, options.appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", options.shopDomain);
  url.searchParams.set("host", adminHostParam(options.shopDomain));
  url.searchParams.set("id_token", await signSessionToken(options));
  return url;
}

/**
 * Signs app-proxy query parameters the way Shopify does before forwarding a storefront request:
 * hex HMAC-SHA256 over the sorted `key=value` pairs (multi-values joined by commas), no separators.
 */
export function signAppProxyParams(params: URLSearchParams, apiSecret: string) {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .join("");
  return createHmac("sha256", apiSecret).update(message).digest("hex");
}

/** The query Shopify appends to a proxied request: shop, path prefix, timestamp, customer, signature. */
export function appProxyQuery(options: {
  search: URLSearchParams;
  shopDomain: string;
  apiSecret: string;
  loggedInCustomerId?: string | null;
  timestamp?: number;
}) {
  const params = new URLSearchParams(options.search);
  for (const reserved of ["shop", "path_prefix", "timestamp", "signature", "logged_in_customer_id"]) {
    params.delete(reserved);
  }
  params.set("shop", options.shopDomain);
  params.set("path_prefix", "/apps/shopdesk");
  params.set("timestamp", String(options.timestamp ?? Math.floor(Date.now() / 1000)));
  params.set("logged_in_customer_id", options.loggedInCustomerId ?? "");
  params.set("signature", signAppProxyParams(params, options.apiSecret));
  return params;
}
