/**
 * The demo module: the seeded "Northwind Outfitters" shop (its products, customers and orders delivered as Shopify
 * webhook payloads through the commerce sync writers), and local stand-ins for what Shopify does around an
 * embedded app (session tokens, app-proxy signing, the installed sessions, a storefront page rendering the theme
 * extension's app embed with a real Liquid engine) so `npm run demo` needs no account.
 * Everything but the seed is reachable only in demo mode (requireDemoMode), never in production.
 */
export { forwardThroughAppProxy } from "./app-proxy.server";
export { requireDemoMode } from "./guard.server";
export { installDemoSession } from "./install.server";
export { DEMO_SHOP_NAME, STORE_FACTS } from "./seed-data";
export { demoShopifyPayloads } from "./seed/history";
export { type SeedDemoShopOptions, type SeedSummary, seedDemoShop } from "./seed.server";
export {
  adminHostParam,
  appProxyQuery,
  DEMO_STAFF_COOKIE,
  DEMO_STAFF_USER,
  DEMO_STAFF_USER_ID,
  DEMO_STAFF_USERS,
  type DemoStaffKey,
  demoStaffKeyOf,
  demoStaffKeyOfRequest,
  demoStaffUserOf,
  embeddedAdminUrl,
  signAppProxyParams,
  signSessionToken,
} from "./session-token.server";
export { type DemoOrderToTry, demoOrdersToTry } from "./orders-to-try.server";
export { demoStorefrontContext } from "./storefront-context.server";
export {
  type ChatBubblePosition,
  type ChatBubbleSettings,
  type ChatBubbleShowOn,
  type DemoStorefrontCustomer,
  type RenderDemoStorefrontOptions,
  readExtensionAsset,
  renderChatBubbleBlock,
  renderDemoStorefront,
  wantsAppEmbed,
} from "./storefront-page.server";
