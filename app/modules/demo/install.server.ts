import type { PrismaClient } from "@prisma/client";

/**
 * What installing the app on a real store leaves behind: an offline session with the app's scopes. With it,
 * authenticate.admin accepts the demo's locally signed session tokens without a token exchange (no network).
 * The access token is a placeholder: the demo never calls Shopify's Admin API.
 */
export async function installDemoSession(db: PrismaClient, shopDomain: string, scopes: string[]) {
  const id = `offline_${shopDomain}`;
  const data = {
    shop: shopDomain,
    state: "demo",
    isOnline: false,
    scope: scopes.join(","),
    accessToken: "demo-offline-access-token",
    expires: null,
    refreshToken: null,
    refreshTokenExpires: null,
  };
  await db.session.upsert({ where: { id }, create: { id, ...data }, update: data });
}
