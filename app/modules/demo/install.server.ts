import type { PrismaClient } from "@prisma/client";
import { DEMO_STAFF_USER } from "./session-token.server";

// Shopify's online tokens last a day; the demo's must outlive any demo, and no exchange can renew it offline.
const DEMO_ONLINE_SESSION_EXPIRES = new Date("2100-01-01T00:00:00Z");

/**
 * What installing the app on a real store and signing in leave behind: the shop's offline session with the app's
 * scopes, and the demo staff user's online session (stored as `<shop>_<user id>` with Shopify's profile of the
 * user, as the Prisma session storage keeps it). With them, authenticate.admin accepts the demo's locally signed
 * session tokens without a token exchange (no network). The access tokens are placeholders: the demo never calls
 * Shopify's Admin API.
 */
export async function installDemoSession(db: PrismaClient, shopDomain: string, scopes: string[]) {
  const common = { shop: shopDomain, state: "demo", scope: scopes.join(","), refreshToken: null, refreshTokenExpires: null };
  const offline = { ...common, isOnline: false, accessToken: "demo-offline-access-token", expires: null };
  const online = {
    ...common,
    isOnline: true,
    accessToken: "demo-online-access-token",
    expires: DEMO_ONLINE_SESSION_EXPIRES,
    userId: BigInt(DEMO_STAFF_USER.id),
    firstName: DEMO_STAFF_USER.firstName,
    lastName: DEMO_STAFF_USER.lastName,
    email: DEMO_STAFF_USER.email,
    accountOwner: DEMO_STAFF_USER.accountOwner,
    locale: "en",
    collaborator: false,
    emailVerified: true,
  };
  const offlineId = `offline_${shopDomain}`;
  const onlineId = `${shopDomain}_${DEMO_STAFF_USER.id}`;
  await db.session.upsert({ where: { id: offlineId }, create: { id: offlineId, ...offline }, update: offline });
  await db.session.upsert({ where: { id: onlineId }, create: { id: onlineId, ...online }, update: online });
}
