#!/usr/bin/env bash
# The issue 6 and 8 benchmark runs of docs/benchmarks.md, in order, on a durable stock PostgreSQL.
# Run from a clone, on an otherwise idle machine: bash .ci/run-benchmarks.sh <logdir>
# Needs the converted PaySim files (ClaimsWorker convert) in $PAYSIM (default /tmp/claims-data/paysim).
# Builds this clone's ClaimsWorker (Release) into $OUT/cw, starts the server, runs each command, greps the result lines into $OUT/summary.txt.
set -u
WT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); OUT=$(mkdir -p "${1:?usage: run-benchmarks.sh <logdir>}" && cd "$1" && pwd)
CW=$OUT/cw
dotnet build -c Release "$WT/ClaimsWorker" -o $CW -v q > "$OUT/build.log" 2>&1 || { echo build failed; exit 1; }
source "$WT/.ci/start-postgres-durable.sh"
CLAIMS_PG_PORT=5499 ci_pg_start_durable > "$OUT/pg.log" 2>&1 || { echo pg failed; cat "$OUT/pg.log"; exit 1; }
PG="Host=127.0.0.1;Port=$CI_PG_PORT;Username=claims;Password=claims;Database=claims_bench"
echo "pg: $PG root=$CI_PG_ROOT" | tee -a "$OUT/summary.txt"
run() { # name, args...
  local name=$1; shift
  echo "== $name $(date -u +%H:%M:%S) load=$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
  dotnet $CW/ClaimsWorker.dll "$@" > "$OUT/$name.log" 2>&1
  grep -E "^bench:|cpu per claim|burst:|audit chain|throughput|import:|transactions|evaluate:" "$OUT/$name.log" | tail -8 | tee -a "$OUT/summary.txt"
}
slow() { # when the run's slow claims (over 500 ms from submission to decision) were filed, to set beside the server's log
  ci_pg_as_owner "$CI_PG_BIN/psql" -h "$CI_PG_ROOT" -p "$CI_PG_PORT" -U postgres -d claims_bench -At -c "
    SELECT 'slow claims: ' || COUNT(*) || ' between ' || COALESCE(MIN(submitted_at)::text, '-') || ' and ' || COALESCE(MAX(submitted_at)::text, '-')
    FROM claims WHERE submitted_at > now() - interval '75 seconds' AND COALESCE(paid_at, assessed_at) - submitted_at > interval '500 milliseconds'" | tee -a "$OUT/summary.txt"
}
run pg50-1 bench --provider postgres --connection "$PG" --rate 50 --claims 3000 --workers 1
slow
run pg100 bench --provider postgres --connection "$PG" --rate 100 --claims 3000 --workers 1
slow
sleep 60
run pg50-2 bench --provider postgres --connection "$PG" --rate 50 --claims 3000 --workers 1
slow
run burst bench --provider postgres --connection "$PG" --burst 2000 --workers 1
sleep 60
run pg50-3 bench --provider postgres --connection "$PG" --rate 50 --claims 3000 --workers 1
slow
rm -rf $OUT/emb; mkdir -p $OUT/emb
run emb20 bench --connection "Data Source=$OUT/emb/claims.db" --rate 20 --claims 600
ci_pg_as_owner "$CI_PG_BIN/psql" -h "$CI_PG_ROOT" -p "$CI_PG_PORT" -U postgres -d postgres -q -c "CREATE DATABASE claims_import OWNER claims"
D=${PAYSIM:-/tmp/claims-data/paysim}
run import-pg import --provider postgres --connection "Host=127.0.0.1;Port=$CI_PG_PORT;Username=claims;Password=claims;Database=claims_import" --customers $D/customers.csv --transactions $D/transactions.csv
rm -f $OUT/emb/import.db*
run import-sqlite import --connection "Data Source=$OUT/emb/import.db" --customers $D/customers.csv --transactions $D/transactions.csv
# The server's log (checkpoints are logged by default) for the times of the slow claims above.
cp "$CI_PG_ROOT/postgres.log" "$OUT/postgres.log" 2>/dev/null
echo "stop: ci_pg_stop root=$CI_PG_ROOT" >> "$OUT/summary.txt"
echo ALLDONE | tee -a "$OUT/summary.txt"
ci_pg_stop
