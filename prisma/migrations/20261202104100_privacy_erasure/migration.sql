-- Erasure that leaves no trace (issue 12, part 2).

-- Raw webhook payloads are deleted after the shop's retention period (and by customers/redact); the event row
-- stays as the delivery's idempotency key.
ALTER TABLE "ShopSettings" ADD COLUMN "webhookPayloadRetentionDays" INTEGER NOT NULL DEFAULT 30;
ALTER TABLE "WebhookEvent" ALTER COLUMN "payload" DROP NOT NULL;
ALTER TABLE "WebhookEvent" ADD COLUMN "payloadDeletedAt" TIMESTAMPTZ(3);
-- The retention job walks only the events that still hold a payload, oldest first.
CREATE INDEX "WebhookEvent_payload_retention_idx" ON "WebhookEvent" ("receivedAt") WHERE "payload" IS NOT NULL;

-- customers/data_request exports, downloadable by the merchant until they expire.
CREATE TABLE "DataRequestExport" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "dataRequestId" TEXT,
    "customerExternalId" TEXT,
    "customerEmail" TEXT,
    "content" JSONB,
    "customerCount" INTEGER NOT NULL DEFAULT 0,
    "orderCount" INTEGER NOT NULL DEFAULT 0,
    "conversationCount" INTEGER NOT NULL DEFAULT 0,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "contentDeletedAt" TIMESTAMPTZ(3),
    "contentDeletedReason" TEXT,
    "downloadCount" INTEGER NOT NULL DEFAULT 0,
    "lastDownloadedAt" TIMESTAMPTZ(3),
    CONSTRAINT "DataRequestExport_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "DataRequestExport_shopId_dataRequestId_key" ON "DataRequestExport"("shopId", "dataRequestId");
CREATE INDEX "DataRequestExport_shopId_requestedAt_idx" ON "DataRequestExport"("shopId", "requestedAt");
-- The retention job finds expired content without reading the rest.
CREATE INDEX "DataRequestExport_expiry_idx" ON "DataRequestExport" ("expiresAt") WHERE "content" IS NOT NULL;
ALTER TABLE "DataRequestExport" ADD CONSTRAINT "DataRequestExport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- Like every table: nobody but the owner (the app) reads it through Supabase's PostgREST roles.
ALTER TABLE "DataRequestExport" ENABLE ROW LEVEL SECURITY;
