#!/usr/bin/env bash
# The project's test command: every package, with the race detector.
# Extra arguments are passed to go test (e.g. ./test.sh -run TestX ./workflow).
set -euo pipefail
cd "$(dirname "$0")"
if [ $# -eq 0 ]; then set -- ./...; fi
exec go test -race -count=1 -timeout 30m "$@"
