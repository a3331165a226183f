import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link as RemixLink, useLocation } from "@remix-run/react";
import { BlockStack, Card, Page, Text } from "@shopify/polaris";
import { appPath } from "~/components/app-path";
import { authenticate } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Page not found · Shopdesk" }];

// An address under /app that no route serves: answered inside the app frame (navigation included) with a
// 404, not Remix's bare "No routes matched" error. Authenticated like every admin page, so the frame's
// session handling (bounces, token exchange) still applies.
export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return json({}, { status: 404 });
}

export default function AppNotFound() {
  const location = useLocation();
  return (
    <Page title="Page not found">
      <Card>
        <BlockStack gap="300">
          <Text as="p">
            There is no page at <Text as="span" fontWeight="semibold">{location.pathname}</Text>. It may have moved, or the link was mistyped.
          </Text>
          <Text as="p">
            <RemixLink to={appPath("/app", location.search)}>Back to the dashboard</RemixLink>
          </Text>
        </BlockStack>
      </Card>
    </Page>
  );
}
