import type { Db } from '../client';
import { createAccountRepository } from './accounts';
import { createApplicationRepository } from './applications';
import { createApprovalRepository } from './approvals';
import { createAuditRepository } from './audit';
import { createBookingRepository } from './bookings';
import { createClaimRepository } from './claims';
import { createDisputeRepository } from './disputes';
import { createEnterpriseRepository } from './enterprises';
import { createIdempotencyRepository } from './idempotency';
import { createLedgerRepository } from './ledger';
import { createMatchingRepository } from './matching';
import { createProgrammeRepository } from './programmes';
import { createProviderRepository } from './providers';
import { createReportRepository } from './reports';
import { createStuckStepRepository } from './stuck-steps';
import { createUserRepository } from './users';
import { createVoucherRepository } from './vouchers';

/** Every repository over one Prisma client: the only code that touches the database. */
export function createRepositories(
  db: Db,
  options: { idempotencyAbandonedAfterMs?: number; idempotencyRetentionMs?: number } = {},
) {
  return {
    accounts: createAccountRepository(db),
    applications: createApplicationRepository(db),
    approvals: createApprovalRepository(db),
    audit: createAuditRepository(db),
    bookings: createBookingRepository(db),
    claims: createClaimRepository(db),
    disputes: createDisputeRepository(db),
    enterprises: createEnterpriseRepository(db),
    idempotency: createIdempotencyRepository(
      db,
      options.idempotencyAbandonedAfterMs,
      options.idempotencyRetentionMs,
    ),
    ledger: createLedgerRepository(db),
    matching: createMatchingRepository(db),
    programmes: createProgrammeRepository(db),
    providers: createProviderRepository(db),
    reports: createReportRepository(db),
    stuckSteps: createStuckStepRepository(db),
    users: createUserRepository(db),
    vouchers: createVoucherRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
