import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../config/database';
import { createDb, type Db } from '../db/client';
import { classifyFailure } from '../worker/failure-classes';
import { classifyActivityFailure } from '../worker/refuse-permanent-failures';
import { REFUSAL_TYPE, type RefusalDetail } from '../workflows/refusal';

/**
 * The failures activities meet, produced for real against PostgreSQL through the Prisma client and
 * its pg driver adapter, and how the worker classes them: what can never pass is refused at once,
 * what can pass is left to the bounded retry.
 */
let db: Db;
let programmeId: string;

const programme = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  name: '上海市中小企业检测券',
  authority: '上海市经济和信息化委员会',
  year: 2026,
  regionCode: '310000',
  budgetFen: 100n,
  policy: {},
  createdBy: randomUUID(),
  ...overrides,
});

async function failureOf(step: () => Promise<unknown>): Promise<unknown> {
  try {
    await step();
  } catch (error) {
    return error;
  }
  throw new Error('the step was expected to fail');
}

function refusalOf(error: unknown): { message: string; detail: RefusalDetail } {
  const classified = classifyActivityFailure(error);
  expect(classified).toBeInstanceOf(ApplicationFailure);
  const failure = classified as ApplicationFailure;
  expect(failure.type).toBe(REFUSAL_TYPE);
  expect(failure.nonRetryable).toBe(true);
  return { message: failure.message, detail: failure.details![0] as RefusalDetail };
}

beforeAll(async () => {
  db = createDb(inject('services').databaseUrl, 3);
  programmeId = randomUUID();
  await db.programme.create({ data: programme({ id: programmeId }) });
});
afterAll(async () => {
  await db?.$disconnect();
});

describe('failures that can never pass are refused at once, with the reason', () => {
  it('a unique constraint', async () => {
    const creditCode = `91310115MA${randomUUID().slice(0, 8).toUpperCase()}`;
    const enterprise = () => ({
      id: randomUUID(),
      creditCode,
      name: '上海精测电子科技有限公司',
      regionCode: '310115',
      industryCode: 'C3989',
      employees: 85,
      annualRevenueFen: 1n,
      legalRepresentative: '陈立',
      contactPhone: '021-62345678',
      address: '上海市浦东新区张江路 88 号',
      tags: [],
    });
    await db.enterprise.create({ data: enterprise() });
    const error = await failureOf(() => db.enterprise.create({ data: enterprise() }));
    const { message, detail } = refusalOf(error);
    expect(detail).toMatchObject({
      kind: 'CONFLICT',
      code: 'UNIQUE_VIOLATION',
      details: { sqlState: '23505', prismaCode: 'P2002', constraint: 'enterprises_credit_code_key' },
    });
    expect(message).toContain('duplicate key value violates unique constraint "enterprises_credit_code_key"');
  });

  it('a foreign key', async () => {
    const error = await failureOf(() =>
      db.ledgerAccount.create({
        data: { programmeId: randomUUID(), account: 'AVAILABLE', balanceFen: 0n },
      }),
    );
    expect(refusalOf(error).detail).toMatchObject({ kind: 'CONFLICT', code: 'FOREIGN_KEY_VIOLATION' });
  });

  it('a check constraint', async () => {
    const error = await failureOf(() => db.programme.create({ data: programme({ budgetFen: -1n }) }));
    expect(refusalOf(error).detail).toMatchObject({
      kind: 'CONFLICT',
      code: 'CHECK_VIOLATION',
      details: { sqlState: '23514' },
    });
  });

  it('U+0000 in a text column and in a jsonb column', async () => {
    for (const data of [programme({ name: 'a\u0000b' }), programme({ policy: { note: 'a\u0000b' } })]) {
      const error = await failureOf(() => db.programme.create({ data }));
      expect(refusalOf(error).detail).toMatchObject({ kind: 'INVALID', code: 'INVALID_VALUE' });
    }
  });

  it('an unpaired surrogate the query engine cannot even read', async () => {
    const error = await failureOf(() =>
      db.programme.create({ data: programme({ policy: { note: '\ud800' } }) }),
    );
    expect(refusalOf(error).detail).toMatchObject({ kind: 'INVALID', code: 'INVALID_VALUE' });
  });

  it('a value too long for its column, in a raw statement', async () => {
    const error = await failureOf(
      () => db.$executeRaw`INSERT INTO rate_limits (key, points) VALUES (${'k'.repeat(300)}, 1)`,
    );
    expect(refusalOf(error).detail).toMatchObject({
      kind: 'INVALID',
      code: 'VALUE_TOO_LONG',
      details: { sqlState: '22001', prismaCode: 'P2010' },
    });
  });

  it('a value the client cannot send (an invalid date)', async () => {
    const error = await failureOf(() =>
      db.programme.create({ data: programme({ createdAt: new Date(Number.NaN) }) }),
    );
    expect(refusalOf(error).detail).toMatchObject({ kind: 'INVALID', code: 'INVALID_VALUE' });
  });

  it('a record the step needs and does not find', async () => {
    const error = await failureOf(() =>
      db.programme.update({ where: { id: randomUUID() }, data: { name: 'x' } }),
    );
    expect(refusalOf(error).detail).toMatchObject({ kind: 'NOT_FOUND', code: 'RECORD_NOT_FOUND' });
  });

  it("an activity's own non-retryable conflict becomes a refusal, keeping its words", async () => {
    const own = ApplicationFailure.nonRetryable(
      'booking b is SAMPLE_RECEIVED, expected DISPUTED',
      'Conflict',
    );
    const { message, detail } = refusalOf(own);
    expect(message).toBe('booking b is SAMPLE_RECEIVED, expected DISPUTED');
    expect(detail).toMatchObject({ kind: 'CONFLICT', code: 'STATE_CONFLICT' });
  });
});

describe('failures that can pass are left to the bounded retry', () => {
  const expectTransient = (error: unknown) => {
    expect(classifyFailure(error)).toMatchObject({ class: 'transient' });
    expect(classifyActivityFailure(error)).toBe(error);
  };

  it('a primary key written twice: a step racing an earlier attempt of itself, which its retry finds', async () => {
    expectTransient(await failureOf(() => db.programme.create({ data: programme({ id: programmeId }) })));
  });

  it('a lock that is not available (55P03)', async () => {
    const key = `lock-${randomUUID()}`;
    await db.$executeRaw`INSERT INTO rate_limits (key, points) VALUES (${key}, 1)`;
    const error = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM rate_limits WHERE key = ${key} FOR UPDATE`;
      return failureOf(() => db.$queryRaw`SELECT 1 FROM rate_limits WHERE key = ${key} FOR UPDATE NOWAIT`);
    });
    expectTransient(error);
  });

  it('a statement timeout (57014)', async () => {
    const error = await failureOf(() =>
      db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('SET LOCAL statement_timeout = 50');
        await tx.$executeRawUnsafe('SELECT pg_sleep(1)');
      }),
    );
    expectTransient(error);
  });

  it('a serialization failure (40001)', async () => {
    const key = `serial-${randomUUID()}`;
    await db.$executeRaw`INSERT INTO rate_limits (key, points) VALUES (${key}, 1)`;
    const error = await failureOf(() =>
      db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
        await tx.$queryRaw`SELECT points FROM rate_limits WHERE key = ${key}`;
        await db.$executeRaw`UPDATE rate_limits SET points = points + 1 WHERE key = ${key}`;
        await tx.$executeRaw`UPDATE rate_limits SET points = points + 10 WHERE key = ${key}`;
      }),
    );
    expectTransient(error);
  });

  it('a transaction that ran out of time', async () => {
    const error = await failureOf(() =>
      db.$transaction(
        async (tx) => {
          await new Promise((r) => setTimeout(r, 200));
          await tx.$queryRaw`SELECT 1`;
        },
        { timeout: 50 },
      ),
    );
    expectTransient(error);
  });

  it('a database that does not answer', async () => {
    const nowhere = createDb(withDatabase('postgresql://postgres@127.0.0.1:1/x', 'x'), 1);
    const error = await failureOf(() => nowhere.$queryRaw`SELECT 1`);
    await nowhere.$disconnect();
    expect(classifyFailure(error).class).not.toBe('permanent');
    expect(classifyActivityFailure(error)).toBe(error);
  });

  it('an SMTP server that is down or says try later', () => {
    expectTransient(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1025'), { code: 'ECONNECTION' }));
    expectTransient(Object.assign(new Error('451 try again later'), { responseCode: 451 }));
  });

  it('an error of the code itself is not a refusal', () => {
    const defect = new TypeError("Cannot read properties of undefined (reading 'id')");
    expect(classifyFailure(defect)).toEqual({ class: 'unknown' });
    expect(classifyActivityFailure(defect)).toBe(defect);
    const retryable = ApplicationFailure.retryable('gateway busy', 'GatewayBusy');
    expect(classifyActivityFailure(retryable)).toBe(retryable);
  });
});
