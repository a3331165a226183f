import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "tests/conversations/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/test-env.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration files share one database; running them one at a time keeps PGlite (single connection
    // at a time) responsive and failures easy to read.
    fileParallelism: false,
    // Shopify's library logs every app-proxy request at info level; the conversation suite makes hundreds.
    onConsoleLog: (log) => !log.includes("[shopify-app/INFO]") && !log.includes("[shopify-api/INFO]"),
  },
});
