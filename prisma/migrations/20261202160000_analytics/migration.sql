-- Analytics: daily rollups per shop (written by the analytics refresh job, read by the dashboard for closed days),
-- conversations by the day they started, and the inbox's "All" view (every conversation with a message, latest
-- activity first) that the dashboard's drill-downs open.
CREATE TABLE "AnalyticsDailyRollup" (
    "shopId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "timeZone" TEXT NOT NULL,
    "conversations" INTEGER NOT NULL DEFAULT 0,
    "automated" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "handedOff" INTEGER NOT NULL DEFAULT 0,
    "reachedStaff" INTEGER NOT NULL DEFAULT 0,
    "firstResponseSeconds" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "resolutionSeconds" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "csatCounts" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "byIntent" JSONB NOT NULL DEFAULT '{}',
    "byLanguage" JSONB NOT NULL DEFAULT '{}',
    "byChannel" JSONB NOT NULL DEFAULT '{}',
    "sentimentSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "sentimentCount" INTEGER NOT NULL DEFAULT 0,
    "unanswered" INTEGER NOT NULL DEFAULT 0,
    "unansweredQuestions" JSONB NOT NULL DEFAULT '[]',
    "influencedOrders" INTEGER NOT NULL DEFAULT 0,
    "influencedRevenue" JSONB NOT NULL DEFAULT '{}',
    "computedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AnalyticsDailyRollup_pkey" PRIMARY KEY ("shopId", "day")
);

ALTER TABLE "AnalyticsDailyRollup" ADD CONSTRAINT "AnalyticsDailyRollup_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security like every table (see 20261202110000_database_lockdown).
ALTER TABLE "AnalyticsDailyRollup" ENABLE ROW LEVEL SECURITY;

CREATE INDEX "Conversation_shopId_createdAt_idx" ON "Conversation"("shopId", "createdAt");

CREATE INDEX "Conversation_inbox_all_idx" ON "Conversation" ("shopId", "lastMessageAt" DESC, "id" DESC)
    WHERE "lastMessageAuthor" IS NOT NULL AND "mergedIntoId" IS NULL;
