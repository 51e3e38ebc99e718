#!/bin/sh
# `npm run cluster`: install what is missing, then run the production-shaped stack (scripts/cluster.ts),
# which builds the Temporal server with go install the first time.
set -eu
cd "$(dirname "$0")/.."
sh scripts/bootstrap.sh
# exec: signals from the terminal or a supervisor reach the stack, which stops what it started
exec node --import tsx scripts/cluster.ts "$@"
