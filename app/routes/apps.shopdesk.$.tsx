import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireDemoMode } from "~/modules/demo";
import { forwardThroughAppProxy } from "~/modules/demo";

// The storefront's /apps/shopdesk/* as Shopify's app proxy serves it: signed, then forwarded to /proxy/*.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireDemoMode();
  return forwardThroughAppProxy(request, params["*"] ?? "", browserAddress(context));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireDemoMode();
  return forwardThroughAppProxy(request, params["*"] ?? "", browserAddress(context));
}

/** The browser's connection address, from the HTTP server (app/lib/server/http.server.ts). */
function browserAddress(context: { clientAddress?: unknown }) {
  return typeof context.clientAddress === "string" ? context.clientAddress : undefined;
}
