#!/bin/sh
# `npm test`: install what is missing, make sure a Temporal CLI is at hand, then run every test tier.
set -eu
cd "$(dirname "$0")/.."
sh scripts/bootstrap.sh
node --import tsx scripts/ensure-temporal-cli.ts
exec node_modules/.bin/vitest run "$@"
