import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../api/errors';
import { createPasswordJudge, type PasswordJudge } from '../api/http/password-judge';
import { judgePassword } from '../domain/password';

const person = { email: 'zhao.wei@huaxin-precision.cn', displayName: 'Zhao Wei' };
// a random password of the longest judged length: the slowest kind to judge (tens of ms)
const SLOW = 'Zq8#rT2!mW9$kL4@Zq8#rT2!mW9$kL4@Zq8#rT2!mW9$kL4@Zq8#rT2!mW9$kL4@';

describe('passwords are judged in a thread of their own', () => {
  let judge: PasswordJudge | null = null;
  afterEach(async () => {
    await judge?.close();
    judge = null;
  });

  it('judges as the rules do, refusals with their reasons', async () => {
    judge = createPasswordJudge({ threads: 1, maxWaiting: 10, withinMs: 30_000 });
    for (const password of ['passwordpassword', person.email, 'correct horse battery staple 42', SLOW]) {
      expect(await judge.judge(password, person, 3), password).toEqual(judgePassword(password, person, 3));
    }
    expect(await judge.judge('Zq8#rT2!mW9$', person, 4)).toEqual(judgePassword('Zq8#rT2!mW9$', person, 4));
  });

  it('leaves this thread free to serve others while it judges', async () => {
    judge = createPasswordJudge({ threads: 1, maxWaiting: 10, withinMs: 30_000 });
    await judge.judge('warm-up', person, 3);
    let turns = 0;
    let judged = false;
    const judging = judge.judge(SLOW, person, 3).then(() => (judged = true));
    while (!judged) {
      await new Promise((resolve) => setImmediate(resolve));
      turns += 1;
    }
    await judging;
    // judged here, the event loop would not have turned once before the answer
    expect(turns).toBeGreaterThan(1);
  });

  it('refuses at once, as busy, the judgements beyond those allowed to wait', async () => {
    judge = createPasswordJudge({ threads: 1, maxWaiting: 1, withinMs: 30_000 });
    await judge.judge('warm-up', person, 3);
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => judge!.judge(SLOW, person, 3)));
    const refused = outcomes.filter((o) => o.status === 'rejected');
    // one judged, one waiting: the four others refused
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect(refused).toHaveLength(4);
    for (const outcome of refused) {
      const error = outcome.reason as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ kind: 'UNAVAILABLE', code: 'PASSWORD_CHECK_BUSY', status: 503 });
      expect(error.headers['Retry-After']).toBe('1');
    }
  });

  it('judges in as many threads as it is given, and lets only the rest wait', async () => {
    judge = createPasswordJudge({ threads: 2, maxWaiting: 1, withinMs: 30_000 });
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => judge!.judge(SLOW, person, 3)));
    // two judged at once, one waiting: the three others refused
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(3);
  });

  it('refuses, as busy, a judgement that does not finish in its time, and judges the next one', async () => {
    judge = createPasswordJudge({ threads: 1, maxWaiting: 10, withinMs: 1 });
    await expect(judge.judge(SLOW, person, 3)).rejects.toMatchObject({ code: 'PASSWORD_CHECK_BUSY' });
    await judge.close();
    judge = createPasswordJudge({ threads: 1, maxWaiting: 10, withinMs: 30_000 });
    expect(await judge.judge('passwordpassword', person, 3)).toMatchObject({ acceptable: false });
  });
});
