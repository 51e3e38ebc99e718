/**
 * A service's daily capacity, taken by holds (docs/processes.md, "Booking").
 *
 * Contract for callers (the booking process):
 * - every function takes the caller's transaction, so holding capacity and moving money commit or
 *   fail together;
 * - `holdCapacity` is idempotent by `holdId` (use a business key such as `<bookingId>/<serviceId>`):
 *   repeating it answers as the first call did and takes nothing more;
 * - a hold is HELD, then CONFIRMED when the provider confirms, or RELEASED; `releaseHold` gives the
 *   units back once however often it is called, from HELD or CONFIRMED;
 * - a booking holding several services should hold them in a stable order (by service id) so that
 *   two bookings never wait on each other's rows.
 *
 * The last unit can be taken once only: taking units is one conditional upsert of the day's usage
 * row, which PostgreSQL applies to the latest committed row under its lock. The CHECK constraint
 * `used <= capacity` stays underneath as a second guard, never the first.
 */
import type { IsoDate } from '../../domain/calendar';
import type { Db } from '../client';
import type { Tx } from '../tx';

export interface HoldRequest {
  holdId: string;
  bookingId: string | null;
  serviceId: string;
  /** YYYY-MM-DD, the day the samples are worked on */
  day: IsoDate;
  units: number;
}

export type CapacityRefusal = 'NO_CAPACITY' | 'SERVICE_UNAVAILABLE' | 'HOLD_RELEASED' | 'HOLD_NOT_FOUND';

export type CapacityResult = { ok: true } | { ok: false; code: CapacityRefusal; reason: string };

export class HoldMismatchError extends Error {
  constructor(holdId: string) {
    super(`hold ${holdId} exists for another service, day or number of units`);
    this.name = 'HoldMismatchError';
  }
}

interface HoldRow {
  service_id: string;
  day: string;
  units: number;
  status: 'HELD' | 'CONFIRMED' | 'RELEASED';
}

async function findHold(tx: Tx, holdId: string): Promise<HoldRow | null> {
  const rows = await tx.$queryRaw<HoldRow[]>`
    SELECT service_id::text, to_char(day, 'YYYY-MM-DD') AS day, units, status::text
    FROM capacity_holds WHERE id = ${holdId}`;
  return rows[0] ?? null;
}

export async function holdCapacity(tx: Tx, request: HoldRequest): Promise<CapacityResult> {
  if (!Number.isInteger(request.units) || request.units < 1) {
    throw new RangeError(`a hold takes a whole number of units above 0, not ${request.units}`);
  }
  // the hold row first: a concurrent call with the same id waits here and then finds it
  const inserted = await tx.$executeRaw`
    INSERT INTO capacity_holds (id, booking_id, service_id, day, units, status, updated_at)
    VALUES (${request.holdId}, ${request.bookingId}::uuid, ${request.serviceId}::uuid, ${request.day}::date,
            ${request.units}, 'HELD', now())
    ON CONFLICT (id) DO NOTHING`;
  if (inserted === 0) {
    const existing = (await findHold(tx, request.holdId))!;
    if (
      existing.service_id !== request.serviceId ||
      existing.day !== request.day ||
      existing.units !== request.units
    ) {
      throw new HoldMismatchError(request.holdId);
    }
    return existing.status === 'RELEASED'
      ? { ok: false, code: 'HOLD_RELEASED', reason: `hold ${request.holdId} was released` }
      : { ok: true };
  }

  const taken = await tx.$queryRaw<{ used: number }[]>`
    INSERT INTO service_day_usage (service_id, day, used, capacity)
    SELECT s.id, ${request.day}::date, ${request.units}, s.daily_capacity
    FROM services s JOIN providers p ON p.id = s.provider_id
    WHERE s.id = ${request.serviceId}::uuid AND s.active AND p.status = 'LISTED'
      AND ${request.units} <= s.daily_capacity
    ON CONFLICT (service_id, day) DO UPDATE SET used = service_day_usage.used + EXCLUDED.used
      WHERE service_day_usage.used + EXCLUDED.used <= service_day_usage.capacity
    RETURNING used`;
  if (taken.length) return { ok: true };

  await tx.$executeRaw`DELETE FROM capacity_holds WHERE id = ${request.holdId}`;
  return refusalFor(tx, request);
}

async function refusalFor(tx: Tx, request: HoldRequest): Promise<CapacityResult> {
  const [service] = await tx.$queryRaw<{ active: boolean; listed: boolean; daily_capacity: number }[]>`
    SELECT s.active, p.status = 'LISTED' AS listed, s.daily_capacity
    FROM services s JOIN providers p ON p.id = s.provider_id WHERE s.id = ${request.serviceId}::uuid`;
  if (!service || !service.active || !service.listed) {
    const why = !service
      ? 'does not exist'
      : !service.active
        ? 'is withdrawn from the catalog'
        : 'belongs to a provider that is not listed';
    return { ok: false, code: 'SERVICE_UNAVAILABLE', reason: `service ${request.serviceId} ${why}` };
  }
  const [usage] = await tx.$queryRaw<{ used: number; capacity: number }[]>`
    SELECT used, capacity FROM service_day_usage
    WHERE service_id = ${request.serviceId}::uuid AND day = ${request.day}::date`;
  const capacity = usage?.capacity ?? service.daily_capacity;
  const free = capacity - (usage?.used ?? 0);
  return {
    ok: false,
    code: 'NO_CAPACITY',
    reason: `no capacity on ${request.day}: ${request.units} sample(s) asked, ${free} of ${capacity} free`,
  };
}

export async function confirmHold(tx: Tx, holdId: string): Promise<CapacityResult> {
  const confirmed = await tx.$executeRaw`
    UPDATE capacity_holds SET status = 'CONFIRMED', updated_at = now()
    WHERE id = ${holdId} AND status IN ('HELD', 'CONFIRMED')`;
  if (confirmed) return { ok: true };
  const existing = await findHold(tx, holdId);
  return existing
    ? { ok: false, code: 'HOLD_RELEASED', reason: `hold ${holdId} was released` }
    : { ok: false, code: 'HOLD_NOT_FOUND', reason: `no hold ${holdId}` };
}

/** Gives the hold's units back; `released` is false when it was already released or never made. */
export async function releaseHold(tx: Tx, holdId: string): Promise<{ released: boolean }> {
  // the status flip is the guard: of two concurrent releases only one returns the row
  const [hold] = await tx.$queryRaw<{ service_id: string; day: string; units: number }[]>`
    UPDATE capacity_holds SET status = 'RELEASED', updated_at = now()
    WHERE id = ${holdId} AND status IN ('HELD', 'CONFIRMED')
    RETURNING service_id::text, to_char(day, 'YYYY-MM-DD') AS day, units`;
  if (!hold) return { released: false };
  await tx.$executeRaw`
    UPDATE service_day_usage SET used = used - ${hold.units}
    WHERE service_id = ${hold.service_id}::uuid AND day = ${hold.day}::date`;
  return { released: true };
}

/** Releases every hold of a booking (cancellation, decline, expiry); returns how many it released. */
export async function releaseBookingHolds(tx: Tx, bookingId: string): Promise<number> {
  const holds = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM capacity_holds
    WHERE booking_id = ${bookingId}::uuid AND status IN ('HELD', 'CONFIRMED') ORDER BY service_id, day`;
  let released = 0;
  for (const { id } of holds) if ((await releaseHold(tx, id)).released) released += 1;
  return released;
}

/** The first day in [from, to] on which the service can take `units` more; null when none. */
export async function earliestAvailableDay(
  tx: Tx | Db,
  query: { serviceId: string; units: number; from: IsoDate; to: IsoDate },
): Promise<IsoDate | null> {
  const [row] = await tx.$queryRaw<{ day: string }[]>`
    SELECT to_char(d, 'YYYY-MM-DD') AS day
    FROM generate_series(${query.from}::date, ${query.to}::date, interval '1 day') AS d
    JOIN services s ON s.id = ${query.serviceId}::uuid AND s.active AND s.daily_capacity >= ${query.units}
    LEFT JOIN service_day_usage u ON u.service_id = s.id AND u.day = d::date
    WHERE coalesce(u.used, 0) + ${query.units} <= coalesce(u.capacity, s.daily_capacity)
    ORDER BY d LIMIT 1`;
  return row?.day ?? null;
}

/**
 * For matching: the days in [from, to] on which each service cannot take `units` more. Days
 * without a usage row have the whole capacity free, so only the few blocked rows come back.
 */
export async function fullDays(
  tx: Tx | Db,
  query: { serviceIds: readonly string[]; units: number; from: IsoDate; to: IsoDate },
): Promise<Map<string, Set<IsoDate>>> {
  const result = new Map<string, Set<IsoDate>>();
  if (!query.serviceIds.length) return result;
  const rows = await tx.$queryRaw<{ service_id: string; day: string }[]>`
    SELECT service_id::text, to_char(day, 'YYYY-MM-DD') AS day FROM service_day_usage
    WHERE service_id = ANY(${query.serviceIds}::uuid[]) AND day BETWEEN ${query.from}::date AND ${query.to}::date
      AND used + ${query.units} > capacity`;
  for (const row of rows) {
    let days = result.get(row.service_id);
    if (!days) result.set(row.service_id, (days = new Set()));
    days.add(row.day);
  }
  return result;
}

export interface DayUsage {
  serviceId: string;
  day: IsoDate;
  used: number;
  capacity: number;
  /** units of holds the provider has not confirmed yet */
  held: number;
  /** units of confirmed holds: booked */
  booked: number;
}

/** Days in [from, to] on which the provider's services have units taken, held and booked apart. */
export async function usageOfProvider(
  tx: Tx | Db,
  query: { providerId: string; from: IsoDate; to: IsoDate },
): Promise<DayUsage[]> {
  const rows = await tx.$queryRaw<
    { service_id: string; day: string; used: number; capacity: number; held: number; booked: number }[]
  >`
    SELECT u.service_id::text, to_char(u.day, 'YYYY-MM-DD') AS day, u.used, u.capacity,
      coalesce(sum(h.units) FILTER (WHERE h.status = 'HELD'), 0)::int AS held,
      coalesce(sum(h.units) FILTER (WHERE h.status = 'CONFIRMED'), 0)::int AS booked
    FROM service_day_usage u JOIN services s ON s.id = u.service_id
    LEFT JOIN capacity_holds h ON h.service_id = u.service_id AND h.day = u.day
    WHERE s.provider_id = ${query.providerId}::uuid AND u.day BETWEEN ${query.from}::date AND ${query.to}::date
      AND u.used > 0
    GROUP BY u.service_id, u.day, u.used, u.capacity
    ORDER BY u.service_id, u.day`;
  return rows.map((r) => ({
    serviceId: r.service_id,
    day: r.day,
    used: r.used,
    capacity: r.capacity,
    held: r.held,
    booked: r.booked,
  }));
}

/** The bookings holding (held or booked) units of a service, or of any service, on a day. */
export async function bookingsHoldingOn(
  tx: Tx | Db,
  query: { day: IsoDate; serviceId?: string },
): Promise<string[]> {
  const rows = await tx.capacityHold.findMany({
    where: {
      day: new Date(`${query.day}T00:00:00Z`),
      serviceId: query.serviceId,
      status: { in: ['HELD', 'CONFIRMED'] },
      bookingId: { not: null },
    },
    select: { bookingId: true },
    distinct: ['bookingId'],
  });
  return rows.flatMap((r) => (r.bookingId ? [r.bookingId] : []));
}
