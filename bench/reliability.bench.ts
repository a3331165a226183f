/**
 * `npm run bench -- reliability` (PostgreSQL 15): load and fault figures, printed as one JSON line.
 *
 * - chat load: 200 shoppers on one app instance (the production server, `npm start`, as a child process), each
 *   with its live-events stream (SSE) open and a message every 4–8 s, for 60 s: p50/p95 time to the first
 *   streamed delta, errors, and the server's memory growth (RSS after the first 10 s → at the end).
 * - database restart: 40 shoppers chatting against an app whose database (a PostgreSQL cluster of the bench's
 *   own, so nothing else on the machine loses its server) is stopped with `pg_ctl -m immediate` and started
 *   again 3 s later: how long until turns succeed again, and whether every message the app accepted (its
 *   stream said it was stored) is in the database afterwards.
 * - the job queue (./reliability-queue): a real worker process SIGKILLed mid-batch and restarted (jobs lost and
 *   applied twice, counted by the probe job's own table), and a poison job that kills its worker, among 200
 *   others: dead-lettered after its attempts while the rest are all done.
 *
 * Targets (issue 12): chat load p95 first delta ≤ 300 ms offline with 0 errors; 0 lost and 0 doubled.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { measurePoisonJob, measureWorkerCrash } from "./reliability-queue";
import { ensureRemixBuild, startAppServer } from "./support/app-server";
import { runChatLoad, type TurnSample } from "./support/chat-load";
import { startPrivatePostgres } from "./support/private-postgres";
import { round, summarize } from "./stats";

export const jsonLine = true;

const CHAT_SHOPPERS = Number(process.env.RELIABILITY_SHOPPERS ?? 200);
const CHAT_DURATION_MS = Number(process.env.RELIABILITY_DURATION_MS ?? 60_000);
const TARGET_FIRST_DELTA_P95_MS = 300;

/** The server's output, kept in a file when a run had errors, so they can be read after the bench. */
function keepServerLog(name: string, output: string, errors: number): string | null {
  if (errors === 0) return null;
  const file = path.join(os.tmpdir(), `shopdesk-reliability-${name}.log`);
  writeFileSync(file, output);
  return file;
}

function turnFigures(samples: TurnSample[]) {
  const ok = samples.filter((sample) => sample.ok);
  const errors = samples.filter((sample) => !sample.ok);
  const byError: Record<string, number> = {};
  for (const sample of errors) byError[sample.error ?? "unknown"] = (byError[sample.error ?? "unknown"] ?? 0) + 1;
  return { turns: samples.length, firstDeltaMs: summarize(ok.map((sample) => sample.firstDeltaMs!)), errors: errors.length, byError };
}

async function chatLoad(databaseUrl: string, shopDomain: string) {
  const server = await startAppServer({ DATABASE_URL: databaseUrl });
  try {
    let rssAfterWarmup: number | undefined;
    let rssPeak = 0;
    const result = await runChatLoad({ baseUrl: server.baseUrl, shopDomain, shoppers: CHAT_SHOPPERS, durationMs: CHAT_DURATION_MS, pauseMs: [4_000, 8_000] }, (elapsed) => {
      const rss = server.rssMiB();
      rssPeak = Math.max(rssPeak, rss);
      if (elapsed >= 10_000) rssAfterWarmup ??= rss;
    });
    const rssEnd = server.rssMiB();
    const figures = turnFigures(result.samples);
    return {
      shoppers: CHAT_SHOPPERS,
      seconds: CHAT_DURATION_MS / 1000,
      ...figures,
      turnsPerSecond: round(figures.turns / (CHAT_DURATION_MS / 1000)),
      liveStreamsOpenAtEnd: result.openStreams,
      startErrors: result.startErrors.length,
      serverLog: keepServerLog("chat-load", server.output(), figures.errors + result.startErrors.length),
      memoryMiB: { afterWarmup: rssAfterWarmup ?? null, end: rssEnd, peak: rssPeak, growth: rssAfterWarmup === undefined ? null : round(rssEnd - rssAfterWarmup) },
      met: figures.errors === 0 && result.startErrors.length === 0 && figures.firstDeltaMs.p95 <= TARGET_FIRST_DELTA_P95_MS,
    };
  } finally {
    await server.stop();
  }
}

async function databaseRestart() {
  const database = await startPrivatePostgres();
  try {
    const shopDomain = "shopdesk-demo.myshopify.com";
    const seeded = spawnSync(process.execPath, ["--import", "tsx/esm", "scripts/db-seed.ts"], { env: { ...process.env, DATABASE_URL: database.url }, encoding: "utf8" });
    if (seeded.status !== 0) throw new Error(`seeding the private database failed: ${seeded.stderr}`);
    console.error(`[reliability] private database on port ${database.port} seeded`);
    const server = await startAppServer({ DATABASE_URL: database.url });
    const restartAt = 15_000;
    let restartedAt: number | undefined;
    let restarted: Promise<void> | undefined;
    try {
      const t0 = performance.now();
      const result = await runChatLoad({ baseUrl: server.baseUrl, shopDomain, shoppers: 40, durationMs: 45_000, pauseMs: [2_000, 4_000], timeoutMs: 20_000 }, (elapsed) => {
        if (elapsed >= restartAt && !restarted) {
          restarted = database.restart({ downMs: 3_000 }).then(() => {
            restartedAt = performance.now();
          });
        }
      });
      await restarted;
      if (restartedAt === undefined) throw new Error("the database was not restarted");
      const back = restartedAt;
      const stopAt = t0 + restartAt;
      const before = result.samples.filter((sample) => sample.endedAt < stopAt);
      // Turns under way when the database stopped may fail (the shopper is told; the message stays stored).
      const inFlight = result.samples.filter((sample) => sample.startedAt < stopAt && sample.endedAt >= stopAt);
      const during = result.samples.filter((sample) => sample.startedAt >= stopAt && sample.startedAt < back);
      const after = result.samples.filter((sample) => sample.startedAt >= back);
      const firstOkAfter = after.filter((sample) => sample.ok).sort((a, b) => a.startedAt - b.startedAt)[0];
      // Every message the app said it stored must be there.
      const accepted = result.samples.flatMap((sample) => (sample.acceptedId ? [sample.acceptedId] : []));
      const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
      const stored = await db.message.count({ where: { id: { in: accepted }, author: "shopper" } });
      await db.$disconnect();
      // Turns sent a few seconds after the restart: the app must have recovered by itself by then.
      const settled = after.filter((sample) => sample.startedAt >= back + 5_000);
      return {
        shoppers: 40,
        downSeconds: 3,
        turns: { beforeStop: turnFigures(before), inFlightAtStop: turnFigures(inFlight), whileDown: turnFigures(during), afterRestart: turnFigures(after), fromFiveSecondsAfter: turnFigures(settled) },
        recoveredAfterMs: firstOkAfter ? round(firstOkAfter.startedAt - back) : null,
        serverLog: keepServerLog("database-restart", server.output(), result.samples.filter((sample) => !sample.ok).length),
        acceptedMessages: accepted.length,
        lostAcceptedMessages: accepted.length - stored,
        met: accepted.length === stored && before.every((sample) => sample.ok) && firstOkAfter !== undefined && settled.every((sample) => sample.ok),
      };
    } finally {
      await server.stop();
    }
  } finally {
    database.stop();
  }
}

export async function run({ shopDomain, databaseUrl }: { shopDomain: string; databaseUrl: string }) {
  ensureRemixBuild();
  const started = Date.now();
  const results: Record<string, unknown> = {};
  console.error(`[reliability] chat load: ${CHAT_SHOPPERS} shoppers for ${CHAT_DURATION_MS / 1000} s`);
  results.chatLoad = await chatLoad(databaseUrl, shopDomain);
  console.error("[reliability] database restart under chat traffic (private PostgreSQL cluster)");
  results.databaseRestart = await databaseRestart();
  console.error("[reliability] job queue: a worker SIGKILLed mid-batch, then a poison job");
  const crash = await measureWorkerCrash({ databaseUrl });
  results.workerKilled = { ...crash, met: crash.lost === 0 && crash.doubled === 0 };
  const poison = await measurePoisonJob({ databaseUrl });
  results.poisonJob = { ...poison, met: poison.poisonStatus === "failed" && poison.lost === 0 && poison.doubled === 0 };
  results.seconds = round((Date.now() - started) / 1000);
  return results;
}
