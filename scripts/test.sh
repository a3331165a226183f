#!/usr/bin/env bash
# `npm test`: every check, fastest first. Installs what the tests need beyond npm packages (Debian's
# Chromium for Playwright). Uses TEST_DATABASE_URL when set (CI: PostgreSQL 15 + pgvector), otherwise an
# embedded PGlite database under .data/pglite-test.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ]; then
    bash scripts/ci/install-system-deps.sh --chromium-only
  else
    echo "Chromium is missing: run 'sudo bash scripts/ci/install-system-deps.sh --chromium-only' once." >&2
    exit 1
  fi
fi

echo "== typecheck";   npx tsc --noEmit
echo "== lint";        npx biome check --error-on-warnings .
echo "== theme-check"; npx tsx scripts/theme-check.ts
echo "== unit + integration (vitest)"; npx vitest run
echo "== build";       npx remix build
echo "== end-to-end (playwright, Chromium)"; npx playwright test
