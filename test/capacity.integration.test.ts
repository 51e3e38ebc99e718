import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../domain/calendar';
import {
  confirmHold,
  earliestAvailableDay,
  holdCapacity,
  HoldMismatchError,
  releaseBookingHolds,
  releaseHold,
  type CapacityResult,
} from '../db/repositories/capacity';
import { replaceServices } from '../db/repositories/providers';
import { inTransaction } from '../db/tx';
import { startTestApi, type TestApi } from './support/api';
import { CLIMATE_SERVICE, insertListedProvider } from './support/provider-fixtures';
import { uniqueTaskQueue } from './support/worker';

let api: TestApi;
const today = localDate(new Date());
const day = addDays(today, 2);

beforeAll(async () => {
  api = await startTestApi({
    taskQueue: uniqueTaskQueue(import.meta.url),
    env: { DATABASE_POOL_SIZE: '16' },
  });
});
afterAll(async () => {
  await api?.stop();
});

const db = () => api.db;
const hold = (serviceId: string, units = 1, holdId: string = randomUUID(), bookingId: string | null = null) =>
  inTransaction(db(), (tx) => holdCapacity(tx, { holdId, bookingId, serviceId, day, units }));

async function usage(serviceId: string, on = day) {
  return db().serviceDayUsage.findUnique({
    where: { serviceId_day: { serviceId, day: new Date(`${on}T00:00:00Z`) } },
  });
}

async function givenService(dailyCapacity: number) {
  const { providerId, serviceIds } = await insertListedProvider(db(), {
    services: [{ ...CLIMATE_SERVICE, dailyCapacity, turnaroundDays: 3 }],
  });
  return { providerId, serviceId: serviceIds[0]! };
}

describe('capacity holds', () => {
  it('lets exactly capacity-many of N concurrent holds through; the rest are told why', async () => {
    const n = 12;
    const { providerId, serviceId } = await givenService(n - 1);
    const results: CapacityResult[] = await Promise.all(Array.from({ length: n }, () => hold(serviceId)));

    expect(results.filter((r) => r.ok)).toHaveLength(n - 1);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toEqual([
      {
        ok: false,
        code: 'NO_CAPACITY',
        reason: `no capacity on ${day}: 1 sample(s) asked, 0 of ${n - 1} free`,
      },
    ]);
    expect(await usage(serviceId)).toMatchObject({ used: n - 1, capacity: n - 1 });
    const holds = await db().capacityHold.groupBy({
      by: ['status'],
      where: { serviceId },
      _sum: { units: true },
    });
    expect(holds).toEqual([{ status: 'HELD', _sum: { units: n - 1 } }]);

    // the provider sees the day full; matching finds no room for a job that must start that day
    const staff = await api.givenUser('PROVIDER', { providerId });
    const capacity = await api.call<{
      services: { days: { date: string; used: number; capacity: number }[] }[];
    }>('GET', `/api/v1/providers/${providerId}/capacity?from=${today}&to=${addDays(today, 6)}`, {
      token: staff.token,
    });
    expect(capacity.status, capacity.text).toBe(200);
    expect(capacity.body.services[0]!.days).toEqual([
      { date: day, used: n - 1, capacity: n - 1, held: n - 1, booked: 0 },
    ]);

    const sme = await api.givenUser('SME');
    const demand = { standards: ['GB/T 2423.1'], sampleCount: 1, latestCompletionDate: addDays(day, 3) };
    // with one day of lead time, work can start tomorrow or on the full day; make tomorrow full too
    expect(
      await inTransaction(db(), (tx) =>
        holdCapacity(tx, {
          holdId: randomUUID(),
          bookingId: null,
          serviceId,
          day: addDays(today, 1),
          units: n - 1,
        }),
      ),
    ).toEqual({ ok: true });
    type Match = {
      candidates: { providerId: string }[];
      nearMisses: { providerId: string; reasons: { message: string }[] }[];
    };
    const full = await api.call<Match>('POST', '/api/v1/matches?nearMisses=100', {
      token: sme.token,
      body: { demand },
    });
    expect(full.body.candidates.map((c) => c.providerId)).not.toContain(providerId);
    expect(full.body.nearMisses.find((m) => m.providerId === providerId)!.reasons[0]!.message).toBe(
      `no capacity before ${addDays(day, 3)} for GB/T 2423.1 (fully booked until then)`,
    );

    // releasing gives a unit back, once however often it is asked
    const [first] = await db().capacityHold.findMany({
      where: { serviceId, day: new Date(`${day}T00:00:00Z`) },
      take: 1,
    });
    expect(await inTransaction(db(), (tx) => releaseHold(tx, first!.id))).toEqual({ released: true });
    expect(await inTransaction(db(), (tx) => releaseHold(tx, first!.id))).toEqual({ released: false });
    expect((await usage(serviceId))!.used).toBe(n - 2);
    const freed = await api.call<Match>('POST', '/api/v1/matches', { token: sme.token, body: { demand } });
    expect(freed.body.candidates.map((c) => c.providerId)).toContain(providerId);
  });

  it('shows matching a hold that committed after a query began looking, however late it was stamped', async () => {
    const { providerId, serviceId } = await givenService(1);
    const sme = await api.givenUser('SME');
    const demand = { standards: ['GB/T 2423.1'], sampleCount: 1, latestCompletionDate: addDays(today, 5) };
    const matchDay = async () => {
      const res = await api.call<{ candidates: { providerId: string; lines: { startDate: string }[] }[] }>(
        'POST',
        '/api/v1/matches?limit=100',
        { token: sme.token, body: { demand } },
      );
      return res.body.candidates.find((c) => c.providerId === providerId)?.lines[0]?.startDate;
    };
    const tomorrow = addDays(today, 1);
    expect(await matchDay()).toBe(tomorrow);

    // a booking's transaction takes tomorrow's only unit, and commits only after matching looked again
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    let taken!: () => void;
    const inside = new Promise<void>((resolve) => (taken = resolve));
    const booking = inTransaction(db(), async (tx) => {
      await holdCapacity(tx, { holdId: randomUUID(), bookingId: null, serviceId, day: tomorrow, units: 1 });
      taken();
      await held;
    });
    await inside;
    // meanwhile another booking commits at once: matching has seen changes newer than the open one
    const other = await givenService(3);
    expect(await hold(other.serviceId)).toEqual({ ok: true });
    expect(await matchDay()).toBe(tomorrow);
    commit();
    await booking;
    expect(await matchDay()).toBe(addDays(today, 2));
  });

  it('answers a repeated hold as the first time, and refuses the same id for something else', async () => {
    const { serviceId } = await givenService(5);
    const holdId = `booking-${randomUUID()}/line-1`;
    expect(await hold(serviceId, 2, holdId)).toEqual({ ok: true });
    expect(await hold(serviceId, 2, holdId)).toEqual({ ok: true });
    expect((await usage(serviceId))!.used).toBe(2);
    await expect(hold(serviceId, 3, holdId)).rejects.toBeInstanceOf(HoldMismatchError);

    expect(await inTransaction(db(), (tx) => confirmHold(tx, holdId))).toEqual({ ok: true });
    expect(await inTransaction(db(), (tx) => confirmHold(tx, holdId))).toEqual({ ok: true });
    expect(await inTransaction(db(), (tx) => releaseHold(tx, holdId))).toEqual({ released: true });
    expect((await usage(serviceId))!.used).toBe(0);
    expect(await inTransaction(db(), (tx) => confirmHold(tx, holdId))).toMatchObject({
      ok: false,
      code: 'HOLD_RELEASED',
    });
    expect(await hold(serviceId, 2, holdId)).toMatchObject({ ok: false, code: 'HOLD_RELEASED' });
    expect(await inTransaction(db(), (tx) => confirmHold(tx, 'no-such-hold'))).toMatchObject({
      ok: false,
      code: 'HOLD_NOT_FOUND',
    });
  });

  it('takes nothing when the rest of the caller’s transaction fails', async () => {
    const { serviceId } = await givenService(3);
    await expect(
      inTransaction(db(), async (tx) => {
        expect(
          await holdCapacity(tx, { holdId: randomUUID(), bookingId: null, serviceId, day, units: 2 }),
        ).toEqual({ ok: true });
        throw new Error('the subsidy could not be committed');
      }),
    ).rejects.toThrow('subsidy');
    expect(await usage(serviceId)).toBeNull();
    expect(await db().capacityHold.count({ where: { serviceId } })).toBe(0);
  });

  it('releases every hold of a booking, and refuses withdrawn services and unlisted providers', async () => {
    const { providerId, serviceId } = await givenService(4);
    const bookingId = randomUUID();
    expect(await hold(serviceId, 1, `${bookingId}/a`, bookingId)).toEqual({ ok: true });
    expect(await hold(serviceId, 2, `${bookingId}/b`, bookingId)).toEqual({ ok: true });
    expect(await inTransaction(db(), (tx) => releaseBookingHolds(tx, bookingId))).toBe(2);
    expect((await usage(serviceId))!.used).toBe(0);

    await db().provider.update({ where: { id: providerId }, data: { status: 'DELISTED' } });
    expect(await hold(serviceId)).toMatchObject({
      ok: false,
      code: 'SERVICE_UNAVAILABLE',
      reason: `service ${serviceId} belongs to a provider that is not listed`,
    });
    await db().provider.update({ where: { id: providerId }, data: { status: 'LISTED' } });
    await db().service.update({ where: { id: serviceId }, data: { active: false } });
    expect(await hold(serviceId)).toMatchObject({ ok: false, code: 'SERVICE_UNAVAILABLE' });
  });

  it('finds the earliest day with room, and never lowers a day’s capacity below what it took', async () => {
    const { providerId, serviceId } = await givenService(3);
    expect(await hold(serviceId, 3)).toEqual({ ok: true });
    const from = addDays(today, 1);
    expect(await earliestAvailableDay(db(), { serviceId, units: 1, from: day, to: addDays(day, 5) })).toBe(
      addDays(day, 1),
    );
    expect(await earliestAvailableDay(db(), { serviceId, units: 1, from, to: addDays(day, 5) })).toBe(from);
    expect(await earliestAvailableDay(db(), { serviceId, units: 4, from, to: addDays(day, 5) })).toBeNull();

    await inTransaction(db(), (tx) =>
      replaceServices(tx, providerId, [{ ...CLIMATE_SERVICE, id: serviceId, dailyCapacity: 1 }], today),
    );
    expect(await usage(serviceId)).toMatchObject({ used: 3, capacity: 3 });
    expect(await hold(serviceId)).toMatchObject({ ok: false, code: 'NO_CAPACITY' });
    await inTransaction(db(), (tx) =>
      replaceServices(tx, providerId, [{ ...CLIMATE_SERVICE, id: serviceId, dailyCapacity: 6 }], today),
    );
    expect(await usage(serviceId)).toMatchObject({ used: 3, capacity: 6 });
    expect(await hold(serviceId, 3)).toEqual({ ok: true });
  });
});
