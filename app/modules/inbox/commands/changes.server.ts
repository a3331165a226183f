import { randomUUID } from "node:crypto";
import type { Conversation, Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { publishLive } from "~/lib/live/live-events.server";
import { startWaiting } from "~/modules/routing";
import { InboxError } from "../errors";
import { type ActingStaff, actionLogData, ConversationScope, Id, lockConversations, parseInput, requireStaff, TRANSACTION_OPTIONS } from "./shared.server";

/**
 * Changes to a conversation's state (assignee, priority, tags, snooze, resolved, who answers), one
 * conversation at a time or many at once (bulk): each changed conversation gets its action-log entry and a
 * `conversation.updated` event naming the fields, in the same transaction. A change that changes nothing
 * (assigning the current assignee, resolving a resolved conversation) writes nothing.
 */

export const PRIORITY_VALUES = ["low", "normal", "high", "urgent"] as const;
export const MAX_TAGS = 20;
export const MAX_TAG_CHARS = 40;
const SNOOZE_MAX_DAYS = 90;

const Tag = z
  .string({ error: "tags must be text" })
  .transform((value) => value.trim().replace(/\s+/g, " ").toLowerCase())
  .pipe(
    z
      .string()
      .min(1, "Tags cannot be empty.")
      .max(MAX_TAG_CHARS, `Tags can be at most ${MAX_TAG_CHARS} characters.`)
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} _:/.-]*$/u, "Tags may contain letters, digits, spaces and - _ : / ."),
  );
const TagList = z.array(Tag).max(MAX_TAGS, `At most ${MAX_TAGS} tags at a time.`).default([]);

export const ChangeSchemas = {
  assign: z.object({ assigneeId: Id("assigneeId").nullable() }),
  priority: z.object({ priority: z.enum(PRIORITY_VALUES, { error: `priority must be one of ${PRIORITY_VALUES.join(", ")}` }) }),
  tags: z.object({ add: TagList, remove: TagList }),
  snooze: z.object({ until: z.coerce.date({ error: "until must be a date and time" }) }),
};

export type ConversationChange =
  | ({ kind: "assign" } & z.output<typeof ChangeSchemas.assign>)
  | ({ kind: "priority" } & z.output<typeof ChangeSchemas.priority>)
  | ({ kind: "tags" } & z.output<typeof ChangeSchemas.tags>)
  | ({ kind: "snooze" } & z.output<typeof ChangeSchemas.snooze>)
  | { kind: "resolve" }
  | { kind: "reopen" }
  | { kind: "take_over" }
  | { kind: "hand_back" };

interface Planned {
  data: Prisma.ConversationUncheckedUpdateManyInput;
  fields: string[];
  action: string;
  input: Prisma.InputJsonObject;
  /** The shopper waits: the SLA deadline is recomputed for the new priority, from when the wait began. */
  restartSla?: boolean;
}

/** What a change does to one conversation: an update, nothing (`null`), or a reason it cannot apply. */
function plan(conversation: Conversation, change: ConversationChange, staff: ActingStaff, now: Date): Planned | null | { refused: string } {
  if (conversation.mergedIntoId) return { refused: "This conversation was merged into another one; continue there." };
  const finished = conversation.status === "resolved" || conversation.status === "closed";
  switch (change.kind) {
    case "assign":
      if (conversation.assigneeId === change.assigneeId) return null;
      return { data: { assigneeId: change.assigneeId }, fields: ["assigneeId"], action: "conversation.assigned", input: { from: conversation.assigneeId, to: change.assigneeId } };
    case "priority":
      if (conversation.priority === change.priority) return null;
      return {
        data: { priority: change.priority, ...(conversation.waitingSince ? { slaDueAt: null } : {}) },
        fields: ["priority"],
        action: "conversation.priority_changed",
        input: { from: conversation.priority, to: change.priority },
        restartSla: conversation.waitingSince !== null,
      };
    case "tags": {
      const removing = new Set(change.remove);
      const kept = conversation.tags.filter((tag) => !removing.has(tag));
      const added = [...new Set(change.add)].filter((tag) => !kept.includes(tag));
      const next = [...kept, ...added];
      if (next.length > MAX_TAGS) return { refused: `A conversation can have at most ${MAX_TAGS} tags.` };
      const removed = conversation.tags.filter((tag) => removing.has(tag));
      if (added.length === 0 && removed.length === 0) return null;
      return { data: { tags: next }, fields: ["tags"], action: "conversation.tagged", input: { added, removed } };
    }
    case "snooze":
      if (finished) return { refused: "A resolved conversation cannot be snoozed; reopen it first." };
      if (conversation.snoozedUntil?.getTime() === change.until.getTime()) return null;
      return { data: { snoozedUntil: change.until }, fields: ["snoozedUntil"], action: "conversation.snoozed", input: { until: change.until.toISOString() } };
    case "resolve":
      if (finished) return null;
      return {
        // Nobody waits on a resolved conversation: its SLA clock stops.
        data: { status: "resolved", resolvedAt: now, snoozedUntil: null, waitingSince: null, slaDueAt: null, slaKind: null },
        fields: ["status", "resolvedAt", "snoozedUntil", "slaDueAt"],
        action: "conversation.resolved",
        input: { from: conversation.status },
      };
    case "reopen":
      if (!finished) return null;
      return { data: { status: "open", resolvedAt: null }, fields: ["status", "resolvedAt"], action: "conversation.reopened", input: { from: conversation.status } };
    case "take_over":
      if (conversation.handledByHuman && conversation.assigneeId === staff.id) return null;
      return {
        data: { handledByHuman: true, assigneeId: staff.id },
        fields: ["handledByHuman", "assigneeId"],
        action: "conversation.taken_over",
        input: { previousAssigneeId: conversation.assigneeId, wasHandledByHuman: conversation.handledByHuman },
      };
    case "hand_back":
      if (!conversation.handledByHuman && conversation.status === "open") return null;
      return {
        // The assistant answers the next shopper message; a later handoff is a new escalation (routed again).
        data: { handledByHuman: false, status: "open", resolvedAt: null, waitingSince: null, slaDueAt: null, slaKind: null, escalatedAt: null, escalationReason: null },
        fields: ["handledByHuman", "status", "slaDueAt"],
        action: "conversation.handed_back",
        input: { from: conversation.status },
      };
  }
}

export interface ChangeResult {
  /** Conversations the change was applied to. */
  changed: string[];
  /** Conversations already in that state. */
  unchanged: string[];
  /** Conversations the change cannot apply to, and why (bulk only; a single command answers 409). */
  skipped: { id: string; reason: string }[];
}

/** Checks a change's own references (the assignee) against the shop. */
async function checkChange(db: PrismaClient, shopId: string, change: ConversationChange, now: Date) {
  if (change.kind === "assign" && change.assigneeId) {
    const assignee = await db.staffMember.findFirst({ where: { id: change.assigneeId, shopId, active: true }, select: { id: true } });
    if (!assignee) throw new InboxError("No active staff member of this shop has that id.", 400, "assigneeId");
  }
  if (change.kind === "snooze") {
    if (change.until.getTime() <= now.getTime()) throw new InboxError("Snooze until a time in the future.", 400, "until");
    if (change.until.getTime() > now.getTime() + SNOOZE_MAX_DAYS * 86_400_000) throw new InboxError(`Conversations can be snoozed for at most ${SNOOZE_MAX_DAYS} days.`, 400, "until");
  }
}

/**
 * Applies one change to conversations of the shop in one transaction. Every id must be a conversation of the
 * shop (404 otherwise). `single` turns a refusal into a 409 instead of a skipped entry.
 */
export async function applyConversationChange(
  db: PrismaClient,
  input: { shopId: string; staffId: string; ids: string[]; change: ConversationChange; now?: Date; single: boolean; bulkId?: string },
): Promise<ChangeResult> {
  const now = input.now ?? new Date();
  const staff = await requireStaff(db, input.shopId, input.staffId);
  await checkChange(db, input.shopId, input.change, now);
  const ids = [...new Set(input.ids)];

  return db.$transaction(async (tx) => {
    await lockConversations(tx, input.shopId, ids);
    const conversations = await tx.conversation.findMany({ where: { shopId: input.shopId, id: { in: ids } } });
    if (conversations.length !== ids.length) {
      const missing = ids.length - conversations.length;
      throw new InboxError(input.single ? "Conversation not found." : `${missing} of the selected conversations were not found in this shop.`, 404, input.single ? "conversationId" : "ids");
    }
    const result: ChangeResult = { changed: [], unchanged: [], skipped: [] };
    const groups = new Map<string, { data: Prisma.ConversationUncheckedUpdateManyInput; ids: string[] }>();
    const logs: Prisma.ActionLogCreateManyInput[] = [];
    const events: { conversationId: string; fields: string[] }[] = [];
    const restartSla: string[] = [];
    for (const conversation of conversations) {
      const planned = plan(conversation, input.change, staff, now);
      if (planned === null) {
        result.unchanged.push(conversation.id);
        continue;
      }
      if ("refused" in planned) {
        if (input.single) throw new InboxError(planned.refused, 409, "conversationId");
        result.skipped.push({ id: conversation.id, reason: planned.refused });
        continue;
      }
      result.changed.push(conversation.id);
      // Conversations getting the same update are written with one statement.
      const key = JSON.stringify(planned.data);
      const group = groups.get(key) ?? { data: planned.data, ids: [] };
      group.ids.push(conversation.id);
      groups.set(key, group);
      logs.push(
        actionLogData({
          shopId: input.shopId,
          staffId: staff.id,
          conversationId: conversation.id,
          action: planned.action,
          input: input.bulkId ? { ...planned.input, bulkId: input.bulkId } : planned.input,
          now,
        }),
      );
      events.push({ conversationId: conversation.id, fields: planned.fields });
      if (planned.restartSla) restartSla.push(conversation.id);
    }
    for (const group of groups.values()) await tx.conversation.updateMany({ where: { shopId: input.shopId, id: { in: group.ids } }, data: group.data });
    for (const conversationId of restartSla) await startWaiting(tx, { shopId: input.shopId, conversationId, now });
    if (logs.length > 0) await tx.actionLog.createMany({ data: logs });
    for (const event of events) await publishLive(input.shopId, { type: "conversation.updated", conversationId: event.conversationId, fields: event.fields }, tx);
    return result;
  }, TRANSACTION_OPTIONS);
}

export interface SingleChangeResult {
  conversationId: string;
  /** False when the conversation was already in that state (nothing written). */
  changed: boolean;
}

async function single(db: PrismaClient, scope: { shopId: string; staffId: string; conversationId: string; now?: Date }, change: ConversationChange): Promise<SingleChangeResult> {
  const result = await applyConversationChange(db, { shopId: scope.shopId, staffId: scope.staffId, ids: [scope.conversationId], change, now: scope.now, single: true });
  return { conversationId: scope.conversationId, changed: result.changed.length > 0 };
}

const Scope = z.object(ConversationScope);

/** Assigns the conversation to a staff member of the shop, or unassigns it (`assigneeId: null`). */
export async function assignConversation(db: PrismaClient, input: { shopId: string; staffId: string; conversationId: string; assigneeId: string | null; now?: Date }) {
  const parsed = parseInput(Scope.extend(ChangeSchemas.assign.shape), input);
  return single(db, parsed, { kind: "assign", assigneeId: parsed.assigneeId });
}

export async function setPriority(db: PrismaClient, input: { shopId: string; staffId: string; conversationId: string; priority: string; now?: Date }) {
  const parsed = parseInput(Scope.extend(ChangeSchemas.priority.shape), input);
  return single(db, parsed, { kind: "priority", priority: parsed.priority });
}

/** Adds and removes tags (normalised to lower case); a conversation keeps at most 20. */
export async function updateTags(db: PrismaClient, input: { shopId: string; staffId: string; conversationId: string; add?: string[]; remove?: string[]; now?: Date }) {
  const parsed = parseInput(Scope.extend(ChangeSchemas.tags.shape), input);
  if (parsed.add.length + parsed.remove.length === 0) throw new InboxError("Name a tag to add or remove.", 400, "add");
  return single(db, parsed, { kind: "tags", add: parsed.add, remove: parsed.remove });
}

/** Hides the conversation from the open views until `until` (at most 90 days); a shopper message wakes it earlier. */
export async function snoozeConversation(db: PrismaClient, input: { shopId: string; staffId: string; conversationId: string; until: Date | string; now?: Date }) {
  const parsed = parseInput(Scope.extend(ChangeSchemas.snooze.shape), input);
  return single(db, parsed, { kind: "snooze", until: parsed.until });
}

export async function resolveConversation(db: PrismaClient, input: { shopId: string; staffId: string; conversationId: string; now?: Date }) {
  return single(db, parseInput(Scope, input), { kind: "resolve" });
}

export async function reopenConversation(db: PrismaClient, input: { shopId: string; staffId: string; conversationId: string; now?: Date }) {
  return single(db, parseInput(Scope, input), { kind: "reopen" });
}

/** The acting staff member takes the conversation from the assistant (and from whoever had it). */
export async function takeOver(db: PrismaClient, input: { shopId: string; staffId: string; conversationId: string; now?: Date }) {
  return single(db, parseInput(Scope, input), { kind: "take_over" });
}

/** The assistant answers the shopper's next message again. */
export async function handBack(db: PrismaClient, input: { shopId: string; staffId: string; conversationId: string; now?: Date }) {
  return single(db, parseInput(Scope, input), { kind: "hand_back" });
}

/** A fresh id tying together the action-log entries of one bulk change. */
export const newBulkId = () => randomUUID();
