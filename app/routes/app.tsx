import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { NAV_LINKS } from "~/components/nav-links";
import { StandaloneChrome } from "~/components/StandaloneChrome";
import { getEnv } from "~/env.server";
import { ensureShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

// Pages name themselves ("Inbox · Shopdesk"); this is the title of any that does not.
export const meta: MetaFunction = () => [{ title: "Shopdesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  const env = getEnv();
  return {
    apiKey: env.shopifyApiKey,
    shopName: shop.name,
    // In demo mode the app runs outside the Shopify admin: a local App Bridge stand-in supplies session
    // tokens, and the app draws its own navigation.
    demo: env.DEMO_MODE,
  };
}

export default function AppLayout() {
  const { apiKey, shopName, demo } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(demo ? { __APP_BRIDGE_URL: "/demo/app-bridge.js" } : {})}>
      {demo ? (
        <StandaloneChrome shopName={shopName}>
          <Outlet />
        </StandaloneChrome>
      ) : (
        <>
          <NavMenu>
            {NAV_LINKS.map((link) => (
              <Link key={link.url} to={link.url} rel={link.url === "/app" ? "home" : undefined}>
                {link.label}
              </Link>
            ))}
          </NavMenu>
          <Outlet />
        </>
      )}
    </AppProvider>
  );
}

// The layout's data (app key, shop name, demo flag) does not change with what staff do in a page: no need to
// re-run its loader (authenticate.admin included) on each inbox action and live refresh. Settings may rename
// the shop, so a save there does revalidate it.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction }) => formAction?.startsWith("/app/settings") ?? false;

// Shopify needs Remix to catch thrown responses (auth redirects) and add its headers.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
