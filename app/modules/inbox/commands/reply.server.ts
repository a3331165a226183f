import { type Message, Prisma, type PrismaClient } from "@prisma/client";
import { z } from "zod";
import { publishLive } from "~/lib/live/live-events.server";
import { addMessage } from "~/modules/conversations";
import { enqueueMentionNotices, enqueueStaffReplyEmail } from "~/modules/notifications";
import { stopWaiting } from "~/modules/routing";
import { InboxError } from "../errors";
import {
  ConversationScope,
  type Db,
  lockConversations,
  logAction,
  MessageBody,
  parseInput,
  refuseMerged,
  requireConversation,
  requireStaff,
  TRANSACTION_OPTIONS,
} from "./shared.server";

/**
 * What staff write in a conversation: public replies the shopper reads live (and by e-mail when unread), and
 * internal notes for the team that never reach the shopper.
 */

export interface StaffMessage {
  id: string;
  conversationId: string;
  author: Message["author"];
  visibility: Message["visibility"];
  body: string;
  createdAt: string;
  staffId: string | null;
  staffName: string | null;
  metadata: Prisma.JsonValue;
}

function toStaffMessage(message: Message, staffName: string | null): StaffMessage {
  return {
    id: message.id,
    conversationId: message.conversationId,
    author: message.author,
    visibility: message.visibility,
    body: message.body,
    createdAt: message.createdAt.toISOString(),
    staffId: message.staffId,
    staffName,
    metadata: message.metadata,
  };
}

const ReplySchema = z.object({
  ...ConversationScope,
  body: MessageBody,
  /** The newest message the agent had on screen when drafting; null when there was none. */
  lastSeenMessageId: z.string({ error: "lastSeenMessageId must be a message id or null" }).trim().min(1).max(64).nullable(),
  /** Send even though the shopper (or a colleague) wrote since the draft started. */
  force: z.boolean({ error: "force must be true or false" }).default(false),
  /** The client's key for this send: a double-click or a retry sends once. */
  idempotencyKey: z.string({ error: "idempotencyKey must be text" }).trim().min(1).max(100, "idempotencyKey is too long").optional(),
});

export type SendStaffReplyInput = z.input<typeof ReplySchema>;

export interface SendStaffReplyResult {
  message: StaffMessage;
  /** True when this idempotency key had already sent the message (nothing new was sent). */
  duplicate: boolean;
}

/** Public messages newer than the one the agent last saw, other than the agent's own. */
async function newerPublicMessages(tx: Db, input: { shopId: string; conversationId: string; staffId: string; lastSeenMessageId: string | null }) {
  let after: { createdAt: Date; id: string } | null = null;
  if (input.lastSeenMessageId) {
    after = await tx.message.findFirst({ where: { id: input.lastSeenMessageId, shopId: input.shopId, conversationId: input.conversationId }, select: { createdAt: true, id: true } });
    if (!after) throw new InboxError("lastSeenMessageId is not a message of this conversation.", 400, "lastSeenMessageId");
  }
  const messages = await tx.message.findMany({
    where: {
      shopId: input.shopId,
      conversationId: input.conversationId,
      visibility: "public",
      OR: [{ staffId: null }, { staffId: { not: input.staffId } }],
      ...(after ? { AND: [{ OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }] } : {}),
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 20,
    include: { staff: { select: { name: true } } },
  });
  return messages.map((message) => toStaffMessage(message, message.staff?.name ?? null));
}

const replyLogKey = (staffId: string, key: string) => `staff-reply:${staffId}:${key}`;

async function previousReply(db: Db, shopId: string, staffId: string, key: string | undefined): Promise<StaffMessage | null> {
  if (!key) return null;
  const log = await db.actionLog.findUnique({ where: { shopId_idempotencyKey: { shopId, idempotencyKey: replyLogKey(staffId, key) } }, select: { targetId: true } });
  if (!log?.targetId) return null;
  const message = await db.message.findFirst({ where: { id: log.targetId, shopId }, include: { staff: { select: { name: true } } } });
  return message ? toStaffMessage(message, message.staff?.name ?? null) : null;
}

/**
 * Sends a staff member's public reply. Refused with 409 `new_messages` (the newer messages in `details`) when
 * the shopper or a colleague wrote since the agent's draft started, unless `force`. The reply means a person
 * owns the conversation: the assistant stops answering, the conversation waits on the shopper, the SLA clock
 * stops, and the reply is e-mailed to the shopper if their widget does not show it within a few minutes.
 */
export async function sendStaffReply(db: PrismaClient, input: SendStaffReplyInput): Promise<SendStaffReplyResult> {
  const parsed = parseInput(ReplySchema, input);
  const now = parsed.now ?? new Date();
  const staff = await requireStaff(db, parsed.shopId, parsed.staffId);
  const again = await previousReply(db, parsed.shopId, staff.id, parsed.idempotencyKey);
  if (again) return { message: again, duplicate: true };

  try {
    return await db.$transaction(async (tx) => {
      // One reply at a time per conversation, so two agents answering at once see each other's message.
      await lockConversations(tx, parsed.shopId, [parsed.conversationId]);
      const conversation = await requireConversation(tx, parsed.shopId, parsed.conversationId);
      refuseMerged(conversation);
      const newer = await newerPublicMessages(tx, { shopId: parsed.shopId, conversationId: conversation.id, staffId: staff.id, lastSeenMessageId: parsed.lastSeenMessageId });
      if (newer.length > 0 && !parsed.force) {
        throw new InboxError(
          newer.length === 1 ? "A new message arrived since you started this reply." : `${newer.length} new messages arrived since you started this reply.`,
          409,
          "lastSeenMessageId",
          "new_messages",
          { messages: newer },
        );
      }

      const message = await addMessage(tx, { shopId: parsed.shopId, conversationId: conversation.id, author: "staff", visibility: "public", body: parsed.body, staffId: staff.id, createdAt: now });
      const fields = ["status", "handledByHuman", "lastMessageAt"];
      if (!conversation.assigneeId) fields.push("assigneeId");
      if (!conversation.firstResponseAt) fields.push("firstResponseAt");
      await tx.conversation.update({
        where: { id: conversation.id },
        data: {
          handledByHuman: true,
          assigneeId: conversation.assigneeId ?? staff.id,
          status: "waiting_on_shopper",
          resolvedAt: null,
          lastMessageAt: now,
          firstResponseAt: conversation.firstResponseAt ?? now,
        },
      });
      await stopWaiting(tx, { shopId: parsed.shopId, conversationId: conversation.id, now });
      await enqueueStaffReplyEmail(tx, { shopId: parsed.shopId, messageId: message.id, now });
      await logAction(tx, {
        shopId: parsed.shopId,
        staffId: staff.id,
        conversationId: conversation.id,
        action: "message.staff_reply",
        targetType: "message",
        targetId: message.id,
        idempotencyKey: replyLogKey(staff.id, parsed.idempotencyKey ?? message.id),
        input: { chars: parsed.body.length, forced: newer.length > 0 },
        now,
      });
      await publishLive(parsed.shopId, { type: "message.created", conversationId: conversation.id, messageId: message.id, author: "staff", visibility: "public" }, tx);
      await publishLive(parsed.shopId, { type: "conversation.updated", conversationId: conversation.id, fields }, tx);
      return { message: toStaffMessage(message, staff.name), duplicate: false };
    }, TRANSACTION_OPTIONS);
  } catch (error) {
    // The same key sent twice at once: the first one's reply stands.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const winner = await previousReply(db, parsed.shopId, staff.id, parsed.idempotencyKey);
      if (winner) return { message: winner, duplicate: true };
    }
    throw error;
  }
}

const NoteSchema = z.object({ ...ConversationScope, body: MessageBody });

/**
 * Staff who are @mentioned in a note: "@First Last" (full name) or "@first" (first name, when only one
 * active colleague has it), case-insensitive, ending at a non-letter.
 */
export function findMentions(body: string, staff: { id: string; name: string }[]): string[] {
  const lower = body.toLowerCase();
  const byFirst = new Map<string, string[]>();
  for (const member of staff) {
    const first = member.name.trim().split(/\s+/)[0]?.toLowerCase();
    if (first) byFirst.set(first, [...(byFirst.get(first) ?? []), member.id]);
  }
  const fullNames = staff.map((member) => ({ id: member.id, name: member.name.trim().replace(/\s+/g, " ").toLowerCase() })).sort((a, b) => b.name.length - a.name.length);
  const endsWord = (index: number) => index >= lower.length || !/[\p{L}\p{N}]/u.test(lower[index]!);
  const found = new Set<string>();
  for (let at = lower.indexOf("@"); at !== -1; at = lower.indexOf("@", at + 1)) {
    // An e-mail address is not a mention.
    if (at > 0 && /[\p{L}\p{N}._-]/u.test(lower[at - 1]!)) continue;
    const rest = lower.slice(at + 1).replace(/^\s+/, "");
    if (rest.length !== lower.length - at - 1) continue;
    const full = fullNames.find((member) => rest.startsWith(member.name) && endsWord(at + 1 + member.name.length));
    if (full) {
      found.add(full.id);
      continue;
    }
    const word = /^[\p{L}\p{N}'-]+/u.exec(rest)?.[0];
    const matches = word ? byFirst.get(word) : undefined;
    if (matches?.length === 1) found.add(matches[0]!);
  }
  return [...found];
}

export interface AddInternalNoteResult {
  message: StaffMessage;
  /** Staff ids the note @mentions (each is notified, except the author). */
  mentions: string[];
}

/** An internal note: visible to staff in the inbox, never to the shopper. */
export async function addInternalNote(db: PrismaClient, input: z.input<typeof NoteSchema>): Promise<AddInternalNoteResult> {
  const parsed = parseInput(NoteSchema, input);
  const now = parsed.now ?? new Date();
  const staff = await requireStaff(db, parsed.shopId, parsed.staffId);
  const conversation = await requireConversation(db, parsed.shopId, parsed.conversationId);
  refuseMerged(conversation);
  const colleagues = await db.staffMember.findMany({ where: { shopId: parsed.shopId, active: true }, select: { id: true, name: true } });
  const mentions = findMentions(parsed.body, colleagues);

  return db.$transaction(async (tx) => {
    const message = await addMessage(tx, {
      shopId: parsed.shopId,
      conversationId: conversation.id,
      author: "staff",
      visibility: "internal",
      body: parsed.body,
      staffId: staff.id,
      metadata: { mentions },
      createdAt: now,
    });
    const notify = mentions.filter((id) => id !== staff.id);
    if (notify.length > 0) await enqueueMentionNotices(tx, { shopId: parsed.shopId, messageId: message.id, staffIds: notify });
    await logAction(tx, {
      shopId: parsed.shopId,
      staffId: staff.id,
      conversationId: conversation.id,
      action: "note.added",
      targetType: "message",
      targetId: message.id,
      idempotencyKey: `note:${message.id}`,
      input: { chars: parsed.body.length, mentions },
      now,
    });
    await publishLive(parsed.shopId, { type: "message.created", conversationId: conversation.id, messageId: message.id, author: "staff", visibility: "internal" }, tx);
    return { message: toStaffMessage(message, staff.name), mentions };
  }, TRANSACTION_OPTIONS);
}
