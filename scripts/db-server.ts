/**
 * The embedded database server process: `npm run db:server -- [--data-dir DIR] [--port N] [--idle-minutes M] [--stop]`.
 * Normally started on demand by app/lib/db/embedded.server.ts; run it yourself to keep one in the foreground.
 */
import { stopEmbeddedDatabase } from "../app/lib/db/embedded.server";
import { runEmbeddedServer } from "../app/lib/db/embedded-process.server";

const args = process.argv.slice(2);
function option(name: string) {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

const dataDir = option("data-dir") ?? process.env.PGLITE_DATA_DIR ?? ".data/pglite";
if (args.includes("--stop")) {
  console.log((await stopEmbeddedDatabase(dataDir)) ? "stopped" : "not running");
  process.exit(0);
}

const exitCode = await runEmbeddedServer({
  dataDir,
  port: Number(option("port") ?? process.env.PGLITE_PORT ?? 0),
  idleMinutes: Number(option("idle-minutes") ?? process.env.PGLITE_IDLE_MINUTES ?? 30),
});
if (exitCode !== undefined) process.exit(exitCode);
