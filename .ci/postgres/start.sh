#!/usr/bin/env bash
# Prints SOCIALFLOW_POSTGRES_URL=<url> for a PostgreSQL the tests can use.
#
# When a server already answers on 127.0.0.1:${PGPORT:-5432} (the machines
# this project is developed on run one, trust auth), it prints its URL.
# Otherwise, or with --throwaway, it starts a throwaway server: Debian's
# postgresql package (installed when missing), a cluster made by initdb in
# a temp dir as the postgres user (initdb refuses root), listening on
# 127.0.0.1 only, fsync off (test data only). .ci/postgres/stop.sh stops it.
set -euo pipefail
port="${PGPORT:-5432}"
throwaway=false
if [ "${1:-}" = "--throwaway" ]; then throwaway=true; port="${THROWAWAY_PGPORT:-55432}"; fi

if ! $throwaway && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p "$port"; then
  echo "SOCIALFLOW_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/test"
  exit 0
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ]; then
  echo "installing postgresql" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

dir="${SOCIALFLOW_PG_DIR:-$(mktemp -d /tmp/socialflow-pg.XXXXXX)}"
mkdir -p "$dir"
chown postgres:postgres "$dir"
echo "$dir" >"${TMPDIR:-/tmp}/socialflow-pg.dir"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_pg "'$bindir/initdb' -D '$dir/data' -U postgres -A trust --no-sync" >&2
fi
as_pg "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/log' -w -t 60 start \
  -o \"-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\"" >&2
"$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 ||
  "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres test
echo "SOCIALFLOW_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/test"
