/** Remix v2, classic compiler. @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // Nothing from node_modules is bundled into the server build: @shopify/shopify-app-remix must stay external
  // (bundling it strips the JSON import attribute of Polaris' locale files), and Polaris must then be external
  // too, or its React context would exist twice.
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: false,
  },
};
