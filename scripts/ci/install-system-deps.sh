#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages, from Debian's packages only:
#   - Chromium for Playwright (Playwright cannot download its own browser here)
#   - pgvector for the local PostgreSQL server (not packaged for PG 15 on bookworm; built from
#     Debian's trixie source package)
# Idempotent: each part is skipped when already present. Needs root (CI and dev machines run as root).
set -euo pipefail

want_chromium=1
want_pgvector=1
for arg in "$@"; do
  case "$arg" in
    --chromium-only) want_pgvector=0 ;;
    --pgvector-only) want_chromium=0 ;;
  esac
done

apt_updated=0
apt_update() {
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
}

if [ "$want_chromium" = 1 ] && ! [ -x /usr/bin/chromium ]; then
  echo "[system-deps] installing Debian chromium"
  apt_update
  apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
fi

pg_major() {
  if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1}'
  fi
}

if [ "$want_pgvector" = 1 ]; then
  major=$(pg_major)
  if [ -z "$major" ]; then
    echo "[system-deps] no local PostgreSQL cluster; skipping pgvector"
  else
    pg_config="/usr/lib/postgresql/$major/bin/pg_config"
    sharedir="/usr/share/postgresql/$major/extension"
    if [ -f "$sharedir/vector.control" ]; then
      echo "[system-deps] pgvector already installed for PostgreSQL $major"
    else
      echo "[system-deps] building pgvector for PostgreSQL $major from Debian's source package"
      apt_update
      apt-get install -y -qq "postgresql-server-dev-$major" dpkg-dev build-essential >/dev/null
      # A private apt configuration with trixie's deb-src, so the system's sources stay untouched.
      work=$(mktemp -d)
      mkdir -p "$work/apt/lists/partial" "$work/apt/sources.list.d"
      cat >"$work/apt/sources.list" <<SRC
deb-src http://deb.debian.org/debian trixie main
SRC
      aptopts=(-o "Dir::Etc::sourcelist=$work/apt/sources.list" -o "Dir::Etc::sourceparts=$work/apt/sources.list.d"
        -o "Dir::State::Lists=$work/apt/lists" -o "APT::Get::List-Cleanup=0")
      apt-get "${aptopts[@]}" update -qq
      (cd "$work" && apt-get "${aptopts[@]}" source -qq --download-only pgvector >/dev/null 2>&1 || \
        apt-get "${aptopts[@]}" source -qq pgvector)
      (cd "$work" && { ls -d pgvector-*/ >/dev/null 2>&1 || dpkg-source -x ./*.dsc >/dev/null; })
      src=$(ls -d "$work"/pgvector-*/ | head -n1)
      make -s -C "$src" PG_CONFIG="$pg_config" OPTFLAGS="" >/dev/null
      make -s -C "$src" PG_CONFIG="$pg_config" install >/dev/null
      rm -rf "$work"
      echo "[system-deps] pgvector installed"
    fi
  fi
fi
