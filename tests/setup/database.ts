import path from "node:path";

/**
 * Which database the tests use: TEST_DATABASE_URL when set (CI: PostgreSQL 15 + pgvector), otherwise an
 * embedded PGlite server in its own folder, so tests never touch the demo's data.
 */
export const TEST_PGLITE_DIR = path.resolve(".data/pglite-test");

export function testDatabaseEnv(): Record<string, string> {
  const url = process.env.TEST_DATABASE_URL;
  return url ? { DATABASE_URL: url } : { PGLITE_DATA_DIR: TEST_PGLITE_DIR };
}
