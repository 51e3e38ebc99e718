import type { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';

export interface RateLimitSettings {
  loginPerMinute: number;
  writesPerMinute: number;
}

export type LimitKind = 'loginIp' | 'loginAccount' | 'writeUser' | 'writeIp';

/**
 * Counters shared by every API instance through PostgreSQL, with an in-memory limiter standing in
 * should the database be unreachable, so a limit never turns into an outage.
 */
export function createRateLimits(pool: Pool, settings: RateLimitSettings) {
  const make = (keyPrefix: string, points: number) =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: 'rate_limits',
      tableCreated: true,
      keyPrefix,
      points,
      duration: 60,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: 60 }),
    });

  const limiters: Record<LimitKind, RateLimiterPostgres> = {
    // an office behind one address may have many people logging in
    loginIp: make('login_ip', settings.loginPerMinute * 5),
    loginAccount: make('login_account', settings.loginPerMinute),
    writeUser: make('write_user', settings.writesPerMinute),
    writeIp: make('write_ip', settings.writesPerMinute * 5),
  };

  return {
    async consume(kind: LimitKind, key: string): Promise<void> {
      try {
        await limiters[kind].consume(key);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
          throw new AppError('RATE_LIMITED', `Too many requests; try again in ${retryAfter} s`, {
            code: 'RATE_LIMITED',
            headers: { 'Retry-After': String(retryAfter) },
          });
        }
        throw rejection;
      }
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
