#!/usr/bin/env bash
# TLS-only servers for the TLS tests, beside (never instead of) the machine's plain ones:
#
#   a PostgreSQL 15 cluster on ${BERTH_PG_TLS_PORT:-5434}    hostssl lines only (no plain TCP), ssl = on
#   a mariadbd on ${BERTH_MARIADB_TLS_PORT:-3312}            require_secure_transport = ON
#
# both listening on 127.0.0.1 and 127.0.0.2, with a server certificate for 127.0.0.1 and localhost only (so
# 127.0.0.2 is the "wrong host name" of the host-name checks), issued by a CA made here. Also made here: a
# client certificate (CN berth_cert) from the same CA, and a second CA that signed nothing the servers
# use (the "wrong CA"). Everything lives under ${BERTH_TLS_DIR:-/tmp/berth-tls}:
#
#   certs/ca.pem  certs/other-ca.pem  certs/server.pem  certs/client.pem  certs/client.key
#
# Users: PostgreSQL berth_tls (password, scram-sha-256) and berth_cert (client certificate, `cert` auth),
# database berth_tls owned by berth_tls; MariaDB berth_tls (password, REQUIRE SSL) and berth_x509 (no
# password, REQUIRE X509), database berth_tls. The password is ${BERTH_TLS_PASSWORD:-tls-Pw-9f3}: a test
# fixture, never a secret.
#
#   scripts/scale-out/tls.sh up     make what is missing and start both (idempotent, a few seconds)
#   scripts/scale-out/tls.sh down   stop both and remove the directory
set -euo pipefail

DIR=${BERTH_TLS_DIR:-/tmp/berth-tls}
CERTS="$DIR/certs"
PG_PORT=${BERTH_PG_TLS_PORT:-5434}
MY_PORT=${BERTH_MARIADB_TLS_PORT:-3312}
PASSWORD=${BERTH_TLS_PASSWORD:-tls-Pw-9f3}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DATA="$DIR/pg"
MY_DIR="$DIR/mariadb"
MY_SOCKET="$MY_DIR/mysqld.sock"

as_user() { local user=$1; shift; if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi; }
own() { if [ "$(id -u)" = 0 ]; then chown -R "$1" "${@:2}"; fi; }

# --- certificates -------------------------------------------------------------------------------------
certificates() {
  if [ -f "$CERTS/client.pem" ]; then return 0; fi
  rm -rf "$CERTS"
  mkdir -p "$CERTS"
  chmod 755 "$DIR" "$CERTS"
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  (
    cd "$CERTS"
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 3650 -subj '/CN=berth test CA' 2>/dev/null
    openssl req -x509 "${ec[@]}" -keyout other-ca.key -out other-ca.pem -days 3650 -subj '/CN=berth other CA' 2>/dev/null
    openssl req "${ec[@]}" -keyout server.key -out server.csr -subj '/CN=localhost' 2>/dev/null
    printf 'subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -extfile server.ext \
      -out server.pem 2>/dev/null
    # PostgreSQL's `cert` authentication takes the user name from the certificate's CN.
    openssl req "${ec[@]}" -keyout client.key -out client.csr -subj '/CN=berth_cert' 2>/dev/null
    printf 'extendedKeyUsage = clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -extfile client.ext \
      -out client.pem 2>/dev/null
    rm -f ./*.csr ./*.ext ./*.srl
    chmod 644 ./*.pem
    chmod 600 client.key
    chmod 600 ca.key other-ca.key server.key
  )
}

# --- PostgreSQL -----------------------------------------------------------------------------------------
pg_running() { [ -f "$PG_DATA/PG_VERSION" ] && as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }
pg_sql() { as_user postgres psql -qAtX -h "$PG_DATA" -p "$PG_PORT" -U postgres -d postgres -c "$1"; }

pg_up() {
  if pg_running; then echo "tls: PostgreSQL (TLS only) already on 127.0.0.1:$PG_PORT"; return 0; fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    rm -rf "$PG_DATA"
    mkdir -p "$PG_DATA"
    own postgres "$PG_DATA"
    chmod 700 "$PG_DATA"
    as_user postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=reject \
      -E UTF8 --no-sync >/dev/null
    # The server reads its key only when it is the server's own and private.
    cp "$CERTS/server.pem" "$CERTS/server.key" "$CERTS/ca.pem" "$PG_DATA/"
    own postgres "$PG_DATA"
    chmod 600 "$PG_DATA/server.key"
    cat >>"$PG_DATA/postgresql.conf" <<CONF
port = $PG_PORT
listen_addresses = '127.0.0.1,127.0.0.2'
unix_socket_directories = '$PG_DATA'
ssl = on
ssl_cert_file = 'server.pem'
ssl_key_file = 'server.key'
ssl_ca_file = 'ca.pem'
max_connections = 50
shared_buffers = 16MB
fsync = off
CONF
    # TLS only: no `host` line, so a plain TCP connection finds no entry ("no encryption").
    cat >"$PG_DATA/pg_hba.conf" <<HBA
local all all trust
hostssl all berth_cert 127.0.0.0/8 cert
hostssl all all 127.0.0.0/8 scram-sha-256
HBA
  fi
  as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start >/dev/null
  pg_sql "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'berth_tls') THEN CREATE ROLE berth_tls LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'berth_cert') THEN CREATE ROLE berth_cert LOGIN; END IF;
  END \$\$"
  pg_sql "ALTER ROLE berth_tls PASSWORD '$PASSWORD'"
  if [ "$(pg_sql "SELECT count(*) FROM pg_database WHERE datname = 'berth_tls'")" = 0 ]; then
    pg_sql 'CREATE DATABASE berth_tls OWNER berth_tls'
  fi
  echo "tls: PostgreSQL (TLS only) on 127.0.0.1:$PG_PORT"
}

pg_down() {
  if pg_running; then as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null; fi
  echo "tls: PostgreSQL (TLS only) stopped"
}

# --- MariaDB --------------------------------------------------------------------------------------------
my_pid() { cat "$MY_DIR/mariadbd.pid" 2>/dev/null || true; }
my_running() { local pid; pid=$(my_pid); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
my_sql() { mariadb --no-defaults --protocol=socket --socket="$MY_SOCKET" -uroot -N -e "$1"; }

my_up() {
  if my_running; then echo "tls: MariaDB (TLS only) already on 127.0.0.1:$MY_PORT"; return 0; fi
  if [ ! -d "$MY_DIR/data/mysql" ]; then
    rm -rf "$MY_DIR"
    mkdir -p "$MY_DIR/data"
    cp "$CERTS/server.pem" "$CERTS/server.key" "$CERTS/ca.pem" "$MY_DIR/"
    own mysql "$MY_DIR"
    chmod 600 "$MY_DIR/server.key"
    # root over the socket only (unix_socket authentication), as Debian's own.
    as_user mysql mariadb-install-db --no-defaults --datadir="$MY_DIR/data" --skip-test-db \
      --auth-root-authentication-method=socket --user=mysql >/dev/null 2>&1
  fi
  local user_opt=()
  if [ "$(id -u)" = 0 ]; then user_opt=(--user=mysql); fi
  setsid mariadbd --no-defaults "${user_opt[@]}" --datadir="$MY_DIR/data" --port="$MY_PORT" \
    --bind-address=127.0.0.1,127.0.0.2 --socket="$MY_SOCKET" --pid-file="$MY_DIR/mariadbd.pid" \
    --log-error="$MY_DIR/error.log" --skip-name-resolve --skip-log-bin --innodb-buffer-pool-size=16M \
    --innodb-log-file-size=8M --max-connections=60 \
    --ssl-ca="$MY_DIR/ca.pem" --ssl-cert="$MY_DIR/server.pem" --ssl-key="$MY_DIR/server.key" \
    --require-secure-transport=ON </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 150); do
    if my_sql 'SELECT 1' >/dev/null 2>&1; then
      my_sql "CREATE DATABASE IF NOT EXISTS berth_tls;
        CREATE USER IF NOT EXISTS 'berth_tls'@'127.0.0.%' IDENTIFIED BY '$PASSWORD' REQUIRE SSL;
        ALTER USER 'berth_tls'@'127.0.0.%' IDENTIFIED BY '$PASSWORD' REQUIRE SSL;
        CREATE USER IF NOT EXISTS 'berth_x509'@'127.0.0.%' REQUIRE X509;
        GRANT ALL ON berth_tls.* TO 'berth_tls'@'127.0.0.%';
        GRANT ALL ON berth_tls.* TO 'berth_x509'@'127.0.0.%';"
      echo "tls: MariaDB (TLS only) on 127.0.0.1:$MY_PORT"
      return 0
    fi
    sleep 0.1
  done
  echo "tls: MariaDB (TLS only) did not start; its log:" >&2
  tail -20 "$MY_DIR/error.log" >&2 || true
  exit 1
}

my_down() {
  local pid
  pid=$(my_pid)
  if my_running; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  echo "tls: MariaDB (TLS only) stopped"
}

case "${1:-up}" in
  up)
    mkdir -p "$DIR"
    certificates
    # The two set-ups (initdb, mariadb-install-db: a few seconds each) run side by side.
    pg_up &
    pg=$!
    my_up &
    my=$!
    failed=0
    wait "$pg" || failed=1
    wait "$my" || failed=1
    exit "$failed"
    ;;
  down)
    pg_down
    my_down
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
