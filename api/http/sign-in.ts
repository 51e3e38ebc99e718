import type { NotificationRequest } from '../../activities/notifications';
import type { Db } from '../../db/client';
import { appendAudit } from '../../db/repositories/audit';
import { inTransaction } from '../../db/tx';
import { SYSTEM_ACTOR } from '../../domain/audit';
import type { AuthUser } from '../../domain/identity';
import type { Logger } from '../../infra/logger';
import type { SignInLimits } from './rate-limit';
import { actorOf } from './workflows';

export type Notify = (request: NotificationRequest<'signInAttack'>) => Promise<unknown>;

export interface SignInAttempt {
  /** the e-mail as typed (normalised), whether or not an account has it */
  email: string;
  /** the client's address, as the trusted proxies tell it */
  address: string;
  requestId: string;
}

/**
 * Every sign-in in the audit log, the limits on guessing, and the administrators' alert. A failure
 * is recorded the same way whether or not the e-mail belongs to an account (under the e-mail, never
 * the password), so neither the answer nor the log tells which e-mails exist.
 */
export function createSignInWatch(options: {
  db: Db;
  limits: SignInLimits;
  notify: Notify;
  logger: Logger;
  /** failures on one account within the alert window that make administrators get one e-mail */
  alertFailures: number;
}) {
  const { db, limits, logger } = options;
  // alerts being sent or sent by this instance, per window: a sustained attack mails once, not per attempt
  const alerted = new Map<string, number>();

  const record = (
    attempt: SignInAttempt,
    action: 'SIGNED_IN' | 'SIGN_IN_FAILED' | 'SIGN_IN_DELAYED' | 'SIGN_IN_REFUSED',
    user: AuthUser | null,
    extra: Record<string, string | number> = {},
  ) =>
    inTransaction(db, (tx) =>
      appendAudit(tx, {
        actor: user ? actorOf(user) : SYSTEM_ACTOR,
        action,
        entityType: 'sign-in',
        entityId: attempt.email,
        after: {
          email: attempt.email,
          address: attempt.address,
          ...(user ? { userId: user.id } : {}),
          ...extra,
        },
        requestId: attempt.requestId,
      }),
    );

  function alert(attempt: SignInAttempt, failures: number, window: { index: number; startsAt: Date }): void {
    const eventKey = `sign-in/${attempt.email}/attack/${window.index}`;
    if (alerted.has(eventKey)) return;
    for (const [key, index] of alerted) if (index < window.index) alerted.delete(key);
    alerted.set(eventKey, window.index);
    // the outbox row keyed by account and window makes the mail go once, whichever instance sends it
    options
      .notify({
        eventKey,
        template: 'signInAttack',
        data: {
          email: attempt.email,
          failures,
          since: window.startsAt.toISOString(),
          lastAddress: attempt.address,
        },
        to: [{ role: 'ADMIN' }],
      })
      .catch((error: unknown) => {
        // a later failure in the same window tries again
        alerted.delete(eventKey);
        logger.warn({ err: error, eventKey }, 'could not tell administrators of failing sign-ins');
      });
  }

  return {
    /** Refuses (429) an attempt this account and address, or this address, must wait with; recorded. */
    async admit(attempt: SignInAttempt): Promise<void> {
      try {
        await limits.check(attempt.email, attempt.address);
      } catch (refusal) {
        await record(attempt, 'SIGN_IN_DELAYED', null);
        throw refusal;
      }
    },

    async failed(attempt: SignInAttempt, account: AuthUser | null): Promise<void> {
      const { accountFailures, window } = await limits.failed(attempt.email, attempt.address);
      await record(attempt, 'SIGN_IN_FAILED', null, { failuresInWindow: accountFailures });
      if (account && accountFailures >= options.alertFailures) alert(attempt, accountFailures, window);
    },

    /** The password was right but the account may not sign in (it is disabled). */
    async refused(attempt: SignInAttempt, user: AuthUser, reason: string): Promise<void> {
      await record(attempt, 'SIGN_IN_REFUSED', user, { reason });
    },

    async succeeded(attempt: SignInAttempt, user: AuthUser): Promise<void> {
      await limits.succeeded(attempt.email, attempt.address);
      await record(attempt, 'SIGNED_IN', user);
    },
  };
}

export type SignInWatch = ReturnType<typeof createSignInWatch>;
