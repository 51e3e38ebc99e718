import { PrismaPg } from '@prisma/adapter-pg';

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

/**
 * The pg driver adapter runs a migration script by splitting it on every ";", which breaks
 * PL/pgSQL function bodies and leaves a half-applied migration behind when one statement fails.
 * PostgreSQL runs a multi-statement script sent as one simple query inside one implicit
 * transaction: all of a migration or none of it.
 */
export class MigrationAdapter extends PrismaPg {
  override async connect(): Promise<PgAdapter> {
    return runScriptsWhole(await super.connect());
  }

  override async connectToShadowDb(): Promise<PgAdapter> {
    return runScriptsWhole(await super.connectToShadowDb());
  }
}

function runScriptsWhole(adapter: PgAdapter): PgAdapter {
  const pool = adapter.underlyingDriver();
  adapter.executeScript = async (script: string) => {
    await pool.query(script);
  };
  return adapter;
}
