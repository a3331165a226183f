-- customers/redact marks the orders it erased, so a later sync of the same order cannot bring the
-- shopper's e-mail and address back.
ALTER TABLE "Order" ADD COLUMN "redactedAt" TIMESTAMPTZ(3);
