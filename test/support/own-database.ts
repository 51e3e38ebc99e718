import { inject } from 'vitest';
import { withDatabase } from '../../config/database';
import { dropDatabase, ensureDatabase, migrateDeploy } from '../../scripts/lib/database';

/**
 * A migrated database for one test file alone, for what must not share the run's database:
 * tampering with the audit log, or rate-limit counters that every API instance shares.
 */
export async function ownDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = withDatabase(inject('services').databaseUrl, `vouchers_${name}_${process.pid}_${Date.now()}`);
  await ensureDatabase(url);
  await migrateDeploy(url);
  return { url, drop: () => dropDatabase(url) };
}
