-- A job queue you can trust: a heartbeat per running job (a job whose worker died is found by its silence, and
-- its run counts as an attempt), and when the last error happened (dead-lettered jobs keep it until retried).
ALTER TABLE "Job" ADD COLUMN "heartbeatAt" TIMESTAMPTZ(3);
ALTER TABLE "Job" ADD COLUMN "lastErrorAt" TIMESTAMPTZ(3);
-- Running jobs carried their claim time as their only sign of life.
UPDATE "Job" SET "heartbeatAt" = "lockedAt" WHERE "status" = 'running';
-- The stale-job sweep (running jobs by heartbeat) and the dead letter per shop.
CREATE INDEX "Job_status_heartbeatAt_idx" ON "Job"("status", "heartbeatAt");
CREATE INDEX "Job_shopId_status_idx" ON "Job"("shopId", "status");
