import { Prisma, type PrismaClient } from "@prisma/client";
import { z } from "zod";
import { StaffError } from "./errors";
import { parseStaffInput } from "./validation";

type Db = PrismaClient | Prisma.TransactionClient;

const STAFF_SUMMARY = { id: true, name: true, email: true, role: true, available: true, lastSeenAt: true } satisfies Prisma.StaffMemberSelect;
/** One row of an assignment menu. */
export type StaffSummary = Prisma.StaffMemberGetPayload<{ select: typeof STAFF_SUMMARY }>;

const STAFF_PROFILE = { ...STAFF_SUMMARY, shopifyUserId: true, active: true, notifyByEmail: true } satisfies Prisma.StaffMemberSelect;
export type StaffProfile = Prisma.StaffMemberGetPayload<{ select: typeof STAFF_PROFILE }>;

const ShopScope = z.object({ shopId: z.uuid() });
const StaffRef = ShopScope.extend({ staffId: z.uuid({ error: "must be a staff member id" }) });
const AvailabilityInput = StaffRef.extend({ available: z.boolean({ error: "must be true or false" }) });

/** The shop's active staff with their availability, by name: who a conversation can be assigned to. */
export async function listStaff(db: Db, shopId: string): Promise<StaffSummary[]> {
  const scope = parseStaffInput(ShopScope, { shopId });
  return db.staffMember.findMany({ where: { shopId: scope.shopId, active: true }, select: STAFF_SUMMARY, orderBy: [{ name: "asc" }, { id: "asc" }] });
}

/** A staff member of this shop (inactive ones too: their past work still shows their name), or null. */
export async function getStaffMember(db: Db, shopId: string, staffId: string): Promise<StaffProfile | null> {
  const ref = parseStaffInput(StaffRef, { shopId, staffId });
  return db.staffMember.findFirst({ where: { id: ref.staffId, shopId: ref.shopId }, select: STAFF_PROFILE });
}

/** Away or back: routing assigns new conversations only to available staff. */
export async function setStaffAvailability(db: Db, input: { shopId: string; staffId: string; available: boolean }): Promise<StaffSummary> {
  const { shopId, staffId, available } = parseStaffInput(AvailabilityInput, input);
  try {
    return await db.staffMember.update({ where: { id: staffId, shopId, active: true }, data: { available }, select: STAFF_SUMMARY });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") {
      throw new StaffError("No such staff member in this shop", 404, "staffId");
    }
    throw error;
  }
}
