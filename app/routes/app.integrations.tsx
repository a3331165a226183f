import type { LoaderFunctionArgs } from "@remix-run/node";
import { PlannedFeature } from "~/components/PlannedFeature";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
}

export default function IntegrationsPage() {
  return (
    <PlannedFeature
      title="Integrations"
      summary="Connect the platforms your orders, refunds and shipments come from."
      items={[
        "Shopify (connected on install)",
        "WooCommerce through its REST API keys",
        "Stripe for payments and refunds",
      ]}
    />
  );
}
