import type { LoaderFunctionArgs } from "@remix-run/node";
import { demoStorefrontContext, renderDemoStorefront, requireDemoMode, wantsAppEmbed } from "~/modules/demo";

/**
 * A stand-in Online Store page with the chat bubble's app embed block rendered by a real Liquid engine.
 * `?customer=<email>` simulates a logged-in customer: the app-proxy signer then passes their id, as
 * Shopify does for logged-in shoppers. `?embed=0` renders the page without the app embed (the baseline of
 * the storefront-impact bench).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const env = requireDemoMode();
  const url = new URL(request.url);
  const { shopName, customer, products } = await demoStorefrontContext(env.DEMO_SHOP, url.searchParams.get("customer"));
  const html = await renderDemoStorefront({
    shopDomain: env.DEMO_SHOP,
    shopName,
    locale: url.searchParams.get("locale") ?? "en",
    customer,
    assetBaseUrl: "/demo/extension-assets",
    embed: wantsAppEmbed(url.searchParams),
    products,
  });
  const headers = new Headers({ "Content-Type": "text/html; charset=utf-8" });
  // Remember the simulated login for the app-proxy signer (Shopify knows it from the storefront session).
  headers.append(
    "Set-Cookie",
    `shopdesk_demo_customer=${customer?.id ?? ""}; Path=/; HttpOnly; SameSite=Lax`,
  );
  return new Response(html, { headers });
}
