#!/bin/sh
# Join a Redis deployment to a redmesh mesh and wait until every link touching it streams.
#
#   REDMESH_URL=http://redmesh.internal:8080 deploy/ci/join-mesh.sh <region> <cluster> <mesh> <host:port[,host:port...]> [timeout-s]
#
# Optional environment: REDMESH_TOKEN (bearer token), MODE (STANDALONE, CLUSTER; default STANDALONE).
# Exit codes: 0 ready, 1 not ready within the timeout (the cluster's status message is printed),
# 2 a request was refused (the problem detail is printed). Needs only sh and curl.
set -eu

url="${REDMESH_URL:-http://localhost:8080}"
region="$1"
cluster="$2"
mesh="$3"
seeds="$4"
timeout="${5:-300}"
mode="${MODE:-STANDALONE}"
body_file="$(mktemp)"
trap 'rm -f "$body_file"' EXIT

call() { # method path [json]
  if [ -n "${REDMESH_TOKEN:-}" ]; then
    set -- "$@" -H "Authorization: Bearer $REDMESH_TOKEN"
  fi
  method="$1"; path="$2"; shift 2
  if [ "$method" = PUT ]; then
    json="$1"; shift
    curl -sS -o "$body_file" -w '%{http_code}' -X PUT "$url$path" -H 'Content-Type: application/json' -d "$json" "$@"
  else
    curl -sS -o "$body_file" -w '%{http_code}' "$url$path" "$@"
  fi
}

put() { # path json
  code="$(call PUT "$1" "$2")"
  case "$code" in
    200|201) ;;
    *) echo "PUT $1 refused ($code): $(cat "$body_file")" >&2; exit 2 ;;
  esac
}

seeds_json="$(printf '%s' "$seeds" | sed 's/[^,][^,]*/"&"/g')"
put "/api/v1/regions/$region" '{}'
put "/api/v1/clusters/$cluster" "{\"region\":\"$region\",\"mode\":\"$mode\",\"seeds\":[$seeds_json],\"mesh\":\"$mesh\"}"

deadline=$(( $(date +%s) + timeout ))
while :; do
  code="$(call GET "/api/v1/clusters/$cluster" || echo 000)"
  if [ "$code" = 200 ] && grep -q '"ready":true' "$body_file"; then
    echo "$cluster is ready: every link touching it streams"
    exit 0
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "$cluster not ready after ${timeout}s: $(sed -n 's/.*"status":{\([^}]*\)}.*/\1/p' "$body_file")" >&2
    exit 1
  fi
  sleep 2
done
