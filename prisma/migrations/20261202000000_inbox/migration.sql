-- Support inbox: staff identity and availability, conversation tags/snooze/merge/SLA/list previews, unread
-- state, presence for collision detection, macros, live events (NOTIFY + table for the embedded database),
-- notifications, routing and SLA settings, and full-text search over messages.

CREATE TYPE "NotificationStatus" AS ENUM ('sent', 'logged', 'failed', 'skipped');

ALTER TABLE "ShopSettings" ADD COLUMN "routing" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "ShopSettings" ADD COLUMN "sla" JSONB NOT NULL DEFAULT '{}';

ALTER TABLE "StaffMember" ADD COLUMN "shopifyUserId" TEXT;
ALTER TABLE "StaffMember" ADD COLUMN "available" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "StaffMember" ADD COLUMN "notifyByEmail" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "StaffMember" ADD COLUMN "lastAssignedAt" TIMESTAMPTZ(3);
ALTER TABLE "StaffMember" ADD COLUMN "lastSeenAt" TIMESTAMPTZ(3);
CREATE UNIQUE INDEX "StaffMember_shopId_shopifyUserId_key" ON "StaffMember"("shopId", "shopifyUserId");

ALTER TABLE "Conversation" ADD COLUMN "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "Conversation" ADD COLUMN "snoozedUntil" TIMESTAMPTZ(3);
ALTER TABLE "Conversation" ADD COLUMN "mergedIntoId" TEXT;
ALTER TABLE "Conversation" ADD COLUMN "waitingSince" TIMESTAMPTZ(3);
ALTER TABLE "Conversation" ADD COLUMN "slaDueAt" TIMESTAMPTZ(3);
ALTER TABLE "Conversation" ADD COLUMN "slaKind" TEXT;
ALTER TABLE "Conversation" ADD COLUMN "lastMessagePreview" TEXT;
ALTER TABLE "Conversation" ADD COLUMN "lastMessageAuthor" "MessageAuthor";
ALTER TABLE "Conversation" ADD COLUMN "shopperLastReadAt" TIMESTAMPTZ(3);
DROP INDEX "Conversation_shopId_assigneeId_idx";
CREATE INDEX "Conversation_shopId_assigneeId_status_idx" ON "Conversation"("shopId", "assigneeId", "status");
CREATE INDEX "Conversation_shopId_status_slaDueAt_idx" ON "Conversation"("shopId", "status", "slaDueAt");
CREATE INDEX "Conversation_shopId_customerId_idx" ON "Conversation"("shopId", "customerId");

-- The list preview of conversations that exist already.
UPDATE "Conversation" c SET "lastMessagePreview" = left(m."body", 200), "lastMessageAuthor" = m."author"
FROM (SELECT DISTINCT ON ("conversationId") "conversationId", "body", "author" FROM "Message"
      WHERE "visibility" = 'public' ORDER BY "conversationId", "createdAt" DESC) m
WHERE m."conversationId" = c."id";

ALTER TABLE "Message" ADD COLUMN "sentiment" DOUBLE PRECISION;
ALTER TABLE "Message" ADD COLUMN "searchText" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "body")) STORED;
CREATE INDEX "Message_searchText_gin_idx" ON "Message" USING gin ("searchText");

CREATE TABLE "ConversationRead" (
    "conversationId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "lastReadAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ConversationRead_pkey" PRIMARY KEY ("conversationId", "staffId")
);
CREATE INDEX "ConversationRead_staffId_idx" ON "ConversationRead"("staffId");
ALTER TABLE "ConversationRead" ADD CONSTRAINT "ConversationRead_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ConversationRead" ADD CONSTRAINT "ConversationRead_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "StaffPresence" (
    "conversationId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "typing" BOOLEAN NOT NULL DEFAULT false,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "StaffPresence_pkey" PRIMARY KEY ("conversationId", "staffId")
);
CREATE INDEX "StaffPresence_shopId_expiresAt_idx" ON "StaffPresence"("shopId", "expiresAt");
ALTER TABLE "StaffPresence" ADD CONSTRAINT "StaffPresence_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "StaffPresence" ADD CONSTRAINT "StaffPresence_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "Macro" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "usageCount" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "Macro_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Macro_shopId_name_key" ON "Macro"("shopId", "name");
ALTER TABLE "Macro" ADD CONSTRAINT "Macro_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "LiveEvent" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "conversationId" TEXT,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LiveEvent_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "LiveEvent_createdAt_idx" ON "LiveEvent"("createdAt");

CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "conversationId" TEXT,
    "staffId" TEXT,
    "recipient" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "status" "NotificationStatus" NOT NULL,
    "error" TEXT,
    "dedupeKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Notification_shopId_dedupeKey_key" ON "Notification"("shopId", "dedupeKey");
CREATE INDEX "Notification_shopId_createdAt_idx" ON "Notification"("shopId", "createdAt");
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
