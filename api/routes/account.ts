import { z } from 'zod';
import { EmailSchema, PasswordSchema, ROLES } from '../../domain/identity';
import { AppError } from '../errors';
import {
  LinkTokenSchema,
  mailAccountLink,
  mailInBackground,
  refuseGuessablePassword,
  refuseToken,
  Session,
  sessionFor,
} from '../http/accounts';
import { hashLinkToken, hashPassword, passwordMatches } from '../http/auth';
import { defineRoute } from '../http/route';
import { actorOf } from '../http/workflows';

const PasswordChange = z
  .strictObject({
    currentPassword: z.string().min(1, { error: 'is required' }).max(256),
    newPassword: PasswordSchema,
  })
  .meta({ id: 'PasswordChange' });

const ResetRequest = z.strictObject({ email: EmailSchema }).meta({ id: 'PasswordResetRequest' });

const ResetCompletion = z
  .strictObject({ token: LinkTokenSchema, newPassword: PasswordSchema })
  .meta({ id: 'PasswordResetCompletion' });

const Verification = z.strictObject({ token: LinkTokenSchema }).meta({ id: 'EmailVerification' });

const Accepted = z
  .object({ message: z.string() })
  .meta({ id: 'Accepted', description: 'the request was taken; what happens next is said in `message`' });

export const accountRoutes = [
  defineRoute({
    method: 'post',
    path: '/auth/logout',
    operationId: 'logout',
    summary: 'Sign out: the calling token stops working',
    description: 'Other sessions of the user go on; POST /auth/logout-everywhere ends them all.',
    tags: ['identity'],
    access: ROLES,
    responses: { 204: { description: 'The token is revoked' } },
    handler: async ({ user, deps, req, requestId }) => {
      const token = req.token!;
      await deps.repos.accounts.revokeToken({ ...token, userId: user.id }, deps.clock.now(), {
        actor: actorOf(user),
        action: 'SIGNED_OUT',
        entityType: 'user',
        entityId: user.id,
        requestId,
      });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/logout-everywhere',
    operationId: 'logoutEverywhere',
    summary: 'Sign out on every device: every token of the user stops working, this one too',
    tags: ['identity'],
    access: ROLES,
    responses: { 204: { description: 'Every session of the user has ended' } },
    handler: async ({ user, deps, requestId }) => {
      await deps.repos.users.endSessions(user.id, () => ({
        actor: actorOf(user),
        action: 'SIGNED_OUT_EVERYWHERE',
        entityType: 'user',
        entityId: user.id,
        requestId,
      }));
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/me/password',
    operationId: 'changePassword',
    summary: 'Change the calling user’s password',
    description:
      'A wrong current password counts as a failed sign-in (the same limits and audit entry), and is ' +
      'refused with 400 CURRENT_PASSWORD_WRONG on `currentPassword`. The new password follows the ' +
      'registration policy (400 PASSWORD_TOO_WEAK on `newPassword`). Every other session of the user ends; ' +
      'the answer is a fresh session for this device. The user is mailed that the password changed.',
    tags: ['identity'],
    access: ROLES,
    request: { body: PasswordChange },
    responses: { 200: { description: 'A fresh session for this device', schema: Session } },
    handler: async ({ user, body, deps, req, requestId }) => {
      const attempt = { email: user.email, address: req.ip ?? 'unknown', requestId };
      await deps.signIns.admit(attempt);
      const stored = await deps.repos.users.findPasswordHash(user.id);
      if (!stored || !(await passwordMatches(stored, body.currentPassword))) {
        await deps.signIns.failed(attempt, user);
        throw new AppError('INVALID', 'The current password is wrong', {
          code: 'CURRENT_PASSWORD_WRONG',
          issues: [
            {
              in: 'body',
              field: 'currentPassword',
              reason: 'is not your current password',
              code: 'CURRENT_PASSWORD_WRONG',
            },
          ],
        });
      }
      await refuseGuessablePassword(body.newPassword, user, deps.env.PASSWORD_MIN_SCORE, 'newPassword');
      const at = deps.clock.now();
      const tokenVersion = await deps.repos.users.setPassword(
        user.id,
        await hashPassword(body.newPassword),
        () => ({
          actor: actorOf(user),
          action: 'PASSWORD_CHANGED',
          entityType: 'user',
          entityId: user.id,
          requestId,
        }),
      );
      mailInBackground(deps, {
        eventKey: `password-changed/${user.id}/${tokenVersion}`,
        template: 'passwordChanged',
        data: { displayName: user.displayName, at: at.toISOString(), how: 'change' },
        to: [{ recipients: [{ email: user.email, locale: user.locale }] }],
      });
      return { status: 200, body: await sessionFor(deps, user, tokenVersion) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/password-reset',
    operationId: 'requestPasswordReset',
    summary: 'Mail a single-use link to choose a new password',
    description:
      'Always 202, whether or not the e-mail has an account, so the answer tells nobody which addresses ' +
      'do. The link (`/reset-password?token=…` on PUBLIC_URL) works once, until PASSWORD_RESET_TTL. ' +
      'Limited per address and per e-mail (429 RATE_LIMITED with Retry-After).',
    tags: ['identity'],
    access: 'public',
    rateLimit: 'account-mail',
    request: { body: ResetRequest },
    responses: { 202: { description: 'A link is mailed if the e-mail has an account', schema: Accepted } },
    handler: async ({ body, deps, requestId }) => {
      await deps.rateLimits.consume('accountMailRecipient', body.email);
      const found = await deps.repos.users.findCredentials(body.email);
      if (found && !found.disabled) {
        const { passwordHash: _hash, tokenVersion: _version, disabled: _disabled, ...user } = found;
        // after the answer: the time it takes must not tell whether the address has an account
        void (async () => {
          await deps.repos.accounts.record({
            actor: actorOf(user),
            action: 'PASSWORD_RESET_REQUESTED',
            entityType: 'user',
            entityId: user.id,
            requestId,
          });
          await mailAccountLink(deps, user, 'PASSWORD_RESET', 'passwordReset');
        })().catch((error: unknown) => {
          deps.logger.warn({ err: error, userId: user.id }, 'could not make a password-reset link');
        });
      }
      return {
        status: 202,
        body: { message: 'If an account has this e-mail, a link to choose a new password is on its way' },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/password-reset/complete',
    operationId: 'completePasswordReset',
    summary: 'Choose a new password with a mailed link',
    description:
      'The link works once: 400 RESET_TOKEN_INVALID, RESET_TOKEN_EXPIRED or RESET_TOKEN_USED on `token` ' +
      'otherwise. Every session of the user ends; they sign in with the new password.',
    tags: ['identity'],
    access: 'public',
    rateLimit: 'login',
    request: { body: ResetCompletion },
    responses: { 204: { description: 'The password is set' } },
    handler: async ({ body, deps, requestId }) => {
      const now = deps.clock.now();
      const passwordHash = await hashPassword(body.newPassword);
      const result = await deps.repos.accounts.resetPassword(
        hashLinkToken(body.token),
        now,
        passwordHash,
        (user) => refuseGuessablePassword(body.newPassword, user, deps.env.PASSWORD_MIN_SCORE, 'newPassword'),
        (user) => ({
          actor: actorOf(user),
          action: 'PASSWORD_RESET',
          entityType: 'user',
          entityId: user.id,
          requestId,
        }),
      );
      if ('refused' in result) throw refuseToken('RESET', result.refused);
      const user = result.done;
      mailInBackground(deps, {
        eventKey: `password-reset/${hashLinkToken(body.token)}`,
        template: 'passwordChanged',
        data: { displayName: user.displayName, at: now.toISOString(), how: 'reset' },
        to: [{ recipients: [{ email: user.email, locale: user.locale }] }],
      });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/verify-email',
    operationId: 'verifyEmail',
    summary: 'Confirm a user’s e-mail address with the mailed link',
    description:
      'The link works once: 400 VERIFICATION_TOKEN_INVALID, VERIFICATION_TOKEN_EXPIRED or ' +
      'VERIFICATION_TOKEN_USED on `token` otherwise (ask for a new one: POST /me/email-verification).',
    tags: ['identity'],
    access: 'public',
    rateLimit: 'login',
    request: { body: Verification },
    responses: { 204: { description: 'The address is confirmed' } },
    handler: async ({ body, deps, requestId }) => {
      const now = deps.clock.now();
      const result = await deps.repos.accounts.verifyEmail(hashLinkToken(body.token), now, (user) => ({
        actor: actorOf(user),
        action: 'EMAIL_VERIFIED',
        entityType: 'user',
        entityId: user.id,
        after: { email: user.email },
        requestId,
      }));
      if ('refused' in result) throw refuseToken('VERIFICATION', result.refused);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/me/email-verification',
    operationId: 'resendEmailVerification',
    summary: 'Mail the calling user a new link to confirm their e-mail address',
    description:
      'Limited per address and per e-mail (429 RATE_LIMITED). 409 EMAIL_ALREADY_VERIFIED when it is confirmed.',
    tags: ['identity'],
    access: ROLES,
    rateLimit: 'account-mail',
    responses: { 202: { description: 'A new link is on its way', schema: Accepted } },
    errors: ['CONFLICT'],
    handler: async ({ user, deps }) => {
      if (user.emailVerified) {
        throw new AppError('CONFLICT', 'Your e-mail address is already confirmed', {
          code: 'EMAIL_ALREADY_VERIFIED',
        });
      }
      await deps.rateLimits.consume('accountMailRecipient', user.email);
      await mailAccountLink(deps, user, 'EMAIL_VERIFICATION', 'emailVerification');
      return { status: 202, body: { message: `A new link is on its way to ${user.email}` } };
    },
  }),
];
