/**
 * The server side of the webhooks bench, run as its own process so the load generator does not share its
 * event loop: `node --import tsx/esm bench/support/webhook-server.ts app` or `… baseline <table>`.
 * - app: the app's Remix build behind its Express server (app/lib/server/http.server.ts, as `npm start`
 *   serves it), configured by the environment; no job worker (the bench drains the queue afterwards).
 * - baseline: bare node:http that verifies the HMAC and stores the delivery with one
 *   INSERT … ON CONFLICT DO NOTHING through a pg.Pool of the app's pool size.
 * Prints {"port": n} when listening. On SIGUSR2 (end of warm-up) starts counting afresh and prints
 * {"marked": true}; on SIGTERM prints {"queries": …, "cpuMs": n} (every statement it sent and the CPU time it
 * used since the mark) and exits.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { QueryProfile } from "./query-profile";

const [mode, table] = process.argv.slice(2);
const profile = new QueryProfile();
profile.attach();

async function serveApp() {
  const { startHttpServer } = await import("../../app/lib/server/http.server");
  return startHttpServer({ port: 0, host: "127.0.0.1" });
}

async function serveBaseline() {
  if (!table || !/^\w+$/.test(table)) throw new Error("baseline needs its table name");
  const secret = process.env.SHOPIFY_API_SECRET!;
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  const insert = `INSERT INTO "${table}" ("eventId", "shopDomain", "topic", "payload") VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const given = Buffer.from(String(request.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
      const expected = createHmac("sha256", secret).update(body).digest();
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        response.writeHead(401).end();
        return;
      }
      const header = (name: string) => String(request.headers[name] ?? "");
      pool.query(insert, [header("x-shopify-event-id"), header("x-shopify-shop-domain"), header("x-shopify-topic"), body.toString("utf8")]).then(
        () => response.writeHead(200).end(),
        () => response.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port };
}

const server = mode === "app" ? await serveApp() : mode === "baseline" ? await serveBaseline() : undefined;
if (!server) throw new Error(`unknown mode ${mode}: app or baseline`);
let since = process.cpuUsage();
process.on("SIGUSR2", () => {
  since = process.cpuUsage();
  profile.byKind.clear();
  process.stdout.write(`${JSON.stringify({ marked: true })}\n`);
});
process.on("SIGTERM", () => {
  const cpu = process.cpuUsage(since);
  process.stdout.write(`${JSON.stringify({ queries: profile.toJSON(), cpuMs: (cpu.user + cpu.system) / 1_000 })}\n`, () => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
