#!/usr/bin/env bash
# .ci/peers/bluesky-pds/stop.sh: stops the server start.sh started, by the pid it recorded.
set -euo pipefail
PDS_HOME="${PDS_HOME:-$HOME/.cache/socialflow-peers/bluesky-pds}"
pidfile="$PDS_HOME/run/pid"
[ -f "$pidfile" ] || { echo "bluesky-pds peer: not running"; exit 0; }
pid=$(cat "$pidfile")
rm -f "$pidfile"
kill -0 "$pid" 2>/dev/null || { echo "bluesky-pds peer: pid $pid already gone"; exit 0; }
tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "bluesky-pds/server.js" ||
  { echo "bluesky-pds peer: pid $pid is not our server any more; left alone" >&2; exit 1; }
kill -TERM "$pid"
for _ in $(seq 75); do kill -0 "$pid" 2>/dev/null || { echo "bluesky-pds peer: stopped $pid"; exit 0; }; sleep 0.2; done
kill -KILL "$pid"
echo "bluesky-pds peer: $pid did not stop in 15s; killed" >&2
