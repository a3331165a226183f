import { Prisma, type PrismaClient, type StaffMember, type StaffRole } from "@prisma/client";
import { z } from "zod";
import { parseStaffInput } from "./validation";

/**
 * Who a Shopify staff member is in Shopdesk. The only identity is the verified session token's `sub` (the Shopify
 * user id); name and email are Shopify's profile of that user (the online access token's associated_user) and
 * never link two different Shopify users.
 */

const StaffSessionSchema = z.object({
  shopId: z.uuid(),
  shopifyUserId: z.string().regex(/^\d{1,20}$/, "must be the Shopify user id (digits) from the session token"),
  name: z.string().trim().min(1).max(200).optional(),
  email: z.string().trim().toLowerCase().email().max(254).optional(),
  accountOwner: z.boolean().optional(),
});
export type StaffSession = z.input<typeof StaffSessionSchema>;
type ParsedStaffSession = z.output<typeof StaffSessionSchema>;

/** Shown until Shopify tells us the person's name (offline-only sessions carry no user profile). */
export const placeholderStaffName = (shopifyUserId: string) => `Staff ${shopifyUserId}`;
/** Unique per user and undeliverable by design (.invalid is reserved), until Shopify gives the real address. */
export const placeholderStaffEmail = (shopifyUserId: string) => `${shopifyUserId}@staff.invalid`;

// Every inbox request passes through here; "last seen" a minute off is fine and spares a write per request.
const SEEN_RESOLUTION_MS = 60_000;
const ATTEMPTS = 3;

/**
 * The StaffMember for a signed-in Shopify user, created on first sight. A member added before they ever signed in
 * (invited or seeded: an email, no Shopify user id) is claimed by the Shopify user with that email. Name, email
 * and the owner role follow what Shopify says; lastSeenAt is refreshed.
 */
export async function upsertStaffFromSession(db: PrismaClient, input: StaffSession, now = new Date()): Promise<StaffMember> {
  const session = parseStaffInput(StaffSessionSchema, input);
  // The admin opens several routes at once, so a person's first requests race: the loser of the insert or of the
  // claim finds the winner's row on its next pass.
  for (let attempt = 1; ; attempt++) {
    try {
      const staff = await upsertOnce(db, session, now);
      if (staff) return staff;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= ATTEMPTS) throw error;
    }
    if (attempt >= ATTEMPTS) throw new Error("Could not record the staff member: their row kept changing underneath");
  }
}

async function upsertOnce(db: PrismaClient, session: ParsedStaffSession, now: Date): Promise<StaffMember | null> {
  const { shopId, shopifyUserId } = session;
  const existing = await db.staffMember.findUnique({ where: { shopId_shopifyUserId: { shopId, shopifyUserId } } });
  if (existing) return refresh(db, existing, session, now);

  const holders = session.email
    ? await db.staffMember.findMany({ where: { shopId, email: { equals: session.email, mode: "insensitive" } }, orderBy: { createdAt: "asc" } })
    : [];
  const invited = holders.find((member) => member.shopifyUserId === null);
  if (invited) {
    // Guarded by shopifyUserId IS NULL: of two people racing for the same invitation only one gets it.
    const claimed = await db.staffMember.updateMany({
      where: { id: invited.id, shopId, shopifyUserId: null },
      data: { shopifyUserId, name: session.name ?? invited.name, role: roleFor(invited.role, session.accountOwner), lastSeenAt: now },
    });
    return claimed.count === 1 ? db.staffMember.findUniqueOrThrow({ where: { id: invited.id } }) : null;
  }
  // The email belongs to another Shopify user's row: this person starts with the placeholder address instead.
  const email = session.email && holders.length === 0 ? session.email : placeholderStaffEmail(shopifyUserId);
  return db.staffMember.create({
    data: {
      shopId,
      shopifyUserId,
      name: session.name ?? placeholderStaffName(shopifyUserId),
      email,
      role: session.accountOwner ? "owner" : "agent",
      lastSeenAt: now,
    },
  });
}

async function refresh(db: PrismaClient, staff: StaffMember, session: ParsedStaffSession, now: Date): Promise<StaffMember> {
  const changes: Prisma.StaffMemberUpdateInput = {};
  if (session.name && session.name !== staff.name) changes.name = session.name;
  if (session.email && session.email !== staff.email) {
    // An address another row holds (someone invited under it) stays theirs; this member keeps the old one.
    const taken = await db.staffMember.findFirst({
      where: { shopId: staff.shopId, email: { equals: session.email, mode: "insensitive" }, id: { not: staff.id } },
      select: { id: true },
    });
    if (!taken) changes.email = session.email;
  }
  const role = roleFor(staff.role, session.accountOwner);
  if (role !== staff.role) changes.role = role;
  const seenRecently = staff.lastSeenAt !== null && now.getTime() - staff.lastSeenAt.getTime() < SEEN_RESOLUTION_MS;
  if (seenRecently && Object.keys(changes).length === 0) return staff;
  return db.staffMember.update({ where: { id: staff.id }, data: { ...changes, lastSeenAt: now } });
}

/**
 * The owner role follows Shopify's account owner (a former owner drops to agent, the least privilege); admin and
 * agent are the app's to assign, so Shopify's silence (no profile) changes nothing.
 */
function roleFor(current: StaffRole, accountOwner: boolean | undefined): StaffRole {
  if (accountOwner === true) return "owner";
  if (accountOwner === false && current === "owner") return "agent";
  return current;
}

function isUniqueViolation(error: unknown) {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
