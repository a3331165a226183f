/**
 * Fixed-window-with-carry-over ("sliding window counter") rate limiting in process memory. Enough for one app
 * instance; several instances each enforce their own share, which still bounds abuse. Keys are opaque
 * strings such as "ip:<addr>" or "conversation:<id>".
 */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  ok: boolean;
  /** Whole seconds until a request would be allowed again (0 when allowed). */
  retryAfterSeconds: number;
  remaining: number;
}

interface Counter {
  windowStart: number;
  current: number;
  previous: number;
}

export class RateLimiter {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly maxKeys = 50_000) {}

  /** Counts one request under `key` and says whether it is allowed. */
  hit(key: string, rule: RateLimit, now = Date.now()): RateDecision {
    let counter = this.counters.get(key);
    const windowStart = now - (now % rule.windowMs);
    if (!counter) {
      if (this.counters.size >= this.maxKeys) this.evict(now, rule.windowMs);
      counter = { windowStart, current: 0, previous: 0 };
      this.counters.set(key, counter);
    } else if (counter.windowStart !== windowStart) {
      counter.previous = windowStart - counter.windowStart === rule.windowMs ? counter.current : 0;
      counter.current = 0;
      counter.windowStart = windowStart;
    }
    // The previous window's count, weighted by how much of it still overlaps the sliding window.
    const overlap = 1 - (now - windowStart) / rule.windowMs;
    const estimated = counter.previous * overlap + counter.current;
    if (estimated + 1 > rule.limit) {
      const needed = estimated + 1 - rule.limit;
      // Time until enough of the previous window has slid out, or until the next window starts.
      const waitMs = counter.previous > 0 ? Math.min((needed / counter.previous) * rule.windowMs, windowStart + rule.windowMs - now) : windowStart + rule.windowMs - now;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), remaining: 0 };
    }
    counter.current++;
    return { ok: true, retryAfterSeconds: 0, remaining: Math.max(0, Math.floor(rule.limit - estimated - 1)) };
  }

  private evict(now: number, windowMs: number) {
    for (const [key, counter] of this.counters) if (now - counter.windowStart >= 2 * windowMs) this.counters.delete(key);
    if (this.counters.size >= this.maxKeys) this.counters.clear();
  }
}
