import path from "node:path";
import { defineConfig } from "vitest/config";
import base from "../../vitest.config";

/**
 * Runs the conversation suite on its own with the project's setup (database, aliases, setup files):
 * `npx vitest run --config tests/conversations/vitest.config.ts`. The project's vitest.config.ts does not include
 * tests/conversations yet; once it does, `npx vitest run tests/conversations` does the same.
 */
export default defineConfig({
  ...base,
  root: path.resolve(__dirname, "../.."),
  test: {
    ...base.test,
    include: ["tests/conversations/**/*.test.ts"],
    // Shopify's library logs every app-proxy request at info level: a hundred conversations would bury the report.
    onConsoleLog: (log) => !log.includes("[shopify-app/INFO]") && !log.includes("[shopify-api/INFO]"),
  },
});
