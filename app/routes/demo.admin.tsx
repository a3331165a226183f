import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { DEMO_STAFF_COOKIE, DEMO_STAFF_USERS, demoStaffKeyOf, demoStaffKeyOfRequest, embeddedAdminUrl, requireDemoMode } from "~/modules/demo";

/**
 * Demo entry: opens the app as the Shopify admin would, with a session token signed by the app secret.
 * `?as=maya` signs in as the demo's second staff member (kept in a cookie for this browser); `?path=` picks the page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const env = requireDemoMode();
  const params = new URL(request.url).searchParams;
  const path = params.get("path") ?? "/app";
  const chosen = demoStaffKeyOf(params.get("as"));
  if (params.has("as") && !chosen) throw new Response(`Unknown demo user; use one of: ${Object.keys(DEMO_STAFF_USERS).join(", ")}`, { status: 400 });
  const key = chosen ?? demoStaffKeyOfRequest(request);
  const target = await embeddedAdminUrl({
    appUrl: env.appUrl,
    path: path.startsWith("/app") ? path : "/app",
    shopDomain: env.DEMO_SHOP,
    apiKey: env.shopifyApiKey,
    apiSecret: env.shopifyApiSecret,
    userId: DEMO_STAFF_USERS[key].id,
  });
  return redirect(`${target.pathname}${target.search}`, { headers: { "Set-Cookie": `${DEMO_STAFF_COOKIE}=${key}; Path=/; HttpOnly; SameSite=Lax` } });
}
