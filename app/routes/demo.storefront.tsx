import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { requireDemoMode } from "~/modules/demo/guard.server";
import { renderDemoStorefront } from "~/modules/storefront";

/**
 * A stand-in Online Store page with the chat bubble's app embed block rendered by a real Liquid engine.
 * `?customer=<email>` simulates a logged-in customer: the app-proxy signer then passes their id, as
 * Shopify does for logged-in shoppers.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const env = requireDemoMode();
  const url = new URL(request.url);
  const shop = await prisma.shop.findUnique({ where: { domain: env.DEMO_SHOP } });
  const email = url.searchParams.get("customer");
  const customer = email && shop ? await prisma.customer.findFirst({ where: { shopId: shop.id, email } }) : null;
  const html = await renderDemoStorefront({
    shopDomain: env.DEMO_SHOP,
    shopName: shop?.name ?? "Demo store",
    locale: url.searchParams.get("locale") ?? "en",
    customer: customer ? { id: customer.externalId.replace(/\D/g, ""), email: customer.email ?? "", firstName: customer.firstName ?? undefined } : null,
    assetBaseUrl: "/demo/extension-assets",
  });
  const headers = new Headers({ "Content-Type": "text/html; charset=utf-8" });
  // Remember the simulated login for the app-proxy signer (Shopify knows it from the storefront session).
  headers.append(
    "Set-Cookie",
    `shopdesk_demo_customer=${customer ? customer.externalId.replace(/\D/g, "") : ""}; Path=/; HttpOnly; SameSite=Lax`,
  );
  return new Response(html, { headers });
}
