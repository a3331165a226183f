import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { type ChatModel, chatModelFromEnv, draftStaffReply, loadAssistantProfile, type StaffDraft } from "~/modules/assistant";
import { ConversationScope, parseInput, refuseMerged, requireConversation, requireStaff } from "./shared.server";

/**
 * An AI-drafted reply for the agent to edit or discard: the assistant's model when one is configured, else
 * the offline responder's answer to the shopper's last message. Returned only: nothing is stored or sent.
 */

const DraftSchema = z.object(ConversationScope);

const TRANSCRIPT_LIMIT = 60;

export async function draftReply(
  db: PrismaClient,
  input: z.input<typeof DraftSchema>,
  /** `chatModel: null` drafts offline even when a model is configured; omitted, the environment decides. */
  options: { chatModel?: ChatModel | null } = {},
): Promise<StaffDraft> {
  const parsed = parseInput(DraftSchema, input);
  const now = parsed.now ?? new Date();
  const staff = await requireStaff(db, parsed.shopId, parsed.staffId);
  const conversation = await requireConversation(db, parsed.shopId, parsed.conversationId);
  refuseMerged(conversation);
  const recent = await db.message.findMany({
    where: { shopId: parsed.shopId, conversationId: conversation.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: TRANSCRIPT_LIMIT,
    select: { author: true, visibility: true, body: true, metadata: true, staff: { select: { name: true } } },
  });
  const transcript = recent.reverse().map((message) => ({ author: message.author, visibility: message.visibility, body: message.body, metadata: message.metadata, staffName: message.staff?.name ?? null }));
  const chatModel = options.chatModel === undefined ? chatModelFromEnv() : (options.chatModel ?? undefined);
  return draftStaffReply({
    db,
    profile: await loadAssistantProfile(db, parsed.shopId),
    conversation: { id: conversation.id, customerId: conversation.customerId, verifiedOrderIds: conversation.verifiedOrderIds, language: conversation.language },
    transcript,
    agentName: staff.name.trim().split(/\s+/)[0] || staff.name,
    chatModel,
    now,
  });
}
