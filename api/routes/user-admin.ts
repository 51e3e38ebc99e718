import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { UserRecord } from '../../db/repositories/users';
import { EmailSchema, LocaleSchema, RoleSchema, StaffRoleSchema } from '../../domain/identity';
import { AppError } from '../errors';
import { mailAccountLink, UserView, userView } from '../http/accounts';
import { hashPassword } from '../http/auth';
import { decodeCursor, encodeCursor, listQuery, pageSchema } from '../http/pagination';
import { defineRoute } from '../http/route';
import { actorOf } from '../http/workflows';

const AdminUserView = UserView.extend({
  disabledAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
}).meta({ id: 'AdminUser' });

const UserQuery = listQuery().extend({
  role: RoleSchema.optional(),
  search: z.string().trim().min(1).max(100).optional().meta({ description: 'part of the e-mail or name' }),
});

const StaffAccount = z
  .strictObject({
    email: EmailSchema,
    displayName: z.string().trim().min(1).max(100),
    role: StaffRoleSchema,
    locale: LocaleSchema.default('zh-CN'),
  })
  .meta({ id: 'StaffAccount' });

const AccountState = z
  .strictObject({ disabled: z.boolean({ error: 'must be true or false' }) })
  .meta({ id: 'AccountState' });

const IdParams = z.strictObject({ id: z.uuid() });

function adminView(user: UserRecord): z.infer<typeof AdminUserView> {
  return {
    ...userView(user),
    disabledAt: user.disabledAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

/** A password nobody knows: the account is used once its owner chose theirs through the mailed link. */
async function unknowablePasswordHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString('base64url'));
}

export const userAdminRoutes = [
  defineRoute({
    method: 'get',
    path: '/admin/users',
    operationId: 'listUsers',
    summary: 'Every account, newest first, by role or a part of the e-mail or name',
    tags: ['user-admin'],
    access: ['ADMIN'],
    request: { query: UserQuery },
    responses: { 200: { description: 'A page of accounts', schema: pageSchema(AdminUserView, 'UserPage') } },
    handler: async ({ query, deps }) => {
      const page = await deps.repos.users.page(
        { role: query.role, search: query.search },
        { limit: query.limit, after: decodeCursor(query.cursor) },
      );
      return { status: 200, body: { items: page.items.map(adminView), nextCursor: encodeCursor(page.next) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/admin/users',
    operationId: 'createStaffUser',
    summary: 'Create an administrator or auditor account; its owner is mailed a link to choose a password',
    description:
      'The link works once, until ACCOUNT_SETUP_TTL; the owner can ask for another with “forgot password”. ' +
      'The address counts as verified. 409 EMAIL_TAKEN when the address has an account.',
    tags: ['user-admin'],
    access: ['ADMIN'],
    request: { body: StaffAccount },
    responses: { 201: { description: 'The account', schema: AdminUserView } },
    errors: ['CONFLICT'],
    handler: async ({ user, body, deps, requestId }) => {
      const now = deps.clock.now();
      const created = await deps.repos.users.create(
        {
          id: randomUUID(),
          email: body.email,
          passwordHash: await unknowablePasswordHash(),
          role: body.role,
          displayName: body.displayName,
          locale: body.locale,
          emailVerifiedAt: now,
        },
        (account) => ({
          actor: actorOf(user),
          action: 'USER_CREATED',
          entityType: 'user',
          entityId: account.id,
          after: { email: account.email, role: account.role },
          requestId,
        }),
      );
      if (!created) {
        throw new AppError('CONFLICT', 'An account with this e-mail exists', { code: 'EMAIL_TAKEN' });
      }
      await mailAccountLink(deps, created, 'PASSWORD_RESET', 'accountSetup');
      return { status: 201, body: adminView({ ...created, disabledAt: null, createdAt: now }) };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/admin/users/:id',
    operationId: 'setUserDisabled',
    summary: 'Disable or enable any account; a disabled account’s tokens stop at once',
    description:
      'An administrator cannot disable themselves (409 CANNOT_DISABLE_SELF), nor the last active ' +
      'administrator (409 LAST_ADMINISTRATOR). Enabling does not bring back the sessions that ended.',
    tags: ['user-admin'],
    access: ['ADMIN'],
    request: { params: IdParams, body: AccountState },
    responses: { 200: { description: 'The account', schema: AdminUserView } },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ user, params, body, deps, requestId }) => {
      if (body.disabled && params.id === user.id) {
        throw new AppError('CONFLICT', 'You cannot disable your own account', {
          code: 'CANNOT_DISABLE_SELF',
        });
      }
      const updated = await deps.repos.users.setDisabled(
        params.id,
        body.disabled,
        deps.clock.now(),
        (account) => ({
          actor: actorOf(user),
          action: body.disabled ? 'USER_DISABLED' : 'USER_ENABLED',
          entityType: 'user',
          entityId: account.id,
          after: { email: account.email, role: account.role },
          requestId,
        }),
      );
      if (!updated) throw AppError.notFound('user', params.id);
      if (updated === 'LAST_ADMINISTRATOR') {
        throw new AppError('CONFLICT', 'The last active administrator cannot be disabled', {
          code: 'LAST_ADMINISTRATOR',
        });
      }
      return { status: 200, body: adminView(updated) };
    },
  }),
];
