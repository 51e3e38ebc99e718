#!/bin/sh
# `npm test`: install what is missing, make sure a Temporal CLI and chromium are at hand, then run
# every test tier (unit, integration, end-to-end, browser).
set -eu
cd "$(dirname "$0")/.."
sh scripts/bootstrap.sh
sh scripts/ensure-chromium.sh
node --import tsx scripts/ensure-temporal-cli.ts
exec node_modules/.bin/vitest run "$@"
