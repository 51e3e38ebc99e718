import { MigrationAdapter } from './db/migration-adapter';
import { defineConfig } from 'prisma/config';
import { DEFAULT_DATABASE_URL, postgresConfig } from './config/database';

// The schema's datasource reads DATABASE_URL; without it the CLI cannot even read the generator
// block and falls back to downloading a query engine.
process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;

// The CLI runs on the WebAssembly schema engine through the pg driver adapter, so that
// `prisma migrate deploy` needs no engine download.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () =>
    new MigrationAdapter(
      postgresConfig(process.env.DATABASE_URL, { allowExitOnIdle: true, idleTimeoutMillis: 200 }),
    ),
});
