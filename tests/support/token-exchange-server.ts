import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { jwtVerify } from "jose";

/**
 * A stand-in for Shopify's token exchange on 127.0.0.1, speaking its wire format: POST /admin/oauth/access_token
 * with client_id, client_secret, grant_type token-exchange, subject_token (the admin session token, checked with
 * the app secret as Shopify checks it) and requested_token_type. Offline answers carry expires_in, refresh_token
 * and refresh_token_expires_in (expiring=1); online answers carry expires_in, associated_user_scope and the
 * associated_user of the token's `sub`. Failures answer 400 with Shopify's error codes.
 */

export interface FakeShopifyUser {
  id: number;
  first_name: string;
  last_name: string;
  email: string;
  account_owner: boolean;
}

export interface TokenExchangeCall {
  shop: string;
  body: Partial<Record<string, string>>;
}

export interface TokenExchangeServer {
  url: string;
  calls: TokenExchangeCall[];
  close: () => Promise<void>;
}

const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const OFFLINE = "urn:shopify:params:oauth:token-type:offline-access-token";
const ONLINE = "urn:shopify:params:oauth:token-type:online-access-token";

export async function startTokenExchangeServer(options: { apiKey: string; apiSecret: string; scope: string; users: FakeShopifyUser[] }) {
  const calls: TokenExchangeCall[] = [];

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "POST" || request.url !== "/admin/oauth/access_token") return send(404, { errors: "Not Found" });
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Partial<Record<string, string>>;
    calls.push({ shop: String(request.headers["x-original-host"]), body });

    if (body.client_id !== options.apiKey || body.client_secret !== options.apiSecret) return send(400, { error: "invalid_client" });
    if (body.grant_type !== GRANT_TYPE || body.subject_token_type !== ID_TOKEN_TYPE) return send(400, { error: "unsupported_grant_type" });
    let sub: string;
    try {
      const { payload } = await jwtVerify(body.subject_token ?? "", new TextEncoder().encode(options.apiSecret), { audience: options.apiKey });
      sub = String(payload.sub);
    } catch {
      return send(400, { error: "invalid_subject_token", error_description: "The subject token is invalid or expired" });
    }
    if (body.requested_token_type === OFFLINE) {
      return send(200, {
        access_token: `shpat_${randomUUID().replaceAll("-", "")}`,
        scope: options.scope,
        ...(body.expiring === "1" ? { expires_in: 3600, refresh_token: `shprt_${randomUUID().replaceAll("-", "")}`, refresh_token_expires_in: 7_776_000 } : {}),
      });
    }
    if (body.requested_token_type === ONLINE) {
      const user = options.users.find((candidate) => String(candidate.id) === sub);
      if (!user) return send(400, { error: "invalid_subject_token", error_description: "Unknown user" });
      return send(200, {
        access_token: `shpua_${randomUUID().replaceAll("-", "")}`,
        scope: options.scope,
        expires_in: 86_399,
        associated_user_scope: options.scope,
        associated_user: { ...user, email_verified: true, locale: "en", collaborator: false },
      });
    }
    return send(400, { error: "invalid_request" });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const state: TokenExchangeServer = {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return state;
}

/**
 * Points the Shopify library's HTTP calls (its adapter's fetch) for the given shops at the server, and refuses
 * any other network call. Returns the function that restores the library's own fetch.
 */
export function routeShopifyCallsTo(server: TokenExchangeServer, shops: () => string[]) {
  const original = abstractFetch;
  setAbstractFetchFunc(async (input, init) => {
    const url = new URL(String(input));
    if (url.protocol !== "https:" || !shops().includes(url.host)) throw new Error(`unexpected network call to ${url.origin}`);
    const headers = new Headers(init?.headers);
    headers.set("x-original-host", url.host);
    return fetch(`${server.url}${url.pathname}${url.search}`, { ...init, headers });
  });
  return () => setAbstractFetchFunc(original);
}
