#!/usr/bin/env bash
# Runs the README's demo command on a fresh embedded PGlite database and checks what it serves over HTTP.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
export PGLITE_DATA_DIR="$work/pglite" PORT="${DEMO_SMOKE_PORT:-3200}"
unset DATABASE_URL
log="$work/demo.log"
# Its own process group, so clean-up stops npm, the shell under it and the server alike.
setsid npm run demo >"$log" 2>&1 &
demo=$!
cleanup() {
  kill -- -"$demo" 2>/dev/null || true
  npm run -s db:server -- --data-dir "$PGLITE_DATA_DIR" --stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 300); do
  grep -q "Shopdesk demo is running" "$log" && break
  kill -0 "$demo" 2>/dev/null || { cat "$log"; echo "demo exited early" >&2; exit 1; }
  sleep 1
done
grep -q "Shopdesk demo is running (embedded PGlite database)" "$log" || { cat "$log"; echo "demo did not start on PGlite" >&2; exit 1; }
sed -n '/Shopdesk demo is running/,$p' "$log"

base="http://localhost:$PORT"
# A browser's user agent: the Shopify library answers bots' admin requests with 410.
curl() { command curl -A "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36" "$@"; }
fail() { echo "demo smoke: $*" >&2; cat "$log" >&2; exit 1; }
# Fetch whole bodies before matching: `curl | grep -q` fails under pipefail when grep stops reading early.
expect_body() { # url pattern what
  local body
  body=$(curl -fsS "$1") || fail "$3 (HTTP error)"
  grep -q -- "$2" <<<"$body" || fail "$3"
}
expect_body "$base/healthz" '"ok":true' "healthz"
location=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$base/demo/admin")
[[ "$location" == *"/app?"*"id_token="* ]] || fail "admin entry did not redirect with a session token ($location)"
expect_body "$location" "Dashboard" "admin dashboard"
inbox=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$base/demo/admin?path=%2Fapp%2Finbox%3Fview%3Dwaiting")
[[ "$inbox" == *"/app/inbox?"*"id_token="* ]] || fail "inbox entry did not redirect with a session token ($inbox)"
# The seeded shoppers waiting for the team, through the embedded database.
expect_body "$inbox" "Lena Hoffmann" "inbox lists the waiting conversations"
expect_body "$base/demo/storefront" 'id="shopdesk-chat-root"' "storefront block"
expect_body "$base/apps/shopdesk/widget-config" '"greeting"' "app proxy"
status=$(curl -s -o /dev/null -w '%{http_code}' "$base/proxy/widget-config?shop=shopdesk-demo.myshopify.com&signature=00")
[ "$status" = 400 ] || fail "unsigned proxy request answered $status"
echo "demo smoke: passed (admin, inbox, storefront, app proxy on embedded PGlite)"
