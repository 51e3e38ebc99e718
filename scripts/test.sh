#!/bin/sh
# `npm test`: install what is missing, make sure a Temporal CLI and chromium are at hand, then run
# every test tier (unit, integration, end-to-end, browser, cluster).
set -eu
cd "$(dirname "$0")/.."
sh scripts/bootstrap.sh
sh scripts/ensure-chromium.sh
node --import tsx scripts/ensure-temporal-cli.ts
# the cluster tier runs the production Temporal server (built once with go install into .tools)
node --import tsx scripts/ensure-temporal-server.ts
exec node_modules/.bin/vitest run "$@"
