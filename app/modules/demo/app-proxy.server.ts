import { getEnv } from "~/env.server";
import { appProxyQuery } from "./session-token.server";

const FORWARDED_HEADERS = ["accept", "content-type", "accept-language", "user-agent", "x-shopdesk-conversation"];

function cookieValue(request: Request, name: string) {
  const match = request.headers.get("cookie")?.match(new RegExp(`(?:^|;\\s*)${name}=([^;]*)`));
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/**
 * What Shopify's app proxy does for /apps/shopdesk/<path>: strip cookies, add shop, path_prefix, timestamp,
 * logged_in_customer_id and the signature, append the browser's address to X-Forwarded-For, and forward to the app's proxy URL — here over real HTTP on the
 * same server, so the app verifies the request exactly as in production. The response streams back as is.
 */
export async function forwardThroughAppProxy(request: Request, path: string, clientAddress?: string) {
  const env = getEnv();
  if (!/^[a-z0-9/_-]*$/i.test(path)) return new Response("Not found", { status: 404 });
  const incoming = new URL(request.url);
  const query = appProxyQuery({
    search: incoming.searchParams,
    shopDomain: env.DEMO_SHOP,
    apiSecret: env.shopifyApiSecret,
    loggedInCustomerId: cookieValue(request, "shopdesk_demo_customer"),
  });
  const target = new URL(`/proxy/${path}?${query.toString()}`, incoming.origin);
  const headers = new Headers();
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  // Like Shopify's proxy: whatever the browser sent, then the address the browser connected from.
  headers.set("x-forwarded-for", [request.headers.get("x-forwarded-for"), clientAddress ?? "127.0.0.1"].filter(Boolean).join(", "));
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  let response: Response;
  try {
    response = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: "manual",
      // The shopper leaving ends the forwarded request too (long-lived event streams must not outlive the tab).
      signal: request.signal,
    });
  } catch (error) {
    // The browser went away before the app answered: nobody is left to answer.
    if (request.signal.aborted) return new Response(null, { status: 499 });
    throw error;
  }
  const responseHeaders = new Headers(response.headers);
  responseHeaders.delete("content-encoding");
  responseHeaders.delete("content-length");
  return new Response(response.body ? endQuietlyOnAbort(response.body, request.signal) : null, { status: response.status, headers: responseHeaders });
}

/** Passes a streamed body through; when the browser leaves mid-stream it just ends instead of failing the response. */
function endQuietlyOnAbort(body: ReadableStream<Uint8Array>, signal: AbortSignal): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        if (signal.aborted) controller.close();
        else controller.error(error);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
