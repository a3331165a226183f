import type { StaffRole } from "@prisma/client";
import type { AdminApiContext, JwtPayload, Session } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import prisma from "~/db.server";
import { ensureShop } from "~/modules/shops";
import { StaffError, type StaffSession, upsertStaffFromSession } from "~/modules/staff";
import { authenticate } from "~/shopify.server";

export interface StaffContext {
  admin: AdminApiContext;
  /** The staff member's online session (`<shop>_<user id>`); background work uses the shop's offline one. */
  session: Session;
  /** The verified session token's claims; `sub` is the Shopify user id. */
  sessionToken: JwtPayload;
  shop: { id: string; domain: string; name: string; timezone: string; currency: string };
  staff: { id: string; name: string; email: string; role: StaffRole };
}

/**
 * Authenticates an admin request and says which staff member makes it. The identity is the verified session
 * token's `sub` and nothing the client sends; Shopify's profile of that user (name, email, account owner) comes
 * from the online access token. Every inbox route starts here and attributes its actions to `staff.id`.
 */
export async function authenticateStaff(request: Request): Promise<StaffContext> {
  const { admin, session, sessionToken } = await authenticate.admin(request);
  const shopifyUserId = sessionToken.sub;
  if (!shopifyUserId) throw new Response("This page needs a signed-in Shopify staff member", { status: 403 });
  const shop = await ensureShop(session.shop);
  let staff: Awaited<ReturnType<typeof upsertStaffFromSession>>;
  try {
    staff = await upsertStaffFromSession(prisma, { shopId: shop.id, shopifyUserId, ...shopifyProfile(session, shopifyUserId) });
  } catch (error) {
    if (error instanceof StaffError) throw new Response("The session token does not name a Shopify staff member", { status: 403 });
    throw error;
  }
  // A member the store turned off keeps their Shopify login but not the inbox.
  if (!staff.active) throw new Response("Your access to this store's support inbox is turned off. Ask the store owner to turn it back on.", { status: 403 });
  return {
    admin,
    session,
    sessionToken,
    shop: { id: shop.id, domain: shop.domain, name: shop.name, timezone: shop.timezone, currency: shop.currency },
    staff: { id: staff.id, name: staff.name, email: staff.email, role: staff.role },
  };
}

const Email = z.email().max(254);

/** Shopify's profile of the signed-in user, or nothing when the session carries none (offline-only). */
function shopifyProfile(session: Session, shopifyUserId: string): Omit<StaffSession, "shopId" | "shopifyUserId"> {
  const user = session.onlineAccessInfo?.associated_user;
  // Sessions are looked up by `<shop>_<sub>`; a profile of anyone else is never used.
  if (!session.isOnline || !user || String(user.id) !== shopifyUserId) return {};
  const name = [known(user.first_name), known(user.last_name)].filter(Boolean).join(" ").slice(0, 200);
  const email = known(user.email)?.toLowerCase();
  return {
    name: name || undefined,
    email: email && Email.safeParse(email).success ? email : undefined,
    accountOwner: typeof user.account_owner === "boolean" ? user.account_owner : undefined,
  };
}

/** The Prisma session storage loads an empty user column as the string "null". */
function known(value: string | null | undefined) {
  const trimmed = value?.trim();
  return trimmed && trimmed !== "null" ? trimmed : undefined;
}
