#!/usr/bin/env bash
# Measures how README command 1 (the demo on) stops and comes back, the way an operator meets it:
#   stop_s        SIGTERM to exit, and the ERROR lines that stop logged
#   pg_gone_ms    after a SIGKILL of the JVM alone: until its embedded Postgres has exited (the watchdog)
#   restart_s     from that SIGKILL until the next start answers readiness
#   orphan_s      after a SIGKILL of the JVM and its watchdog together: until the next start is ready
#                 (it finds and stops the Postgres and redis-servers left behind first)
# Usage: app/bench/lifecycle.sh [runs]   (build first: ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
jar=$PWD/app/target/redmesh.jar
port=18081

now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" -v f="$2" 'BEGIN { printf f, (e - s) * (f == "%.0f" ? 1000 : 1) }'; }

start() { # in the current directory; prints the JVM's pid
  java -jar "$jar" --server.port=$port --redmesh.demo.enabled=true >>redmesh.log 2>&1 &
  echo $!
}
await_ready() {
  until curl -sf "localhost:$port/actuator/health/readiness" >/dev/null; do sleep 0.1; done
  # and every demo link streaming
  local token; token=$(cat .redmesh/admin-token)
  local states
  while true; do
    # links and their shards both carry a "state": all of them STREAMING, six links at least
    states=$(curl -sf -H "Authorization: Bearer $token" "localhost:$port/api/v1/links" | grep -o '"state":"[A-Z_]*"' || true)
    if [ "$(echo "$states" | grep -c STREAMING)" -ge 6 ] && ! echo "$states" | grep -qv STREAMING; then
      return
    fi
    sleep 0.2
  done
}
postgres_alive() { pgrep -f -- "-D $PWD/.redmesh/postgres" >/dev/null; }

work=$(mktemp -d)
trap 'pkill -f "$work" || true; rm -rf "$work"' EXIT
echo "run,stop_s,stop_errors,pg_gone_ms,restart_s,orphan_s"
for i in $(seq 1 "$runs"); do
  mkdir -p "$work/$i" && cd "$work/$i"
  pid=$(start); await_ready
  lines=$(wc -l < redmesh.log)
  t=$(now); kill -TERM "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
  stop=$(since "$t" "%.1f"); errors=$(tail -n +"$lines" redmesh.log | grep -c ' ERROR ' || true)

  pid=$(start); await_ready
  t=$(now); kill -KILL "$pid"; while postgres_alive; do sleep 0.01; done
  gone=$(since "$t" "%.0f")
  pid=$(start); await_ready; restart=$(since "$t" "%.1f")

  watchdog=$(pgrep -P "$pid" -f "trap '' INT TERM HUP QUIT")
  t=$(now); kill -KILL "$pid" "$watchdog"
  pid=$(start); await_ready; orphan=$(since "$t" "%.1f")
  kill -TERM "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  echo "$i,$stop,$errors,$gone,$restart,$orphan"
  cd - >/dev/null
done
