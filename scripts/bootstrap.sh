#!/bin/sh
# Makes a fresh clone runnable: installs the locked dependencies and generates the Prisma client.
# Nothing here downloads outside the npm registry; it is quick when there is nothing to do.
set -eu
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm ci` installs exactly package-lock.json and never rewrites it, so a fresh clone stays clean.
  # The lockfile is complete: it lists every platform's optional binaries (made by `npm install`).
  echo "› installing dependencies (npm ci from package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# again when the schema or the installed generator changed
if [ ! -f db/generated/client.ts ] || [ prisma/schema.prisma -nt db/generated/client.ts ] ||
  [ node_modules/.package-lock.json -nt db/generated/client.ts ]; then
  echo "› generating the Prisma client"
  node --import tsx scripts/generate-client.ts >/dev/null
fi
