/**
 * `npm run bench -- queries [--n 3000]`
 *
 * What one database read costs the process that makes it: the same read of a user by its key through
 * the Prisma client (`findUnique`, with and without a `select`, and `$queryRaw`), through `pg` alone,
 * and two reads in one Prisma interactive transaction. Sequential, one at a time, after a warm-up, in
 * a database created for the run and dropped after it. Prints JSON: CPU and wall microseconds per
 * operation (process CPU, user + system, so the driver's and the kernel's share of a round trip count).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { postgresConfig } from '../config/database';
import { createDb } from '../db/client';
import { dropDatabase } from '../scripts/lib/database';
import { benchDatabase } from './lib-database';
import { machine } from './machine';

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: { n: { type: 'string', default: '3000' } },
});
const n = Number(args.n);
const say = (line: string) => console.error(`[bench] ${line}`);

async function perOperation(name: string, operation: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(300, n); i += 1) await operation();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i += 1) await operation();
  const used = process.cpuUsage(cpu);
  const wallUs = (performance.now() - start) * 1000;
  const result = {
    operation: name,
    cpuUsPerOperation: Math.round((used.user + used.system) / n),
    wallUsPerOperation: Math.round(wallUs / n),
  };
  say(`${name}: ${result.cpuUsPerOperation} µs CPU, ${result.wallUsPerOperation} µs wall`);
  return result;
}

async function main() {
  const databaseUrl = await benchDatabase('queries');
  const db = createDb(databaseUrl, 4);
  const pool = new pg.Pool(postgresConfig(databaseUrl, { max: 4 }));
  try {
    const id = randomUUID();
    await db.user.create({
      data: { id, email: `${id}@bench.vouchers.test`, passwordHash: '-', role: 'SME', displayName: 'bench' },
    });
    const columns = 'id, email, role, display_name, locale, enterprise_id, provider_id, created_at';
    const results = [
      await perOperation('prisma findUnique', () => db.user.findUnique({ where: { id } })),
      await perOperation('prisma findUnique with select', () =>
        db.user.findUnique({
          where: { id },
          select: { id: true, email: true, role: true, displayName: true, locale: true, enterpriseId: true },
        }),
      ),
      await perOperation(
        'prisma $queryRaw',
        () =>
          db.$queryRaw`SELECT id, email, role, display_name, locale, enterprise_id, provider_id, created_at
                         FROM users WHERE id = ${id}::uuid`,
      ),
      await perOperation('prisma $queryRaw SELECT 1', () => db.$queryRaw`SELECT 1`),
      await perOperation('pg query', () => pool.query(`SELECT ${columns} FROM users WHERE id = $1`, [id])),
      await perOperation('prisma transaction of two findUnique', () =>
        db.$transaction(async (tx) => {
          await tx.user.findUnique({ where: { id } });
          await tx.user.findUnique({ where: { id } });
        }),
      ),
    ];
    console.log(
      JSON.stringify(
        {
          benchmark: 'queries',
          machine: machine(),
          settings: { operationsEach: n },
          method:
            'One user row read by its primary key, sequentially, after a warm-up of 300; CPU is this process’s user + system time over the measured operations, divided by their number. PostgreSQL is the local server.',
          results,
        },
        null,
        2,
      ),
    );
  } finally {
    await db.$disconnect();
    await pool.end();
    await dropDatabase(databaseUrl);
  }
}

await main();
