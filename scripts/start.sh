#!/bin/sh
# `npm start`: install what is missing, then run the whole service (see scripts/stack.ts), which
# builds the portal when it is missing or out of date.
set -eu
cd "$(dirname "$0")/.."
sh scripts/bootstrap.sh
sh scripts/ensure-chromium.sh --optional
# exec: signals from the terminal or a supervisor reach the stack, which stops what it started
exec node --import tsx scripts/stack.ts
