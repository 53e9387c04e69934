#!/usr/bin/env bash
# Stops what up.sh started.
set -uo pipefail
cd "$(dirname "$0")"
bash ./pgbouncer.sh down
bash ./pg-replica.sh down
bash ./tls.sh down
bash ./mariadb-replicas.sh down
