import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  EmailSchema,
  LocaleSchema,
  PasswordSchema,
  ROLES,
  RoleSchema,
  type AuthUser,
} from '../../domain/identity';
import { judgePassword } from '../../domain/password';
import { AppError } from '../errors';
import { decoyPasswordHash, hashPassword, passwordMatches } from '../http/auth';
import { defineRoute } from '../http/route';

export const UserView = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: RoleSchema,
    displayName: z.string(),
    locale: LocaleSchema,
    enterpriseId: z.uuid().nullable(),
    providerId: z.uuid().nullable(),
  })
  .meta({ id: 'User' });

const Session = z
  .object({
    token: z.string(),
    tokenType: z.literal('Bearer'),
    expiresAt: z.iso.datetime(),
    user: UserView,
  })
  .meta({ id: 'Session' });

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

export function userView(user: AuthUser): z.infer<typeof UserView> {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    displayName: user.displayName,
    locale: user.locale,
    enterpriseId: user.enterpriseId,
    providerId: user.providerId,
  };
}

/** 400 PASSWORD_TOO_WEAK naming the field, the reason's key (for the portal's words) and its English sentence. */
function refuseGuessablePassword(
  body: { email: string; password: string; displayName: string },
  minimumScore: number,
): void {
  const judgement = judgePassword(body.password, body, minimumScore);
  if (judgement.acceptable) return;
  throw new AppError('INVALID', `The password is too easy to guess: ${judgement.explanation}`, {
    code: 'PASSWORD_TOO_WEAK',
    issues: [{ in: 'body', field: 'password', reason: judgement.explanation, code: judgement.reason }],
    details: {
      reason: judgement.reason,
      suggestions: judgement.suggestions,
      score: judgement.score,
      minimumScore: judgement.minimumScore,
    },
  });
}

export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/auth/login',
    operationId: 'login',
    summary: 'Exchange e-mail and password for a bearer token',
    description:
      'Failed sign-ins to one account from one address make that address wait, longer after each ' +
      'failure (429 SIGN_IN_DELAYED with Retry-After); the same account from another address is not ' +
      'held up. Every sign-in, success or failure, is in the audit log under entity type `sign-in`.',
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
      const { passwordHash: _hash, ...user } = found;
      await deps.signIns.succeeded(attempt, user);
      const { token, expiresAt } = await deps.tokens.issue(user);
      return {
        status: 200,
        body: { token, tokenType: 'Bearer', expiresAt: expiresAt.toISOString(), user: userView(user) },
      };
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
      'English. Registrations are limited per address, apart from sign-in.',
    tags: ['identity'],
    access: 'public',
    rateLimit: 'register',
    request: { body: Registration },
    responses: { 201: { description: 'The account', schema: UserView } },
    errors: ['CONFLICT'],
    handler: async ({ body, deps }) => {
      refuseGuessablePassword(body, deps.env.PASSWORD_MIN_SCORE);
      const user = await deps.repos.users.create({
        id: randomUUID(),
        email: body.email,
        passwordHash: await hashPassword(body.password),
        role: body.role,
        displayName: body.displayName,
        locale: body.locale,
      });
      if (!user)
        throw new AppError('CONFLICT', 'An account with this e-mail exists', { code: 'EMAIL_TAKEN' });
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
