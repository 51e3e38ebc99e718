#!/bin/sh
# Writes a new migration from the difference between the last committed schema and the working one:
#   npm run db:diff -- add_claim_notes
# (prisma migrate dev needs a shadow database this setup cannot always drop; a diff needs none.)
set -eu
cd "$(dirname "$0")/.."
name="${1:?usage: npm run db:diff -- <migration_name>}"
previous="$(mktemp --suffix=.prisma)"
trap 'rm -f "$previous"' EXIT
git show HEAD:prisma/schema.prisma > "$previous"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
node node_modules/prisma/build/index.js migrate diff --from-schema-datamodel "$previous" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
echo "wrote $dir/migration.sql"
