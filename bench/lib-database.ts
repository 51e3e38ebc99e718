import { withDatabase } from '../config/database';
import { dropDatabase, ensureDatabase, migrateDeploy } from '../scripts/lib/database';

/**
 * A database of the run's own, created on the server of BENCH_DATABASE_URL (else DATABASE_URL, else
 * the local one) and migrated; the caller drops it with `dropDatabase` when the run ends.
 */
export async function benchDatabase(name: string): Promise<string> {
  const base =
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres';
  const databaseUrl = withDatabase(base, `vouchers_bench_${name}_${process.pid}_${Date.now()}`);
  await ensureDatabase(databaseUrl);
  try {
    await migrateDeploy(databaseUrl);
  } catch (error) {
    await dropDatabase(databaseUrl);
    throw error;
  }
  return databaseUrl;
}
