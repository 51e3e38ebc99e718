import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EmailSchema, LocaleSchema, PasswordSchema, ROLES } from '../../domain/identity';
import { AppError } from '../errors';
import {
  mailAccountLink,
  refuseGuessablePassword,
  Session,
  sessionFor,
  userView,
  UserView,
} from '../http/accounts';
import { decoyPasswordHash, hashPassword, passwordMatches } from '../http/auth';
import { defineRoute } from '../http/route';
import { actorOf } from '../http/workflows';

const Credentials = z.strictObject({
  email: EmailSchema,
  password: z.string().min(1, { error: 'is required' }).max(256),
});

const Registration = z
  .strictObject({
    email: EmailSchema,
    password: PasswordSchema,
    displayName: z.string().trim().min(1).max(100),
    role: z.enum(['SME', 'PROVIDER'], {
      error: 'must be SME or PROVIDER; administrators and auditors are created by operators',
    }),
    locale: LocaleSchema.default('zh-CN'),
  })
  .meta({ id: 'Registration' });

const Preferences = z
  .strictObject({
    displayName: z.string().trim().min(1).max(100).optional(),
    locale: LocaleSchema.optional(),
  })
  .meta({ id: 'Preferences' });

export { userView, UserView };

export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/auth/login',
    operationId: 'login',
    summary: 'Exchange e-mail and password for a bearer token',
    description:
      'Failed sign-ins to one account from one address make that address wait, longer after each ' +
      'failure (429 SIGN_IN_DELAYED with Retry-After); the same account from another address is not ' +
      'held up. Every sign-in, success or failure, is in the audit log under entity type `sign-in`. ' +
      'A disabled account with the right password is refused with 401 ACCOUNT_DISABLED. The token carries ' +
      'an id (`jti`) and the account’s session version (`ver`): signing out, signing out everywhere, a ' +
      'password change or reset and disabling the account end it at once.',
    tags: ['identity'],
    access: 'public',
    rateLimit: 'login',
    request: { body: Credentials },
    responses: { 200: { description: 'A signed, expiring JWT and the user', schema: Session } },
    errors: ['UNAUTHENTICATED'],
    handler: async ({ body, deps, req, requestId }) => {
      const attempt = { email: body.email, address: req.ip ?? 'unknown', requestId };
      await deps.signIns.admit(attempt);
      const found = await deps.repos.users.findCredentials(body.email);
      const matches = await passwordMatches(
        found?.passwordHash ?? (await decoyPasswordHash()),
        body.password,
      );
      if (!found || !matches) {
        await deps.signIns.failed(attempt, found);
        throw new AppError('UNAUTHENTICATED', 'E-mail or password is wrong', { code: 'INVALID_CREDENTIALS' });
      }
      const { passwordHash: _hash, tokenVersion, disabled, ...user } = found;
      if (disabled) {
        // said only to whoever knows the password, so it tells a guesser nothing
        await deps.signIns.refused(attempt, user, 'ACCOUNT_DISABLED');
        throw new AppError('UNAUTHENTICATED', 'This account has been disabled; ask an administrator', {
          code: 'ACCOUNT_DISABLED',
        });
      }
      await deps.signIns.succeeded(attempt, user);
      return { status: 200, body: await sessionFor(deps, user, tokenVersion) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/register',
    operationId: 'register',
    summary: 'Create an SME or provider user account',
    description:
      'The new user then registers their enterprise (POST /enterprises) or provider (POST /providers). ' +
      'A password easy to guess (zxcvbn score below PASSWORD_MIN_SCORE, or made of the e-mail or name) is ' +
      'refused with 400 PASSWORD_TOO_WEAK: the issue on `password` carries the reason as its code and in ' +
      'English. Registrations are limited per address, apart from sign-in. The new user is mailed a link ' +
      'to confirm the address (POST /auth/verify-email); the organisation’s first application or catalog ' +
      'waits for it (403 EMAIL_NOT_VERIFIED).',
    tags: ['identity'],
    access: 'public',
    rateLimit: 'register',
    request: { body: Registration },
    responses: { 201: { description: 'The account', schema: UserView } },
    errors: ['CONFLICT'],
    handler: async ({ body, deps, requestId }) => {
      await refuseGuessablePassword(body.password, body, deps.env.PASSWORD_MIN_SCORE);
      const user = await deps.repos.users.create(
        {
          id: randomUUID(),
          email: body.email,
          passwordHash: await hashPassword(body.password),
          role: body.role,
          displayName: body.displayName,
          locale: body.locale,
          emailVerifiedAt: null,
        },
        (created) => ({
          actor: actorOf(created),
          action: 'USER_REGISTERED',
          entityType: 'user',
          entityId: created.id,
          after: { email: created.email, role: created.role },
          requestId,
        }),
      );
      if (!user)
        throw new AppError('CONFLICT', 'An account with this e-mail exists', { code: 'EMAIL_TAKEN' });
      await mailAccountLink(deps, user, 'EMAIL_VERIFICATION', 'emailVerification');
      return { status: 201, body: userView(user) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/me',
    operationId: 'me',
    summary: 'The calling user',
    tags: ['identity'],
    access: ROLES,
    responses: { 200: { description: 'The user the token was issued to', schema: UserView } },
    handler: async ({ user }) => ({ status: 200, body: userView(user) }),
  }),
  defineRoute({
    method: 'patch',
    path: '/me',
    operationId: 'updateMe',
    summary: 'Change the calling user’s name or e-mail language',
    tags: ['identity'],
    access: ROLES,
    request: { body: Preferences },
    responses: { 200: { description: 'The updated user', schema: UserView } },
    handler: async ({ user, body, deps }) => {
      const updated = await deps.repos.users.updatePreferences(user.id, body);
      return { status: 200, body: userView(updated) };
    },
  }),
];
