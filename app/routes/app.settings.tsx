import type { LoaderFunctionArgs } from "@remix-run/node";
import { PlannedFeature } from "~/components/PlannedFeature";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
}

export default function SettingsPage() {
  return (
    <PlannedFeature
      title="Settings"
      summary="How the assistant speaks and what it may do on its own."
      items={[
        "Assistant name, greeting and brand voice",
        "Return window, refund auto-approval limit and cancellation rules",
        "Escalation rules and business hours",
      ]}
    />
  );
}
