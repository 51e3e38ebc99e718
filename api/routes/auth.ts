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

export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/auth/login',
    operationId: 'login',
    summary: 'Exchange e-mail and password for a bearer token',
    tags: ['identity'],
    access: 'public',
    rateLimit: 'login',
    request: { body: Credentials },
    responses: { 200: { description: 'A signed, expiring JWT and the user', schema: Session } },
    errors: ['UNAUTHENTICATED'],
    handler: async ({ body, deps }) => {
      await deps.rateLimits.consume('loginAccount', body.email);
      const user = await deps.repos.users.findCredentials(body.email);
      const matches = await passwordMatches(user?.passwordHash ?? (await decoyPasswordHash()), body.password);
      if (!user || !matches) {
        throw new AppError('UNAUTHENTICATED', 'E-mail or password is wrong', { code: 'INVALID_CREDENTIALS' });
      }
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
      'The new user then registers their enterprise (POST /enterprises) or provider (POST /providers).',
    tags: ['identity'],
    access: 'public',
    rateLimit: 'login',
    request: { body: Registration },
    responses: { 201: { description: 'The account', schema: UserView } },
    errors: ['CONFLICT'],
    handler: async ({ body, deps }) => {
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
