import type { EnterpriseFacts, EnterpriseRegistration } from '../../domain/enterprise';
import { fenFromBigInt } from '../../domain/money';
import type { Db } from '../client';
import { Prisma } from '../generated/client';
import type { Enterprise as EnterpriseRow } from '../generated/client';
import { lockRowIfAny } from '../lock';
import { inTransaction, type Tx } from '../tx';
import { appendAudit, type AuditEntryOf } from './audit';

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
  const found = await lockRowIfAny<EnterpriseRow>(tx, 'enterprises', id);
  return found ? toEnterprise(found.row) : null;
}

/** The registered enterprise, or why nothing was written. */
export type EnterpriseRegistrationResult =
  { registered: EnterpriseRecord } | { refused: 'CREDIT_CODE_TAKEN' };

export function createEnterpriseRepository(db: Db) {
  return {
    /** Writes the enterprise, makes the user its staff and appends the audit entry, in one transaction. */
    async register(
      registration: { id: string; userId: string; enterprise: EnterpriseRegistration },
      audit: AuditEntryOf<EnterpriseRecord>,
    ): Promise<EnterpriseRegistrationResult> {
      try {
        const registered = await inTransaction(db, async (tx) => {
          const created = await insertEnterprise(tx, registration.id, registration.enterprise);
          await tx.user.update({ where: { id: registration.userId }, data: { enterpriseId: created.id } });
          await appendAudit(tx, audit(created));
          return created;
        });
        return { registered };
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          return { refused: 'CREDIT_CODE_TAKEN' };
        }
        throw error;
      }
    },
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
