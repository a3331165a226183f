-- Inbox reads (issue 10): the list's views in their sort order, view counts from an index alone, search by
-- customer name/email and by an anonymous shopper's email, a conversation's action log, a customer's orders.
-- Measured with `npm run bench -- inbox` (100,000 conversations, 2,000,000 messages in one shop).

-- The active views (open, mine, unassigned, waiting, snoozed) in list order: SLA due first (nulls last), then
-- priority, then latest activity. INCLUDE holds what the views filter on, so a page, a semi-join for a search
-- and the view counts are index-only scans.
CREATE INDEX "Conversation_inbox_active_idx" ON "Conversation" ("shopId", "slaDueAt" ASC NULLS LAST, "priority" DESC, "lastMessageAt" DESC, "id")
  INCLUDE ("status", "assigneeId", "handledByHuman", "snoozedUntil")
  WHERE "status" IN ('open', 'waiting_on_staff', 'waiting_on_shopper');

-- The Resolved view, most recent first.
CREATE INDEX "Conversation_inbox_resolved_idx" ON "Conversation" ("shopId", "lastMessageAt" DESC, "id" DESC)
  WHERE "status" IN ('resolved', 'closed') AND "mergedIntoId" IS NULL;

-- The Snoozed view: few rows, found without walking the active list.
CREATE INDEX "Conversation_inbox_snoozed_idx" ON "Conversation" ("shopId", "snoozedUntil") WHERE "snoozedUntil" IS NOT NULL;

-- Search by the email an anonymous shopper left, and their previous conversations in the customer panel.
CREATE INDEX "Conversation_shopperEmail_idx" ON "Conversation" ("shopId", lower("shopperEmail"));

-- Search by a customer's name or email (same expression as the inbox's search query).
CREATE INDEX "Customer_search_gin_idx" ON "Customer" USING gin (
  to_tsvector('simple'::regconfig, coalesce("firstName", '') || ' ' || coalesce("lastName", '') || ' ' || coalesce("email", ''))
);

-- A conversation's action log (the conversation view's timeline).
CREATE INDEX "ActionLog_conversationId_createdAt_idx" ON "ActionLog" ("conversationId", "createdAt");

-- A customer's orders, newest first (the customer panel, lifetime value).
CREATE INDEX "Order_customerId_placedAt_idx" ON "Order" ("customerId", "placedAt");
