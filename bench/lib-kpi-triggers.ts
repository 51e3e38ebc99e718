import type pg from 'pg';

type Queryable = pg.Pool | pg.PoolClient;

async function turnKpiTriggers(client: Queryable, to: 'ENABLE' | 'DISABLE'): Promise<void> {
  const { rows } = await client.query<{ table: string; name: string }>(
    `SELECT c.relname AS table, t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE t.tgname LIKE 'kpi\\_%' AND NOT t.tgisinternal`,
  );
  for (const { table, name } of rows) await client.query(`ALTER TABLE "${table}" ${to} TRIGGER "${name}"`);
}

/**
 * Turns the KPI figures' triggers (migration kpi_figures) off for a bulk load: with them on, every
 * copied or inserted row would add its share to the figures one row at a time, many times slower.
 * The answer turns them on again and counts the figures once from the rows with kpi_rebuild(),
 * answering the seconds that took; after a failed load, call it with `rebuild: false`.
 */
export async function kpiTriggersOff(
  client: Queryable,
): Promise<(options?: { rebuild: boolean }) => Promise<number>> {
  await turnKpiTriggers(client, 'DISABLE');
  return async ({ rebuild } = { rebuild: true }) => {
    await turnKpiTriggers(client, 'ENABLE');
    if (!rebuild) return 0;
    const started = performance.now();
    await client.query('SELECT kpi_rebuild()');
    return Math.round((performance.now() - started) / 10) / 100;
  };
}
