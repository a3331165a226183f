/**
 * Storefront impact of the chat bubble app embed, measured the way Shopify measures an app's impact: the
 * Lighthouse performance score (mobile form factor, Lighthouse's default simulated throttling, performance
 * category only) of the same storefront page with and without the embed.
 *
 * The page is the demo storefront (`/demo/storefront`, the embed block rendered by a real Liquid engine; the
 * baseline is `?embed=0`), served by the demo server (scripts/demo.ts), which this bench starts on a free port
 * with its own PGlite folder in a temp directory. It needs the Remix build (`build/`), and builds it when
 * missing. Lighthouse drives Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) through
 * chrome-launcher. One discarded warm-up run per variant, then RUNS runs per variant, alternating which goes
 * first. Also checks that the page with the embed requests nothing from any origin but the demo server, and
 * reports the gzip sizes of the extension's assets.
 * Takes about 80 s (12 Lighthouse runs of ~5.5 s, plus server start), so it is not in the default bench set:
 * run it by name, `npm run bench -- storefront-impact`.
 * Prints a markdown table; returns the figures for the runner's JSON.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { launch } from "chrome-launcher";
import lighthouse, { type Flags, type Result } from "lighthouse";

const RUNS = 5;
const WARMUP_RUNS = 1;
const TARGET_MAX_DROP = 2;
const SHOPIFY_MAX_DROP = 10;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu"];
const ASSETS_DIR = path.join("extensions", "chat-bubble", "assets");
const ASSETS = ["shopdesk-loader.js", "shopdesk-chat.css", "shopdesk-widget.js"];
/** Paths the embed itself loads from (the app's theme assets, played by the demo server, and the app proxy). */
const EMBED_PATHS = ["/demo/extension-assets/", "/apps/shopdesk"];
const SERVER_START_TIMEOUT_MS = 180_000;
const IDLE_TIMEOUT_MS = 90_000;

type Variant = "with embed" | "without embed";
const VARIANTS: Record<Variant, string> = { "with embed": "/demo/storefront", "without embed": "/demo/storefront?embed=0" };

interface RequestItem {
  url: string;
  transferSize?: number;
  resourceType?: string;
  statusCode?: number;
}

interface RunFigures {
  score: number;
  fcp: number;
  lcp: number;
  tbt: number;
  cls: number;
  bytes: number;
  requests: number;
  items: RequestItem[];
  /** Lighthouse's render-blocking-insight: requests that held back the first paint, with its estimate of the ms they cost. */
  renderBlocking: { url: string; wastedMs: number }[];
  benchmarkIndex: number;
  seconds: number;
  warnings: string[];
  userAgent: string;
}

// ---------------------------------------------------------------- Demo server

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function ensureBuild() {
  if (existsSync(path.join("build", "index.js"))) return;
  console.log("[storefront-impact] build/ is missing: running `remix build` first");
  const result = spawnSync(path.resolve("node_modules", ".bin", "remix"), ["build"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("`remix build` failed: the demo server needs build/ (run `npx remix build`)");
}

async function startDemoServer() {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "shopdesk-storefront-impact-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    PGLITE_DATA_DIR: path.join(dataDir, "pglite"),
    DEMO_MODE: "1",
    NODE_ENV: "development",
  };
  // Its own embedded database and offline providers, whatever the bench runner was given.
  for (const key of ["DATABASE_URL", "BENCH_DATABASE_URL", "OPENAI_API_KEY", "SHOPIFY_APP_URL"]) delete env[key];
  const child = spawn(process.execPath, ["--import", "tsx/esm", "scripts/demo.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(origin, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, port, child, stop };
}

async function waitForHealth(origin: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the demo server exited (code ${child.exitCode}):\n${log()}`);
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`the demo server did not answer /healthz within ${SERVER_START_TIMEOUT_MS / 1000} s:\n${log()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** The served build must know `?embed=0` (an older build/ ignores it and both variants would be the same page). */
async function checkVariants(origin: string) {
  const withEmbed = await (await fetch(`${origin}${VARIANTS["with embed"]}`)).text();
  const withoutEmbed = await (await fetch(`${origin}${VARIANTS["without embed"]}`)).text();
  if (!withEmbed.includes('id="shopdesk-chat-root"')) throw new Error("the demo storefront rendered no #shopdesk-chat-root: is the app embed block broken?");
  if (withoutEmbed.includes('id="shopdesk-chat-root"')) {
    throw new Error("/demo/storefront?embed=0 still renders the app embed: build/ predates the flag; run `npx remix build` and rerun");
  }
}

/**
 * The demo server embeds its seeded knowledge in the background right after start: wait until its CPU use
 * drops below 5% for two seconds, so that work does not land in the measured runs (Linux /proc; skipped elsewhere).
 */
async function waitForIdle(pid: number | undefined) {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return { waitedSeconds: 0, idle: false };
  const ticks = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return Number(fields[11]) + Number(fields[12]); // utime + stime (clock ticks, 100 per second)
  };
  const started = Date.now();
  let quiet = 0;
  let last = ticks();
  while (Date.now() - started < IDLE_TIMEOUT_MS && quiet < 2) {
    await sleep(1000);
    const now = ticks();
    quiet = now - last <= 5 ? quiet + 1 : 0;
    last = now;
  }
  return { waitedSeconds: round((Date.now() - started) / 1000), idle: quiet >= 2 };
}

// ---------------------------------------------------------------- Lighthouse

async function lighthouseRun(url: string, port: number): Promise<RunFigures> {
  const flags: Flags = {
    port,
    logLevel: "error",
    onlyCategories: ["performance"],
    formFactor: "mobile",
    throttlingMethod: "simulate",
  };
  const started = performance.now();
  const result = await lighthouse(url, flags);
  const seconds = (performance.now() - started) / 1000;
  const lhr = result?.lhr;
  if (!lhr) throw new Error(`Lighthouse returned no result for ${url}`);
  if (lhr.runtimeError) throw new Error(`Lighthouse failed on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const score = lhr.categories.performance?.score;
  if (score === null || score === undefined) throw new Error(`Lighthouse gave no performance score for ${url}`);
  const items = ((lhr.audits["network-requests"]?.details as { items?: RequestItem[] } | undefined)?.items ?? []).map((item) => ({
    url: item.url,
    transferSize: item.transferSize,
    resourceType: item.resourceType,
    statusCode: item.statusCode,
  }));
  const blocking = (lhr.audits["render-blocking-insight"]?.details as { items?: { url?: string; wastedMs?: number }[] } | undefined)?.items ?? [];
  return {
    score: Math.round(score * 100),
    fcp: numeric(lhr, "first-contentful-paint"),
    lcp: numeric(lhr, "largest-contentful-paint"),
    tbt: numeric(lhr, "total-blocking-time"),
    cls: numeric(lhr, "cumulative-layout-shift"),
    bytes: numeric(lhr, "total-byte-weight"),
    requests: items.length,
    items,
    renderBlocking: blocking.map((item) => ({ url: String(item.url ?? ""), wastedMs: item.wastedMs ?? 0 })),
    benchmarkIndex: lhr.environment.benchmarkIndex,
    seconds,
    warnings: lhr.runWarnings.map(String),
    userAgent: lhr.environment.hostUserAgent,
  };
}

function numeric(lhr: Result, audit: string): number {
  const value = lhr.audits[audit]?.numericValue;
  if (value === undefined) throw new Error(`Lighthouse audit ${audit} has no value`);
  return value;
}

// ---------------------------------------------------------------- Report

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round(value: number, digits = 2) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function medians(runs: RunFigures[]) {
  const of = (pick: (run: RunFigures) => number) => median(runs.map(pick));
  const scores = runs.map((run) => run.score);
  return {
    runs: runs.length,
    score: of((run) => run.score),
    scores,
    "FCP ms": round(of((run) => run.fcp), 0),
    "LCP ms": round(of((run) => run.lcp), 0),
    "TBT ms": round(of((run) => run.tbt), 0),
    CLS: round(of((run) => run.cls), 3),
    "transfer bytes": round(of((run) => run.bytes), 0),
    requests: of((run) => run.requests),
  };
}

type Medians = ReturnType<typeof medians>;

function signed(value: number, digits = 0) {
  const rounded = round(value, digits);
  return rounded > 0 ? `+${rounded}` : String(rounded);
}

function markdown(withEmbed: Medians, withoutEmbed: Medians) {
  const cells = (m: Medians) => [m.score, m.scores.join(", "), m["FCP ms"], m["LCP ms"], m["TBT ms"], m.CLS, m["transfer bytes"], m.requests];
  const diff = (key: "FCP ms" | "LCP ms" | "TBT ms" | "transfer bytes" | "requests") => signed(withEmbed[key] - withoutEmbed[key]);
  const cost = [`**${signed(withEmbed.score - withoutEmbed.score)}**`, "", diff("FCP ms"), diff("LCP ms"), diff("TBT ms")];
  cost.push(signed(withEmbed.CLS - withoutEmbed.CLS, 3), diff("transfer bytes"), diff("requests"));
  return [
    "| variant | runs | perf score (median) | scores | FCP ms | LCP ms | TBT ms | CLS | transfer bytes | requests |",
    "|---|--:|--:|---|--:|--:|--:|--:|--:|--:|",
    `| with embed (\`${VARIANTS["with embed"]}\`) | ${withEmbed.runs} | ${cells(withEmbed).join(" | ")} |`,
    `| without embed (\`${VARIANTS["without embed"]}\`) | ${withoutEmbed.runs} | ${cells(withoutEmbed).join(" | ")} |`,
    `| **embed's cost** | | ${cost.join(" | ")} |`,
  ].join("\n");
}

function assetSizes() {
  return ASSETS.map((file) => {
    const absolute = path.join(ASSETS_DIR, file);
    if (!existsSync(absolute)) return { file, present: false as const };
    const body = readFileSync(absolute);
    return { file, present: true as const, bytes: body.length, gzipBytes: gzipSync(body).length, gzip9Bytes: gzipSync(body, { level: 9 }).length };
  });
}

function assetTable(assets: ReturnType<typeof assetSizes>) {
  return [
    "| extension asset | bytes | gzip bytes (level 6, as served) | gzip -9 bytes |",
    "|---|--:|--:|--:|",
    ...assets.map((a) => (a.present ? `| ${a.file} | ${a.bytes} | ${a.gzipBytes} | ${a.gzip9Bytes} |` : `| ${a.file} | not present | | |`)),
  ].join("\n");
}

/** Origins (other than the demo server's) of anything the runs requested; data: and blob: URLs stay in the page. */
function foreignOrigins(runs: RunFigures[], origin: string) {
  const foreign = new Set<string>();
  for (const item of runs.flatMap((run) => run.items)) {
    if (!URL.canParse(item.url)) {
      foreign.add(item.url);
      continue;
    }
    const url = new URL(item.url);
    if (url.protocol !== "data:" && url.protocol !== "blob:" && url.origin !== origin) foreign.add(url.origin);
  }
  return [...foreign];
}

function pathOf(url: string, origin: string) {
  return url.startsWith(origin) ? url.slice(origin.length) : url;
}

/** The embed's own requests (theme assets, app proxy) during load, with their median transfer size over the runs. */
function embedLoads(runs: RunFigures[], origin: string) {
  const seen = new Map<string, { transferBytes: number[]; status?: number; type?: string }>();
  for (const item of runs.flatMap((run) => run.items)) {
    const pathname = pathOf(item.url, origin);
    if (!EMBED_PATHS.some((prefix) => pathname.startsWith(prefix))) continue;
    const entry = seen.get(pathname) ?? { transferBytes: [], status: item.statusCode, type: item.resourceType };
    entry.transferBytes.push(item.transferSize ?? 0);
    seen.set(pathname, entry);
  }
  return [...seen].map(([url, entry]) => ({
    url,
    type: entry.type,
    status: entry.status,
    runs: entry.transferBytes.length,
    transferBytes: median(entry.transferBytes),
  }));
}

/** What Lighthouse's render-blocking insight flagged, with its median estimate of the cost over the runs. */
function renderBlocking(runs: RunFigures[], origin: string) {
  const seen = new Map<string, number[]>();
  for (const item of runs.flatMap((run) => run.renderBlocking)) {
    const pathname = pathOf(item.url, origin);
    seen.set(pathname, [...(seen.get(pathname) ?? []), item.wastedMs]);
  }
  return [...seen].map(([url, wasted]) => ({ url, runs: wasted.length, estimatedMs: round(median(wasted), 0) }));
}

// ---------------------------------------------------------------- Run

export async function run() {
  const benchStarted = performance.now();
  if (!existsSync(CHROMIUM)) return { skipped: `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)` };
  ensureBuild();
  const server = await startDemoServer();
  let chrome: Awaited<ReturnType<typeof launch>> | undefined;
  // Ctrl+C: stop Chromium and the demo server too, then exit.
  const stopAll = () => {
    chrome?.kill();
    void server.stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", stopAll);
  const runs: Record<Variant, RunFigures[]> = { "with embed": [], "without embed": [] };
  const warmup: RunFigures[] = [];
  let idle: Awaited<ReturnType<typeof waitForIdle>>;
  try {
    await checkVariants(server.origin);
    idle = await waitForIdle(server.child.pid);
    chrome = await launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS, logLevel: "error" });
    const order: Variant[] = ["with embed", "without embed"];
    for (let pass = 0; pass < WARMUP_RUNS + RUNS; pass++) {
      // Alternate which variant goes first, so drift over the session hits both alike.
      for (const variant of pass % 2 === 0 ? order : [...order].reverse()) {
        const figures = await lighthouseRun(`${server.origin}${VARIANTS[variant]}`, chrome.port);
        if (pass < WARMUP_RUNS) warmup.push(figures);
        else runs[variant].push(figures);
        const label = pass < WARMUP_RUNS ? "warm-up" : `run ${pass - WARMUP_RUNS + 1}/${RUNS}`;
        const line = `${label} ${variant}: score ${figures.score}, LCP ${round(figures.lcp, 0)} ms, ${round(figures.seconds, 1)} s`;
        process.stderr.write(`[storefront-impact] ${line}\n`);
      }
    }
  } finally {
    process.removeListener("SIGINT", stopAll);
    chrome?.kill();
    await server.stop();
  }

  const withEmbed = medians(runs["with embed"]);
  const withoutEmbed = medians(runs["without embed"]);
  const dropped = withoutEmbed.score - withEmbed.score;
  const pairedDrops = runs["with embed"].map((run, index) => runs["without embed"][index]!.score - run.score);
  const origin = new URL(server.origin).origin;
  const foreign = foreignOrigins(runs["with embed"], origin);
  const loads = embedLoads(runs["with embed"], origin);
  const blocking = renderBlocking(runs["with embed"], origin);
  const blockingWithout = renderBlocking(runs["without embed"], origin);
  const assets = assetSizes();
  const all = [...warmup, ...runs["with embed"], ...runs["without embed"]];
  const warnings = [...new Set(all.flatMap((run) => run.warnings))];
  const benchmarkIndex = round(median(all.map((run) => run.benchmarkIndex)), 0);
  const lighthouseSeconds = all.reduce((sum, run) => sum + run.seconds, 0);
  const totalSeconds = (performance.now() - benchStarted) / 1000;
  const verdict = (limit: number) => (dropped <= limit ? "met" : "MISSED");
  const list = <T>(items: T[], show: (item: T) => string) => (items.length === 0 ? "none" : items.map(show).join("; "));
  const version = lighthouseVersion();

  console.log(
    [
      "",
      `### storefront-impact: Lighthouse ${version} performance (mobile, simulated throttling), ` +
        `${RUNS} runs per variant after ${WARMUP_RUNS} warm-up, alternating`,
      "",
      markdown(withEmbed, withoutEmbed),
      "",
      `Points dropped by the embed (median without − median with): ${dropped}; per round: ${pairedDrops.join(", ")}. ` +
        `Target ≤ ${TARGET_MAX_DROP}: ${verdict(TARGET_MAX_DROP)}; Shopify's limit ≤ ${SHOPIFY_MAX_DROP}: ${verdict(SHOPIFY_MAX_DROP)}.`,
      `The embed's requests during load (median transfer bytes, as served): ${list(loads, (l) => `${l.url} ${l.transferBytes} B (${l.runs}/${RUNS} runs)`)}.`,
      `Render-blocking per Lighthouse (est. ms): with embed ${list(blocking, (b) => `${b.url} ${b.estimatedMs} ms (${b.runs}/${RUNS} runs)`)}; ` +
        `without embed ${list(blockingWithout, (b) => `${b.url} ${b.estimatedMs} ms`)}.`,
      `Origins other than the demo server (${origin}) requested by the page with the embed: ${list(foreign, (o) => o)}.`,
      "",
      assetTable(assets),
      "",
      `Chromium: ${all[0]?.userAgent ?? "?"}; Lighthouse benchmarkIndex (median): ${benchmarkIndex}. ` +
        `Demo server idle after ${idle.waitedSeconds} s${idle.idle ? "" : " (still busy: measured anyway)"}.`,
      `Time: ${round(totalSeconds, 0)} s in all, ${round(lighthouseSeconds, 0)} s of it in ${all.length} Lighthouse runs ` +
        `(${round(lighthouseSeconds / all.length, 1)} s each).`,
      ...(warnings.length > 0 ? [`Lighthouse warnings: ${warnings.join(" | ")}`] : []),
      "",
    ].join("\n"),
  );

  return {
    lighthouse: version,
    settings: { formFactor: "mobile", throttling: "simulate (Lighthouse default)", categories: ["performance"], runs: RUNS, warmupRuns: WARMUP_RUNS },
    "with embed": withEmbed,
    "without embed": withoutEmbed,
    "points dropped (median)": dropped,
    "points dropped per round": pairedDrops,
    [`target drop <= ${TARGET_MAX_DROP}`]: dropped <= TARGET_MAX_DROP,
    [`Shopify limit drop <= ${SHOPIFY_MAX_DROP}`]: dropped <= SHOPIFY_MAX_DROP,
    "embed requests during load": loads,
    "render-blocking (with embed)": blocking,
    "origins other than the demo server": foreign,
    assets,
    benchmarkIndex,
    seconds: { total: round(totalSeconds, 1), lighthouse: round(lighthouseSeconds, 1), idleWait: idle.waitedSeconds },
    warnings,
  };
}

function lighthouseVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(path.join("node_modules", "lighthouse", "package.json"), "utf8")) as { version?: string };
    return manifest.version ?? "?";
  } catch {
    return "?";
  }
}
