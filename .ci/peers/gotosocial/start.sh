#!/usr/bin/env bash
# .ci/peers/gotosocial/start.sh: the project's GoToSocial test peer, a real
# server for Mastodon's client API, on loopback only.
#
# GoToSocial is AGPL-3.0: it runs as a separate process and nothing in the
# project imports it. The first run builds it from source through the Go
# module proxy (about 8 minutes on 2 cores); the binary, its web templates and
# its WASM compilation cache stay in $GTS_HOME, which CI keeps between runs.
# Each start wipes the server's state (sqlite database, media, tokens).
#
# Output (stdout, also written to $GTS_HOME/run/env), progress on stderr:
#   GTS_URL=http://127.0.0.1:18080
#   GTS_TOKEN=...      bearer token (scopes "read write") of the first account
#   GTS_ACCOUNT=...    its username            GTS_ACCOUNT_ID=... its id
#   GTS_TOKEN_2=...    bearer token of a second account on the same server
#   GTS_ACCOUNT_2=...  its username            GTS_ACCOUNT_ID_2=... its id
#
# Settings (environment): GTS_HOME (default $HOME/.cache/socialflow-peers/gotosocial),
# GTS_PORT (18080). Stop it with stop.sh (same settings).
#
# Notes on what this script works around:
# - The module proxy serves GoToSocial under its old github.com path; its go.mod
#   has replace directives, so `go install pkg@version` refuses it. The script
#   downloads the module, builds inside a writable copy, and drops the copy's
#   vendor/ directory (the zip holds only vendor/modules.txt).
# - v0.19.2 does not compile with Go 1.25 or later (build constraints in two of
#   its dependencies), so the build asks the go command for the go1.24 toolchain.
# - GoToSocial reads every GTS_* environment variable as configuration: the
#   server and its admin command run with those removed.
# - Accounts can only be created after the server has run once; the admin
#   command then writes into the running server's database.
# - There is no password grant: a token comes from the browser's
#   authorization-code flow, which the script drives with curl (the sign-in
#   form takes the account's email as its username).
# - The port answers 503 while the database migrates: ready means /readyz is 200.
# - GoToSocial limits requests per IP (300 per 5 minutes by default): every
#   test shares 127.0.0.1, so the peer allows 3000.
set -euo pipefail

GTS_HOME="${GTS_HOME:-$HOME/.cache/socialflow-peers/gotosocial}"
PORT="${GTS_PORT:-18080}"
VERSION=v0.19.2
TOOLCHAIN=go1.24.13
MODULE=github.com/superseriousbusiness/gotosocial
RUN="$GTS_HOME/run/$PORT"
URL="http://127.0.0.1:$PORT"
OOB=urn:ietf:wg:oauth:2.0:oob

log() { echo "gotosocial peer: $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
for tool in go curl jq; do command -v "$tool" >/dev/null || fail "$tool is not on PATH"; done
case "$PORT" in ''|*[!0-9]*) fail "GTS_PORT must be a port number, not '$PORT'";; esac
mkdir -p "$GTS_HOME/bin"

built() { [ -x "$GTS_HOME/bin/gotosocial" ] && [ "$(cat "$GTS_HOME/bin/version" 2>/dev/null)" = "$VERSION" ] &&
  [ -d "$GTS_HOME/web/template" ]; }

build() {
  local work="$GTS_HOME/build" blog="$GTS_HOME/build.log" began dir
  began=$SECONDS
  log "building GoToSocial $VERSION (first run only, about 8 minutes; log in $blog)"
  rm -rf "$work"; mkdir -p "$work"
  dir=$(cd "$work" && GOWORK=off GOFLAGS=-mod=mod GOTOOLCHAIN=$TOOLCHAIN \
    go mod download -json "$MODULE@$VERSION" 2>"$blog" | jq -r '.Dir // empty') || true
  [ -n "$dir" ] && [ -f "$dir/go.mod" ] || { cat "$blog" >&2; fail "could not download $MODULE@$VERSION"; }
  cp -R "$dir" "$work/src"; chmod -R u+w "$work/src"; rm -rf "$work/src/vendor"
  (cd "$work/src" && GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=$TOOLCHAIN CGO_ENABLED=0 \
    go build -trimpath -tags "netgo osusergo static_build kvformat timetzdata" \
      -ldflags "-s -w -X main.Version=$VERSION" -o "$GTS_HOME/bin/gotosocial.tmp" ./cmd/gotosocial) >>"$blog" 2>&1 ||
    { tail -n 30 "$blog" >&2; fail "go build failed (see $blog)"; }
  rm -rf "$GTS_HOME/web"; mkdir -p "$GTS_HOME/web"
  cp -R "$work/src/web/template" "$work/src/web/assets" "$GTS_HOME/web/"
  mv "$GTS_HOME/bin/gotosocial.tmp" "$GTS_HOME/bin/gotosocial"
  echo "$VERSION" > "$GTS_HOME/bin/version"
  rm -rf "$work"
  log "built in $((SECONDS - began))s"
}
if ! built; then
  exec 8>"$GTS_HOME/build.lock"; flock 8   # two first runs at once build once
  built || build
  exec 8>&-
fi

# is our server already running? (the pid must still run our binary with our config)
ours() { kill -0 "$1" 2>/dev/null && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF "$RUN/config.yaml"; }
if [ -f "$RUN/pid" ] && ours "$(cat "$RUN/pid")" && [ -f "$RUN/env" ]; then
  log "already running (pid $(cat "$RUN/pid")); run stop.sh first for a fresh server"
  cat "$RUN/env"; exit 0
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then fail "another program listens on 127.0.0.1:$PORT"; fi

rm -rf "$RUN"; mkdir -p "$RUN/storage" "$GTS_HOME/wazero"
cat >"$RUN/config.yaml" <<CONF
host: "127.0.0.1:$PORT"
protocol: "http"
bind-address: "127.0.0.1"
port: $PORT
db-type: "sqlite"
db-address: "$RUN/db.sqlite"
storage-backend: "local"
storage-local-base-path: "$RUN/storage"
web-template-base-dir: "$GTS_HOME/web/template/"
web-asset-base-dir: "$GTS_HOME/web/assets/"
letsencrypt-enabled: false
accounts-registration-open: false
instance-federation-mode: "allowlist"
log-level: "info"
advanced-rate-limit-requests: 3000
CONF

# the server and its admin command see no GTS_* variable but the WASM cache
clean_env=(env)
for name in $(compgen -e); do case "$name" in GTS_*) clean_env+=(-u "$name");; esac; done
gts=("${clean_env[@]}" GTS_WAZERO_COMPILATION_CACHE="$GTS_HOME/wazero" "$GTS_HOME/bin/gotosocial" --config-path "$RUN/config.yaml")

began=$SECONDS
nohup "${gts[@]}" server start >"$RUN/server.log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$RUN/pid"
ok=''
on_exit() {
  [ -n "$ok" ] && return
  tail -n 20 "$RUN/server.log" >&2 || true
  if ours "$pid"; then kill "$pid" || true; fi
  rm -f "$RUN/pid"
}
trap on_exit EXIT
until curl -fs --max-time 2 -o /dev/null "$URL/readyz"; do
  kill -0 "$pid" 2>/dev/null || fail "the server exited while starting"
  [ $((SECONDS - began)) -lt 240 ] || fail "the server was not ready after 240s"
  sleep 0.5
done
log "server up in $((SECONDS - began))s (pid $pid, log $RUN/server.log)"

# one OAuth app for both accounts
app=$(curl -fsS "$URL/api/v1/apps" -F client_name=socialflow-ci -F "redirect_uris=$OOB" -F "scopes=read write")
client_id=$(jq -r .client_id <<<"$app"); client_secret=$(jq -r .client_secret <<<"$app")
[ -n "$client_id" ] && [ "$client_id" != null ] || fail "POST /api/v1/apps answered $app"

# account NAME: creates the account, signs in, prints "TOKEN ID"
account() {
  local name=$1 email="$1@example.org" pass jar="$RUN/cookies-$1" where code token me
  pass="Ci-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')-x9"
  "${gts[@]}" admin account create --username "$name" --email "$email" --password "$pass" \
    >"$RUN/admin-$name.log" 2>&1 </dev/null || fail "admin account create $name (see $RUN/admin-$name.log)"
  where=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' -G "$URL/oauth/authorize" \
    --data-urlencode "client_id=$client_id" --data-urlencode "redirect_uri=$OOB" \
    --data-urlencode response_type=code --data-urlencode "scope=read write")
  [[ $where == */auth/sign_in ]] || fail "GET /oauth/authorize sent us to '$where'"
  where=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' "$URL/auth/sign_in" \
    --data-urlencode "username=$email" --data-urlencode "password=$pass")
  [[ $where == */oauth/authorize ]] || fail "sign-in of $name sent us to '$where'"
  where=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' -X POST "$URL/oauth/authorize")
  [[ $where == *code=* ]] || fail "no authorization code for $name in '$where'"
  code=${where#*code=}; code=${code%%&*}
  token=$(curl -fsS "$URL/oauth/token" -F grant_type=authorization_code -F "code=$code" \
    -F "client_id=$client_id" -F "client_secret=$client_secret" -F "redirect_uri=$OOB" | jq -r .access_token)
  me=$(curl -fsS -H "Authorization: Bearer $token" "$URL/api/v1/accounts/verify_credentials")
  [ "$(jq -r .username <<<"$me")" = "$name" ] || fail "the token of $name does not verify: $me"
  echo "$token $(jq -r .id <<<"$me")"
}
read -r token1 id1 < <(account alice)
read -r token2 id2 < <(account bob)
[ -n "$token1" ] && [ -n "$token2" ] || fail "no tokens"

cat >"$RUN/env" <<ENV
GTS_URL=$URL
GTS_TOKEN=$token1
GTS_ACCOUNT=alice
GTS_ACCOUNT_ID=$id1
GTS_TOKEN_2=$token2
GTS_ACCOUNT_2=bob
GTS_ACCOUNT_ID_2=$id2
ENV
ok=1
log "ready in $((SECONDS - began))s"
cat "$RUN/env"
