#!/bin/sh
# Creates the Temporal server's two databases when missing and brings their schemas to the release's
# newest version. Every step is idempotent: safe on every start, and the way to migrate after an upgrade.
# Run by docker-compose.yml (temporalio/admin-tools image) and by `npm run cluster` (the go-installed tool).
set -eu
SQL_TOOL="${SQL_TOOL:-temporal-sql-tool}"
SCHEMA_DIR="${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"

sql() {
  "$SQL_TOOL" --plugin postgres12 --ep "${POSTGRES_SEEDS:-127.0.0.1}" -p "${DB_PORT:-5432}" \
    -u "${POSTGRES_USER:-postgres}" --pw "${POSTGRES_PWD:-}" --db "$1" "$2" ${3:+"$3"} ${4:+"$4"}
}

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db="${pair%%:*}"
  schema="${pair#*:}"
  sql "$db" create-database
  sql "$db" setup-schema -v 0.0
  sql "$db" update-schema -d "$SCHEMA_DIR/$schema/versioned"
  echo "temporal schema: $db ($schema) is up to date"
done
