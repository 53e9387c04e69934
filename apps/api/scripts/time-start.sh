#!/usr/bin/env bash
# Times one `pnpm start` as the README quotes it: from the command to the first 200 from GET /health, then
# SIGTERM to the whole process group and wait until it has exited. Prints the milliseconds to readiness.
# Run it from the repository root; for the CPU time of the whole tree, run it under `/usr/bin/time -v`.
# PORT (default 3000) must be free.
set -euo pipefail
port="${PORT:-3000}"
began=$(date +%s%N)
PORT="$port" setsid pnpm start >"${START_LOG:-/dev/null}" 2>&1 &
pid=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")" = 200 ]; do
  kill -0 "$pid" 2>/dev/null || { echo "pnpm start exited before it was ready" >&2; exit 1; }
  sleep 0.02
done
ready=$(date +%s%N)
kill -TERM -- "-$pid"
wait "$pid" || true
echo "ready in $(((ready - began) / 1000000)) ms"
