#!/bin/sh
# Load the compose example's model into redmesh through its REST API, and make the tokens the
# workers and the Envoy proxies need:
#
#   regions  eu, us                                   PUT /api/v1/regions/{name}  {}
#   clusters cache-eu (redis-eu + redis-eu-replica),  PUT /api/v1/clusters/{name} {"region","mode","seeds","mesh"}
#            cache-us (redis-us), both in mesh "m"    -> links cache-eu.cache-us and cache-us.cache-eu
#   tokens   compose-workers (WORKER, ids compose-worker-*), compose-envoy-eu / -us (PROXY, one region each)
#
# Run after `docker compose up -d ... control-plane`. Reads .env next to this file (REDMESH_URL,
# REDMESH_ADMIN_TOKEN) and writes REDMESH_WORKER_TOKEN / REDMESH_PROXY_TOKEN_EU / _US into it when they are
# empty. Safe to run again: the PUTs are idempotent and a token already in .env is kept.
# Needs sh and curl.
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
env_file="$here/.env"
if [ -f "$env_file" ]; then
  set -a; . "$env_file"; set +a
fi
url="${REDMESH_URL:-http://localhost:8080}"
: "${REDMESH_ADMIN_TOKEN:?set REDMESH_ADMIN_TOKEN (in $env_file)}"
body="$(mktemp)"
trap 'rm -f "$body"' EXIT

call() { # method path [json] -> prints the HTTP status, body in $body
  method="$1"; path="$2"
  if [ $# -ge 3 ]; then
    curl -sS -o "$body" -w '%{http_code}' -X "$method" "$url$path" \
         -H "Authorization: Bearer $REDMESH_ADMIN_TOKEN" -H 'Content-Type: application/json' -d "$3"
  else
    curl -sS -o "$body" -w '%{http_code}' -X "$method" "$url$path" -H "Authorization: Bearer $REDMESH_ADMIN_TOKEN"
  fi
}

put() { # path json
  code="$(call PUT "$1" "$2")"
  case "$code" in
    200|201) echo "PUT $1 -> $code" ;;
    *) echo "PUT $1 refused ($code): $(cat "$body")" >&2; exit 2 ;;
  esac
}

set_env() { # NAME value: replace the NAME= line of .env, or add one
  tmp="$(mktemp)"
  if [ -f "$env_file" ]; then grep -v "^$1=" "$env_file" > "$tmp" || true; fi
  printf '%s=%s\n' "$1" "$2" >> "$tmp"
  cat "$tmp" > "$env_file"   # keeps the file's mode
  rm -f "$tmp"
}

token() { # NAME-in-.env token-name role scope-json (what the token may act as: a worker pool, a region's proxies)
  eval "current=\${$1:-}"
  if [ -n "$current" ]; then
    echo "$1 already set in .env; keeping it"
    return
  fi
  code="$(call POST /api/v1/tokens "{\"name\":\"$2\",\"role\":\"$3\",$4}")"
  case "$code" in
    201) ;;
    409) echo "a token named $2 exists but its value is not in .env; revoke it and run again:" >&2
         echo "  curl -H \"Authorization: Bearer \$REDMESH_ADMIN_TOKEN\" $url/api/v1/tokens      # find its id" >&2
         echo "  curl -X DELETE -H \"Authorization: Bearer \$REDMESH_ADMIN_TOKEN\" $url/api/v1/tokens/<id>" >&2
         exit 2 ;;
    *) echo "POST /api/v1/tokens refused ($code): $(cat "$body")" >&2; exit 2 ;;
  esac
  value="$(sed -n 's/.*"value" *: *"\([^"]*\)".*/\1/p' "$body")"
  [ -n "$value" ] || { echo "no token value in: $(cat "$body")" >&2; exit 2; }
  set_env "$1" "$value"
  echo "$3 token $2 created; written to .env as $1"
}

# wait for the control plane (Flyway migrations run at first start)
deadline=$(( $(date +%s) + 180 ))
until curl -fsS -o /dev/null "$url/actuator/health/readiness" 2>/dev/null; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "control plane at $url not ready after 180 s (docker compose logs control-plane)" >&2
    exit 1
  fi
  sleep 2
done

put /api/v1/regions/eu '{}'
put /api/v1/regions/us '{}'
put /api/v1/clusters/cache-eu '{"region":"eu","mode":"STANDALONE","seeds":["redis-eu:6379","redis-eu-replica:6379"],"mesh":"m"}'
put /api/v1/clusters/cache-us '{"region":"us","mode":"STANDALONE","seeds":["redis-us:6379"],"mesh":"m"}'

# the workers' ids are compose-worker-<container id> (docker-compose.yml): one token for the pool
token REDMESH_WORKER_TOKEN compose-workers WORKER '"worker":"compose-worker-*"'
# a PROXY token serves one region's proxies: one per region
token REDMESH_PROXY_TOKEN_EU compose-envoy-eu PROXY '"proxy":{"region":"eu"}'
token REDMESH_PROXY_TOKEN_US compose-envoy-us PROXY '"proxy":{"region":"us"}'


cat <<NEXT
Next:
  docker compose up -d worker                  # (re)start the workers with the token now in .env
  ./render-envoy.sh eu us && docker compose up -d envoy-eu envoy-us
  curl -H "Authorization: Bearer \$REDMESH_ADMIN_TOKEN" $url/api/v1/links   # both links reach STREAMING
NEXT
