import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { publishLive } from "~/lib/live/live-events.server";
import { ConversationError } from "./conversations.server";

/**
 * The widget's read receipt: the shopper has seen every public message up to `upTo`. It decides whether a
 * staff reply still needs e-mailing (notifications) and shows staff that the shopper read their answer.
 */

const ReadReceiptSchema = z.object({
  upTo: z.string({ error: "upTo must be a message id" }).trim().min(1, "upTo must be a message id").max(64, "upTo is too long"),
});

export async function markShopperRead(db: PrismaClient, input: { shopId: string; conversationId: string; body: unknown }): Promise<{ at: string | null }> {
  const parsed = ReadReceiptSchema.safeParse(input.body);
  if (!parsed.success) throw new ConversationError(parsed.error.issues[0]?.message ?? "invalid read receipt", 400, "upTo");
  const message = await db.message.findFirst({
    where: { id: parsed.data.upTo, shopId: input.shopId, conversationId: input.conversationId, visibility: "public" },
    select: { createdAt: true },
  });
  if (!message) throw new ConversationError("message not found in this conversation", 404, "upTo");
  const at = message.createdAt;
  return db.$transaction(async (tx) => {
    // Only forwards: an older receipt arriving late (another tab, a retry) changes nothing.
    const { count } = await tx.conversation.updateMany({
      where: { id: input.conversationId, shopId: input.shopId, OR: [{ shopperLastReadAt: null }, { shopperLastReadAt: { lt: at } }] },
      data: { shopperLastReadAt: at },
    });
    if (count > 0) {
      await publishLive(input.shopId, { type: "read", conversationId: input.conversationId, at: at.toISOString() }, tx);
      return { at: at.toISOString() };
    }
    const current = await tx.conversation.findFirst({ where: { id: input.conversationId, shopId: input.shopId }, select: { shopperLastReadAt: true } });
    if (!current) throw new ConversationError("conversation not found", 404);
    return { at: current.shopperLastReadAt?.toISOString() ?? null };
  });
}
