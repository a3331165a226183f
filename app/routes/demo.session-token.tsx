import type { LoaderFunctionArgs } from "@remix-run/node";
import { demoStaffUserOf, requireDemoMode, signSessionToken } from "~/modules/demo";

/** What App Bridge's `shopify.idToken()` returns inside the admin; the demo stand-in fetches it here. */
export async function loader({ request }: LoaderFunctionArgs) {
  const env = requireDemoMode();
  const token = await signSessionToken({ shopDomain: env.DEMO_SHOP, apiKey: env.shopifyApiKey, apiSecret: env.shopifyApiSecret, userId: demoStaffUserOf(request).id });
  return Response.json({ token }, { headers: { "Cache-Control": "no-store" } });
}
