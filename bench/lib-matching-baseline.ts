import type { MatchingProvider, MatchingService } from '../domain/matching';
import type { Db } from '../db/client';
import { fullDays } from '../db/repositories/capacity';
import type { CatalogSource } from '../db/repositories/matching';

type Row = Omit<MatchingProvider, 'services'> & {
  s: Omit<MatchingService, 'unitPriceFen'> & { unitPriceFen: number };
};

/**
 * What one would write without an index: ask the database, on every query, for the listed
 * providers' services of the requested standards (a scan of the services table), and read their
 * booked days from it too.
 */
export function fullScanSource(db: Db): CatalogSource {
  return {
    async providersFor(standards) {
      const rows = await db.$queryRaw<Row[]>`
        SELECT p.id::text, p.name, p.kind::text, p.region_code AS "regionCode", p.status::text,
               p.rating_centis AS "ratingCentis", p.on_time_count AS "onTimeCount", p.late_count AS "lateCount",
               json_build_object('id', s.id, 'name', s.name, 'category', s.category, 'standards', s.standards,
                 'unitPriceFen', s.unit_price_fen, 'turnaroundDays', s.turnaround_days,
                 'dailyCapacity', s.daily_capacity, 'inScope', s.in_scope) AS s
        FROM services s JOIN providers p ON p.id = s.provider_id
        WHERE s.active AND p.status = 'LISTED' AND s.standards && ${standards}::text[]`;
      const providers = new Map<string, MatchingProvider & { services: MatchingService[] }>();
      for (const { s, ...p } of rows) {
        let provider = providers.get(p.id);
        if (!provider) providers.set(p.id, (provider = { ...p, services: [] }));
        provider.services.push(s);
      }
      return [...providers.values()];
    },
    fullDays: (query) => fullDays(db, query),
  };
}
