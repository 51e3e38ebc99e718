import type { Db } from '../db/client';
import type { MatchingRepository } from '../db/repositories/matching';
import type { MatchingWeights } from '../domain/matching';
import type { Logger } from '../infra/logger';
import type { PayoutSchedules } from '../infra/payout-schedules';
import type { Mailer } from '../notifications/mailer';
import type { PaymentGateway } from './payment-gateway';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What activities need from the outside world; tests pass real or fake ones. */
export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  /** base URL for links in e-mails */
  publicUrl: string;
  opsEmail: string;
  escalationEmails: string[];
  paymentGateway: PaymentGateway;
  payoutSchedules: PayoutSchedules;
  /** when a programme's policy names no payout schedule */
  defaultPayoutSchedule: string;
  /** the catalog, for offering the next providers when a booking falls through */
  matching: MatchingRepository;
  matchingSettings: { weights: MatchingWeights; leadDays: number };
}
