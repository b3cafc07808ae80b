#!/usr/bin/env bash
# `make bench`: every bench/*.py (or the scripts named) on its own database in one
# throwaway PostgreSQL cluster, removed afterwards. Never part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
# free_port, pg_start, pg_stop
source scripts/pg.sh

WORK=$(mktemp -d /tmp/xiaodian-bench.XXXXXX)
chmod 755 "$WORK"
trap 'pg_stop "$WORK"; rm -rf "$WORK"' EXIT

# A production-like memory budget for a small server; durability is off as in the tests.
pg_start "$WORK" -c shared_buffers=1GB -c effective_cache_size=4GB -c work_mem=32MB \
  -c maintenance_work_mem=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min

export SECRET_KEY="bench-only-secret-key"
export ALLOWED_HOSTS="localhost,127.0.0.1,testserver"
unset DEBUG CELERY_BROKER_URL

# Arguments: the scripts to run (default: all), and options (--x …) passed to each.
scripts=()
options=()
for arg in "$@"; do
  if [[ $arg == -* || ${#options[@]} -gt 0 && $arg != *.py ]]; then options+=("$arg"); else scripts+=("$arg"); fi
done
((${#scripts[@]})) || scripts=(bench/*.py)
for script in "${scripts[@]}"; do
  db=$(basename "$script" .py)
  echo "=== $script"
  $RUNAS "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db"
  DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$db" "$PY" "$script" "${options[@]}"
done
