import type { ProviderKind, ProviderStatus, ServiceCategory } from '../../domain/catalog';
import type { MatchingProvider, MatchingService } from '../../domain/matching';
import type { Db } from '../client';

/**
 * The listed providers' active services, indexed by standard, in the memory of each process that
 * matches: a matching query touches only the services of its standards instead of the catalog.
 *
 * Freshness: every change matching reads bumps `providers.updated_at` (see the schema). Before
 * each query one indexed range read asks which providers changed since the last check, and only
 * those are reloaded. Rows are stamped before they commit, so the range reaches back `overlapMs`
 * before the previous check: a transaction that was still open then (transactions end within
 * 15 s, plus clock skew) is seen once it commits. A full reload in the background every
 * `fullReloadMs` repairs anything written without bumping the stamp.
 */
export interface CatalogIndexOptions {
  overlapMs?: number;
  fullReloadMs?: number;
}

interface ProviderRow {
  id: string;
  name: string;
  kind: ProviderKind;
  region_code: string;
  status: ProviderStatus;
  rating_centis: number;
  on_time_count: number;
  late_count: number;
  updated_ms: number;
}

interface ServiceRow {
  id: string;
  provider_id: string;
  name: string;
  category: ServiceCategory;
  standards: string[];
  unit_price_fen: bigint;
  turnaround_days: number;
  daily_capacity: number;
  in_scope: boolean;
}

interface Snapshot {
  providers: Map<string, MatchingProvider>;
  /** standard → each listed provider with an active service covering it, with only those services */
  byStandard: Map<string, Map<string, MatchingProvider>>;
  /** last seen `updated_at` of every provider, listed or not */
  versions: Map<string, number>;
  highWater: number;
  checkedAt: number;
  loadedAt: number;
}

function toService(row: ServiceRow): MatchingService {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    standards: row.standards,
    unitPriceFen: Number(row.unit_price_fen),
    turnaroundDays: row.turnaround_days,
    dailyCapacity: row.daily_capacity,
    inScope: row.in_scope,
  };
}

async function loadProviders(
  db: Db,
  ids: string[] | null,
): Promise<{ rows: ProviderRow[]; services: ServiceRow[] }> {
  const rows = ids
    ? await db.$queryRaw<ProviderRow[]>`
        SELECT id::text, name, kind::text, region_code, status::text, rating_centis, on_time_count, late_count,
               round(extract(epoch FROM updated_at) * 1000)::float8 AS updated_ms
        FROM providers WHERE id = ANY(${ids}::uuid[])`
    : await db.$queryRaw<ProviderRow[]>`
        SELECT id::text, name, kind::text, region_code, status::text, rating_centis, on_time_count, late_count,
               round(extract(epoch FROM updated_at) * 1000)::float8 AS updated_ms
        FROM providers`;
  const listed = rows.filter((r) => r.status === 'LISTED').map((r) => r.id);
  const services = listed.length
    ? await db.$queryRaw<ServiceRow[]>`
        SELECT id::text, provider_id::text, name, category::text, standards, unit_price_fen, turnaround_days,
               daily_capacity, in_scope
        FROM services WHERE active AND provider_id = ANY(${listed}::uuid[]) ORDER BY id`
    : [];
  return { rows, services };
}

function place(snapshot: Snapshot, row: ProviderRow, services: MatchingService[]): void {
  const previous = snapshot.providers.get(row.id);
  for (const service of previous?.services ?? []) {
    for (const standard of service.standards) snapshot.byStandard.get(standard)?.delete(row.id);
  }
  snapshot.providers.delete(row.id);
  snapshot.versions.set(row.id, row.updated_ms);
  snapshot.highWater = Math.max(snapshot.highWater, row.updated_ms);
  if (row.status !== 'LISTED') return;
  const provider: MatchingProvider = {
    id: row.id,
    name: row.name,
    kind: row.kind,
    regionCode: row.region_code,
    status: row.status,
    ratingCentis: row.rating_centis,
    onTimeCount: row.on_time_count,
    lateCount: row.late_count,
    services,
  };
  snapshot.providers.set(row.id, provider);
  for (const service of services) {
    for (const standard of service.standards) {
      let providers = snapshot.byStandard.get(standard);
      if (!providers) snapshot.byStandard.set(standard, (providers = new Map<string, MatchingProvider>()));
      const entry = providers.get(row.id);
      if (entry) (entry.services as MatchingService[]).push(service);
      else providers.set(row.id, { ...provider, services: [service] });
    }
  }
}

function apply(snapshot: Snapshot, loaded: { rows: ProviderRow[]; services: ServiceRow[] }): void {
  const byProvider = new Map<string, MatchingService[]>();
  for (const row of loaded.services) {
    let list = byProvider.get(row.provider_id);
    if (!list) byProvider.set(row.provider_id, (list = []));
    list.push(toService(row));
  }
  for (const row of loaded.rows) place(snapshot, row, byProvider.get(row.id) ?? []);
}

export function createCatalogIndex(db: Db, options: CatalogIndexOptions = {}) {
  const overlapMs = options.overlapMs ?? 60_000;
  const fullReloadMs = options.fullReloadMs ?? 10 * 60_000;
  let current: Snapshot | null = null;
  let loading: Promise<Snapshot> | null = null;
  let checking: Promise<void> | null = null;

  async function loadAll(): Promise<Snapshot> {
    const [clock] = await db.$queryRaw<{ now: number }[]>`
      SELECT (extract(epoch FROM now()) * 1000)::float8 AS now`;
    const now = clock!.now;
    const snapshot: Snapshot = {
      providers: new Map(),
      byStandard: new Map(),
      versions: new Map(),
      highWater: 0,
      checkedAt: now,
      loadedAt: now,
    };
    apply(snapshot, await loadProviders(db, null));
    return snapshot;
  }

  async function checkChanges(snapshot: Snapshot): Promise<void> {
    const since = Math.min(snapshot.highWater, snapshot.checkedAt - overlapMs);
    const [result] = await db.$queryRaw<{ now: number; changed: string[] }[]>`
      SELECT (extract(epoch FROM now()) * 1000)::float8 AS now,
             coalesce((SELECT array_agg(id::text || '@' || round(extract(epoch FROM updated_at) * 1000)::float8)
                       FROM providers WHERE updated_at > to_timestamp(${since / 1000}::float8)), '{}') AS changed`;
    const changed = result!.changed.flatMap((entry) => {
      const [id, ms] = entry.split('@') as [string, string];
      return snapshot.versions.get(id) === Number(ms) ? [] : [id];
    });
    if (changed.length) apply(snapshot, await loadProviders(db, changed));
    snapshot.checkedAt = result!.now;
  }

  function reloadInBackground(): void {
    if (loading) return;
    loading = loadAll();
    loading.then(
      (snapshot) => {
        current = snapshot;
        loading = null;
      },
      () => {
        loading = null;
      },
    );
  }

  /** The snapshot after a freshness check; concurrent callers share one check. */
  async function fresh(): Promise<Snapshot> {
    if (!current) {
      loading ??= loadAll();
      current = await loading;
      loading = null;
      return current;
    }
    const snapshot = current;
    if (Date.now() - snapshot.loadedAt > fullReloadMs) reloadInBackground();
    checking ??= checkChanges(snapshot).finally(() => {
      checking = null;
    });
    await checking;
    return snapshot;
  }

  return {
    /** Listed providers with an active service for any of the standards, with only those services. */
    async providersFor(standards: readonly string[]): Promise<MatchingProvider[]> {
      const snapshot = await fresh();
      const [first, ...others] = standards;
      const offering = snapshot.byStandard.get(first!);
      if (!others.length) return offering ? [...offering.values()] : [];
      const found = new Map(offering ?? []);
      for (const standard of others) {
        for (const [id, entry] of snapshot.byStandard.get(standard) ?? []) {
          const seen = found.get(id);
          // a service covering two of the standards is listed under both: take it once
          found.set(
            id,
            seen ? { ...entry, services: [...new Set([...seen.services, ...entry.services])] } : entry,
          );
        }
      }
      return [...found.values()];
    },

    /** One listed provider as `providersFor` would give it: only its services covering some of the standards. */
    async providerFor(providerId: string, standards: readonly string[]): Promise<MatchingProvider | null> {
      const provider = (await fresh()).providers.get(providerId);
      if (!provider) return null;
      const services = provider.services.filter((s) => s.standards.some((std) => standards.includes(std)));
      return services.length ? { ...provider, services } : null;
    },

    /** Loads the catalog now rather than on the first query (start-up, benchmarks). */
    async warm(): Promise<{ providers: number; services: number; standards: number }> {
      const snapshot = await fresh();
      let services = 0;
      for (const p of snapshot.providers.values()) services += p.services.length;
      return { providers: snapshot.providers.size, services, standards: snapshot.byStandard.size };
    },
  };
}

export type CatalogIndex = ReturnType<typeof createCatalogIndex>;
