import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { publishLive } from "~/lib/live/live-events.server";
import { ConversationScope, parseInput, requireConversation, requireStaff } from "./shared.server";

/**
 * Who is looking at a conversation (collision detection) and what each staff member has read (unread state).
 * Presence rows expire unless the open conversation renews them with a heartbeat; a `presence` event goes out
 * only when what colleagues see changes (arrived, left, started or stopped typing), not on every heartbeat.
 */

export const PRESENCE_TTL_MS = 30_000;

const Scope = z.object(ConversationScope);

/** Marks the conversation read by the staff member up to now (never backwards). */
export async function markRead(db: PrismaClient, input: z.input<typeof Scope>): Promise<{ lastReadAt: string }> {
  const parsed = parseInput(Scope, input);
  const now = parsed.now ?? new Date();
  await requireStaff(db, parsed.shopId, parsed.staffId);
  await requireConversation(db, parsed.shopId, parsed.conversationId);
  const rows = await db.$queryRawUnsafe<{ lastReadAt: Date }[]>(
    `INSERT INTO "ConversationRead" ("conversationId", "staffId", "lastReadAt") VALUES ($1, $2, $3)
     ON CONFLICT ("conversationId", "staffId") DO UPDATE SET "lastReadAt" = GREATEST("ConversationRead"."lastReadAt", EXCLUDED."lastReadAt")
     RETURNING "lastReadAt"`,
    parsed.conversationId,
    parsed.staffId,
    now,
  );
  return { lastReadAt: rows[0]!.lastReadAt.toISOString() };
}

const HeartbeatSchema = Scope.extend({ typing: z.boolean({ error: "typing must be true or false" }).default(false) });

export interface PresenceResult {
  expiresAt: string;
  /** Whether colleagues were told (the staff member arrived, or started or stopped typing). */
  published: boolean;
}

/** The staff member has the conversation open (and is typing or not); renew every ~10 s. */
export async function heartbeatPresence(db: PrismaClient, input: z.input<typeof HeartbeatSchema>): Promise<PresenceResult> {
  const parsed = parseInput(HeartbeatSchema, input);
  const now = parsed.now ?? new Date();
  const staff = await requireStaff(db, parsed.shopId, parsed.staffId);
  await requireConversation(db, parsed.shopId, parsed.conversationId);
  const expiresAt = new Date(now.getTime() + PRESENCE_TTL_MS);
  return db.$transaction(async (tx) => {
    // The previous row, locked: two heartbeats at once publish at most one change.
    const previous = await tx.$queryRawUnsafe<{ typing: boolean; expiresAt: Date }[]>(
      `SELECT "typing", "expiresAt" FROM "StaffPresence" WHERE "conversationId" = $1 AND "staffId" = $2 FOR UPDATE`,
      parsed.conversationId,
      staff.id,
    );
    await tx.staffPresence.upsert({
      where: { conversationId_staffId: { conversationId: parsed.conversationId, staffId: staff.id } },
      create: { conversationId: parsed.conversationId, staffId: staff.id, shopId: parsed.shopId, typing: parsed.typing, expiresAt },
      update: { typing: parsed.typing, expiresAt },
    });
    const before = previous[0];
    const changed = !before || before.expiresAt <= now || before.typing !== parsed.typing;
    if (changed) {
      await publishLive(parsed.shopId, { type: "presence", conversationId: parsed.conversationId, staffId: staff.id, name: staff.name, viewing: true, typing: parsed.typing }, tx);
    }
    return { expiresAt: expiresAt.toISOString(), published: changed };
  });
}

/** The staff member closed the conversation: colleagues stop seeing them at once, not after the TTL. */
export async function leaveConversation(db: PrismaClient, input: z.input<typeof Scope>): Promise<{ published: boolean }> {
  const parsed = parseInput(Scope, input);
  const now = parsed.now ?? new Date();
  const staff = await requireStaff(db, parsed.shopId, parsed.staffId);
  await requireConversation(db, parsed.shopId, parsed.conversationId);
  return db.$transaction(async (tx) => {
    const removed = await tx.$queryRawUnsafe<{ expiresAt: Date }[]>(
      `DELETE FROM "StaffPresence" WHERE "conversationId" = $1 AND "staffId" = $2 AND "shopId" = $3 RETURNING "expiresAt"`,
      parsed.conversationId,
      staff.id,
      parsed.shopId,
    );
    // An expired row was already gone for colleagues.
    const visible = removed.some((row) => row.expiresAt > now);
    if (visible) {
      await publishLive(parsed.shopId, { type: "presence", conversationId: parsed.conversationId, staffId: staff.id, name: staff.name, viewing: false, typing: false }, tx);
    }
    return { published: visible };
  });
}
