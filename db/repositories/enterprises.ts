import type { EnterpriseFacts, EnterpriseRegistration } from '../../domain/enterprise';
import { fenFromBigInt } from '../../domain/money';
import type { Db } from '../client';
import type { Enterprise as EnterpriseRow } from '../generated/client';
import type { Tx } from '../tx';

export interface EnterpriseRecord extends EnterpriseFacts {
  createdAt: Date;
}

export function toEnterprise(row: EnterpriseRow): EnterpriseRecord {
  return {
    id: row.id,
    creditCode: row.creditCode,
    name: row.name,
    regionCode: row.regionCode,
    industryCode: row.industryCode,
    employees: row.employees,
    annualRevenueFen: fenFromBigInt(row.annualRevenueFen),
    legalRepresentative: row.legalRepresentative,
    contactPhone: row.contactPhone,
    address: row.address,
    tags: row.tags,
    createdAt: row.createdAt,
  };
}

export async function insertEnterprise(
  tx: Tx,
  id: string,
  registration: EnterpriseRegistration,
): Promise<EnterpriseRecord> {
  const row = await tx.enterprise.create({
    data: { id, ...registration, annualRevenueFen: BigInt(registration.annualRevenueFen) },
  });
  return toEnterprise(row);
}

/** Locks the enterprise row: submissions and approvals of one enterprise then queue one behind another. */
export async function lockEnterprise(tx: Tx, id: string): Promise<EnterpriseRecord | null> {
  await tx.$executeRaw`SELECT 1 FROM enterprises WHERE id = ${id}::uuid FOR UPDATE`;
  const row = await tx.enterprise.findUnique({ where: { id } });
  return row ? toEnterprise(row) : null;
}

export function createEnterpriseRepository(db: Db) {
  return {
    async findById(id: string): Promise<EnterpriseRecord | null> {
      const row = await db.enterprise.findUnique({ where: { id } });
      return row ? toEnterprise(row) : null;
    },
    async findByCreditCode(creditCode: string): Promise<EnterpriseRecord | null> {
      const row = await db.enterprise.findUnique({ where: { creditCode } });
      return row ? toEnterprise(row) : null;
    },
  };
}

export type EnterpriseRepository = ReturnType<typeof createEnterpriseRepository>;
