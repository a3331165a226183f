import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { requireDemoMode } from "~/modules/demo";
import { embeddedAdminUrl } from "~/modules/demo";

/** Demo entry: opens the app as the Shopify admin would, with a session token signed by the app secret. */
export async function loader({ request }: LoaderFunctionArgs) {
  const env = requireDemoMode();
  const path = new URL(request.url).searchParams.get("path") ?? "/app";
  const target = await embeddedAdminUrl({
    appUrl: env.appUrl,
    path: path.startsWith("/app") ? path : "/app",
    shopDomain: env.DEMO_SHOP,
    apiKey: env.shopifyApiKey,
    apiSecret: env.shopifyApiSecret,
  });
  return redirect(`${target.pathname}${target.search}`);
}
