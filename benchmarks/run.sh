#!/usr/bin/env bash
# Feed benchmark on PostgreSQL: for each size, a fresh database filled by seed_demo (the bulk
# import path), then `atelier benchmark_feed` (50-post pages, p50/p95, queries per request).
# Usage: bash benchmarks/run.sh [SIZES]   e.g. bash benchmarks/run.sh "10000 100000 1000000"
set -euo pipefail
cd "$(dirname "$0")/.."
make setup >/dev/null
SIZES=${1:-"10000 100000 1000000"}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
OUT=benchmarks/results
mkdir -p "$OUT"
for n in $SIZES; do
  db="atelier_bench_$n"
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  export DATABASE_URL="$PG/$db"
  .venv/bin/atelier migrate -v0
  users=$(( n / 20 > 300 ? n / 20 : 300 ))
  echo "== $n posts, $users users, $((2 * n)) interactions"
  /usr/bin/time -f "seed: %e s" .venv/bin/atelier seed_demo --posts "$n" --users "$users" \
    --interactions $((2 * n)) --days 60 --seed 1
  psql "$DATABASE_URL" -qc "VACUUM ANALYZE"
  .venv/bin/atelier benchmark_feed --users 8 --rounds 3 --page-size 50 --mixed 400 --json "$OUT/feed-$n.json"
done
