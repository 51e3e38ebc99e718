import type { components } from './schema';

/** The API's own shapes, named as the OpenAPI document names them. */
type Schemas = components['schemas'];
export type User = Schemas['User'];
export type Session = Schemas['Session'];
export type Problem = Schemas['Problem'];
export type Programme = Schemas['Programme'];
export type Policy = Programme['policy'];
export type Application = Schemas['Application'];
export type Voucher = Schemas['Voucher'];
export type Booking = Schemas['Booking'];
export type BookingProgress = Schemas['BookingProgress'];
export type MatchResult = Schemas['MatchResult'];
export type MatchCandidate = Schemas['MatchCandidate'];
export type NearMiss = Schemas['NearMiss'];
export type Demand = Schemas['Demand'];
export type TimelineEntry = Schemas['TimelineEntry'];
export type Awaiting = Schemas['Awaiting'];
export type WorkItem = Schemas['WorkItem'];
export type Enterprise = Schemas['Enterprise'];
export type Role = User['role'];
// the auditors' desk
export type Kpis = Schemas['Kpis'];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditVerification = Schemas['AuditVerification'];
export type AuditVerificationRun = Schemas['AuditVerificationRun'];
