#!/usr/bin/env bash
# .ci/peers/gotosocial/stop.sh: stops the server start.sh started, by the pid
# it recorded, and only while that pid still runs our binary with our config.
set -euo pipefail
GTS_HOME="${GTS_HOME:-$HOME/.cache/socialflow-peers/gotosocial}"
RUN="$GTS_HOME/run/${GTS_PORT:-18080}"
[ -f "$RUN/pid" ] || { echo "gotosocial peer: not running"; exit 0; }
pid=$(cat "$RUN/pid")
rm -f "$RUN/pid"
if ! kill -0 "$pid" 2>/dev/null; then echo "gotosocial peer: pid $pid already gone"; exit 0; fi
if ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$RUN/config.yaml"; then
  echo "gotosocial peer: pid $pid is not our server any more; left alone" >&2; exit 1
fi
kill -TERM "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || { echo "gotosocial peer: stopped $pid"; exit 0; }; sleep 0.2; done
kill -KILL "$pid"
echo "gotosocial peer: $pid did not stop in 20s; killed" >&2
