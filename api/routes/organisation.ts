import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { InvitationRecord, Organisation } from '../../db/repositories/accounts';
import { durationMs } from '../../domain/duration';
import { EmailSchema, LocaleSchema, PasswordSchema, type AuthUser } from '../../domain/identity';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import {
  LinkTokenSchema,
  mailInBackground,
  refuseGuessablePassword,
  refuseToken,
  Session,
  sessionFor,
  UserView,
  userView,
} from '../http/accounts';
import { hashLinkToken, hashPassword, linkToken } from '../http/auth';
import { defineRoute } from '../http/route';
import { actorOf } from '../http/workflows';

const InvitationRequest = z
  .strictObject({
    email: EmailSchema,
    displayName: z.string().trim().min(1).max(100).optional(),
  })
  .meta({ id: 'InvitationRequest' });

const InvitationView = z
  .object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string().nullable(),
    invitedBy: z.object({ id: z.uuid(), displayName: z.string() }),
    expiresAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Invitation' });

const Members = z
  .object({
    organisation: z.object({
      kind: z.enum(['ENTERPRISE', 'PROVIDER']),
      id: z.uuid(),
      name: z.string(),
    }),
    members: z.array(UserView.extend({ joinedAt: z.iso.datetime() })),
    invitations: z.array(InvitationView).meta({ description: 'invitations still open, oldest first' }),
  })
  .meta({ id: 'OrganisationMembers' });

const Acceptance = z
  .strictObject({
    token: LinkTokenSchema,
    password: PasswordSchema,
    displayName: z.string().trim().min(1).max(100),
    locale: LocaleSchema.default('zh-CN'),
  })
  .meta({ id: 'InvitationAcceptance' });

const IdParams = z.strictObject({ id: z.uuid() });
const UserIdParams = z.strictObject({ userId: z.uuid() });

function invitationView(invitation: InvitationRecord): z.infer<typeof InvitationView> {
  return {
    id: invitation.id,
    email: invitation.email,
    displayName: invitation.displayName,
    invitedBy: invitation.invitedBy,
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}

/** The caller's enterprise or provider, with its name; 409 ORGANISATION_REQUIRED before they registered one. */
async function ownOrganisation(
  deps: ApiDeps,
  user: AuthUser,
): Promise<{ org: Organisation; kind: 'ENTERPRISE' | 'PROVIDER'; id: string; name: string }> {
  if (user.enterpriseId) {
    const enterprise = await deps.repos.enterprises.findById(user.enterpriseId);
    if (enterprise) {
      return {
        org: { enterpriseId: enterprise.id },
        kind: 'ENTERPRISE',
        id: enterprise.id,
        name: enterprise.name,
      };
    }
  }
  if (user.providerId) {
    const provider = await deps.repos.providers.findById(user.providerId);
    if (provider) {
      return { org: { providerId: provider.id }, kind: 'PROVIDER', id: provider.id, name: provider.name };
    }
  }
  throw new AppError(
    'CONFLICT',
    user.role === 'SME'
      ? 'Register your enterprise first (POST /enterprises); then invite colleagues into it'
      : 'Register your provider first (POST /providers); then invite colleagues into it',
    { code: 'ORGANISATION_REQUIRED' },
  );
}

export const organisationRoutes = [
  defineRoute({
    method: 'get',
    path: '/organisation/members',
    operationId: 'listOrganisationMembers',
    summary: 'The colleagues of the caller’s enterprise or provider, and the invitations still open',
    tags: ['organisation'],
    access: ['SME', 'PROVIDER'],
    responses: { 200: { description: 'Members and open invitations', schema: Members } },
    errors: ['CONFLICT'],
    handler: async ({ user, deps }) => {
      const { org, kind, id, name } = await ownOrganisation(deps, user);
      const [members, invitations] = await Promise.all([
        deps.repos.accounts.members(org),
        deps.repos.accounts.pendingInvitations(org, deps.clock.now()),
      ]);
      return {
        status: 200,
        body: {
          organisation: { kind, id, name },
          members: members.map((m) => ({ ...userView(m), joinedAt: m.createdAt.toISOString() })),
          invitations: invitations.map(invitationView),
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/organisation/invitations',
    operationId: 'inviteColleague',
    summary: 'Invite a colleague into the caller’s enterprise or provider by e-mail',
    description:
      'Mails a single-use link (`/invitation?token=…`) that works until INVITATION_TTL. An address that ' +
      'already has an account is refused with 409 EMAIL_TAKEN. A new invitation to the same address ' +
      'replaces an open one.',
    tags: ['organisation'],
    access: ['SME', 'PROVIDER'],
    request: { body: InvitationRequest },
    responses: { 201: { description: 'The invitation, mailed', schema: InvitationView } },
    errors: ['CONFLICT'],
    handler: async ({ user, body, deps, requestId }) => {
      const organisation = await ownOrganisation(deps, user);
      const { token, hash } = linkToken();
      const now = deps.clock.now();
      const invitation = await deps.repos.accounts.invite(
        {
          id: randomUUID(),
          email: body.email,
          displayName: body.displayName ?? null,
          role: user.role,
          org: organisation.org,
          invitedById: user.id,
          tokenHash: hash,
          expiresAt: new Date(now.getTime() + durationMs(deps.env.INVITATION_TTL)),
        },
        now,
        (created) => ({
          actor: actorOf(user),
          action: 'INVITATION_SENT',
          entityType: 'invitation',
          entityId: created.id,
          after: { email: created.email, organisationId: organisation.id },
          requestId,
        }),
      );
      if (!invitation) {
        throw new AppError('CONFLICT', `${body.email} already has an account; it cannot be invited`, {
          code: 'EMAIL_TAKEN',
        });
      }
      mailInBackground(deps, {
        eventKey: `invitation/${invitation.id}`,
        template: 'invitation',
        data: {
          displayName: invitation.displayName ?? invitation.email,
          organisationName: organisation.name,
          invitedBy: user.displayName,
          path: `/invitation?token=${encodeURIComponent(token)}`,
          expiresAt: invitation.expiresAt.toISOString(),
        },
        // the invitee has no account yet, so no language of their own: the inviter's is the best guess
        to: [{ recipients: [{ email: invitation.email, locale: user.locale }] }],
      });
      return { status: 201, body: invitationView(invitation) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/organisation/invitations/:id',
    operationId: 'withdrawInvitation',
    summary: 'Withdraw an open invitation: its link stops working',
    tags: ['organisation'],
    access: ['SME', 'PROVIDER'],
    request: { params: IdParams },
    responses: { 204: { description: 'Withdrawn' } },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ user, params, deps, requestId }) => {
      const { org } = await ownOrganisation(deps, user);
      const withdrawn = await deps.repos.accounts.withdraw(params.id, org, deps.clock.now(), {
        actor: actorOf(user),
        action: 'INVITATION_WITHDRAWN',
        entityType: 'invitation',
        entityId: params.id,
        requestId,
      });
      if (!withdrawn) throw AppError.notFound('open invitation', params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/organisation/members/:userId',
    operationId: 'removeColleague',
    summary: 'Remove a colleague: their account is disabled and their sessions end at once',
    description:
      'The organisation’s last active member cannot be removed (409 LAST_MEMBER); a member may remove ' +
      'themselves while colleagues remain.',
    tags: ['organisation'],
    access: ['SME', 'PROVIDER'],
    request: { params: UserIdParams },
    responses: { 204: { description: 'Removed' } },
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: async ({ user, params, deps, requestId }) => {
      const { org, id } = await ownOrganisation(deps, user);
      const result = await deps.repos.accounts.removeMember(
        params.userId,
        org,
        deps.clock.now(),
        (removed) => ({
          actor: actorOf(user),
          action: 'MEMBER_REMOVED',
          entityType: 'user',
          entityId: removed.id,
          after: { email: removed.email, organisationId: id },
          requestId,
        }),
      );
      if ('refused' in result) {
        if (result.refused === 'NOT_FOUND') throw AppError.notFound('colleague', params.userId);
        throw new AppError('CONFLICT', 'The last member of an organisation cannot be removed', {
          code: 'LAST_MEMBER',
        });
      }
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/invitations/accept',
    operationId: 'acceptInvitation',
    summary: 'Join an organisation with a mailed invitation: creates the account and signs in',
    description:
      'The link works once, until INVITATION_TTL: 400 INVITATION_TOKEN_INVALID (unknown or withdrawn), ' +
      'INVITATION_TOKEN_EXPIRED or INVITATION_TOKEN_USED on `token` otherwise. The invitation proves the ' +
      'address, so the account is verified. 409 EMAIL_TAKEN when the address got an account meanwhile.',
    tags: ['organisation'],
    access: 'public',
    rateLimit: 'register',
    request: { body: Acceptance },
    responses: { 201: { description: 'The new account, signed in', schema: Session } },
    errors: ['CONFLICT'],
    handler: async ({ body, deps, requestId }) => {
      const passwordHash = await hashPassword(body.password);
      const result = await deps.repos.accounts.accept(
        hashLinkToken(body.token),
        deps.clock.now(),
        async (invited) => {
          await refuseGuessablePassword(
            body.password,
            { email: invited.email, displayName: body.displayName },
            deps.env.PASSWORD_MIN_SCORE,
          );
          return {
            id: randomUUID(),
            email: invited.email,
            passwordHash,
            role: invited.role,
            displayName: body.displayName,
            locale: body.locale,
          };
        },
        (created) => ({
          actor: actorOf(created),
          action: 'INVITATION_ACCEPTED',
          entityType: 'invitation',
          entityId: created.invitationId,
          after: { userId: created.id, email: created.email },
          requestId,
        }),
      );
      if ('refused' in result) {
        if (result.refused === 'EMAIL_TAKEN') {
          throw new AppError('CONFLICT', 'An account with this e-mail exists; sign in with it', {
            code: 'EMAIL_TAKEN',
          });
        }
        throw refuseToken('INVITATION', result.refused);
      }
      return { status: 201, body: await sessionFor(deps, result.created, 0) };
    },
  }),
];
