-- What the Settings page edits beyond the columns that already held it: the assistant's avatar and tone preset,
-- the languages it may reply in, non-returnable product tags, which actions wait for staff approval,
-- conversation retention and the shop's OpenAI chat model.
ALTER TABLE "ShopSettings"
    ADD COLUMN "assistantAvatarUrl" TEXT,
    ADD COLUMN "brandTone" TEXT NOT NULL DEFAULT 'friendly',
    ADD COLUMN "replyLanguages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    ADD COLUMN "nonReturnableTags" TEXT[] DEFAULT ARRAY['final sale', 'final-sale', 'non-returnable']::TEXT[],
    ADD COLUMN "returnNeedsApproval" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "refundNeedsApproval" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "conversationRetentionDays" INTEGER,
    ADD COLUMN "chatModel" TEXT;
ALTER TABLE "ShopSettings" ADD CONSTRAINT "ShopSettings_conversationRetentionDays_check" CHECK ("conversationRetentionDays" IS NULL OR "conversationRetentionDays" > 0);
