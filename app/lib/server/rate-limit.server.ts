import { createHash } from "node:crypto";
import type pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getPool, namedStatementsAllowed } from "~/lib/db/pool.server";

/**
 * Rate limits shared by every app instance: fixed windows counted in PostgreSQL (rate-limiter-flexible's
 * RateLimiterPostgres over the app's pg pool, table "RateLimitCounter", one atomic upsert per request), so a
 * second instance does not double a limit. A key over its limit is also remembered in this process until its
 * window ends, so a flood from it costs no queries. Finished windows are deleted by age, never all at once: new
 * keys, however many, never reset another key's count. Keys are opaque strings such as "ip:<addr>" or
 * "conversation:<id>".
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

const TABLE = "RateLimitCounter";
/** How often a process deletes finished windows, and how long after its end a window is kept. */
const CLEANUP_EVERY_MS = 60_000;
const KEEP_ENDED_MS = 60_000;
const MAX_KEY_LENGTH = 200; // the column holds 255 with the rule's prefix

interface StoreQuery {
  name?: string;
  text: string;
  values?: unknown[];
}

export class RateLimiter {
  private readonly limiters = new Map<string, RateLimiterPostgres>();
  private lastCleanup = Date.now();

  /** `pool` is called for each query, so a pool closed and reopened (tests, CLI) is picked up. */
  constructor(private readonly pool: () => pg.Pool = getPool) {}

  /** Counts one request under `key` and says whether it is allowed. */
  async hit(key: string, rule: RateLimit): Promise<RateDecision> {
    this.deleteEndedWhenDue();
    try {
      const result = await this.limiterFor(rule).consume(storedKey(key));
      return { ok: true, retryAfterSeconds: 0, remaining: result.remainingPoints };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), remaining: 0 };
    }
  }

  /** Deletes windows that ended over a minute before `now`; a live window is never touched. */
  async deleteEnded(now = Date.now()): Promise<number> {
    const { rowCount } = await this.pool().query(`DELETE FROM "${TABLE}" WHERE expire < $1`, [now - KEEP_ENDED_MS]);
    return rowCount ?? 0;
  }

  private deleteEndedWhenDue() {
    const now = Date.now();
    if (now - this.lastCleanup < CLEANUP_EVERY_MS) return;
    this.lastCleanup = now;
    this.deleteEnded(now).catch((error: Error) => console.warn(`[rate-limit] deleting ended windows failed: ${error.message}`));
  }

  private limiterFor(rule: RateLimit): RateLimiterPostgres {
    const prefix = `${rule.limit}/${rule.windowMs}`;
    let limiter = this.limiters.get(prefix);
    if (!limiter) {
      const named = namedStatementsAllowed();
      limiter = new RateLimiterPostgres({
        // The embedded database shares one session between connections: no named statements there.
        storeClient: { query: (query: StoreQuery) => this.pool().query(named ? query : { text: query.text, values: query.values }) },
        storeType: "pool",
        tableName: TABLE,
        tableCreated: true, // by the migration
        clearExpiredByTimeout: false, // deleteEnded does it, by age
        keyPrefix: prefix,
        points: rule.limit,
        duration: rule.windowMs / 1000,
        inMemoryBlockOnConsumed: rule.limit,
      });
      this.limiters.set(prefix, limiter);
    }
    return limiter;
  }
}

function storedKey(key: string) {
  return key.length <= MAX_KEY_LENGTH ? key : `sha256:${createHash("sha256").update(key).digest("hex")}`;
}
