import type { IsoDate } from '../../domain/calendar';
import type { Demand } from '../../domain/demand';
import {
  matchPrepared,
  prepareMatching,
  rankPrepared,
  type Candidate,
  type MatchingProvider,
  type MatchingRules,
  type MatchingWeights,
  type NearMiss,
  type PreparedMatching,
  type ProviderMatch,
} from '../../domain/matching';
import { fenFromBigInt } from '../../domain/money';
import { DEFAULT_POLICY, PolicySchema, type Policy } from '../../domain/policy';
import { capacityDate, dayStart, matchingTime, type MatchingTime } from '../../domain/programme-time';
import type { Db } from '../client';
import { createCatalogIndex, type CatalogIndexOptions } from './catalog-index';
import { createUsageMirror, type UsageMirrorOptions } from './usage-mirror';

export interface ProgrammeTerms {
  id: string;
  regionCode: string;
  status: 'ACTIVE' | 'CLOSED';
  policy: Policy;
}

export interface VoucherTerms {
  id: string;
  enterpriseId: string;
  enterpriseRegionCode: string;
  status: string;
  balanceFen: number;
  validUntil: Date;
  programme: ProgrammeTerms;
}

/** Where the catalog and the booked days come from; the index in production, others in benchmarks. */
export interface CatalogSource {
  providersFor(standards: readonly string[]): Promise<MatchingProvider[]>;
  fullDays(query: {
    serviceIds: readonly string[];
    units: number;
    from: IsoDate;
    to: IsoDate;
  }): Promise<ReadonlyMap<string, ReadonlySet<IsoDate>>>;
}

/** Where one chosen provider and the booked days come from. */
export interface ProviderSource {
  /** a listed provider with only its active services covering some of the standards; null when none */
  providerFor(providerId: string, standards: readonly string[]): Promise<MatchingProvider | null>;
  fullDays: CatalogSource['fullDays'];
}

export interface MatchRequest {
  demand: Demand;
  programme?: ProgrammeTerms;
  voucher?: VoucherTerms;
  weights: MatchingWeights;
  /** programme days between now and the first a provider could start */
  leadDays: number;
  now: Date;
  limit: number;
  nearMissLimit: number;
}

export type ProviderMatchRequest = Omit<MatchRequest, 'limit' | 'nearMissLimit'> & { providerId: string };

export interface MatchResult {
  today: IsoDate;
  earliestStart: IsoDate;
  deadline: IsoDate;
  /** how long the programme's days last, in which lead time, turnaround and validity are counted */
  dayLength: string;
  /** when the last day work may complete on ends */
  deadlineAt: string;
  programmeId: string | null;
  voucherId: string | null;
  weights: MatchingWeights;
  totalCandidates: number;
  totalNearMisses: number;
  candidates: Candidate[];
  nearMisses: NearMiss[];
}

/**
 * The rules of a query. Time is counted in the programme's days (domain/programme-time.ts): the
 * lead time after the current day, the demand's latest date, and the voucher's end of validity,
 * which caps the deadline because work after it could not be claimed.
 */
function rulesOf(
  request: Omit<MatchRequest, 'limit' | 'nearMissLimit'>,
): MatchingRules & { time: MatchingTime } {
  const { demand, voucher } = request;
  const programme = voucher?.programme ?? request.programme;
  const time = matchingTime({
    now: request.now,
    dayLength: (programme?.policy ?? DEFAULT_POLICY).dayLength,
    leadDays: request.leadDays,
    latestCompletionDate: demand.latestCompletionDate,
    voucherValidUntil: voucher?.validUntil,
  });
  return {
    today: time.clock.today,
    earliestStart: capacityDate(time.clock, time.firstDay),
    deadline: capacityDate(time.clock, time.lastDay),
    time,
    programme: programme ? { regionCode: programme.regionCode, policy: programme.policy } : undefined,
    voucherBalanceFen: voucher?.balanceFen,
    proximityFrom: demand.regionPreference ?? voucher?.enterpriseRegionCode,
    weights: request.weights,
  };
}

const bookedDays = (source: Pick<CatalogSource, 'fullDays'>, prepared: PreparedMatching) =>
  source.fullDays({
    serviceIds: prepared.serviceIds,
    units: prepared.demand.sampleCount,
    ...prepared.capacityDates,
  });

/**
 * One matching query: the catalog slice of the demand's standards, the booked days of the services
 * that pass every other filter, then the ranking (domain/matching.ts) under the voucher's programme.
 */
export async function match(source: CatalogSource, request: MatchRequest): Promise<MatchResult> {
  const { demand, voucher } = request;
  const programme = voucher?.programme ?? request.programme;
  const rules = rulesOf(request);
  const { time } = rules;
  const providers = await source.providersFor(demand.standards);
  const prepared = prepareMatching(demand, providers, rules);
  const outcome = rankPrepared(prepared, await bookedDays(source, prepared), {
    candidates: request.limit,
    nearMisses: request.nearMissLimit,
  });
  return {
    today: rules.today,
    earliestStart: rules.earliestStart,
    deadline: rules.deadline,
    dayLength: (programme?.policy ?? DEFAULT_POLICY).dayLength,
    deadlineAt: new Date(dayStart(time.clock, time.lastDay + 1)).toISOString(),
    programmeId: programme?.id ?? null,
    voucherId: voucher?.id ?? null,
    weights: request.weights,
    totalCandidates: outcome.totalCandidates,
    totalNearMisses: outcome.totalNearMisses,
    candidates: outcome.candidates,
    nearMisses: outcome.nearMisses,
  };
}

/**
 * One chosen provider under the same rules as `match`: the services and dates the ranking would
 * give it, or the reasons it would be left out, reading only that provider and its booked days.
 */
export async function matchProvider(
  source: ProviderSource,
  request: ProviderMatchRequest,
): Promise<ProviderMatch> {
  const provider = await source.providerFor(request.providerId, request.demand.standards);
  if (!provider) return { offersNone: true };
  const prepared = prepareMatching(request.demand, [provider], rulesOf(request));
  return matchPrepared(prepared, await bookedDays(source, prepared));
}

export function createMatchingRepository(db: Db, options: CatalogIndexOptions & UsageMirrorOptions = {}) {
  const index = createCatalogIndex(db, options);
  const usage = createUsageMirror(db, options);
  const source: CatalogSource = {
    // both caches check for changes at once, one round trip each in parallel
    providersFor: async (standards) =>
      (await Promise.all([index.providersFor(standards), usage.refresh()]))[0],
    fullDays: (query) => usage.fullDays(query, true),
  };
  const one: ProviderSource = {
    providerFor: async (providerId, standards) =>
      (await Promise.all([index.providerFor(providerId, standards), usage.refresh()]))[0],
    fullDays: (query) => usage.fullDays(query, true),
  };
  return {
    source,
    /** Loads the catalog and the capacity taken now rather than on the first query. */
    warm: async () => ({ ...(await index.warm()), ...(await usage.warm()) }),
    match: (request: MatchRequest) => match(source, request),
    matchProvider: (request: ProviderMatchRequest) => matchProvider(one, request),

    /** A voucher with what matching needs of it: owner, balance, validity, programme rules. */
    async voucherTerms(voucherId: string): Promise<VoucherTerms | null> {
      const [row] = await db.$queryRaw<
        {
          id: string;
          enterprise_id: string;
          enterprise_region: string;
          status: string;
          balance_fen: bigint;
          valid_until: Date;
          programme_id: string;
          programme_region: string;
          programme_status: 'ACTIVE' | 'CLOSED';
          policy: unknown;
        }[]
      >`
        SELECT v.id::text, v.enterprise_id::text, e.region_code AS enterprise_region, v.status::text,
               v.balance_fen, v.valid_until, p.id::text AS programme_id, p.region_code AS programme_region,
               p.status::text AS programme_status, p.policy
        FROM vouchers v JOIN programmes p ON p.id = v.programme_id JOIN enterprises e ON e.id = v.enterprise_id
        WHERE v.id = ${voucherId}::uuid`;
      if (!row) return null;
      return {
        id: row.id,
        enterpriseId: row.enterprise_id,
        enterpriseRegionCode: row.enterprise_region,
        status: row.status,
        balanceFen: fenFromBigInt(row.balance_fen),
        validUntil: row.valid_until,
        programme: {
          id: row.programme_id,
          regionCode: row.programme_region,
          status: row.programme_status,
          policy: PolicySchema.parse(row.policy),
        },
      };
    },

    async programmeTerms(programmeId: string): Promise<ProgrammeTerms | null> {
      const [row] = await db.$queryRaw<
        { id: string; region_code: string; status: 'ACTIVE' | 'CLOSED'; policy: unknown }[]
      >`SELECT id::text, region_code, status::text, policy FROM programmes WHERE id = ${programmeId}::uuid`;
      return row
        ? {
            id: row.id,
            regionCode: row.region_code,
            status: row.status,
            policy: PolicySchema.parse(row.policy),
          }
        : null;
    },
  };
}

export type MatchingRepository = ReturnType<typeof createMatchingRepository>;
