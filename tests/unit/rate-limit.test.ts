import { describe, expect, it } from "vitest";
import { RateLimiter } from "~/lib/server/rate-limit.server";

describe("RateLimiter (sliding window counter)", () => {
  const rule = { limit: 3, windowMs: 60_000 };

  it("allows up to the limit, then refuses with the seconds until a slot frees up", () => {
    const limiter = new RateLimiter();
    const t0 = 1_000_000 * 60_000; // a window boundary
    expect([1, 2, 3].map((i) => limiter.hit("k", rule, t0 + i).ok)).toEqual([true, true, true]);
    const refused = limiter.hit("k", rule, t0 + 10_000);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 50, remaining: 0 });
  });

  it("keeps keys apart", () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 3; i++) limiter.hit("a", rule, 0);
    expect(limiter.hit("a", rule, 1).ok).toBe(false);
    expect(limiter.hit("b", rule, 1).ok).toBe(true);
  });

  it("weights the previous window by its overlap, so a burst at a boundary cannot double the limit", () => {
    const limiter = new RateLimiter();
    const boundary = 60_000 * 10;
    for (let i = 0; i < 3; i++) expect(limiter.hit("k", rule, boundary - 1).ok).toBe(true);
    // Just after the boundary nearly all of the last window still counts.
    expect(limiter.hit("k", rule, boundary + 1_000).ok).toBe(false);
    // Two thirds into the new window a third of it remains: 3 × 1/3 = 1 counted, so 2 more fit.
    expect(limiter.hit("k", rule, boundary + 40_000).ok).toBe(true);
    expect(limiter.hit("k", rule, boundary + 40_001).ok).toBe(true);
    expect(limiter.hit("k", rule, boundary + 40_002).ok).toBe(false);
    // Two windows later everything has expired.
    expect(limiter.hit("k", rule, boundary + 130_000).ok).toBe(true);
  });
});
