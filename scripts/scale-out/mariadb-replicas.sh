#!/usr/bin/env bash
# A MariaDB primary and replica pair with GTID replication, for the read-replica tests: two more `mariadbd`
# instances beside the machine's MariaDB (127.0.0.1:3306, which has log_bin OFF and is never touched or
# restarted here), each with its own data directory:
#   primary  127.0.0.1:${BERTH_MARIADB_PRIMARY_PORT:-3310}  log_bin on, server_id 10, GTID domain 0
#   replica  127.0.0.1:${BERTH_MARIADB_REPLICA_PORT:-3311}  server_id 11, read_only, replicating the
#            primary from its first GTID (CHANGE MASTER TO ... MASTER_USE_GTID = slave_pos)
#
#   scripts/scale-out/mariadb-replicas.sh up      create and start both (idempotent: a running pair is kept)
#   scripts/scale-out/mariadb-replicas.sh down    stop both and remove their data directories
#   scripts/scale-out/mariadb-replicas.sh pause   STOP SLAVE SQL_THREAD on the replica (lag on purpose)
#   scripts/scale-out/mariadb-replicas.sh resume  START SLAVE SQL_THREAD
#
# Both accept `root` without a password from 127.0.0.1, like the machine's server. One data directory is made
# with mariadb-install-db and copied for the replica (both start empty, so the replica replicates the whole
# binary log from its start); the servers are tuned for a test machine (small buffers, no fsync per commit).
set -euo pipefail

PRIMARY_PORT=${BERTH_MARIADB_PRIMARY_PORT:-3310}
REPLICA_PORT=${BERTH_MARIADB_REPLICA_PORT:-3311}
DIR=${BERTH_MARIADB_REPLICAS_DIR:-/tmp/berth-mariadb-replicas}
MARIADBD=${MARIADBD:-/usr/sbin/mariadbd}
# mariadbd refuses to run as root; the machine's server account owns the data directories.
RUN_AS=${BERTH_MARIADB_USER:-mysql}

sock() { echo "$DIR/$1.sock"; }
# Through the socket as the OS root (unix_socket authentication, which mariadb-install-db sets up for root).
sql() { mariadb --no-defaults -uroot --socket="$(sock "$1")" -N -B -e "$2"; }
alive() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }
answers() { mariadb-admin --no-defaults -uroot --socket="$(sock "$1")" ping >/dev/null 2>&1; }
replicating() {
  mariadb --no-defaults -uroot --socket="$(sock replica)" -e 'SHOW SLAVE STATUS\G' 2>/dev/null |
    grep -q 'Slave_IO_Running: Yes'
}

config() { # name port server_id extra...
  local name=$1 port=$2 id=$3
  shift 3
  cat >"$DIR/$name.cnf" <<CNF
[mysqld]
datadir = $DIR/$name
port = $port
bind-address = 127.0.0.1
socket = $(sock "$name")
pid-file = $DIR/$name.pid
log-error = $DIR/$name.err
server_id = $id
gtid_domain_id = 0
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
max_connections = 200
performance_schema = OFF
innodb_buffer_pool_size = 32M
innodb_log_file_size = 16M
innodb_flush_log_at_trx_commit = 2
sync_binlog = 0
CNF
  for line in "$@"; do echo "$line" >>"$DIR/$name.cnf"; done
}

start() { # name
  local name=$1
  # Its own session: the server outlives the shell that started it (`pnpm test`, a CI step).
  setsid "$MARIADBD" --defaults-file="$DIR/$name.cnf" --user="$RUN_AS" </dev/null >>"$DIR/$name.out" 2>&1 &
  for _ in $(seq 1 300); do
    if answers "$name"; then return 0; fi
    sleep 0.1
  done
  echo "scale-out: the MariaDB $name did not start; its log:" >&2
  tail -20 "$DIR/$name.err" >&2 || true
  return 1
}

stop() { # name
  local name=$1
  if alive "$name"; then
    local pid
    pid=$(cat "$DIR/$name.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}

# root from 127.0.0.1 without a password, as on the machine's server; not written to the binary log, so the
# replica (which gets the same user the same way) never replays it.
open_root() { # name
  sql "$1" "SET SESSION sql_log_bin = 0;
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
}

up() {
  if alive primary && alive replica && answers primary && answers replica && replicating; then
    # A pair left paused by an interrupted test applies again (a no-op when it does).
    sql replica 'START SLAVE SQL_THREAD' >/dev/null 2>&1 || true
    echo "scale-out: MariaDB primary and replica already on 127.0.0.1:$PRIMARY_PORT and :$REPLICA_PORT"
    return 0
  fi
  stop replica
  stop primary
  rm -rf "$DIR"
  mkdir -p "$DIR"
  mariadb-install-db --no-defaults --datadir="$DIR/primary" --user="$RUN_AS" \
    --auth-root-authentication-method=socket --skip-test-db --innodb-log-file-size=16M >"$DIR/install.log" 2>&1 || {
    echo "scale-out: mariadb-install-db failed; its output:" >&2
    tail -20 "$DIR/install.log" >&2
    return 1
  }
  cp -a "$DIR/primary" "$DIR/replica"
  config primary "$PRIMARY_PORT" 10 "log_bin = $DIR/primary/binlog" "binlog_format = ROW"
  config replica "$REPLICA_PORT" 11 "read_only = ON" "relay_log = $DIR/replica/relay" "skip_slave_start = ON"
  chown -R "$RUN_AS" "$DIR" 2>/dev/null || true
  start primary &
  local primary_started=$!
  start replica
  wait "$primary_started"
  open_root primary
  open_root replica
  sql replica "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = $PRIMARY_PORT, MASTER_USER = 'root',
    MASTER_PASSWORD = '', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1; START SLAVE;"
  for _ in $(seq 1 100); do
    if replicating; then
      echo "scale-out: MariaDB primary on 127.0.0.1:$PRIMARY_PORT, GTID replica on 127.0.0.1:$REPLICA_PORT"
      return 0
    fi
    sleep 0.1
  done
  echo "scale-out: the MariaDB replica does not replicate:" >&2
  sql replica 'SHOW SLAVE STATUS\G' >&2 || true
  return 1
}

down() {
  stop replica
  stop primary
  rm -rf "$DIR"
  echo "scale-out: MariaDB primary and replica stopped"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  pause) sql replica 'STOP SLAVE SQL_THREAD' ;;
  resume) sql replica 'START SLAVE SQL_THREAD' ;;
  *) echo "usage: $0 up|down|pause|resume" >&2; exit 2 ;;
esac
