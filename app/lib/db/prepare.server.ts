import { getEnv } from "~/env.server";
import { ensureEmbeddedDatabase } from "./embedded.server";
import { migrateDatabase } from "./migrate.server";

/**
 * Chooses the database before anything opens a connection: DATABASE_URL when set (any PostgreSQL with
 * pgvector, e.g. Supabase), otherwise the embedded PGlite server for PGLITE_DATA_DIR, started on demand.
 * The chosen URL is put in process.env.DATABASE_URL so the Prisma client and child processes agree.
 */
export async function prepareDatabase(options: { migrate?: boolean; log?: (line: string) => void } = {}) {
  const env = getEnv();
  let url = env.DATABASE_URL;
  let embedded = false;
  if (!url) {
    const server = await ensureEmbeddedDatabase(env.PGLITE_DATA_DIR);
    url = server.url;
    embedded = true;
    process.env.DATABASE_URL = url;
    process.env.SHOPDESK_EMBEDDED_DATABASE = "1";
  }
  const migrations = options.migrate ? await migrateDatabase(url, { log: options.log }) : undefined;
  return { url, embedded, migrations };
}
