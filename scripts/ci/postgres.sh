#!/usr/bin/env bash
# Makes sure the machine's PostgreSQL answers on 127.0.0.1:5432 and gives CI a fresh database with pgvector.
set -euo pipefail
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS shopdesk_ci WITH (FORCE)" -c "CREATE DATABASE shopdesk_ci"
psql -q -h 127.0.0.1 -U postgres -d shopdesk_ci -c "CREATE EXTENSION IF NOT EXISTS vector"
