#!/bin/sh
# Render one Envoy bootstrap per region for the compose proxies:
#
#   ./render-envoy.sh [region ...]        (default: eu us)  ->  envoy/<region>.yaml
#
# Each file is GET /api/v1/regions/{name}/envoy.yaml?bootstrap=ads&node=envoy-<region>: the node
# (id and region) and how to reach redmesh's ADS server (redmesh.proxy.xds-address, control-plane:18000
# in docker-compose.yml). Listeners, routes, mirror policies and the current masters then arrive
# over ADS, so a failover needs no re-render; re-render only when the xDS address or token changes.
#
# Fetched with the region's PROXY token (REDMESH_PROXY_TOKEN_<REGION>, made by bootstrap.sh: a PROXY
# token serves the proxies of one region) the bootstrap carries that token for the ADS stream. With
# only REDMESH_ADMIN_TOKEN set it still renders, but the file then holds the placeholder
# "Bearer REPLACE-WITH-A-PROXY-TOKEN", which the ADS server refuses.
# Reads .env next to this file. Needs sh and curl.
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
if [ -f "$here/.env" ]; then
  set -a; . "$here/.env"; set +a
fi
url="${REDMESH_URL:-http://localhost:8080}"
[ $# -gt 0 ] || set -- eu us

mkdir -p "$here/envoy"
for region in "$@"; do
  eval "token=\${REDMESH_PROXY_TOKEN_$(echo "$region" | tr 'a-z-' 'A-Z_'):-}"
  if [ -z "$token" ]; then
    token="${REDMESH_ADMIN_TOKEN:?set REDMESH_PROXY_TOKEN_<REGION> (run bootstrap.sh) or REDMESH_ADMIN_TOKEN}"
    echo "warning: no PROXY token for $region; rendering with the admin token, the file holds a placeholder" >&2
  fi
  out="$here/envoy/$region.yaml"
  tmp="$out.tmp"
  code="$(curl -sS -o "$tmp" -w '%{http_code}' -H "Authorization: Bearer $token" \
          "$url/api/v1/regions/$region/envoy.yaml?bootstrap=ads&node=envoy-$region")"
  if [ "$code" != 200 ]; then
    echo "GET envoy.yaml for region $region refused ($code): $(cat "$tmp")" >&2
    rm -f "$tmp"
    exit 2
  fi
  mv "$tmp" "$out"
  echo "wrote $out"
done
