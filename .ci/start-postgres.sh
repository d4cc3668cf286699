#!/usr/bin/env bash
# Start a throwaway PostgreSQL for the tests: data under /tmp, loopback only, no fsync.
#
# Sourced (as .ci/run does): defines ci_pg_start and ci_pg_stop. ci_pg_start sets
#   CI_PG_ROOT, CI_PG_PORT and exports CLAIMS_TEST_POSTGRES; the caller traps ci_pg_stop.
# Run by hand:   bash .ci/start-postgres.sh
#   starts a server, prints the export line for CLAIMS_TEST_POSTGRES and the stop command.
# Port: CLAIMS_PG_PORT (default 55432); when it is taken the next free port is used.

ci_pg_bin() {
    local initdb
    if [[ -n "${CLAIMS_PG_BIN:-}" ]]; then
        echo "$CLAIMS_PG_BIN"
        return
    fi
    initdb=$(ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z "$initdb" ]]; then
        echo "start-postgres: no PostgreSQL found (/usr/lib/postgresql/*/bin/initdb); apt-get install postgresql" >&2
        return 1
    fi
    dirname "$initdb"
}

ci_pg_port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Runs a PostgreSQL binary as the postgres user when we are root (initdb refuses root).
ci_pg_as_owner() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Starts a server with the given extra postgresql.conf lines ($1), initdb options ($2), default port ($3)
# and data-folder prefix ($4); sets CI_PG_ROOT, CI_PG_PORT, CI_PG_BIN and creates the role claims/claims.
ci_pg_start_server() {
    local conf=$1 initdb_flags=$2 default_port=$3 prefix=$4 bin port root
    bin=$(ci_pg_bin) || return 1
    port=${CLAIMS_PG_PORT:-$default_port}
    while ci_pg_port_in_use "$port"; do
        port=$((port + 1))
    done

    if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    root=$(mktemp -d "/tmp/$prefix.XXXXXX")
    chmod 0755 "$root"
    mkdir -p "$root/data"
    if [[ $EUID -eq 0 ]]; then
        chown -R postgres: "$root"
    fi
    CI_PG_ROOT=$root
    CI_PG_PORT=$port
    CI_PG_BIN=$bin

    # shellcheck disable=SC2086 # the flags are words
    ci_pg_as_owner "$bin/initdb" $initdb_flags -D "$root/data" -U postgres \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 \
        || { cat "$root/initdb.log" >&2; return 1; }
    cat >>"$root/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$root'
$conf
CONF
    ci_pg_as_owner "$bin/pg_ctl" -D "$root/data" -l "$root/postgres.log" -w -t 60 start >/dev/null \
        || { cat "$root/postgres.log" >&2; return 1; }
    ci_pg_as_owner "$bin/psql" -h "$root" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE claims LOGIN SUPERUSER CREATEDB PASSWORD 'claims'" \
        || return 1
}

ci_pg_start() {
    ci_pg_start_server "fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300" --no-sync 55432 ci-pg || return 1
    export CLAIMS_TEST_POSTGRES="Host=127.0.0.1;Port=$CI_PG_PORT;Username=claims;Password=claims;Database=postgres"
    echo "start-postgres: PostgreSQL $("$CI_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$CI_PG_PORT, data in $CI_PG_ROOT"
}

ci_pg_stop() {
    if [[ -n "${CI_PG_ROOT:-}" && -d "$CI_PG_ROOT" ]]; then
        ci_pg_as_owner "$CI_PG_BIN/pg_ctl" -D "$CI_PG_ROOT/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$CI_PG_ROOT"
        CI_PG_ROOT=
    fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    ci_pg_start
    cat <<MSG

export CLAIMS_TEST_POSTGRES="$CLAIMS_TEST_POSTGRES"

Stop and remove it with:
  $( [[ $EUID -eq 0 ]] && echo "runuser -u postgres -- " )$CI_PG_BIN/pg_ctl -D $CI_PG_ROOT/data -m fast stop && rm -rf $CI_PG_ROOT
MSG
fi
