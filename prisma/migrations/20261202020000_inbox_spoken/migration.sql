-- The inbox's active views leave out conversations nobody has written in yet: the widget opens a conversation
-- when a shopper opens the chat, and a shop has far more of those than of conversations. A public message
-- sets "lastMessageAuthor", so the views' index covers only conversations with at least one message.
DROP INDEX "Conversation_inbox_active_idx";
CREATE INDEX "Conversation_inbox_active_idx" ON "Conversation" ("shopId", "slaDueAt" ASC NULLS LAST, "priority" DESC, "lastMessageAt" DESC, "id")
  INCLUDE ("status", "assigneeId", "handledByHuman", "snoozedUntil", "lastIntent", "language", "channel", "sentiment", "tags", "createdAt")
  WHERE "status" IN ('open', 'waiting_on_staff', 'waiting_on_shopper') AND "lastMessageAuthor" IS NOT NULL;
