import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `npm run worker` as a real child process (scripts/worker.ts on tsx), with the reliability probe job
 * registered (SHOPDESK_BENCH_JOBS=1), for the reliability bench and the multi-worker tests.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface WorkerProcess {
  pid: number;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when it exits, with its code (null when a signal ended it) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startWorkerProcess(env: Record<string, string | undefined>, options: { readyTimeoutMs?: number } = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx/esm", "scripts/worker.ts"], {
    cwd: root,
    env: { ...process.env, SHOPDESK_BENCH_JOBS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const worker: WorkerProcess = { pid: child.pid!, child, output: () => output, exited };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (!output.includes(`Shopdesk worker ${child.pid} running`)) {
    if (gone) throw new Error(`the worker exited before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the worker was not ready in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return worker;
}
