#!/usr/bin/env bash
# .ci/peers/bluesky-pds/start.sh: the project's Bluesky PDS test peer on
# loopback (@atproto/pds 0.4.217, the last release line that runs on node 20,
# with an in-memory did:plc directory from @did-plc/server 0.0.1).
#
# The first run installs both with npm into $PDS_HOME (about 2 minutes: the
# sqlite binding compiles from source, which needs make, g++ and the node
# headers in /usr/include/node). Later runs reuse the install. Every start
# wipes the server's state; handles are NAME.test, invite codes are off.
#
# Prints PDS_URL=http://127.0.0.1:2583 on stdout once the server answers
# /xrpc/_health; progress goes to stderr; the server runs in the background
# until stop.sh.
# Settings (environment): PDS_HOME (default $HOME/.cache/socialflow-peers/bluesky-pds),
# PDS_PORT (2583), PLC_PORT (2582).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PDS_HOME="${PDS_HOME:-$HOME/.cache/socialflow-peers/bluesky-pds}"
PORT="${PDS_PORT:-2583}"
PLC="${PLC_PORT:-2582}"
RUN="$PDS_HOME/run"

log() { echo "bluesky-pds peer: $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
for tool in node npm curl openssl; do command -v "$tool" >/dev/null || fail "$tool is not on PATH"; done
mkdir -p "$PDS_HOME"

ready() { [ -d "$PDS_HOME/node_modules/@atproto/pds" ] && [ -d "$PDS_HOME/node_modules/@did-plc/server" ] &&
  [ -f "$PDS_HOME/node_modules/better-sqlite3/build/Release/better_sqlite3.node" ]; }
if ! ready; then
  [ -f /usr/include/node/node_api.h ] || fail "no node headers in /usr/include/node (apt-get install libnode-dev)"
  command -v make >/dev/null && command -v g++ >/dev/null || fail "need make and g++ (apt-get install build-essential)"
  began=$SECONDS
  log "installing @atproto/pds into $PDS_HOME (first run only)"
  # node-gyp builds better-sqlite3 against the local headers instead of downloading them
  export npm_config_nodedir=/usr
  [ -f "$PDS_HOME/package.json" ] || echo '{"name":"socialflow-pds-peer","private":true}' >"$PDS_HOME/package.json"
  (cd "$PDS_HOME" && npm install --no-audit --no-fund --loglevel=error @atproto/pds@0.4.217 @did-plc/server@0.0.1) >&2
  [ -f "$PDS_HOME/node_modules/better-sqlite3/build/Release/better_sqlite3.node" ] ||
    (cd "$PDS_HOME" && npm rebuild better-sqlite3) >&2
  ready || fail "npm install left an incomplete install in $PDS_HOME"
  log "installed in $((SECONDS - began))s"
fi

if [ -f "$RUN/pid" ] && kill -0 "$(cat "$RUN/pid")" 2>/dev/null; then
  log "already running (pid $(cat "$RUN/pid"))"
  echo "PDS_URL=http://127.0.0.1:$PORT"; exit 0
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then fail "another program listens on 127.0.0.1:$PORT"; fi
rm -rf "$RUN"; mkdir -p "$RUN/data" "$RUN/blobs"

began=$SECONDS
env NODE_PATH="$PDS_HOME/node_modules" PDS_PORT="$PORT" PLC_PORT="$PLC" \
  PDS_HOSTNAME=localhost PDS_DEV_MODE=true PDS_INVITE_REQUIRED=false PDS_SERVICE_HANDLE_DOMAINS=.test \
  PDS_DATA_DIRECTORY="$RUN/data" PDS_BLOBSTORE_DISK_LOCATION="$RUN/blobs" PDS_CRAWLERS= \
  PDS_JWT_SECRET="$(openssl rand -hex 16)" PDS_ADMIN_PASSWORD="${PDS_ADMIN_PASSWORD:-admin-pass}" \
  PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX="$(openssl rand -hex 32)" LOG_ENABLED=false \
  nohup node "$HERE/server.js" >"$RUN/log" 2>&1 </dev/null &
echo $! >"$RUN/pid"
until curl -fs --max-time 2 -o /dev/null "http://127.0.0.1:$PORT/xrpc/_health"; do
  if ! kill -0 "$(cat "$RUN/pid")" 2>/dev/null; then cat "$RUN/log" >&2; fail "the server exited while starting"; fi
  if [ $((SECONDS - began)) -ge 60 ]; then
    cat "$RUN/log" >&2; kill "$(cat "$RUN/pid")" || true; fail "no answer on /xrpc/_health after 60s"
  fi
  sleep 0.2
done
log "up in $((SECONDS - began))s (pid $(cat "$RUN/pid"), log $RUN/log)"
echo "PDS_URL=http://127.0.0.1:$PORT"
