import type { Conversation, ConversationStatus, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { publishLive } from "~/lib/live/live-events.server";
import { previewOf } from "~/lib/text";
import { higherPriority } from "~/modules/routing";
import { InboxError } from "../errors";
import { Id, lockConversations, logAction, parseInput, requireStaff, StaffScope, TRANSACTION_OPTIONS } from "./shared.server";

/**
 * Merging two conversations of the same customer (a shopper who started a second chat, or wrote from another
 * device): every message of the source moves to the target with its own createdAt, so the target's transcript
 * holds each message once, in order. What hangs off the source moves too — its action log, return requests and
 * order actions (an order action decided later confirms in the target) — so the target tells the whole story.
 * The source is closed with mergedIntoId pointing at the target and keeps only its own "merged" entry; its
 * shopper token still opens it, empty and closed (the widget starts a new chat from there).
 */

const MergeSchema = z.object({ ...StaffScope, sourceId: Id("sourceId"), targetId: Id("targetId") });

export type MergeConversationsInput = z.input<typeof MergeSchema>;

export interface MergeConversationsResult {
  targetId: string;
  movedMessages: number;
}

/** The customer behind a conversation, as far as the shop knows it. */
function sameCustomer(a: Conversation, b: Conversation): boolean {
  if (a.customerId && b.customerId) return a.customerId === b.customerId;
  const email = (conversation: Conversation) => conversation.shopperEmail?.trim().toLowerCase() || null;
  return email(a) !== null && email(a) === email(b);
}

/** Which status the merged conversation keeps: the one that still needs the most attention. */
const STATUS_ORDER: ConversationStatus[] = ["waiting_on_staff", "open", "waiting_on_shopper", "resolved", "closed"];
const moreActive = (a: ConversationStatus, b: ConversationStatus) => (STATUS_ORDER.indexOf(a) <= STATUS_ORDER.indexOf(b) ? a : b);

const earliest = (a: Date | null, b: Date | null) => (a && b ? (a <= b ? a : b) : (a ?? b));
const latest = (a: Date, b: Date) => (a >= b ? a : b);

export async function mergeConversations(db: PrismaClient, input: MergeConversationsInput): Promise<MergeConversationsResult> {
  const parsed = parseInput(MergeSchema, input);
  if (parsed.sourceId === parsed.targetId) throw new InboxError("A conversation cannot be merged into itself.", 400, "targetId");
  const now = parsed.now ?? new Date();
  const staff = await requireStaff(db, parsed.shopId, parsed.staffId);
  const { shopId, sourceId, targetId } = parsed;

  return db.$transaction(async (tx) => {
    await lockConversations(tx, shopId, [sourceId, targetId]);
    // One after the other: a transaction is one connection.
    const source = await tx.conversation.findFirst({ where: { id: sourceId, shopId } });
    const target = await tx.conversation.findFirst({ where: { id: targetId, shopId } });
    if (!source) throw new InboxError("Conversation not found.", 404, "sourceId");
    if (!target) throw new InboxError("Conversation not found.", 404, "targetId");
    if (source.mergedIntoId === target.id) throw new InboxError("These conversations are already merged.", 409, "sourceId", "already_merged", { mergedIntoId: target.id });
    if (source.mergedIntoId) throw new InboxError("This conversation was already merged into another one.", 409, "sourceId", "merged", { mergedIntoId: source.mergedIntoId });
    if (target.mergedIntoId) throw new InboxError("The target conversation was merged into another one; merge into that one instead.", 409, "targetId", "merged", { mergedIntoId: target.mergedIntoId });
    if (!sameCustomer(source, target)) throw new InboxError("Only conversations of the same customer can be merged.", 409, "targetId", "different_customer");

    // Messages keep their createdAt: the target's transcript interleaves both in the order they were written.
    const moved = await tx.message.updateMany({ where: { shopId, conversationId: source.id }, data: { conversationId: target.id } });
    await tx.actionLog.updateMany({ where: { shopId, conversationId: source.id }, data: { conversationId: target.id } });
    await tx.returnRequest.updateMany({ where: { shopId, conversationId: source.id }, data: { conversationId: target.id } });
    await tx.orderAction.updateMany({ where: { shopId, conversationId: source.id }, data: { conversationId: target.id } });
    await tx.staffPresence.deleteMany({ where: { conversationId: source.id } });

    const newest = await tx.message.findFirst({
      where: { shopId, conversationId: target.id, visibility: "public" },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { body: true, author: true, createdAt: true },
    });
    const status = moreActive(source.status, target.status);
    const older = source.createdAt < target.createdAt ? source : target;
    const waitingSince = earliest(source.waitingSince, target.waitingSince);
    const sla = source.slaDueAt && (!target.slaDueAt || source.slaDueAt < target.slaDueAt) ? source : target;
    await tx.conversation.update({
      where: { id: target.id },
      data: {
        // The merged conversation began when the first of the two did.
        createdAt: older.createdAt,
        subject: target.subject ?? older.subject ?? source.subject,
        customerId: target.customerId ?? source.customerId,
        shopperEmail: target.shopperEmail ?? source.shopperEmail,
        shopperName: target.shopperName ?? source.shopperName,
        tags: [...new Set([...target.tags, ...source.tags])].slice(0, 20),
        verifiedOrderIds: [...new Set([...target.verifiedOrderIds, ...source.verifiedOrderIds])],
        priority: higherPriority(source.priority, target.priority),
        status,
        resolvedAt: status === "resolved" ? earliest(target.resolvedAt, source.resolvedAt) : null,
        handledByHuman: source.handledByHuman || target.handledByHuman,
        assigneeId: target.assigneeId ?? source.assigneeId,
        escalatedAt: earliest(source.escalatedAt, target.escalatedAt),
        escalationReason: target.escalationReason ?? source.escalationReason,
        firstResponseAt: earliest(source.firstResponseAt, target.firstResponseAt),
        lastMessageAt: latest(source.lastMessageAt, target.lastMessageAt),
        waitingSince,
        slaDueAt: sla.slaDueAt,
        slaKind: sla.slaKind,
        snoozedUntil: status === "resolved" || status === "closed" ? null : target.snoozedUntil,
        ...(newest ? { lastMessagePreview: previewOf(newest.body), lastMessageAuthor: newest.author } : {}),
      },
    });
    await tx.conversation.update({
      where: { id: source.id },
      data: { status: "closed", mergedIntoId: target.id, resolvedAt: source.resolvedAt ?? now, snoozedUntil: null, waitingSince: null, slaDueAt: null, slaKind: null, lastMessagePreview: null, lastMessageAuthor: null },
    });

    const entry = { shopId, staffId: staff.id, action: "conversation.merged", now } as const;
    await logAction(tx, { ...entry, conversationId: source.id, idempotencyKey: `merge:${source.id}:source`, input: { sourceId: source.id, targetId: target.id }, result: { movedMessages: moved.count } });
    await logAction(tx, { ...entry, conversationId: target.id, idempotencyKey: `merge:${source.id}:target`, input: { sourceId: source.id, targetId: target.id }, result: { movedMessages: moved.count } });
    await publishLive(shopId, { type: "conversation.updated", conversationId: source.id, fields: ["status", "mergedIntoId", "messages"] }, tx);
    await publishLive(shopId, { type: "conversation.updated", conversationId: target.id, fields: ["messages", "tags", "status", "priority", "assigneeId", "subject", "slaDueAt"] }, tx);
    return { targetId: target.id, movedMessages: moved.count };
  }, TRANSACTION_OPTIONS);
}
