import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { postgresConfig } from '../config/database';
import { PrismaClient } from './generated/client';

const pools = new WeakMap<object, pg.Pool>();

export function createDb(databaseUrl: string, poolSize = 10) {
  const pool = new pg.Pool(postgresConfig(databaseUrl, { max: poolSize }));
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

export type Db = ReturnType<typeof createDb>;

/**
 * The client's own connection pool, for the few reads that stream large volumes (exports, audit
 * verification): they take rows as arrays page by page, without building an object per row.
 */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('this Prisma client was not made by createDb');
  return pool;
}
