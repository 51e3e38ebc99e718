import type { RouteDefinition } from '../http/route';
import { accountRoutes } from './account';
import { applicationReviewRoutes } from './application-review';
import { applicationRoutes } from './applications';
import { approvalRoutes } from './approvals';
import { auditRoutes } from './audit';
import { bookingProgressRoutes } from './booking-progress';
import { bookingRoutes } from './bookings';
import { claimRoutes } from './claims';
import { disputeRoutes } from './disputes';
import { authRoutes } from './auth';
import { enterpriseRoutes } from './enterprises';
import { matchRoutes } from './matches';
import { opsRoutes } from './ops';
import { organisationRoutes } from './organisation';
import { processRoutes } from './processes';
import { programmeRoutes } from './programmes';
import { providerCatalogRoutes } from './provider-catalog';
import { providerPaymentRoutes } from './provider-payments';
import { providerRoutes } from './providers';
import { reportRoutes } from './reports';
import { userAdminRoutes } from './user-admin';
import { voucherRoutes } from './vouchers';
import { worklistRoutes } from './worklist';

/** Every route of the API: what is mounted is exactly what the OpenAPI document describes. */
export const allRoutes: RouteDefinition[] = [
  ...opsRoutes,
  ...authRoutes,
  ...accountRoutes,
  ...organisationRoutes,
  ...userAdminRoutes,
  ...enterpriseRoutes,
  ...programmeRoutes,
  ...applicationRoutes,
  ...applicationReviewRoutes,
  ...voucherRoutes,
  ...providerRoutes,
  ...providerCatalogRoutes,
  ...providerPaymentRoutes,
  ...matchRoutes,
  ...bookingRoutes,
  ...bookingProgressRoutes,
  ...disputeRoutes,
  ...claimRoutes,
  ...approvalRoutes,
  ...auditRoutes,
  ...reportRoutes,
  ...processRoutes,
  ...worklistRoutes,
];
