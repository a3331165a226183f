import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { InboxError } from "../errors";
import { applyConversationChange, ChangeSchemas, type ChangeResult, type ConversationChange, newBulkId } from "./changes.server";
import { Id, parseInput, StaffScope } from "./shared.server";

/**
 * One change to many conversations (a selection across pages): all or nothing, in one transaction, with an
 * action-log entry per changed conversation (sharing a bulkId). Conversations the change cannot apply to (a
 * resolved one cannot be snoozed) are reported as skipped; ids of another shop fail the whole request (404).
 */

export const MAX_BULK_IDS = 5000;

const Base = z.object({
  ...StaffScope,
  ids: z.array(Id("ids"), { error: "ids must be a list of conversation ids" }).min(1, "Select at least one conversation.").max(MAX_BULK_IDS, `At most ${MAX_BULK_IDS} conversations at a time.`),
});

const BulkSchema = z.discriminatedUnion(
  "action",
  [
    Base.extend({ action: z.literal("assign"), ...ChangeSchemas.assign.shape }),
    Base.extend({ action: z.literal("tag"), ...ChangeSchemas.tags.shape }),
    Base.extend({ action: z.literal("resolve") }),
    Base.extend({ action: z.literal("snooze"), ...ChangeSchemas.snooze.shape }),
  ],
  { error: "action must be one of assign, tag, resolve, snooze" },
);

export type BulkUpdateInput = z.input<typeof BulkSchema>;

export interface BulkUpdateResult extends ChangeResult {
  bulkId: string;
}

export async function bulkUpdate(db: PrismaClient, input: BulkUpdateInput): Promise<BulkUpdateResult> {
  const parsed = parseInput(BulkSchema, input);
  let change: ConversationChange;
  switch (parsed.action) {
    case "assign":
      change = { kind: "assign", assigneeId: parsed.assigneeId };
      break;
    case "tag":
      if (parsed.add.length + parsed.remove.length === 0) throw new InboxError("Name a tag to add or remove.", 400, "add");
      change = { kind: "tags", add: parsed.add, remove: parsed.remove };
      break;
    case "resolve":
      change = { kind: "resolve" };
      break;
    case "snooze":
      change = { kind: "snooze", until: parsed.until };
      break;
  }
  const bulkId = newBulkId();
  const result = await applyConversationChange(db, { shopId: parsed.shopId, staffId: parsed.staffId, ids: parsed.ids, change, now: parsed.now, single: false, bulkId });
  return { bulkId, ...result };
}
