import type { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';

export interface RateLimitSettings {
  /** sign-in requests per address per minute, whatever their outcome */
  loginPerMinute: number;
  /** registrations per address per hour */
  registerPerHour: number;
  writesPerMinute: number;
  /** mails with a link (password reset, e-mail verification) asked for per address per hour */
  accountMailsPerAddressPerHour: number;
  /** the same, per recipient: nobody's mailbox can be flooded with them */
  accountMailsPerRecipientPerHour: number;
}

export type LimitKind =
  'loginIp' | 'registerIp' | 'writeUser' | 'writeIp' | 'accountMailIp' | 'accountMailRecipient';

/** What a refusal says: why, and until when. */
export type LimitReason =
  | 'SIGN_IN_REQUESTS'
  | 'REGISTRATIONS'
  | 'WRITES'
  | 'ACCOUNT_ADDRESS_FAILURES'
  | 'ADDRESS_FAILURES'
  | 'ACCOUNT_MAILS_FROM_ADDRESS'
  | 'ACCOUNT_MAILS_TO_RECIPIENT';

const MESSAGES: Record<LimitReason, string> = {
  SIGN_IN_REQUESTS: 'Too many sign-in requests from your address',
  REGISTRATIONS: 'Too many accounts registered from your address',
  WRITES: 'Too many requests',
  ACCOUNT_ADDRESS_FAILURES: 'Too many failed sign-ins to this account from your address',
  ADDRESS_FAILURES: 'Too many failed sign-ins from your address',
  ACCOUNT_MAILS_FROM_ADDRESS: 'Too many account e-mails asked for from your address',
  ACCOUNT_MAILS_TO_RECIPIENT: 'Too many account e-mails asked for to this address',
};

const CODES: Record<LimitReason, string> = {
  SIGN_IN_REQUESTS: 'RATE_LIMITED',
  REGISTRATIONS: 'RATE_LIMITED',
  WRITES: 'RATE_LIMITED',
  ACCOUNT_ADDRESS_FAILURES: 'SIGN_IN_DELAYED',
  ADDRESS_FAILURES: 'SIGN_IN_DELAYED',
  ACCOUNT_MAILS_FROM_ADDRESS: 'RATE_LIMITED',
  ACCOUNT_MAILS_TO_RECIPIENT: 'RATE_LIMITED',
};

/** A 429 with Retry-After, saying why and until when. */
export function limitRefusal(reason: LimitReason, msBeforeNext: number, now = Date.now()): AppError {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const retryAt = new Date(now + retryAfter * 1000).toISOString();
  return new AppError('RATE_LIMITED', `${MESSAGES[reason]}; try again in ${retryAfter} s, at ${retryAt}`, {
    code: CODES[reason],
    details: { reason, retryAfterSeconds: retryAfter, retryAt },
    headers: { 'Retry-After': String(retryAfter) },
  });
}

type Store = (keyPrefix: string, points: number, durationSeconds: number) => RateLimiterPostgres;

/**
 * Counters shared by every API instance through PostgreSQL, with an in-memory limiter standing in
 * should the database be unreachable, so a limit never turns into an outage.
 */
function postgresStore(pool: Pool): Store {
  return (keyPrefix, points, duration) =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: 'rate_limits',
      tableCreated: true,
      keyPrefix,
      points,
      duration,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
    });
}

export function createRateLimits(pool: Pool, settings: RateLimitSettings) {
  const make = postgresStore(pool);
  const limiters: Record<LimitKind, { limiter: RateLimiterPostgres; reason: LimitReason }> = {
    // an office behind one address may have many people signing in
    loginIp: { limiter: make('login_ip', settings.loginPerMinute, 60), reason: 'SIGN_IN_REQUESTS' },
    // apart from sign-in, so that creating accounts cannot use up the sign-ins of an address, nor the reverse
    registerIp: {
      limiter: make('register_ip', settings.registerPerHour, 3600),
      reason: 'REGISTRATIONS',
    },
    writeUser: { limiter: make('write_user', settings.writesPerMinute, 60), reason: 'WRITES' },
    writeIp: { limiter: make('write_ip', settings.writesPerMinute * 5, 60), reason: 'WRITES' },
    accountMailIp: {
      limiter: make('account_mail_ip', settings.accountMailsPerAddressPerHour, 3600),
      reason: 'ACCOUNT_MAILS_FROM_ADDRESS',
    },
    // counted whether or not the address has an account, so the limit tells nothing about who does
    accountMailRecipient: {
      limiter: make('account_mail_to', settings.accountMailsPerRecipientPerHour, 3600),
      reason: 'ACCOUNT_MAILS_TO_RECIPIENT',
    },
  };

  return {
    async consume(kind: LimitKind, key: string): Promise<void> {
      const { limiter, reason } = limiters[kind];
      try {
        await limiter.consume(key);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw limitRefusal(reason, rejection.msBeforeNext);
        throw rejection;
      }
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;

export interface SignInLimitSettings {
  /** after this many consecutive failures of one account from one address, each failure makes the pair wait */
  failuresBeforeDelay: number;
  firstDelayMs: number;
  longestDelayMs: number;
  /** how long consecutive failures are remembered */
  failureMemoryMs: number;
  /** failures from one address across all accounts per hour */
  addressFailuresPerHour: number;
  /** the window in which an account's failures from every address are counted for the alert */
  alertWindowMs: number;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** The wait after the `failures`-th consecutive failure: none at first, then doubling up to the longest. */
export function delayAfter(failures: number, settings: SignInLimitSettings): number {
  if (failures < settings.failuresBeforeDelay) return 0;
  const doublings = Math.min(failures - settings.failuresBeforeDelay, 40);
  return Math.min(settings.longestDelayMs, settings.firstDelayMs * 2 ** doublings);
}

/**
 * Sign-in failures, counted where guessing happens (OWASP Authentication Cheat Sheet): consecutive
 * failures per account AND address delay that pair only, so an attacker's failures never lock the
 * owner out from another address; failures per address across accounts have a wider limit against
 * password spraying; failures per account from any address are counted for the administrators' alert.
 */
export function createSignInLimits(pool: Pool, settings: SignInLimitSettings) {
  const make = postgresStore(pool);
  // counted with penalty() only, which never refuses: the points are a ceiling no one reaches
  const uncapped = 1_000_000_000;
  const pairFailures = make('sign_in_pair', uncapped, seconds(settings.failureMemoryMs));
  const pairWait = make('sign_in_pair_wait', 1, 1);
  const addressFailures = make('sign_in_address', settings.addressFailuresPerHour, 3600);
  const accountFailures = make('sign_in_account', uncapped, seconds(settings.alertWindowMs));
  const pair = (account: string, address: string) => `${account}|${address}`;
  const windowOf = (now: number) => Math.floor(now / settings.alertWindowMs);

  return {
    /** Throws a 429 when this account may not be tried from this address yet, or this address may not try any. */
    async check(account: string, address: string): Promise<void> {
      const [waiting, fromAddress] = await Promise.all([
        pairWait.get(pair(account, address)),
        addressFailures.get(address),
      ]);
      if (waiting && waiting.consumedPoints > 1 && waiting.msBeforeNext > 0) {
        throw limitRefusal('ACCOUNT_ADDRESS_FAILURES', waiting.msBeforeNext);
      }
      if (fromAddress && fromAddress.consumedPoints >= settings.addressFailuresPerHour) {
        throw limitRefusal('ADDRESS_FAILURES', fromAddress.msBeforeNext);
      }
    },

    /**
     * Counts a failure; from the configured number on, the pair waits, longer with each failure.
     * Returns the account's failures in the current alert window, from any address, and that window.
     */
    async failed(
      account: string,
      address: string,
      now = Date.now(),
    ): Promise<{ accountFailures: number; window: { index: number; startsAt: Date } }> {
      const window = windowOf(now);
      const [consecutive, , inWindow] = await Promise.all([
        pairFailures.penalty(pair(account, address)),
        addressFailures.penalty(address),
        accountFailures.penalty(`${account}|${window}`),
      ]);
      const wait = delayAfter(consecutive.consumedPoints, settings);
      if (wait > 0) await pairWait.block(pair(account, address), seconds(wait));
      return {
        accountFailures: inWindow.consumedPoints,
        window: { index: window, startsAt: new Date(window * settings.alertWindowMs) },
      };
    },

    /** The owner got in from this address: its earlier failures are forgotten. */
    async succeeded(account: string, address: string): Promise<void> {
      await Promise.all([
        pairFailures.delete(pair(account, address)),
        pairWait.delete(pair(account, address)),
      ]);
    },
  };
}

export type SignInLimits = ReturnType<typeof createSignInLimits>;
