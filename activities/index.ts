import { createApprovalActivities } from './application-approval';
import { createAuditVerificationActivities } from './audit-verification';
import { createApplicationActivities } from './applications';
import { createBookingResultActivities } from './booking-results';
import { createBookingActivities } from './bookings';
import type { ActivityDeps } from './deps';
import { createNotificationActivities } from './notifications';
import { createPayoutActivities } from './payouts';
import { createProgrammeActivities } from './programmes';
import { createProviderActivities } from './providers';
import { createRematchActivities } from './rematch';
import { createSelfTestActivities } from './self-test';
import { createSettlementActivities } from './settlement';
import { createVoucherActivities } from './vouchers';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createNotificationActivities(deps),
    ...createSelfTestActivities(deps),
    ...createProviderActivities(deps),
    ...createApplicationActivities(deps),
    ...createApprovalActivities(deps),
    ...createVoucherActivities(deps),
    ...createProgrammeActivities(deps),
    ...createBookingActivities(deps),
    ...createBookingResultActivities(deps),
    ...createRematchActivities(deps),
    ...createSettlementActivities(deps),
    ...createPayoutActivities(deps),
    ...createAuditVerificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
