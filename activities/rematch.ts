import type { Demand } from '../domain/demand';
import type { ActivityDeps } from './deps';

export interface NextCandidate {
  providerName: string;
  quotedPriceFen: number;
  completionDate: string;
  score: number;
}

export function createRematchActivities({ matching, matchingSettings, clock }: ActivityDeps) {
  return {
    /**
     * After a decline or a confirmation timeout: the next providers that fit the same demand and
     * voucher, without the one that let the SME down, for the e-mail that offers them.
     */
    async nextCandidates(input: {
      bookingId: string;
      voucherId: string;
      demand: Demand;
      excludeProviderId: string;
    }): Promise<NextCandidate[]> {
      const voucher = await matching.voucherTerms(input.voucherId);
      if (!voucher || voucher.status !== 'ACTIVE') return [];
      const result = await matching.match({
        demand: input.demand,
        voucher,
        weights: matchingSettings.weights,
        leadDays: matchingSettings.leadDays,
        now: clock.now(),
        limit: 4,
        nearMissLimit: 0,
      });
      return result.candidates
        .filter((c) => c.providerId !== input.excludeProviderId)
        .slice(0, 3)
        .map((c) => ({
          providerName: c.providerName,
          quotedPriceFen: c.quotedPriceFen,
          completionDate: c.completionDate,
          score: c.score,
        }));
    },
  };
}
