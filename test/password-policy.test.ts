import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_MIN_SCORE, judgePassword, personalWords } from '../domain/password';

const person = { email: 'zhao.wei@huaxin-precision.cn', displayName: 'Zhao Wei' };

describe('new passwords are judged by how easy they are to guess', () => {
  it.each([
    ['twelve spaces', ' '.repeat(12), 'simpleRepeat'],
    ['twelve digits in a row', '123456789012', 'common'],
    ['a common word repeated', 'passwordpassword', 'extendedRepeat'],
    ['a keyboard row', 'qwertyuiopasdf', 'similarToCommon'],
  ])('refuses %s, saying why', (_what, password, reason) => {
    const judgement = judgePassword(password, person);
    expect(judgement.acceptable).toBe(false);
    if (judgement.acceptable) return;
    expect(judgement.reason).toBe(reason);
    expect(judgement.score).toBeLessThan(DEFAULT_PASSWORD_MIN_SCORE);
    expect(judgement.explanation.length).toBeGreaterThan(10);
  });

  it('refuses the e-mail itself and its parts, which an attacker knows', () => {
    for (const password of [person.email, person.email.toUpperCase(), 'huaxin-precision.cn']) {
      const judgement = judgePassword(password, person);
      expect(judgement, password).toMatchObject({ acceptable: false });
    }
    // the same text is fine for someone else, so it is the person's own words that count
    expect(judgePassword(person.email, { email: 'li@other.cn' }).acceptable).toBe(true);
  });

  it('accepts a long passphrase and a random password', () => {
    expect(judgePassword('correct horse battery staple', person)).toEqual({ acceptable: true, score: 4 });
    expect(judgePassword('Vq7#mZ2!pL9@xR4t', person).acceptable).toBe(true);
  });

  it('asks for the configured score', () => {
    // "iloveyou12345" scores 1: refused at the default, accepted when the minimum is lowered to 1
    expect(judgePassword('iloveyou12345', person).acceptable).toBe(false);
    expect(judgePassword('iloveyou12345', person, 1).acceptable).toBe(true);
    const refused = judgePassword('correct horse', person, 4);
    expect(refused).toMatchObject({ acceptable: false, minimumScore: 4 });
  });

  it('judges a very long password quickly, by its first characters', () => {
    const started = performance.now();
    const judgement = judgePassword('a1b2c3d4e5f6g7h8i9j0password1234qwerty'.repeat(7).slice(0, 256), person);
    expect(judgement.acceptable).toBe(true);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(judgePassword('1'.repeat(256), person).acceptable).toBe(false);
  });

  it('takes the parts of the e-mail and name as personal words', () => {
    expect(personalWords(person)).toEqual(
      expect.arrayContaining([person.email, 'zhao.wei', 'zhao', 'wei', 'huaxin', 'precision', 'Zhao Wei']),
    );
  });
});
