import { PrismaPg } from '@prisma/adapter-pg';
import { postgresConfig } from '../config/database';
import { PrismaClient } from './generated/client';

export function createDb(databaseUrl: string, poolSize = 10) {
  return new PrismaClient({ adapter: new PrismaPg(postgresConfig(databaseUrl, { max: poolSize })) });
}

export type Db = ReturnType<typeof createDb>;
