import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireDemoMode } from "~/modules/demo";
import { forwardThroughAppProxy } from "~/modules/demo";

// The storefront's /apps/shopdesk/* as Shopify's app proxy serves it: signed, then forwarded to /proxy/*.
export async function loader({ request, params }: LoaderFunctionArgs) {
  requireDemoMode();
  return forwardThroughAppProxy(request, params["*"] ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  requireDemoMode();
  return forwardThroughAppProxy(request, params["*"] ?? "");
}
