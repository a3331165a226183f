-- Storefront rate limits shared by every app instance (rate-limiter-flexible's RateLimiterPostgres layout): one
-- row per key and window, `points` used so far, `expire` the window's end in epoch milliseconds. Unlogged: a
-- counter is worth less than the write-ahead log it would cost on every chat request, and a crash only resets
-- windows of a minute. Expired rows are deleted by age (app/lib/server/rate-limit.server.ts), never all at once.
CREATE UNLOGGED TABLE "RateLimitCounter" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,
    CONSTRAINT "RateLimitCounter_pkey" PRIMARY KEY ("key")
);
CREATE INDEX "RateLimitCounter_expire_idx" ON "RateLimitCounter"("expire");
ALTER TABLE "RateLimitCounter" ENABLE ROW LEVEL SECURITY;
