import type { IsoDate } from '../../domain/calendar';
import type { Db } from '../client';

/**
 * The capacity taken on today's and later days, mirrored in the memory of each process that
 * matches. Reading the booked days of a few thousand services from the database costs more than
 * the rest of a matching query, so the mirror reads only what changed: before each query one
 * indexed range read fetches the usage rows stamped (by a trigger, whoever wrote them) since the
 * previous check. A row is stamped with its transaction's start, so the range reaches back
 * `overlapMs` before the previous check, to see transactions that were still open then (they end
 * within 15 s). A query thus sees every hold committed before it began, as a direct read would.
 */
export interface UsageMirrorOptions {
  overlapMs?: number;
  fullReloadMs?: number;
}

interface DayUsage {
  used: number;
  capacity: number;
}

interface Mirror {
  days: Map<string, Map<IsoDate, DayUsage>>;
  highWater: number;
  checkedAt: number;
  loadedAt: number;
}

/** `service day used capacity stampMs`, one text per row: cheap to carry through the driver. */
const ROW = `service_id::text || ' ' || to_char(day, 'YYYY-MM-DD') || ' ' || used || ' ' || capacity || ' ' ||
  round(extract(epoch FROM updated_at) * 1000)::bigint`;

function apply(mirror: Mirror, rows: readonly string[]): void {
  for (const row of rows) {
    const [serviceId, day, used, capacity, stamp] = row.split(' ') as [
      string,
      IsoDate,
      string,
      string,
      string,
    ];
    let days = mirror.days.get(serviceId);
    if (!days) mirror.days.set(serviceId, (days = new Map<IsoDate, DayUsage>()));
    days.set(day, { used: Number(used), capacity: Number(capacity) });
    mirror.highWater = Math.max(mirror.highWater, Number(stamp));
  }
}

export function createUsageMirror(db: Db, options: UsageMirrorOptions = {}) {
  const overlapMs = options.overlapMs ?? 60_000;
  const fullReloadMs = options.fullReloadMs ?? 10 * 60_000;
  let current: Mirror | null = null;
  let loading: Promise<Mirror> | null = null;
  let checking: Promise<void> | null = null;

  async function loadAll(): Promise<Mirror> {
    const [result] = await db.$queryRawUnsafe<{ now: number; rows: string[] }[]>(`
      SELECT (extract(epoch FROM now()) * 1000)::float8 AS now,
             coalesce((SELECT array_agg(${ROW}) FROM service_day_usage
                       WHERE day >= (now() AT TIME ZONE 'Asia/Shanghai')::date - 1), '{}') AS rows`);
    const mirror: Mirror = { days: new Map(), highWater: 0, checkedAt: result!.now, loadedAt: result!.now };
    apply(mirror, result!.rows);
    return mirror;
  }

  async function checkChanges(mirror: Mirror): Promise<void> {
    const since = Math.min(mirror.highWater, mirror.checkedAt - overlapMs);
    const [result] = await db.$queryRawUnsafe<{ now: number; rows: string[] }[]>(
      `SELECT (extract(epoch FROM now()) * 1000)::float8 AS now,
              coalesce((SELECT array_agg(${ROW}) FROM service_day_usage
                        WHERE updated_at > to_timestamp($1::float8 / 1000)), '{}') AS rows`,
      since,
    );
    apply(mirror, result!.rows);
    mirror.checkedAt = result!.now;
  }

  async function fresh(): Promise<Mirror> {
    if (!current) {
      loading ??= loadAll();
      current = await loading;
      loading = null;
      return current;
    }
    const mirror = current;
    if (Date.now() - mirror.loadedAt > fullReloadMs && !loading) {
      // days go by and rows are rewritten outside the stamp's reach only by hand: start afresh now and then
      loading = loadAll();
      loading.then(
        (reloaded) => {
          current = reloaded;
          loading = null;
        },
        () => {
          loading = null;
        },
      );
    }
    checking ??= checkChanges(mirror).finally(() => {
      checking = null;
    });
    await checking;
    return mirror;
  }

  return {
    /** Applies what changed since the last check. */
    async refresh(): Promise<void> {
      await fresh();
    },

    /**
     * The days in [from, to] on which each service cannot take `units` more; `refreshed` when the
     * caller has just refreshed the mirror for this query.
     */
    async fullDays(
      query: { serviceIds: readonly string[]; units: number; from: IsoDate; to: IsoDate },
      refreshed = false,
    ): Promise<Map<string, Set<IsoDate>>> {
      const mirror = refreshed && current ? current : await fresh();
      const result = new Map<string, Set<IsoDate>>();
      for (const serviceId of query.serviceIds) {
        const days = mirror.days.get(serviceId);
        if (!days) continue;
        for (const [day, usage] of days) {
          if (day < query.from || day > query.to || usage.used + query.units <= usage.capacity) continue;
          let full = result.get(serviceId);
          if (!full) result.set(serviceId, (full = new Set()));
          full.add(day);
        }
      }
      return result;
    },

    async warm(): Promise<{ days: number }> {
      const mirror = await fresh();
      let days = 0;
      for (const d of mirror.days.values()) days += d.size;
      return { days };
    },
  };
}

export type UsageMirror = ReturnType<typeof createUsageMirror>;
