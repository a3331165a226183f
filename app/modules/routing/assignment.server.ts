import { Prisma, type PrismaClient } from "@prisma/client";
import type { AssignmentStrategy } from "./settings";

type Db = PrismaClient | Prisma.TransactionClient;

export interface Assignee {
  id: string;
  name: string;
  email: string;
}

/**
 * Serialises a shop's routing decisions: two handoffs at once must not both see the same person as next in
 * line. Held until the transaction ends.
 */
export async function lockShopRouting(tx: Prisma.TransactionClient, shopId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS "locked" FROM pg_advisory_xact_lock(hashtextextended(${`routing:${shopId}`}, 0))`;
}

/**
 * Who takes the next handoff, among the shop's staff who are active and available. round_robin: whoever was
 * assigned longest ago (never assigned first, then by name). least_busy: whoever has the fewest conversations
 * in progress (open, waiting on staff, waiting on the shopper), ties in round-robin order. manual: nobody.
 * The chosen person's lastAssignedAt moves to now, or just past everyone else's, so the order rotates even
 * when clocks disagree. Given a transaction client, the shop's routing lock is held until that transaction
 * ends, so the caller can assign in the same transaction.
 */
export async function pickAssignee(db: Db, input: { shopId: string; strategy: AssignmentStrategy; now?: Date }): Promise<Assignee | null> {
  const { strategy } = input;
  if (strategy === "manual") return null;
  if ("$transaction" in db) return db.$transaction((tx) => pick(tx, { ...input, strategy }));
  return pick(db, { ...input, strategy });
}

async function pick(tx: Prisma.TransactionClient, input: { shopId: string; strategy: Exclude<AssignmentStrategy, "manual">; now?: Date }): Promise<Assignee | null> {
  await lockShopRouting(tx, input.shopId);
  const load =
    input.strategy === "least_busy"
      ? Prisma.sql`(SELECT count(*) FROM "Conversation" c
           WHERE c."shopId" = s."shopId" AND c."assigneeId" = s."id" AND c."status" IN ('open', 'waiting_on_staff', 'waiting_on_shopper')) ASC,`
      : Prisma.empty;
  const [chosen] = await tx.$queryRaw<Assignee[]>`
    SELECT s."id", s."name", s."email" FROM "StaffMember" s
    WHERE s."shopId" = ${input.shopId} AND s."active" AND s."available"
    ORDER BY ${load} s."lastAssignedAt" ASC NULLS FIRST, s."name" ASC, s."id" ASC
    LIMIT 1`;
  if (!chosen) return null;
  const now = input.now ?? new Date();
  await tx.$executeRaw`
    UPDATE "StaffMember" SET
      "lastAssignedAt" = GREATEST(${now}::timestamptz, (SELECT max("lastAssignedAt") FROM "StaffMember" WHERE "shopId" = ${input.shopId}) + interval '1 millisecond'),
      "updatedAt" = CURRENT_TIMESTAMP
    WHERE "id" = ${chosen.id} AND "shopId" = ${input.shopId}`;
  return chosen;
}
