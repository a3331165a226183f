import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { useEffect } from "react";
import { ShopifyCard } from "~/components/integrations/ShopifyCard";
import { StripeCard } from "~/components/integrations/StripeCard";
import { WooCommerceCard } from "~/components/integrations/WooCommerceCard";
import prisma from "~/db.server";
import { authenticateStaff } from "~/lib/shopify/staff-auth.server";
import { stripeCard, stripeSettingsFromEnv, wooSettingsFromEnv } from "~/modules/commerce";
import { getEnv } from "~/env.server";
import { handleIntegrationAction, integrationsOverview } from "~/modules/integrations";
import { ensureShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

/**
 * Integrations: one card per platform. Shopify is always there (the app is installed on it); WooCommerce and
 * Stripe are connected here. The loader sends only what may be shown: never a key, secret or payload.
 */

export const meta: MetaFunction = () => [{ title: "Integrations · Shopdesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  const [overview, stripe] = await Promise.all([integrationsOverview(prisma, shop.id), stripeCard(prisma, shop.id, stripeSettingsFromEnv())]);
  const env = getEnv();
  // The demo shop's orders, customers and products were written by the seed, not delivered by Shopify.
  return { ...overview, stripe, seededDemo: env.DEMO_MODE && shop.domain === env.DEMO_SHOP };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop, staff } = await authenticateStaff(request);
  const result = await handleIntegrationAction(prisma, { shopId: shop.id, role: staff.role }, await request.formData(), wooSettingsFromEnv());
  return Response.json(result, { status: result.ok ? 200 : result.forbidden ? 403 : 400 });
}

/** While a sync is under way (or queued right after connecting) the page re-reads its data every 2 s. */
const POLL_MS = 2_000;

export default function IntegrationsPage() {
  const data = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const woo = data.woocommerce;
  const syncing =
    data.shopify.backfill.status === "running" ||
    ((woo.status === "connected" || woo.status === "error") && woo.backfill.status !== "done" && woo.backfill.status !== "failed") ||
    // A failure the queue retries within minutes: its outcome shows without a reload.
    [...data.shopify.activity.failures, ...woo.activity.failures, ...data.stripe.activity.failures].some((failure) => failure.retryingAt && Date.parse(failure.retryingAt) - Date.now() < 5 * 60_000);
  useEffect(() => {
    if (!syncing) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [syncing, revalidator]);

  return (
    <Page title="Integrations" subtitle="Connect the platforms your orders, refunds and shipments come from.">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ShopifyCard view={data.shopify} timeZone={data.timezone} seededDemo={data.seededDemo} />
            <WooCommerceCard view={woo} timeZone={data.timezone} />
            <StripeCard view={data.stripe} timeZone={data.timezone} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
