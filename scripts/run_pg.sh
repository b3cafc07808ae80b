#!/usr/bin/env bash
# `make run-pg`: `make run`'s demo on a throwaway PostgreSQL cluster, removed when the
# server stops. For what needs PostgreSQL's own SQL: 订单导入 and 订单导出.
set -euo pipefail
cd "$(dirname "$0")/.."

# free_port, pg_start, pg_stop
source scripts/pg.sh

WORK=$(mktemp -d /tmp/xiaodian-run.XXXXXX)
chmod 755 "$WORK"
trap 'pg_stop "$WORK"; rm -rf "$WORK"' EXIT
pg_start "$WORK" || {
  echo "PostgreSQL did not start (server binaries: pg_config --bindir = '$PGBIN')" >&2
  exit 1
}
$RUNAS "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres xiaodian
DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/xiaodian" make run
