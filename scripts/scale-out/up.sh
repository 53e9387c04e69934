#!/usr/bin/env bash
# Starts the servers the scale-out tests need beside the machine's PostgreSQL and MariaDB: PgBouncer in
# transaction mode on 127.0.0.1:6432 (pgbouncer.sh), a streaming replica of PostgreSQL on 127.0.0.1:5433
# (pg-replica.sh), a MariaDB primary and GTID replica pair on 127.0.0.1:3310 and :3311 (mariadb-replicas.sh;
# the machine's MariaDB on 3306 is left alone), and a TLS-only PostgreSQL on 127.0.0.1:5434 and MariaDB on
# 127.0.0.1:3312 with their CA and certificates (tls.sh). Idempotent; `pnpm test` runs it first. Where it cannot start them (not root and
# pgbouncer not installed, say), it warns and the tests that need them are skipped, loudly; under CI=true
# that is a failure instead.
set -uo pipefail
cd "$(dirname "$0")"
failed=()
bash ./pgbouncer.sh up || failed+=("PgBouncer")
bash ./pg-replica.sh up || failed+=("the PostgreSQL replica")
bash ./tls.sh up || failed+=("the TLS-only PostgreSQL and MariaDB")
bash ./mariadb-replicas.sh up || failed+=("the MariaDB primary and replica")
if [ ${#failed[@]} -gt 0 ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "scale-out: could not start ${failed[*]} (CI=true: the tests that need them must run)" >&2
    exit 1
  fi
  echo "scale-out: WARNING: could not start ${failed[*]}; the tests that need them will be skipped" >&2
fi
exit 0
