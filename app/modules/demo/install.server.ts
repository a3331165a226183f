import type { PrismaClient } from "@prisma/client";
import { secretBoxFromEnv } from "~/lib/crypto/secrets.server";
import { DEMO_STAFF_USERS } from "./session-token.server";

// Shopify's online tokens last a day; the demo's must outlive any demo, and no exchange can renew it offline.
const DEMO_ONLINE_SESSION_EXPIRES = new Date("2100-01-01T00:00:00Z");

/**
 * What installing the app on a real store and signing in leave behind: the shop's offline session with the app's
 * scopes, and each demo staff user's online session (stored as `<shop>_<user id>` with Shopify's profile of the
 * user, as the Prisma session storage keeps it). With them, authenticate.admin accepts the demo's locally signed
 * session tokens without a token exchange (no network). The access tokens are placeholders (the demo never calls
 * Shopify's Admin API), encrypted at rest like real ones.
 */
export async function installDemoSession(db: PrismaClient, shopDomain: string, scopes: string[]) {
  const box = secretBoxFromEnv();
  const common = { shop: shopDomain, state: "demo", scope: scopes.join(","), refreshToken: null, refreshTokenExpires: null };
  const offline = { ...common, isOnline: false, accessToken: box.seal("demo-offline-access-token"), expires: null };
  const offlineId = `offline_${shopDomain}`;
  await db.session.upsert({ where: { id: offlineId }, create: { id: offlineId, ...offline }, update: offline });
  for (const user of Object.values(DEMO_STAFF_USERS)) {
    const online = {
      ...common,
      isOnline: true,
      accessToken: box.seal(`demo-online-access-token-${user.id}`),
      expires: DEMO_ONLINE_SESSION_EXPIRES,
      userId: BigInt(user.id),
      firstName: user.firstName,
      lastName: user.lastName,
      email: user.email,
      accountOwner: user.accountOwner,
      locale: "en",
      collaborator: false,
      emailVerified: true,
    };
    const onlineId = `${shopDomain}_${user.id}`;
    await db.session.upsert({ where: { id: onlineId }, create: { id: onlineId, ...online }, update: online });
  }
}
