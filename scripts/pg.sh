# Throwaway PostgreSQL clusters, sourced by scripts/test.sh and bench/run.sh.
# The data dir, port and socket dir are private; the system cluster is never touched.
#
#   pg_start DIR [-c name=value ...]  initdb + start in DIR/pg on a free port; sets PG_STARTED,
#                                     PG_PORT and exports DATABASE_URL; non-zero on failure
#                                     (the logs are then printed to stderr)
#   pg_stop DIR                       stop it (immediate: the data is thrown away anyway)

PGBIN=$(pg_config --bindir 2>/dev/null || true)
PG_STARTED=
# initdb/pg_ctl refuse root, so run them as postgres
RUNAS=""
[[ $(id -u) -eq 0 ]] && RUNAS="runuser -u postgres --"

free_port() {
  "${PY:-python3}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {
  local dir=$1
  shift
  [[ -x "$PGBIN/initdb" ]] || return 2
  [[ -n "$RUNAS" ]] && chown postgres: "$dir"
  PG_PORT=$(free_port)
  if $RUNAS "$PGBIN/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 &&
    $RUNAS "$PGBIN/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 30 start \
      -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off $*" >/dev/null; then
    PG_STARTED=1
    export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
    echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT ($dir/pg)"
  else
    cat "$dir/initdb.log" "$dir/pg.log" 2>/dev/null >&2 || true
    return 1
  fi
}

pg_stop() {
  if [[ -n "$PG_STARTED" ]]; then
    $RUNAS "$PGBIN/pg_ctl" -D "$1/pg" -m immediate stop >/dev/null 2>&1 || true
    PG_STARTED=
  fi
}
