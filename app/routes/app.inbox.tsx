import type { LoaderFunctionArgs } from "@remix-run/node";
import { PlannedFeature } from "~/components/PlannedFeature";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
}

export default function InboxPage() {
  return (
    <PlannedFeature
      title="Inbox"
      summary="Your team's shared inbox for every storefront conversation."
      items={[
        "Live conversations with the shopper's profile and orders beside them",
        "AI-drafted replies you can edit and send",
        "Assignment, priorities, escalations and internal notes",
      ]}
    />
  );
}
