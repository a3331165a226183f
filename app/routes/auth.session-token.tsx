import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { getEnv } from "~/env.server";
import { demoStaffUserOf, embeddedAdminUrl } from "~/modules/demo";
import { authenticate } from "~/shopify.server";

/**
 * The session-token bounce page. Inside Shopify, App Bridge renders it and reloads with a fresh token (the
 * library's own handling). In demo mode there is no App Bridge, so a reload with an expired token gets a
 * fresh locally signed one instead, and authenticate.admin then verifies it as usual.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const env = getEnv();
  if (env.DEMO_MODE && env.NODE_ENV !== "production") {
    const url = new URL(request.url);
    const reload = new URL(url.searchParams.get("shopify-reload") ?? "/app", env.appUrl);
    if (reload.origin !== new URL(env.appUrl).origin) throw new Response("Bad reload target", { status: 400 });
    const target = await embeddedAdminUrl({
      appUrl: env.appUrl,
      // The page's own query (e.g. the inbox's filters) survives; the embedded parameters are signed afresh.
      path: `${reload.pathname}${reload.search}`,
      shopDomain: env.DEMO_SHOP,
      apiKey: env.shopifyApiKey,
      apiSecret: env.shopifyApiSecret,
      userId: demoStaffUserOf(request).id,
    });
    return redirect(`${target.pathname}${target.search}`);
  }
  await authenticate.admin(request);
  return null;
}
