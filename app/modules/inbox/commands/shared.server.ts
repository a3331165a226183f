import { randomUUID } from "node:crypto";
import type { Conversation, Prisma, PrismaClient, StaffRole } from "@prisma/client";
import { z } from "zod";
import { InboxError } from "../errors";

/**
 * What every inbox command shares: input validation with the route's status codes, the acting staff member,
 * the conversation within the shop, and the action-log entry that attributes a change to a person.
 */

export type Db = PrismaClient | Prisma.TransactionClient;

/** Staff replies and notes may be longer than a shopper's chat message (macros fill in whole paragraphs). */
export const MAX_STAFF_MESSAGE_CHARS = 5000;

export const Id = (field: string) => z.string({ error: `${field} is required` }).trim().min(1, `${field} is required`).max(64, `${field} is too long`);

/** Who acts and where: trusted values from the route's staff authentication, checked anyway. */
export const StaffScope = { shopId: Id("shopId"), staffId: Id("staffId"), now: z.date().optional() };
export const ConversationScope = { ...StaffScope, conversationId: Id("conversationId") };

export const MessageBody = z
  .string({ error: "body must be text" })
  .transform((value) => value.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().min(1, "Type a message first.").max(MAX_STAFF_MESSAGE_CHARS, `Messages can be at most ${MAX_STAFF_MESSAGE_CHARS} characters.`));

/** Parses a command's input; the first problem becomes a 400 (413 for a message body that is too long) naming its field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join(".") || undefined;
  const tooLong = issue?.code === "too_big" && issue.origin === "string" && field === "body";
  throw new InboxError(issue?.message ?? "invalid input", tooLong ? 413 : 400, field);
}

export interface ActingStaff {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
}

/** The acting staff member: must belong to the shop and be active. */
export async function requireStaff(db: Db, shopId: string, staffId: string): Promise<ActingStaff> {
  const staff = await db.staffMember.findFirst({ where: { id: staffId, shopId, active: true }, select: { id: true, name: true, email: true, role: true } });
  if (!staff) throw new InboxError("You are not an active staff member of this shop.", 403, "staffId");
  return staff;
}

/** A conversation of this shop (another shop's is indistinguishable from none). */
export async function requireConversation(db: Db, shopId: string, conversationId: string, field = "conversationId"): Promise<Conversation> {
  const conversation = await db.conversation.findFirst({ where: { id: conversationId, shopId } });
  if (!conversation) throw new InboxError("Conversation not found.", 404, field);
  return conversation;
}

/** Takes the conversation's row lock for the rest of the transaction, so concurrent commands apply one by one. */
export async function lockConversations(tx: Prisma.TransactionClient, shopId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  // Sorted, so two transactions locking the same rows cannot deadlock.
  await tx.$queryRawUnsafe(`SELECT 1 FROM "Conversation" WHERE "shopId" = $1 AND "id" = ANY($2::text[]) ORDER BY "id" FOR UPDATE`, shopId, [...ids].sort());
}

/** A conversation merged into another is closed for good: changes go to the one it was merged into. */
export function refuseMerged(conversation: Pick<Conversation, "mergedIntoId">): void {
  if (conversation.mergedIntoId) throw new InboxError("This conversation was merged into another one; continue there.", 409, "conversationId", "merged", { mergedIntoId: conversation.mergedIntoId });
}

export const staffActor = (staffId: string) => `staff:${staffId}`;

export interface ActionEntry {
  shopId: string;
  staffId: string;
  conversationId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  /** Unique per shop; a random one when the command has no natural key. */
  idempotencyKey?: string;
  input?: Prisma.InputJsonValue;
  result?: Prisma.InputJsonValue;
  now: Date;
}

export function actionLogData(entry: ActionEntry): Prisma.ActionLogCreateManyInput {
  return {
    shopId: entry.shopId,
    conversationId: entry.conversationId,
    actor: staffActor(entry.staffId),
    action: entry.action,
    targetType: entry.targetType ?? (entry.conversationId ? "conversation" : null),
    targetId: entry.targetId ?? entry.conversationId,
    idempotencyKey: entry.idempotencyKey ?? `inbox:${entry.action}:${randomUUID()}`,
    input: entry.input ?? {},
    result: entry.result ?? {},
    createdAt: entry.now,
  };
}

export async function logAction(db: Db, entry: ActionEntry): Promise<void> {
  await db.actionLog.create({ data: actionLogData(entry) });
}

/** Interactive transactions get more time than Prisma's 5 s default: bulk changes touch thousands of rows. */
export const TRANSACTION_OPTIONS = { timeout: 60_000, maxWait: 10_000 } as const;
