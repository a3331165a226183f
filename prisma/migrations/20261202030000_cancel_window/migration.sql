-- A merchant may allow cancellations only for a while after the order is placed (null: until it ships).
ALTER TABLE "ShopSettings" ADD COLUMN "cancelWindowMinutes" INTEGER;
ALTER TABLE "ShopSettings" ADD CONSTRAINT "ShopSettings_cancelWindowMinutes_check" CHECK ("cancelWindowMinutes" IS NULL OR "cancelWindowMinutes" > 0);
