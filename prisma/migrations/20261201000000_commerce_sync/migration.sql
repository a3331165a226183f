-- Commerce sync: what Shopify's payloads carry beyond the first model (discount allocations, tax lines,
-- shipping lines, refund line items and transactions, every tracking number), newest-wins timestamps for
-- customers, products and shipments, write-back actions, and backfill/reconciliation progress.

ALTER TYPE "ShipmentStatus" ADD VALUE IF NOT EXISTS 'ready_for_pickup';
ALTER TYPE "ShipmentStatus" ADD VALUE IF NOT EXISTS 'cancelled';

CREATE TYPE "OrderActionKind" AS ENUM ('cancel', 'update_address', 'return', 'refund');
CREATE TYPE "OrderActionStatus" AS ENUM ('requested', 'accepted', 'rejected');
CREATE TYPE "SyncStatus" AS ENUM ('idle', 'running', 'done', 'failed');

ALTER TABLE "ShopSettings" ADD COLUMN "returnFee" DECIMAL(12,2) NOT NULL DEFAULT 0;
ALTER TABLE "ShopSettings" ADD COLUMN "refundTax" BOOLEAN NOT NULL DEFAULT true;

ALTER TABLE "Customer" ADD COLUMN "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "Customer" ADD COLUMN "sourceUpdatedAt" TIMESTAMPTZ(3);

ALTER TABLE "Product" ADD COLUMN "sourceUpdatedAt" TIMESTAMPTZ(3);

ALTER TABLE "Order" ADD COLUMN "shippingLines" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "Order" ADD COLUMN "taxesIncluded" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "OrderLineItem" ADD COLUMN "variantExternalId" TEXT;
ALTER TABLE "OrderLineItem" ADD COLUMN "discountTotal" DECIMAL(12,2) NOT NULL DEFAULT 0;
ALTER TABLE "OrderLineItem" ADD COLUMN "taxTotal" DECIMAL(12,2) NOT NULL DEFAULT 0;
ALTER TABLE "OrderLineItem" ADD COLUMN "discountAllocations" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "OrderLineItem" ADD COLUMN "taxLines" JSONB NOT NULL DEFAULT '[]';

ALTER TABLE "Refund" ADD COLUMN "lineItems" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "Refund" ADD COLUMN "transactions" JSONB NOT NULL DEFAULT '[]';

ALTER TABLE "Shipment" ADD COLUMN "trackingNumbers" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "Shipment" ADD COLUMN "trackingUrls" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "Shipment" ADD COLUMN "lineItems" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "Shipment" ADD COLUMN "sourceUpdatedAt" TIMESTAMPTZ(3);

CREATE TABLE "OrderAction" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "conversationId" TEXT,
    "kind" "OrderActionKind" NOT NULL,
    "status" "OrderActionStatus" NOT NULL DEFAULT 'requested',
    "actor" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "input" JSONB NOT NULL DEFAULT '{}',
    "result" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMPTZ(3),
    CONSTRAINT "OrderAction_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "OrderAction_shopId_idempotencyKey_key" ON "OrderAction"("shopId", "idempotencyKey");
CREATE INDEX "OrderAction_orderId_idx" ON "OrderAction"("orderId");
CREATE INDEX "OrderAction_shopId_status_idx" ON "OrderAction"("shopId", "status");
ALTER TABLE "OrderAction" ADD CONSTRAINT "OrderAction_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "SyncState" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "kind" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "status" "SyncStatus" NOT NULL DEFAULT 'idle',
    "cursor" TEXT,
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "repaired" INTEGER NOT NULL DEFAULT 0,
    "since" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "lastSuccessAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "SyncState_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "SyncState_shopId_platform_kind_resource_key" ON "SyncState"("shopId", "platform", "kind", "resource");
ALTER TABLE "SyncState" ADD CONSTRAINT "SyncState_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
