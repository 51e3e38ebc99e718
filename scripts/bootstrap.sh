#!/bin/sh
# Makes a fresh clone runnable: installs the locked dependencies and generates the Prisma client.
# Nothing here downloads outside the npm registry; it is quick when there is nothing to do.
set -eu
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` installs exactly the locked versions. Not `npm ci`: registry mirrors that lack some
  # other platforms' optional binaries (e.g. @swc/core for macOS) leave those out of the lockfile, and
  # `npm ci` refuses such a lockfile although nothing this platform needs is missing.
  echo "› installing dependencies (npm install from package-lock.json)"
  npm install --no-audit --no-fund --loglevel=error
fi

if [ ! -f db/generated/client.ts ] || [ prisma/schema.prisma -nt db/generated/client.ts ]; then
  echo "› generating the Prisma client"
  node_modules/.bin/prisma generate >/dev/null
fi
