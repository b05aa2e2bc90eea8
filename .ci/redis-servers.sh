#!/usr/bin/env bash
# Provide newer Redis/Valkey server binaries for the test suite on Debian 12 (bookworm),
# cached between runs.
#
#   .ci/redis-servers.sh [CACHE_DIR]      (default: ${REDMESH_SERVER_CACHE:-$HOME/.cache/redmesh/servers})
#
# Ensures, under CACHE_DIR:
#   redis-8.0.2/redis-server  (+ redis-cli)   built from Debian trixie's redis source (orig tarball)
#   valkey-8.0.1/valkey-server (+ valkey-cli) unpacked from bookworm-backports' valkey-server/valkey-tools .debs
#   valkey-8.1.*/valkey-server (+ valkey-cli) built from Debian trixie's valkey source (orig tarball)
# Each is verified (--version, then started on a free loopback port and PINGed, plain and over TLS)
# on every run; a cached copy that still works is left alone.
#
# stdout: only NAME=/abs/path lines (eval-able / appendable to an env file); the same lines
# are written to CACHE_DIR/servers.env. Progress and errors go to stderr.
#
# Never touches the machine's apt sources: Debian trixie / bookworm-backports are reached through a
# private apt configuration in a temp dir. apt-get install (normal bookworm sources) is used only
# for missing build tools / runtime libraries.
set -euo pipefail
shopt -s inherit_errexit

REDIS_VERSION=${REDIS_VERSION:-8.0.2}          # exact upstream version expected in trixie's redis source
VALKEY80_VERSION=${VALKEY80_VERSION:-8.0.1}    # exact upstream version expected in bookworm-backports
VALKEY81_SERIES=${VALKEY81_SERIES:-8.1}        # any 8.1.x that trixie's valkey source has
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
JOBS=${JOBS:-2}

CACHE=${1:-${REDMESH_SERVER_CACHE:-$HOME/.cache/redmesh/servers}}
START=$SECONDS

log() { printf '[redis-servers] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd -P)

# one run at a time per cache dir
exec 9>"$CACHE/.lock"
flock -w 3600 9 || die "could not lock $CACHE/.lock"

WORK=$(mktemp -d "$CACHE/.work.XXXXXX")   # inside the cache: same filesystem, so the final mv is atomic
BUILD_PID=
cleanup() {
  local pid
  # a running build is its own process group (setsid): stop all of it, not just make
  if [[ -n $BUILD_PID ]]; then kill -TERM -- "-$BUILD_PID" 2>/dev/null || true; wait "$BUILD_PID" 2>/dev/null || true; fi
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# leftovers of earlier interrupted runs (their lock is gone, so nothing uses them)
find "$CACHE" -mindepth 1 -maxdepth 1 \( -name '.work.*' -o -name '.old.*' \) ! -path "$WORK" -exec rm -rf {} + 2>/dev/null || true

# ---------------------------------------------------------------- apt helpers
APT_SYSTEM_UPDATED=
apt_install_missing() {   # apt_install_missing pkg... : install (from the machine's own sources) what is not installed
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  [[ $(id -u) == 0 ]] || die "need root to apt-get install: ${missing[*]}"
  log "apt-get install ${missing[*]}"
  if [[ -z $APT_SYSTEM_UPDATED ]]; then apt-get update -qq >&2; APT_SYSTEM_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

PAPT=()   # private apt options, set up lazily by private_apt
private_apt() {
  [[ ${#PAPT[@]} -eq 0 ]] || return 0
  # trixie's Release is signed with the 13/trixie keys (debian-archive-keyring >= 2023.3+deb12u2)
  [[ -e /usr/share/keyrings/debian-archive-trixie-automatic.gpg ]] || {
    log "debian-archive-keyring lacks the trixie keys; upgrading it from bookworm"
    [[ -z $APT_SYSTEM_UPDATED ]] && { apt-get update -qq >&2; APT_SYSTEM_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debian-archive-keyring >&2
  }
  local d=$WORK/apt
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
  : >"$d/status"
  cat >"$d/sources.list" <<EOF
deb-src [signed-by=$KEYRING] $MIRROR trixie main
deb [signed-by=$KEYRING] $MIRROR bookworm-backports main
EOF
  PAPT=(-o "Dir::Etc::SourceList=$d/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" -o "Dir::State::status=$d/status"
        -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
        -o APT::Sandbox::User=root -o Acquire::Languages=none)
  log "apt update (private config: trixie deb-src + bookworm-backports)"
  apt-get "${PAPT[@]}" -qq update >&2 || die "private apt update failed"
}

# fetch_uris FILE_REGEX DESTDIR -- reads apt --print-uris lines on stdin, downloads the matching
# ones with apt's own http method, checked against the SHA256 from the signed index.
fetch_uris() {
  local re=$1 dest=$2 uri name size hash n=0
  while read -r uri name size hash; do
    uri=${uri//\'/}
    [[ $name =~ $re ]] || continue
    log "download $name ($size bytes)"
    /usr/lib/apt/apt-helper -o APT::Sandbox::User=root -qq download-file "$uri" "$dest/$name" "$hash" >&2 \
      || die "download of $uri failed"
    n=$((n + 1))
  done
  ((n > 0)) || die "nothing matching $re in apt's answer"
}

# ---------------------------------------------------------------- verification
CERT_DIR=
tls_cert() {
  [[ -n $CERT_DIR ]] && return 0
  CERT_DIR=$WORK/tls; mkdir -p "$CERT_DIR"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -keyout "$CERT_DIR/key.pem" -out "$CERT_DIR/cert.pem" >/dev/null 2>&1
}

free_port() {
  local p i
  for i in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}

# start_and_ping SERVER CLI LOG [tls] : start on free loopback port(s), PING, SHUTDOWN
start_and_ping() {
  local server=$1 cli=$2 logf=$3 mode=${4:-plain} port tport pid i ok= attempt
  local -a args cliargs
  for attempt in 1 2 3; do
    port=$(free_port) || return 1
    args=(--port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir "$WORK")
    cliargs=(-h 127.0.0.1 -p "$port")
    if [[ $mode == tls ]]; then
      tport=$(free_port) || return 1
      [[ $tport != "$port" ]] || continue
      args+=(--tls-port "$tport" --tls-cert-file "$CERT_DIR/cert.pem" --tls-key-file "$CERT_DIR/key.pem"
             --tls-ca-cert-file "$CERT_DIR/cert.pem" --tls-auth-clients no)
      cliargs=(-h 127.0.0.1 -p "$tport" --tls --cacert "$CERT_DIR/cert.pem")
    fi
    "$server" "${args[@]}" >"$logf" 2>&1 9>&- &
    pid=$!
    ok=
    for i in $(seq 100); do
      if [[ $("$cli" "${cliargs[@]}" ping 2>/dev/null) == PONG ]]; then ok=1; break; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if [[ -n $ok ]]; then
      "$cli" "${cliargs[@]}" shutdown nosave >/dev/null 2>&1 || true
      for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && { kill -9 "$pid" 2>/dev/null; log "  $server did not shut down, killed"; }
      wait "$pid" 2>/dev/null || true
      if [[ $mode == tls ]]; then echo "tls:$tport"; else echo "$port"; fi
      return 0
    fi
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    grep -qi 'address already in use' "$logf" || break   # only retry port clashes
  done
  return 1
}

# verify DIR SERVER_NAME CLI_NAME EXPECTED_VERSION_REGEX
verify() {
  local dir=$1 server=$1/$2 cli=$1/$3 want=$4 out where logf=$WORK/verify-$2.log
  [[ -x $server && -x $cli ]] || { log "  $dir: binaries missing"; return 1; }
  if ldd "$server" 2>/dev/null | grep -q 'not found'; then
    log "  $server: missing shared libraries:"; ldd "$server" | grep 'not found' >&2; return 1
  fi
  out=$("$server" --version 2>&1) || { log "  $server --version failed: $out"; return 1; }
  [[ $out =~ v=($want)\  ]] || { log "  $server: unexpected version: $out"; return 1; }
  where=$(start_and_ping "$server" "$cli" "$logf") \
    || { log "  $server: start/PING failed; log:"; tail -20 "$logf" >&2; return 1; }
  tls_cert || { log "  openssl could not make a test certificate"; return 1; }
  where="$where, $(start_and_ping "$server" "$cli" "$logf" tls)" \
    || { log "  $server: TLS start/PING failed; log:"; tail -20 "$logf" >&2; return 1; }
  log "  ok: ${out%% sha=*} (PONG on 127.0.0.1:${where})"
}

# install_dir STAGED_DIR FINAL_DIR : atomic replace
install_dir() {
  local staged=$1 final=$2 old
  if [[ -e $final ]]; then
    old=$(mktemp -d "$CACHE/.old.XXXXXX")
    mv -T "$final" "$old/x"
  fi
  mv -T "$staged" "$final"
  [[ -n ${old:-} ]] && rm -rf "$old"
  return 0
}

# ---------------------------------------------------------------- builds
build_tools() { apt_install_missing build-essential pkg-config libssl-dev openssl; }

# run a build command in its own process group, without network (proves the build needs nothing
# but the tarball) if we can; in the background so that INT/TERM are handled at once
offline() {
  local rc=0
  # (9>&-: a build orphaned by kill -9 must not keep holding the cache lock)
  if unshare -n true 2>/dev/null; then setsid unshare -n "$@" 9>&- & else setsid "$@" 9>&- & fi
  BUILD_PID=$!
  wait "$BUILD_PID" || rc=$?
  BUILD_PID=
  return "$rc"
}

# source_orig PKG : download trixie's orig tarball of source package PKG into $WORK/src, print its path
source_orig() {
  local pkg=$1
  private_apt
  mkdir -p "$WORK/src"
  (cd "$WORK/src" && apt-get "${PAPT[@]}" -qq source --print-uris "$pkg" 2>/dev/null) \
    | grep "^'" | fetch_uris "^${pkg}_.*\.orig\.tar\.(gz|xz|bz2)$" "$WORK/src"
  ls "$WORK/src/${pkg}_"*.orig.tar.*
}

# build_from_source KIND(redis|valkey) TARBALL FINAL_DIRNAME
build_from_source() {
  local kind=$1 tarball=$2 name=$3 t0=$SECONDS top b stage
  b=$WORK/build-$kind stage=$WORK/stage/$name
  build_tools
  mkdir -p "$b" "$stage"
  tar -xf "$tarball" -C "$b"
  top=$(find "$b" -mindepth 1 -maxdepth 1 -type d | head -1)
  log "building $name in $top (make -j$JOBS BUILD_TLS=yes, network off; log: $b/make.log)"
  # core server only: no BUILD_WITH_MODULES (Redis 8's modules/ would download toolchains)
  if ! offline make -C "$top" -j"$JOBS" BUILD_TLS=yes USE_SYSTEMD=no MALLOC=jemalloc >"$b/make.log" 2>&1; then
    log "make failed for $name; last lines:"; tail -30 "$b/make.log" >&2
    return 1
  fi
  cp "$top/src/$kind-server" "$top/src/$kind-cli" "$top/src/$kind-benchmark" "$stage/"
  {
    echo "source: $(basename "$tarball") sha256 $(sha256sum "$tarball" | cut -d' ' -f1) (Debian trixie source package, upstream orig)"
    echo "built:  $(date -u +%FT%TZ) on $(. /etc/os-release && echo "$PRETTY_NAME"), $(gcc --version | head -1)"
    echo "make:   make -j$JOBS BUILD_TLS=yes USE_SYSTEMD=no MALLOC=jemalloc"
  } >"$stage/BUILDINFO"
  log "built $name in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------- the three servers
declare -A ENV_LINES=()
ORDER=(REDIS_8_0_SERVER VALKEY_8_0_SERVER VALKEY_8_1_SERVER)

ensure_redis80() {
  local name=redis-$REDIS_VERSION dir=$CACHE/redis-$REDIS_VERSION tarball
  log "$name:"
  if [[ -d $dir ]] && verify "$dir" redis-server redis-cli "${REDIS_VERSION//./\\.}"; then
    ENV_LINES[REDIS_8_0_SERVER]=$dir/redis-server; return 0
  fi
  [[ -d $dir ]] && log "  cached copy does not work; rebuilding"
  private_apt   # here, not inside $(...), so its setup is kept for later steps
  tarball=$(source_orig redis)
  [[ $(basename "$tarball") == "redis_${REDIS_VERSION}.orig.tar.gz" ]] \
    || die "trixie's redis source is $(basename "$tarball"), expected redis_${REDIS_VERSION}.orig.tar.gz (set REDIS_VERSION?)"
  build_from_source redis "$tarball" "$name" || die "building $name failed"
  verify "$WORK/stage/$name" redis-server redis-cli "${REDIS_VERSION//./\\.}" || die "freshly built $name does not work"
  install_dir "$WORK/stage/$name" "$dir"
  ENV_LINES[REDIS_8_0_SERVER]=$dir/redis-server
}

ensure_valkey80() {
  local name=valkey-$VALKEY80_VERSION dir=$CACHE/valkey-$VALKEY80_VERSION d=$WORK/deb stage deps deb debver
  log "$name:"
  # runtime libraries of Debian's valkey build (all in plain bookworm)
  apt_install_missing libc6 libatomic1 libjemalloc2 liblzf1 libssl3 libsystemd0 openssl
  if [[ -d $dir ]] && verify "$dir" valkey-server valkey-cli "${VALKEY80_VERSION//./\\.}"; then
    ENV_LINES[VALKEY_8_0_SERVER]=$dir/valkey-server; return 0
  fi
  [[ -d $dir ]] && log "  cached copy does not work; replacing"
  private_apt
  mkdir -p "$d/x"
  debver=$(apt-cache "${PAPT[@]}" madison valkey-server | awk -F' *[|] *' -v v="$VALKEY80_VERSION" \
             'index($2, v "+") == 1 || index($2, v "-") == 1 || index($2, v "~") == 1 { print $2; exit }')
  [[ -n $debver ]] || die "bookworm-backports has no valkey-server $VALKEY80_VERSION: $(apt-cache "${PAPT[@]}" madison valkey-server | tr '\n' ';')"
  (cd "$d" && apt-get "${PAPT[@]}" -qq download --print-uris "valkey-server=$debver" "valkey-tools=$debver") \
    | fetch_uris '^valkey-(server|tools)_.*\.deb$' "$d"
  for deb in "$d"/*.deb; do dpkg-deb -x "$deb" "$d/x"; done
  deps=$(dpkg-deb -f "$d"/valkey-tools_*.deb Depends)
  stage=$WORK/stage/$name; mkdir -p "$stage"
  # valkey-server is a symlink to valkey-check-rdb (one binary, mode chosen by argv[0]): copy it as valkey-server
  cp "$d/x/usr/bin/valkey-check-rdb" "$stage/valkey-server"
  cp "$d/x/usr/bin/valkey-cli" "$d/x/usr/bin/valkey-benchmark" "$stage/"
  {
    echo "source: $(cd "$d" && ls ./*.deb | xargs -n1 basename | tr '\n' ' ')(Debian bookworm-backports, dpkg-deb -x)"
    echo "deb Depends: $deps"
  } >"$stage/BUILDINFO"
  verify "$stage" valkey-server valkey-cli "${VALKEY80_VERSION//./\\.}" || die "unpacked $name does not work"
  install_dir "$stage" "$dir"
  ENV_LINES[VALKEY_8_0_SERVER]=$dir/valkey-server
}

ensure_valkey81() {
  local want="${VALKEY81_SERIES//./\\.}\\.[0-9]+" dir tarball ver name
  log "valkey-$VALKEY81_SERIES.x:"
  for dir in $(ls -d "$CACHE"/valkey-"$VALKEY81_SERIES".* 2>/dev/null | sort -V -r); do
    if verify "$dir" valkey-server valkey-cli "$want"; then
      ENV_LINES[VALKEY_8_1_SERVER]=$dir/valkey-server; return 0
    fi
    log "  cached $dir does not work; rebuilding"
  done
  private_apt
  tarball=$(source_orig valkey)
  ver=$(basename "$tarball"); ver=${ver#valkey_}; ver=${ver%%+*}; ver=${ver%%.orig*}
  [[ $ver =~ ^$want$ ]] || { log "  SKIP: trixie's valkey source is $ver, not $VALKEY81_SERIES.x"; return 0; }
  name=valkey-$ver
  if ! build_from_source valkey "$tarball" "$name"; then
    log "  SKIP: building $name failed (see above); VALKEY_8_1_SERVER not provided"; return 0
  fi
  if ! verify "$WORK/stage/$name" valkey-server valkey-cli "${ver//./\\.}"; then
    log "  SKIP: freshly built $name does not work; VALKEY_8_1_SERVER not provided"; return 0
  fi
  install_dir "$WORK/stage/$name" "$CACHE/$name"
  ENV_LINES[VALKEY_8_1_SERVER]=$CACHE/$name/valkey-server
}

log "cache: $CACHE"
command -v openssl >/dev/null || apt_install_missing openssl
ensure_valkey80     # cheapest first
ensure_redis80
ensure_valkey81

{
  for k in "${ORDER[@]}"; do [[ -n ${ENV_LINES[$k]:-} ]] && echo "$k=${ENV_LINES[$k]}"; done
  true
} >"$WORK/servers.env"
mv -f "$WORK/servers.env" "$CACHE/servers.env"
cat "$CACHE/servers.env"
log "done in $((SECONDS - START))s; wrote $CACHE/servers.env"
