import { isIP } from "node:net";

/**
 * The address a request came from, as far as the proxies in front of the app can be trusted. Each proxy appends
 * the address it saw to X-Forwarded-For, so the last `trustedHops` entries were written by our proxies and the
 * entry `trustedHops` from the right is the client as the outermost trusted proxy saw it; anything left of it is
 * whatever the client sent and is ignored. With no such entry (fewer proxies than configured, or not an IP
 * address) the connection's own address counts. TRUSTED_PROXY_HOPS (default 1: Shopify's app proxy).
 */
export function clientAddress(request: Request, options: { trustedHops: number; socketAddress?: string | null }): string {
  const socket = normalized(options.socketAddress ?? "");
  if (options.trustedHops > 0) {
    const entries = (request.headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    const candidate = entries.length >= options.trustedHops ? normalized(entries[entries.length - options.trustedHops]!) : null;
    if (candidate) return candidate;
  }
  return socket ?? "unknown";
}

/** An IP address without port, brackets or IPv4-mapped prefix; null when it is not one. */
function normalized(value: string): string | null {
  let address = value.trim();
  const bracketed = address.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  if (address.toLowerCase().startsWith("::ffff:") && isIP(address.slice(7)) === 4) address = address.slice(7);
  return isIP(address) ? address.toLowerCase() : null;
}
