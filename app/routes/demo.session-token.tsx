import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemoMode } from "~/modules/demo";
import { signSessionToken } from "~/modules/demo";

/** What App Bridge's `shopify.idToken()` returns inside the admin; the demo stand-in fetches it here. */
export async function loader(_args: LoaderFunctionArgs) {
  const env = requireDemoMode();
  const token = await signSessionToken({ shopDomain: env.DEMO_SHOP, apiKey: env.shopifyApiKey, apiSecret: env.shopifyApiSecret });
  return Response.json({ token }, { headers: { "Cache-Control": "no-store" } });
}
