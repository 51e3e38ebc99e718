#!/bin/sh
# Checks docker-compose.yml without a Docker engine: dclint always, docker-compose v1 where installed.
set -eu
cd "$(dirname "$0")/.."
node_modules/.bin/dclint docker-compose.yml
if command -v docker-compose >/dev/null 2>&1; then
  JWT_SECRET=compose-lint docker-compose config -q
  echo "docker-compose config: valid"
else
  echo "docker-compose not installed: schema check skipped (dclint passed)"
fi
