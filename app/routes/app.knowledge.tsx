import type { LoaderFunctionArgs } from "@remix-run/node";
import { PlannedFeature } from "~/components/PlannedFeature";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
}

export default function KnowledgePage() {
  return (
    <PlannedFeature
      title="Knowledge"
      summary="Everything the assistant may answer from, in one place."
      items={[
        "Articles written in Markdown, with drafts and version history",
        "Your store policies and products, kept in sync",
        "Bulk import from CSV, JSON or Markdown",
        "A test panel that shows which passages the assistant would use",
      ]}
    />
  );
}
