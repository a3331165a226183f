import type { LoaderFunctionArgs } from "@remix-run/node";
import { getWidgetConfig } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

/** GET /apps/shopdesk/widget-config on the storefront (app proxy): the widget's greeting and names. */
export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.public.appProxy(request); // 400 on a missing, forged or stale signature
  const shop = new URL(request.url).searchParams.get("shop")!;
  const config = await getWidgetConfig(shop);
  if (!config) return Response.json({ error: "This shop has not installed Shopdesk." }, { status: 404 });
  return Response.json(config, { headers: { "Cache-Control": "no-store" } });
}
