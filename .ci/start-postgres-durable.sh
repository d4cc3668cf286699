#!/usr/bin/env bash
# Start a PostgreSQL with production defaults for reported benchmarks: fsync, synchronous_commit and
# full_page_writes as installed (on), max_connections 100 (the default). Data under /tmp, loopback only.
# The test server (.ci/start-postgres.sh) turns durability off and is fine for tests, never for figures.
#
# Run by hand:   bash .ci/start-postgres-durable.sh
#   prints the connection string for `ClaimsWorker bench --provider postgres --connection ...` and the stop command.
# Sourced: defines ci_pg_start_durable (and the helpers of start-postgres.sh, incl. ci_pg_stop).
# Port: CLAIMS_PG_PORT (default 56432); when it is taken the next free port is used.

# shellcheck source=start-postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/start-postgres.sh"

ci_pg_start_durable() {
    # No extra settings: every durability and size setting stays at PostgreSQL's default.
    ci_pg_start_server "" "" 56432 ci-pg-durable || return 1
    ci_pg_as_owner "$CI_PG_BIN/psql" -h "$CI_PG_ROOT" -p "$CI_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE DATABASE claims_bench OWNER claims" || return 1
    CLAIMS_BENCH_POSTGRES="Host=127.0.0.1;Port=$CI_PG_PORT;Username=claims;Password=claims;Database=claims_bench"
    export CLAIMS_BENCH_POSTGRES
    echo "start-postgres-durable: PostgreSQL $("$CI_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$CI_PG_PORT, data in $CI_PG_ROOT"
    ci_pg_as_owner "$CI_PG_BIN/psql" -h "$CI_PG_ROOT" -p "$CI_PG_PORT" -U postgres -d postgres -At \
        -c "SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync','synchronous_commit','full_page_writes','max_connections')"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    ci_pg_start_durable
    cat <<MSG

export CLAIMS_BENCH_POSTGRES="$CLAIMS_BENCH_POSTGRES"

Stop and remove it with:
  $( [[ $EUID -eq 0 ]] && echo "runuser -u postgres -- " )$CI_PG_BIN/pg_ctl -D $CI_PG_ROOT/data -m fast stop && rm -rf $CI_PG_ROOT
MSG
fi
