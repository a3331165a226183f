import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { getEnv } from "./env.server";
import { secretBoxFromEnv } from "./lib/crypto/secrets.server";
import { APP_SCOPES } from "./lib/shopify/config";
import { EncryptedSessionStorage } from "./lib/shopify/encrypted-session-storage.server";
import { shopifyLogger } from "./lib/shopify/logger.server";
import { enqueueShopifyBackfill } from "./modules/commerce";
import { enqueueJob } from "./modules/jobs";
import { SYNC_POLICIES_JOB } from "./modules/knowledge";
import { ensureShop } from "./modules/shops";

/** The Admin API version the app and its webhook subscriptions (shopify.app.toml) use. */
export const API_VERSION = ApiVersion.October26; // = WEBHOOK_API_VERSION in lib/shopify/config.ts


const env = getEnv();

const shopify = shopifyApp({
  apiKey: env.shopifyApiKey,
  apiSecretKey: env.shopifyApiSecret,
  apiVersion: API_VERSION,
  scopes: env.SCOPES?.split(",") ?? APP_SCOPES,
  appUrl: env.appUrl,
  authPathPrefix: "/auth",
  // Access and refresh tokens are encrypted at rest with ENCRYPTION_KEY (README: "Secrets at rest").
  sessionStorage: new EncryptedSessionStorage(new PrismaSessionStorage(prisma), secretBoxFromEnv(env)),
  logger: shopifyLogger(env.LOG_LEVEL),
  distribution: AppDistribution.AppStore,
  // Admin requests run on the staff member's online session (`<shop>_<user id>`), whose associated_user names
  // who acts (authenticateStaff). Token exchange still stores the shop's offline session, which webhooks,
  // jobs and unauthenticated.admin keep using.
  useOnlineTokens: true,
  hooks: {
    // On install (and re-auth): the shop record, then in the background its policies become knowledge and its
    // customers, products and orders are backfilled (skipped when this installation already was).
    afterAuth: async ({ session }) => {
      const shop = await ensureShop(session.shop);
      await enqueueJob(prisma, { name: SYNC_POLICIES_JOB, shopId: shop.id, payload: { shopDomain: session.shop }, dedupeKey: `${SYNC_POLICIES_JOB}:${shop.id}` });
      await enqueueShopifyBackfill(prisma, shop.id, "install");
    },
  },
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export { APP_SCOPES };
export const apiVersion = API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
