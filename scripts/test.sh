#!/usr/bin/env bash
# The whole suite on a throwaway PostgreSQL cluster and Redis server, with Chromium.
# Never touches the system cluster: data dir, port and socket dir are private and
# removed on exit. Under CI=true a service that cannot start fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
CI="${CI:-false}"
LINT=1
if [[ "${1:-}" == "--no-lint" ]]; then
  LINT=0 # while iterating on a few tests; `make test` always lints
  shift
fi

fail_or_warn() {
  if [[ "$CI" == "true" ]]; then
    echo "ERROR: $1" >&2
    exit 1
  fi
  echo "!!!!!!!! WARNING: $1 — the tests that need it will be skipped !!!!!!!!" >&2
}

# free_port, pg_start, pg_stop
source scripts/pg.sh

# --- system packages: Chromium + a CJK font for browser tests, Redis for Celery ---
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
[[ -d /usr/share/fonts/truetype/wqy ]] || missing+=(fonts-wqy-microhei)
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "Installing ${missing[*]} ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    fail_or_warn "missing system packages: ${missing[*]} (run as root or: apt-get install -y ${missing[*]})"
  fi
fi

WORK=$(mktemp -d /tmp/xiaodian-test.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  pg_stop "$WORK"
  if [[ -f "$WORK/redis.pid" ]]; then kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- PostgreSQL ---
if [[ ! -x "$PGBIN/initdb" ]]; then
  fail_or_warn "PostgreSQL server binaries not found (pg_config --bindir)"
elif ! pg_start "$WORK"; then
  fail_or_warn "could not start a throwaway PostgreSQL cluster from $PGBIN"
fi
if [[ -z "$PG_STARTED" ]]; then
  echo "!!!!!!!! WARNING: running on SQLite, not PostgreSQL !!!!!!!!" >&2
fi

# --- Redis for the Celery integration test ---
if command -v redis-server >/dev/null; then
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$WORK/redis.pid" --dir "$WORK" --logfile "$WORK/redis.log"
  export XIAODIAN_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
fi

export SECRET_KEY="test-only-secret-key"
export ALLOWED_HOSTS="localhost,127.0.0.1,testserver"
unset DEBUG CELERY_BROKER_URL

if ((LINT)); then
  echo "--- ruff"
  .venv/bin/ruff check .
  .venv/bin/ruff format --check .
fi
echo "--- manage.py check"
"$PY" manage.py check
"$PY" manage.py makemigrations --check --dry-run >/dev/null || {
  echo "ERROR: models have changes without migrations (run manage.py makemigrations)" >&2
  exit 1
}
echo "--- pytest"
"$PY" -m pytest "$@"
