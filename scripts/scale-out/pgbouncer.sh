#!/usr/bin/env bash
# PgBouncer in transaction pooling mode in front of the machine's PostgreSQL (127.0.0.1:5432), on
# 127.0.0.1:${BERTH_PGBOUNCER_PORT:-6432}, for the tests that run berth behind a pooler.
#
#   scripts/scale-out/pgbouncer.sh up     install it from Debian's packages if missing, start it (idempotent)
#   scripts/scale-out/pgbouncer.sh down   stop it
#
# Every database name is passed through to the server (`* = ...`) as the server's `postgres` user, which
# the server trusts on loopback, so the bouncer asks for no password either (auth_type = any needs one user).
set -euo pipefail

PORT=${BERTH_PGBOUNCER_PORT:-6432}
DIR=${BERTH_PGBOUNCER_DIR:-/tmp/berth-pgbouncer}
PIDFILE="$DIR/pgbouncer.pid"
# PgBouncer refuses to run as root; the server's own account is the natural owner.
RUN_AS=${BERTH_PGBOUNCER_USER:-postgres}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

up() {
  if ! command -v pgbouncer >/dev/null 2>&1; then
    echo "scale-out: installing pgbouncer"
    if [ "$(id -u)" != 0 ]; then echo "scale-out: pgbouncer is missing and only root can install it" >&2; exit 1; fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q pgbouncer >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q pgbouncer >/dev/null; }
  fi
  if running; then echo "scale-out: pgbouncer already on 127.0.0.1:$PORT"; return 0; fi
  mkdir -p "$DIR"
  cat >"$DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=5432 user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = any
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
min_pool_size = 0
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = $DIR/pgbouncer.log
pidfile = $PIDFILE
admin_users = postgres
INI
  if [ "$(id -u)" = 0 ]; then chown -R "$RUN_AS" "$DIR"; fi
  if [ "$(id -u)" = 0 ] && [ "$RUN_AS" != root ]; then
    pgbouncer -d -u "$RUN_AS" "$DIR/pgbouncer.ini"
  else
    pgbouncer -d "$DIR/pgbouncer.ini"
  fi
  for _ in $(seq 1 50); do
    if psql -qAtX -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "SELECT 1" >/dev/null 2>&1; then
      echo "scale-out: pgbouncer (transaction mode) on 127.0.0.1:$PORT"
      return 0
    fi
    sleep 0.1
  done
  echo "scale-out: pgbouncer did not start; its log:" >&2
  tail -20 "$DIR/pgbouncer.log" >&2 || true
  exit 1
}

down() {
  if running; then
    kill "$(cat "$PIDFILE")"
    for _ in $(seq 1 50); do running || break; sleep 0.1; done
  fi
  echo "scale-out: pgbouncer stopped"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
