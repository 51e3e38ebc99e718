/**
 * Generates the Prisma client (db/generated) from prisma/schema.prisma, downloading nothing.
 *
 * The client is Prisma 7's (`@prisma/client` 7 and its generator, the `prisma-client-generator`
 * package): it keeps the plan of each query shape it has compiled, where Prisma 6's client compiled
 * every query again, about 1.5 ms of CPU each. Migrations stay with the Prisma 6 CLI (the `prisma`
 * package), whose WebAssembly schema engine needs no download; Prisma 7's CLI needs a native one for
 * `migrate`. Two things differ between the two:
 * - Prisma 6 reads the connection from the schema's `url`; Prisma 7 refuses a `url` there. The
 *   generator gets a copy of the schema without it, beside the original so that the output path is
 *   the same.
 * - Prisma 7's CLI looks for its native schema engine when it starts, though `generate` never runs
 *   it; it is pointed at a file that is there (Node.js itself) so that it downloads nothing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const schema = readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');
const URL_LINE = /^\s*url\s*=\s*env\("DATABASE_URL"\)\s*\n/m;
if (!URL_LINE.test(schema))
  throw new Error('prisma/schema.prisma: the datasource has no url = env("DATABASE_URL") line');

const copy = path.join(root, 'prisma', '.client-schema.prisma');
writeFileSync(copy, schema.replace(URL_LINE, ''));
try {
  const cli = createRequire(import.meta.url).resolve('prisma-client-generator/build/index.js');
  const result = spawnSync(process.execPath, [cli, 'generate', '--schema', copy], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (result.status !== 0) throw new Error(`prisma generate failed (exit ${result.status})`);
} finally {
  rmSync(copy, { force: true });
}
