#!/usr/bin/env bash
# Stops the throwaway PostgreSQL that .ci/postgres/start.sh started, if any,
# and removes its directory.
set -euo pipefail
mark="${TMPDIR:-/tmp}/socialflow-pg.dir"
[ -f "$mark" ] || exit 0
dir=$(cat "$mark")
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ -f "$dir/data/postmaster.pid" ]; then
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "'$bindir/pg_ctl' -D '$dir/data' -m fast -w stop" || true
  else
    "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop || true
  fi
fi
rm -rf "$dir" "$mark"
