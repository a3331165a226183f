-- Conversation retention (app/modules/privacy/retention.server.ts) deletes conversations; the daily rollups keep
-- the figures of the deleted ones (counts, times, ratings: no personal data) in their own column, added to what each
-- refresh computes from the conversations still kept.
ALTER TABLE "AnalyticsDailyRollup" ADD COLUMN "deletedFigures" JSONB;
