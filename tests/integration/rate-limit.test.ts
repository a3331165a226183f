import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { type RateDecision, RateLimiter } from "~/lib/server/rate-limit.server";
import { appProxyQuery } from "~/modules/demo";
import { RATE_LIMITS } from "~/modules/storefront";
import { action as startAction } from "~/routes/proxy.conversations";
import { createTestShop, deleteTestShop } from "../support/shops";

/**
 * Storefront rate limits live in PostgreSQL (RateLimitCounter), so they hold across app instances, survive a
 * flood of new keys, and key on the address Shopify's proxy appended to X-Forwarded-For, not on what the
 * shopper put before it.
 */
const unique = (label: string) => `test:${label}:${randomUUID()}`;
/** An address in 100.<second>.0.0/16 (shared address space no other test uses), new on every run. */
const randomAddress = (second: number) => `100.${second}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 254) + 1}`;
const counterRows = (like: string) => prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "RateLimitCounter" WHERE key LIKE ${like}`;

/** Runs the limiter in a separate process (its own pool), started by a line on stdin. */
function limiterProcess(key: string, rule: { limit: number; windowMs: number }, hits: number) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx/esm", "tests/support/rate-limit-client.ts", key, String(rule.limit), String(rule.windowMs), String(hits)], {
    env: process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk) => {
      stdout += String(chunk);
      if (stdout.includes("ready\n")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`limiter process exited (${code}) before it was ready: ${stderr}`)));
  });
  const result = new Promise<{ pid: number; decisions: RateDecision[] }>((resolve, reject) => {
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`limiter process exited ${code}: ${stderr}`));
      resolve(JSON.parse(stdout.split("\n").find((line) => line.startsWith("{"))!));
    });
  });
  return { ready, start: () => child.stdin!.end("go\n"), result, pid: () => child.pid };
}

describe("storefront rate limits in the database", () => {
  it("allows up to the limit, then refuses with the seconds until the window ends", async () => {
    const limiter = new RateLimiter();
    const rule = { limit: 3, windowMs: 60_000 };
    const key = unique("basic");
    const decisions = [];
    for (let index = 0; index < 5; index++) decisions.push(await limiter.hit(key, rule));
    expect(decisions.map((decision) => [decision.ok, decision.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
      [false, 0],
    ]);
    for (const refused of decisions.slice(3)) {
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(55);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    // Another key, and the same key under another rule, count on their own.
    expect((await limiter.hit(unique("other"), rule)).ok).toBe(true);
    expect((await limiter.hit(key, { limit: 4, windowMs: 60_000 })).ok).toBe(true);
  });

  it("starts a new window once the old one has ended", async () => {
    const limiter = new RateLimiter();
    const rule = { limit: 2, windowMs: 1_000 };
    const key = unique("window");
    expect([await limiter.hit(key, rule), await limiter.hit(key, rule), await limiter.hit(key, rule)].map((decision) => decision.ok)).toEqual([true, true, false]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await new RateLimiter().hit(key, rule)).ok).toBe(true);
  });

  it("holds one limit across two processes (two app instances) counting the same key", async () => {
    const rule = { limit: 15, windowMs: 60_000 };
    const key = unique("two-processes");
    const processes = [limiterProcess(key, rule, 20), limiterProcess(key, rule, 20)];
    await Promise.all(processes.map((process) => process.ready));
    for (const process of processes) process.start();
    const results = await Promise.all(processes.map((process) => process.result));
    expect(results[0]!.pid).not.toBe(results[1]!.pid);
    const allowed = results.map((result) => result.decisions.filter((decision) => decision.ok).length);
    // In-process counters would let each instance through 15 times (30 in all).
    expect(allowed[0]! + allowed[1]!).toBe(15);
    for (const result of results) {
      for (const refused of result.decisions.filter((decision) => !decision.ok)) expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    }
    // And this process, a third instance, is refused too.
    expect((await new RateLimiter().hit(key, rule)).ok).toBe(false);
  }, 120_000);

  it("keeps an existing key's count through a flood of 100,000 new keys, and deletes only ended windows", async () => {
    const rule = { limit: 5, windowMs: 600_000 };
    const flood = `test:flood:${randomUUID()}:`;
    const watched = unique("watched");
    // Its own pool, wide enough to send the flood quickly (the embedded database serves one statement at a time).
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 16 });
    const limiter = new RateLimiter(() => pool);
    try {
      for (let index = 0; index < 4; index++) expect((await limiter.hit(watched, rule)).ok).toBe(true);
      const keys = 100_000;
      let next = 0;
      let refusedInFlood = 0;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (next < keys) {
            const decision = await limiter.hit(`${flood}${next++}`, rule);
            if (!decision.ok) refusedInFlood++;
          }
        }),
      );
      expect(refusedInFlood).toBe(0);
      expect((await counterRows(`${rule.limit}/${rule.windowMs}:${flood}%`))[0]!.n).toBe(keys);
      // The watched key still has exactly one request left in its window.
      expect(await limiter.hit(watched, rule)).toMatchObject({ ok: true, remaining: 0 });
      expect((await limiter.hit(watched, rule)).ok).toBe(false);

      // Clean-up by age: a window that ended over a minute ago goes; the live ones (the flood's too) stay.
      const ended = unique("ended");
      await limiter.hit(ended, { limit: 5, windowMs: 1_000 });
      const deleted = await limiter.deleteEnded(Date.now() + 62_000);
      expect(deleted).toBeGreaterThanOrEqual(1);
      expect((await counterRows(`%${ended}`))[0]!.n).toBe(0);
      expect((await counterRows(`${rule.limit}/${rule.windowMs}:${flood}%`))[0]!.n).toBe(keys);
      expect((await limiter.hit(watched, rule)).ok).toBe(false);
    } finally {
      await prisma.$executeRaw`DELETE FROM "RateLimitCounter" WHERE key LIKE ${`%${flood}%`}`;
      await pool.end();
    }
  }, 300_000);
});

describe("the storefront's client address for rate limits", () => {
  const APP_URL = "http://localhost:3000";
  let shop: { id: string; domain: string };
  beforeAll(async () => {
    shop = await createTestShop("Rate limit shop");
  });
  afterAll(async () => {
    await prisma.conversation.deleteMany({ where: { shopId: shop.id } });
    await deleteTestShop(shop.domain);
  });

  function startConversation(forwardedFor: string, clientAddress?: string) {
    const query = appProxyQuery({ search: new URLSearchParams(), shopDomain: shop.domain, apiSecret: DEV_SHOPIFY_API_SECRET, loggedInCustomerId: null });
    const request = new Request(`${APP_URL}/proxy/conversations?${query}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
      body: JSON.stringify({ locale: "en" }),
    });
    return (startAction as (args: { request: Request; params: object; context: object }) => Promise<Response>)({ request, params: {}, context: { clientAddress } });
  }

  it("keys on the address Shopify's proxy appended, whatever the shopper put before it", async () => {
    const shopper = randomAddress(64);
    const limit = RATE_LIMITS.ipNewConversations.limit;
    const statuses: number[] = [];
    for (let index = 0; index <= limit; index++) {
      // A different forged chain every time: extra entries on the left, an address, garbage, another's IPv6.
      const forged = [`10.0.${index}.1`, `198.51.100.${index}`, "not-an-ip", `2001:db8::${index}`].slice(0, (index % 4) + 1).join(", ");
      const response = await startConversation(`${forged}, ${shopper}`);
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(((await response.json()) as { error: string }).error).toMatch(/^Too many requests/);
      } else await response.text();
    }
    expect(statuses).toEqual([...Array(limit).fill(200), 429]);
    // Another shopper behind the same proxy has their own budget.
    expect((await startConversation(`${shopper}, ${randomAddress(66)}`)).status).toBe(200);
  });

  it("falls back to the connection's address when no trusted entry names the shopper", async () => {
    const connection = randomAddress(65);
    const limit = RATE_LIMITS.ipNewConversations.limit;
    const statuses: number[] = [];
    // No header value that is an address: each request counts against the connection, not the forged text.
    for (let index = 0; index <= limit; index++) statuses.push((await startConversation(`garbage-${index}`, `::ffff:${connection}`)).status);
    expect(statuses).toEqual([...Array(limit).fill(200), 429]);
  });
});
