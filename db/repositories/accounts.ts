import type { AuthUser, Role } from '../../domain/identity';
import type { Db } from '../client';
import { inTransaction, type Tx } from '../tx';
import { appendAudit, type AuditEntryOf, type AuditInput } from './audit';
import { toAuthUser, userSelect, type NewUser } from './users';

export type LinkPurpose = 'PASSWORD_RESET' | 'EMAIL_VERIFICATION';

/** Why a mailed token was not taken. */
export type TokenRefusal = 'UNKNOWN' | 'EXPIRED' | 'USED';

/** An enterprise or a provider: exactly one of the two. */
export type Organisation = { enterpriseId: string } | { providerId: string };

export interface InvitationRecord {
  id: string;
  email: string;
  displayName: string | null;
  role: Role;
  invitedBy: { id: string; displayName: string };
  expiresAt: Date;
  createdAt: Date;
}

export interface MemberRecord extends AuthUser {
  createdAt: Date;
}

const orgWhere = (org: Organisation) =>
  'enterpriseId' in org ? { enterpriseId: org.enterpriseId } : { providerId: org.providerId };

const invitationSelect = {
  id: true,
  email: true,
  displayName: true,
  role: true,
  expiresAt: true,
  createdAt: true,
  invitedBy: { select: { id: true, displayName: true } },
} as const;

/**
 * What a signed-in user does to their account beyond their preferences: signed-out token ids, the
 * single-use links mailed for a password or an address, and colleagues invited into an organisation.
 */
export function createAccountRepository(db: Db) {
  /**
   * Takes a mailed link once: marks it used and runs `apply` in the same transaction, so a link
   * that is refused, or whose change fails, stays as it was.
   */
  async function useLink<T>(
    tokenHash: string,
    purpose: LinkPurpose,
    now: Date,
    apply: (tx: Tx, userId: string) => Promise<T>,
  ): Promise<{ refused: TokenRefusal } | { done: T }> {
    return inTransaction(db, async (tx) => {
      const [link] = await tx.$queryRaw<
        { id: string; user_id: string; expires_at: Date; used_at: Date | null }[]
      >`
        SELECT id, user_id, expires_at, used_at FROM account_links
         WHERE token_hash = ${tokenHash} AND purpose = ${purpose}::"AccountLinkPurpose"
         FOR UPDATE`;
      if (!link) return { refused: 'UNKNOWN' as const };
      if (link.used_at) return { refused: 'USED' as const };
      if (link.expires_at <= now) return { refused: 'EXPIRED' as const };
      await tx.accountLink.update({ where: { id: link.id }, data: { usedAt: now } });
      return { done: await apply(tx, link.user_id) };
    });
  }

  return {
    /** Records a signed-out token until it would have expired; drops the ids that have. */
    async revokeToken(
      token: { jti: string; userId: string; expiresAt: Date },
      now: Date,
      audit: AuditInput,
    ): Promise<void> {
      await inTransaction(db, async (tx) => {
        await tx.revokedToken.createMany({ data: [token], skipDuplicates: true });
        await tx.revokedToken.deleteMany({ where: { expiresAt: { lt: now } } });
        await appendAudit(tx, audit);
      });
    },

    async createLink(link: {
      id: string;
      purpose: LinkPurpose;
      tokenHash: string;
      userId: string;
      expiresAt: Date;
    }): Promise<void> {
      await db.accountLink.create({ data: link });
    },

    /**
     * Sets the password chosen with a reset link and ends every session. `check` sees the user first
     * and throws to refuse (a weak password): then nothing changes and the link stays unused.
     */
    async resetPassword(
      tokenHash: string,
      now: Date,
      passwordHash: string,
      check: (user: AuthUser) => Promise<void>,
      audit: AuditEntryOf<AuthUser>,
    ): Promise<{ refused: TokenRefusal } | { done: AuthUser }> {
      return useLink(tokenHash, 'PASSWORD_RESET', now, async (tx, userId) => {
        await check(
          toAuthUser(await tx.user.findUniqueOrThrow({ where: { id: userId }, select: userSelect })),
        );
        const user = toAuthUser(
          await tx.user.update({
            where: { id: userId },
            data: { passwordHash, tokenVersion: { increment: 1 } },
            select: userSelect,
          }),
        );
        await appendAudit(tx, audit(user));
        return user;
      });
    },

    async verifyEmail(
      tokenHash: string,
      now: Date,
      audit: AuditEntryOf<AuthUser>,
    ): Promise<{ refused: TokenRefusal } | { done: AuthUser }> {
      return useLink(tokenHash, 'EMAIL_VERIFICATION', now, async (tx, userId) => {
        const found = await tx.user.findUniqueOrThrow({
          where: { id: userId },
          select: { emailVerifiedAt: true },
        });
        const user = toAuthUser(
          await tx.user.update({
            where: { id: userId },
            data: { emailVerifiedAt: found.emailVerifiedAt ?? now },
            select: userSelect,
          }),
        );
        await appendAudit(tx, audit(user));
        return user;
      });
    },

    /** An account event that changes no row but is worth the audit log (a reset asked for). */
    async record(entry: AuditInput): Promise<void> {
      await inTransaction(db, (tx) => appendAudit(tx, entry));
    },

    async members(org: Organisation): Promise<MemberRecord[]> {
      const rows = await db.user.findMany({
        where: { ...orgWhere(org), disabledAt: null },
        select: { ...userSelect, createdAt: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(({ createdAt, ...row }) => ({ ...toAuthUser(row), createdAt }));
    },

    async pendingInvitations(org: Organisation, now: Date): Promise<InvitationRecord[]> {
      return db.invitation.findMany({
        where: { ...orgWhere(org), acceptedAt: null, withdrawnAt: null, expiresAt: { gt: now } },
        select: invitationSelect,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
    },

    /**
     * A new invitation; an earlier one to the same address into the same organisation still open is
     * withdrawn, so only the latest link works. Null when the address already has an account.
     */
    async invite(
      invitation: {
        id: string;
        email: string;
        displayName: string | null;
        role: Role;
        org: Organisation;
        invitedById: string;
        tokenHash: string;
        expiresAt: Date;
      },
      now: Date,
      audit: AuditEntryOf<InvitationRecord>,
    ): Promise<InvitationRecord | null> {
      return inTransaction(db, async (tx) => {
        const taken = await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
        if (taken) return null;
        await tx.invitation.updateMany({
          where: {
            ...orgWhere(invitation.org),
            email: invitation.email,
            acceptedAt: null,
            withdrawnAt: null,
          },
          data: { withdrawnAt: now },
        });
        const { org, ...fields } = invitation;
        const created = await tx.invitation.create({
          data: { ...fields, ...orgWhere(org) },
          select: invitationSelect,
        });
        await appendAudit(tx, audit(created));
        return created;
      });
    },

    /** Withdraws an open invitation of the organisation; false when there is none with this id. */
    async withdraw(id: string, org: Organisation, now: Date, audit: AuditInput): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        const { count } = await tx.invitation.updateMany({
          where: { id, ...orgWhere(org), acceptedAt: null, withdrawnAt: null },
          data: { withdrawnAt: now },
        });
        if (count === 0) return false;
        await appendAudit(tx, audit);
        return true;
      });
    },

    /** Creates the invited user in the organisation, verified, and closes the invitation. */
    async accept(
      tokenHash: string,
      now: Date,
      user: (invited: { email: string; role: Role; org: Organisation }) => Promise<NewUser>,
      audit: AuditEntryOf<AuthUser & { invitationId: string }>,
    ): Promise<{ refused: TokenRefusal | 'EMAIL_TAKEN' } | { created: AuthUser }> {
      return inTransaction(db, async (tx) => {
        const [row] = await tx.$queryRaw<
          {
            id: string;
            email: string;
            role: Role;
            enterprise_id: string | null;
            provider_id: string | null;
            expires_at: Date;
            accepted_at: Date | null;
            withdrawn_at: Date | null;
          }[]
        >`SELECT id, email, role, enterprise_id, provider_id, expires_at, accepted_at, withdrawn_at
            FROM invitations WHERE token_hash = ${tokenHash} FOR UPDATE`;
        if (!row || row.withdrawn_at) return { refused: 'UNKNOWN' as const };
        if (row.accepted_at) return { refused: 'USED' as const };
        if (row.expires_at <= now) return { refused: 'EXPIRED' as const };
        const taken = await tx.user.findUnique({ where: { email: row.email }, select: { id: true } });
        if (taken) return { refused: 'EMAIL_TAKEN' as const };
        const org: Organisation = row.enterprise_id
          ? { enterpriseId: row.enterprise_id }
          : { providerId: row.provider_id! };
        const data = await user({ email: row.email, role: row.role, org });
        const created = toAuthUser(
          await tx.user.create({
            data: { ...data, email: row.email, role: row.role, ...orgWhere(org), emailVerifiedAt: now },
            select: userSelect,
          }),
        );
        await tx.invitation.update({ where: { id: row.id }, data: { acceptedAt: now } });
        await appendAudit(tx, audit({ ...created, invitationId: row.id }));
        return { created };
      });
    },

    /**
     * Takes a colleague out of the organisation: their account is disabled and every session ends.
     * The organisation's last active member stays.
     */
    async removeMember(
      userId: string,
      org: Organisation,
      now: Date,
      audit: AuditEntryOf<AuthUser>,
    ): Promise<{ removed: AuthUser } | { refused: 'NOT_FOUND' | 'LAST_MEMBER' }> {
      return inTransaction(db, async (tx) => {
        // one removal per organisation at a time, so two colleagues cannot remove each other at once
        if ('enterpriseId' in org) {
          await tx.$executeRaw`SELECT 1 FROM enterprises WHERE id = ${org.enterpriseId}::uuid FOR UPDATE`;
        } else {
          await tx.$executeRaw`SELECT 1 FROM providers WHERE id = ${org.providerId}::uuid FOR UPDATE`;
        }
        const member = await tx.user.findFirst({
          where: { id: userId, ...orgWhere(org), disabledAt: null },
          select: { id: true },
        });
        if (!member) return { refused: 'NOT_FOUND' as const };
        const active = await tx.user.count({ where: { ...orgWhere(org), disabledAt: null } });
        if (active <= 1) return { refused: 'LAST_MEMBER' as const };
        const removed = toAuthUser(
          await tx.user.update({
            where: { id: userId },
            data: { disabledAt: now, tokenVersion: { increment: 1 } },
            select: userSelect,
          }),
        );
        await appendAudit(tx, audit(removed));
        return { removed };
      });
    },
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
