/**
 * One app instance's rate limiter in its own process, for tests/integration/rate-limit.test.ts:
 * `node --import tsx/esm tests/support/rate-limit-client.ts <key> <limit> <windowMs> <hits>` on DATABASE_URL.
 * Prints "ready" once connected, waits for a line on stdin (so several processes start together), makes `hits`
 * concurrent hits and prints the decisions as one JSON line.
 */
import { closePool, getPool } from "../../app/lib/db/pool.server";
import { RateLimiter } from "../../app/lib/server/rate-limit.server";

const [key = "", limit = "0", windowMs = "0", hits = "0"] = process.argv.slice(2);
const rule = { limit: Number(limit), windowMs: Number(windowMs) };
const limiter = new RateLimiter();
await getPool().query("SELECT 1");
console.log("ready");
await new Promise((resolve) => process.stdin.once("data", resolve));
const decisions = await Promise.all(Array.from({ length: Number(hits) }, () => limiter.hit(key, rule)));
console.log(JSON.stringify({ pid: process.pid, decisions }));
await closePool();
process.exit(0);
