#!/usr/bin/env bash
# Starts the servers the scale-out tests need beside the machine's PostgreSQL and MariaDB: today PgBouncer
# in transaction mode on 127.0.0.1:6432 (see pgbouncer.sh). Idempotent; `pnpm test` runs it first.
# Where it cannot start them (not root and pgbouncer not installed, say), it warns and the tests that need
# them are skipped, loudly; under CI=true that is a failure instead.
set -uo pipefail
cd "$(dirname "$0")"
if ! bash ./pgbouncer.sh up; then
  if [ "${CI:-}" = "true" ]; then
    echo "scale-out: PgBouncer could not be started (CI=true: the PgBouncer tests must run)" >&2
    exit 1
  fi
  echo "scale-out: WARNING: PgBouncer could not be started; the PgBouncer tests will be skipped" >&2
fi
exit 0
