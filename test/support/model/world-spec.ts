import fc from 'fast-check';
import type { ProgrammePolicy, ProgrammeSpec } from './state';
import type { WorldSpec } from './world';

const weighted = <T>(often: T, rarely: T) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(often) }, { weight: 1, arbitrary: fc.constant(rarely) });

/**
 * A programme's policy with durations of seconds, so that every deadline can fall due within a
 * sequence: a few seconds to confirm, accept, bring samples; turnaround days of a second or two;
 * claims decided by a person or automatically; payouts every 20 s or on demand.
 */
const policy = (voucherValidity: fc.Arbitrary<string>): fc.Arbitrary<ProgrammePolicy> =>
  fc.record({
    voucherValidity,
    providerConfirmWithin: fc.constantFrom('10s', '20s', '1h'),
    acceptanceWithin: fc.constantFrom('10s', '20s', '1h'),
    reportGrace: fc.constantFrom('3s', '10s'),
    dayLength: fc.constantFrom('1s', '2s'),
    reviewReminderAfter: fc.constant('5s'),
    reviewEscalateAfter: fc.constant('10s'),
    expiryWarnings: fc.constant(['60s', '20s']),
    autoApproveClaimsBelowFen: fc.constantFrom(10_000, 200_000),
    payoutSchedule: fc.constantFrom('20s', '1h'),
    oneOpenPerEnterprise: weighted(true, false),
    subsidyRatioBps: fc.constantFrom(5_000, 7_000),
    samplesWithin: fc.constantFrom('15s', '30s'),
  });

const programme = (voucherValidity: fc.Arbitrary<string>): fc.Arbitrary<ProgrammeSpec> =>
  fc.record({ budgetFen: fc.constantFrom(2_000_000, 20_000_000), policy: policy(voucherValidity) });

/**
 * Two programmes — vouchers of one valid a minute or two, so that they end in the middle of
 * bookings, of the other a month, so that bookings are made whatever the service's notion of
 * days — three enterprises and two listed labs; the steps add applications, labs and bookings.
 */
export const worldSpec: fc.Arbitrary<WorldSpec> = fc.record({
  programmes: fc.tuple(programme(fc.constantFrom('90s', '2m')), programme(fc.constant('30d'))),
  smes: fc.constant(3),
  labs: fc.array(
    fc.record({
      unitPriceFen: fc.constantFrom(20_000, 45_000, 120_000),
      turnaroundDays: fc.constantFrom(1, 2),
    }),
    { minLength: 2, maxLength: 2 },
  ),
});
