#!/usr/bin/env bash
# A PostgreSQL 15 streaming replica of the machine's cluster (127.0.0.1:5432) on
# 127.0.0.1:${BERTH_PG_REPLICA_PORT:-5433}, for the read-replica tests.
#
#   scripts/scale-out/pg-replica.sh up       base backup (pg_basebackup -R) and start (idempotent)
#   scripts/scale-out/pg-replica.sh down     stop it and remove its data directory
#   scripts/scale-out/pg-replica.sh pause    pause WAL replay (lag on purpose); resume: resume
#
# The running cluster has wal_level = replica already; its pg_hba.conf needs a replication line for
# 127.0.0.1, which `up` adds once and reloads (a reload, never a restart: other tests use the server).
set -euo pipefail

PORT=${BERTH_PG_REPLICA_PORT:-5433}
DATA=${BERTH_PG_REPLICA_DIR:-/tmp/berth-pg-replica}
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
HBA=${PG_HBA:-/etc/postgresql/15/main/pg_hba.conf}
PRIMARY="host=127.0.0.1 port=5432 user=postgres"

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
running() { as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }
sql() { psql -qAtX -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "$1"; }

up() {
  if running; then
    # A test run stopped between its pause and its resume leaves replay paused, and every later run then
    # waits on a replica that never catches up: resume it (a no-op when it is replaying).
    sql 'SELECT pg_wal_replay_resume()' >/dev/null 2>&1 || true
    echo "scale-out: PostgreSQL replica already on 127.0.0.1:$PORT"
    return 0
  fi
  if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$HBA"; then
    echo 'host replication all 127.0.0.1/32 trust' >>"$HBA"
    psql -qAtX -h 127.0.0.1 -p 5432 -U postgres -d postgres -c 'SELECT pg_reload_conf()' >/dev/null
  fi
  rm -rf "$DATA"
  mkdir -p "$DATA"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DATA"; fi
  chmod 700 "$DATA"
  as_postgres "$BIN/pg_basebackup" -d "$PRIMARY" -D "$DATA" -R -X stream -c fast
  # Debian keeps a cluster's configuration in /etc, outside the data directory: the replica gets its own.
  cat >"$DATA/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DATA'
hba_file = '$DATA/pg_hba.conf'
hot_standby = on
hot_standby_feedback = on
# A standby needs at least the primary's max_connections (and friends) to replay its WAL.
max_connections = 100
shared_buffers = 32MB
CONF
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$DATA/pg_hba.conf"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DATA/postgresql.conf" "$DATA/pg_hba.conf"; fi
  as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$DATA/replica.log" -w -t 60 start >/dev/null
  for _ in $(seq 1 100); do
    if [ "$(sql 'SELECT pg_is_in_recovery()' 2>/dev/null)" = "t" ]; then
      echo "scale-out: PostgreSQL streaming replica on 127.0.0.1:$PORT"
      return 0
    fi
    sleep 0.1
  done
  echo "scale-out: the PostgreSQL replica did not start; its log:" >&2
  tail -20 "$DATA/replica.log" >&2 || true
  exit 1
}

down() {
  if running; then as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
  rm -rf "$DATA"
  echo "scale-out: PostgreSQL replica stopped"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  pause) sql 'SELECT pg_wal_replay_pause()' >/dev/null ;;
  resume) sql 'SELECT pg_wal_replay_resume()' >/dev/null ;;
  *) echo "usage: $0 up|down|pause|resume" >&2; exit 2 ;;
esac
