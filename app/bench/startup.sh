#!/usr/bin/env bash
# Measures README command 1's start: seconds from `java -jar` to /actuator/health/readiness UP,
# first with an empty data directory (initdb + Flyway), then restarting on the same data.
# Usage: app/bench/startup.sh [runs]   (build first: ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
jar=app/target/redmesh.jar
port=18080

time_to_ready() {
  local dir=$1 start end
  start=$(date +%s.%N)
  java -jar "$jar" --server.port=$port --redmesh.postgres.data-dir="$dir" >"$dir.log" 2>&1 &
  local pid=$!
  until curl -sf "localhost:$port/actuator/health/readiness" >/dev/null; do
    kill -0 $pid 2>/dev/null || { echo "redmesh died, see $dir.log" >&2; exit 1; }
    sleep 0.1
  done
  end=$(date +%s.%N)
  kill $pid; wait $pid 2>/dev/null || true
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "run,cold_s,warm_s"
for i in $(seq 1 "$runs"); do
  cold=$(time_to_ready "$work/pg$i")
  warm=$(time_to_ready "$work/pg$i")
  echo "$i,$cold,$warm"
done
