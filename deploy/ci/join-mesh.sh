#!/bin/sh
# Join a Redis deployment to a redmesh mesh and wait until every link touching it streams.
#
#   REDMESH_URL=http://redmesh.internal:8080 deploy/ci/join-mesh.sh [--rollback] <region> <cluster> <mesh> <host:port[,host:port...]> [timeout-s]
#   REDMESH_URL=... deploy/ci/join-mesh.sh --leave <cluster>
#
# Safe to run again: a region that exists keeps what an operator set (display name, cloud, proxy
# settings), and an existing cluster gets only what this script owns (region, mode, seeds, mesh) by
# a merge patch. --rollback takes the cluster out of the mesh again when it does not become ready,
# so the other members are not held up by it; --leave does that on its own.
# Optional environment: REDMESH_TOKEN (bearer token), MODE (STANDALONE, CLUSTER; default STANDALONE),
# DISPLAY_NAME and CLOUD (set on the region when given).
# Exit codes: 0 ready (or left), 1 not ready within the timeout (the links' reasons are printed),
# 2 a request was refused (the problem detail is printed), 64 wrong usage. Needs only sh and curl.
set -eu

usage() {
  sed -n 4,5p "$0" | sed 's/^#   /usage: /' >&2
  exit 64
}

rollback=false
case "${1:-}" in
  -h|--help|"") usage ;;
  --rollback) rollback=true; shift ;;
  --leave) [ $# -eq 2 ] || usage ;;
esac

url="${REDMESH_URL:-http://localhost:8080}"
body_file="$(mktemp)"
trap 'rm -f "$body_file"' EXIT

call() { # method path [json]
  if [ -n "${REDMESH_TOKEN:-}" ]; then
    set -- "$@" -H "Authorization: Bearer $REDMESH_TOKEN"
  fi
  method="$1"; path="$2"; shift 2
  case "$method" in
    PUT|PATCH)
      json="$1"; shift
      type=application/json
      [ "$method" = PATCH ] && type=application/merge-patch+json
      curl -sS -o "$body_file" -w '%{http_code}' -X "$method" "$url$path" -H "Content-Type: $type" -d "$json" "$@" ;;
    *) curl -sS -o "$body_file" -w '%{http_code}' "$url$path" "$@" ;;
  esac
}

send() { # method path json
  code="$(call "$1" "$2" "$3")"
  case "$code" in
    200|201) ;;
    *) echo "$1 $2 refused ($code): $(cat "$body_file")" >&2; exit 2 ;;
  esac
}

exists() { # path: 0 if it exists, 1 if not; anything else stops the script
  code="$(call GET "$1")"
  case "$code" in
    200) return 0 ;;
    404) return 1 ;;
    *) echo "GET $1 refused ($code): $(cat "$body_file")" >&2; exit 2 ;;
  esac
}

leave() { # cluster
  send PATCH "/api/v1/clusters/$1" '{"mesh":null}'
  echo "$1 left its mesh: its links are removed, the other members no longer wait for it"
}

if [ "$1" = --leave ]; then
  leave "$2"
  exit 0
fi
[ $# -ge 4 ] && [ $# -le 5 ] || usage
region="$1"
cluster="$2"
mesh="$3"
seeds="$4"
timeout="${5:-300}"
mode="${MODE:-STANDALONE}"

region_fields=""
[ -n "${DISPLAY_NAME:-}" ] && region_fields="\"displayName\":\"$DISPLAY_NAME\""
[ -n "${CLOUD:-}" ] && region_fields="${region_fields:+$region_fields,}\"cloud\":\"$CLOUD\""
if exists "/api/v1/regions/$region"; then
  [ -z "$region_fields" ] || send PATCH "/api/v1/regions/$region" "{$region_fields}"
else
  send PUT "/api/v1/regions/$region" "{$region_fields}"
fi

seeds_json="$(printf '%s' "$seeds" | sed 's/[^,][^,]*/"&"/g')"
owned="\"region\":\"$region\",\"mode\":\"$mode\",\"seeds\":[$seeds_json],\"mesh\":\"$mesh\""
if exists "/api/v1/clusters/$cluster"; then
  send PATCH "/api/v1/clusters/$cluster" "{$owned}"
else
  send PUT "/api/v1/clusters/$cluster" "{$owned}"
fi

deadline=$(( $(date +%s) + timeout ))
while :; do
  code="$(call GET "/api/v1/clusters/$cluster" || echo 000)"
  if [ "$code" = 200 ] && grep -q '"ready":true' "$body_file"; then
    echo "$cluster is ready: every link touching it streams"
    exit 0
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "$cluster not ready after ${timeout}s: $(sed -n 's/.*"status":{\([^}]*\)}.*/\1/p' "$body_file")" >&2
    if $rollback; then
      leave "$cluster" >&2
    else
      echo "it stays in mesh '$mesh' and the other members wait for it; to take it out: $0 --leave $cluster" >&2
    fi
    exit 1
  fi
  sleep 2
done
