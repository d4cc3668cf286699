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
    local bin port root
    bin=$(ci_pg_bin) || return 1
    port=${CLAIMS_PG_PORT:-56432}
    while ci_pg_port_in_use "$port"; do
        port=$((port + 1))
    done
    if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    root=$(mktemp -d /tmp/ci-pg-durable.XXXXXX)
    chmod 0755 "$root"
    mkdir -p "$root/data"
    if [[ $EUID -eq 0 ]]; then
        chown -R postgres: "$root"
    fi
    CI_PG_ROOT=$root
    CI_PG_PORT=$port
    CI_PG_BIN=$bin

    ci_pg_as_owner "$bin/initdb" -D "$root/data" -U postgres \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 \
        || { cat "$root/initdb.log" >&2; return 1; }
    # Only where it listens; every durability and size setting stays at PostgreSQL's default.
    cat >>"$root/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$root'
CONF
    ci_pg_as_owner "$bin/pg_ctl" -D "$root/data" -l "$root/postgres.log" -w -t 60 start >/dev/null \
        || { cat "$root/postgres.log" >&2; return 1; }
    ci_pg_as_owner "$bin/psql" -h "$root" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE claims LOGIN SUPERUSER CREATEDB PASSWORD 'claims'" -c "CREATE DATABASE claims_bench OWNER claims" \
        || return 1
    CLAIMS_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=claims;Password=claims;Database=claims_bench"
    export CLAIMS_BENCH_POSTGRES
    echo "start-postgres-durable: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $root"
    ci_pg_as_owner "$bin/psql" -h "$root" -p "$port" -U postgres -d postgres -At \
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
