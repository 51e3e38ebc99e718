import type { AuthUser, Role } from '../../domain/identity';
import type { Db } from '../client';
import { inTransaction } from '../tx';
import { appendAudit, type AuditEntryOf } from './audit';
import { afterCursor, newestFirst, toPage, type Page, type PageRequest } from './page';

const select = {
  id: true,
  email: true,
  role: true,
  displayName: true,
  locale: true,
  enterpriseId: true,
  providerId: true,
  emailVerifiedAt: true,
} as const;

interface UserRow {
  id: string;
  email: string;
  role: Role;
  displayName: string;
  locale: string;
  enterpriseId: string | null;
  providerId: string | null;
  emailVerifiedAt: Date | null;
}

function toAuthUser({ emailVerifiedAt, ...row }: UserRow): AuthUser {
  return { ...row, locale: row.locale === 'en' ? 'en' : 'zh-CN', emailVerified: emailVerifiedAt !== null };
}

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string;
  role: Role;
  displayName: string;
  locale: 'zh-CN' | 'en';
  enterpriseId?: string | null;
  providerId?: string | null;
  /** null for a self-registered user until they follow the mailed link */
  emailVerifiedAt?: Date | null;
}

/** What every authenticated request checks besides the token's signature. */
export interface SessionState {
  user: AuthUser;
  tokenVersion: number;
  disabled: boolean;
  /** this token was signed out */
  revoked: boolean;
}

/** A user as administrators list them. */
export interface UserRecord extends AuthUser {
  disabledAt: Date | null;
  createdAt: Date;
}

export interface UserFilter {
  role?: Role;
  /** part of the e-mail or name */
  search?: string;
}

export function createUserRepository(db: Db) {
  return {
    async findById(id: string): Promise<AuthUser | null> {
      const row = await db.user.findUnique({ where: { id }, select });
      return row ? toAuthUser(row) : null;
    },

    /** The display names of the people a page names, in one query. */
    async displayNames(ids: readonly string[]): Promise<Map<string, string>> {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Map();
      const rows = await db.user.findMany({
        where: { id: { in: unique } },
        select: { id: true, displayName: true },
      });
      return new Map(rows.map((row) => [row.id, row.displayName]));
    },

    /**
     * What every authenticated request checks, in one query: the user, their session version, whether
     * they are disabled, and whether this token (`jti`) was signed out.
     */
    async findSession(id: string, jti: string): Promise<SessionState | null> {
      const [row] = await db.$queryRaw<
        (UserRow & { tokenVersion: number; disabledAt: Date | null; revoked: boolean })[]
      >`
        SELECT u.id, u.email, u.role::text AS role, u.display_name AS "displayName", u.locale,
               u.enterprise_id AS "enterpriseId", u.provider_id AS "providerId",
               u.email_verified_at AS "emailVerifiedAt", u.token_version AS "tokenVersion",
               u.disabled_at AS "disabledAt",
               EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = ${jti}::uuid) AS revoked
          FROM users u
         WHERE u.id = ${id}::uuid`;
      if (!row) return null;
      const { tokenVersion, disabledAt, revoked, ...user } = row;
      return { user: toAuthUser(user), tokenVersion, disabled: disabledAt !== null, revoked };
    },

    async findCredentials(
      email: string,
    ): Promise<(AuthUser & { passwordHash: string; tokenVersion: number; disabled: boolean }) | null> {
      const row = await db.user.findUnique({
        where: { email: email.toLowerCase() },
        select: { ...select, passwordHash: true, tokenVersion: true, disabledAt: true },
      });
      if (!row) return null;
      const { passwordHash, tokenVersion, disabledAt, ...user } = row;
      return { ...toAuthUser(user), passwordHash, tokenVersion, disabled: disabledAt !== null };
    },

    /** The stored password hash of a user, to check their current password before a change. */
    async findPasswordHash(id: string): Promise<string | null> {
      const row = await db.user.findUnique({ where: { id }, select: { passwordHash: true } });
      return row?.passwordHash ?? null;
    },

    /** Creates the user; returns null when the e-mail is taken. */
    async create(user: NewUser, audit?: AuditEntryOf<AuthUser>): Promise<AuthUser | null> {
      const email = user.email.toLowerCase();
      const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
      if (existing) return null;
      try {
        return await inTransaction(db, async (tx) => {
          const created = toAuthUser(await tx.user.create({ data: { ...user, email }, select }));
          if (audit) await appendAudit(tx, audit(created));
          return created;
        });
      } catch (error) {
        // two registrations of one e-mail at once: the unique index refuses the second
        if ((error as { code?: string }).code === 'P2002') return null;
        throw error;
      }
    },

    /** Recipients for an organisation's mail: every active user of the enterprise or provider. */
    async ofOrganisation(org: { enterpriseId?: string; providerId?: string }): Promise<AuthUser[]> {
      const rows = await db.user.findMany({
        where: {
          ...(org.enterpriseId ? { enterpriseId: org.enterpriseId } : { providerId: org.providerId }),
          disabledAt: null,
        },
        select,
        orderBy: { createdAt: 'asc' },
      });
      return rows.map(toAuthUser);
    },

    async updatePreferences(
      id: string,
      changes: { displayName?: string; locale?: 'zh-CN' | 'en' },
    ): Promise<AuthUser> {
      const row = await db.user.update({ where: { id }, data: changes, select });
      return toAuthUser(row);
    },

    /** Active users of a role (mail recipients). */
    async withRole(role: Role): Promise<AuthUser[]> {
      const rows = await db.user.findMany({
        where: { role, disabledAt: null },
        select,
        orderBy: { createdAt: 'asc' },
      });
      return rows.map(toAuthUser);
    },

    /** A new password; every session of the user ends (the caller issues a fresh one if it should). */
    async setPassword(id: string, passwordHash: string, audit: AuditEntryOf<AuthUser>): Promise<number> {
      return inTransaction(db, async (tx) => {
        const row = await tx.user.update({
          where: { id },
          data: { passwordHash, tokenVersion: { increment: 1 } },
          select: { ...select, tokenVersion: true },
        });
        const { tokenVersion, ...user } = row;
        await appendAudit(tx, audit(toAuthUser(user)));
        return tokenVersion;
      });
    },

    /** Every token issued so far stops working. */
    async endSessions(id: string, audit: AuditEntryOf<AuthUser>): Promise<void> {
      await inTransaction(db, async (tx) => {
        const row = await tx.user.update({
          where: { id },
          data: { tokenVersion: { increment: 1 } },
          select,
        });
        await appendAudit(tx, audit(toAuthUser(row)));
      });
    },

    /**
     * Disables (ending every session) or enables an account; null when there is no such user. The last
     * active administrator stays: the active administrators are locked while they are counted, so two
     * administrators disabling each other at once cannot leave none.
     */
    async setDisabled(
      id: string,
      disabled: boolean,
      at: Date,
      audit: AuditEntryOf<UserRecord>,
    ): Promise<UserRecord | null | 'LAST_ADMINISTRATOR'> {
      return inTransaction(db, async (tx) => {
        const found = await tx.user.findUnique({ where: { id }, select: { disabledAt: true, role: true } });
        if (!found) return null;
        if (disabled && found.role === 'ADMIN' && found.disabledAt === null) {
          const active = await tx.$queryRaw<{ id: string }[]>`
            SELECT id FROM users WHERE role = 'ADMIN' AND disabled_at IS NULL ORDER BY id FOR UPDATE`;
          if (active.length <= 1) return 'LAST_ADMINISTRATOR' as const;
        }
        const row = await tx.user.update({
          where: { id },
          data: disabled
            ? { disabledAt: found.disabledAt ?? at, tokenVersion: { increment: 1 } }
            : { disabledAt: null },
          select: { ...select, disabledAt: true, createdAt: true },
        });
        const record = toUserRecord(row);
        await appendAudit(tx, audit(record));
        return record;
      });
    },

    async page(filter: UserFilter, request: PageRequest): Promise<Page<UserRecord>> {
      const search = filter.search?.trim();
      const rows = await db.user.findMany({
        where: {
          ...(filter.role ? { role: filter.role } : {}),
          ...(search
            ? {
                OR: [
                  { email: { contains: search, mode: 'insensitive' as const } },
                  { displayName: { contains: search, mode: 'insensitive' as const } },
                ],
              }
            : {}),
          ...afterCursor(request.after),
        },
        select: { ...select, disabledAt: true, createdAt: true },
        orderBy: newestFirst,
        take: request.limit + 1,
      });
      return toPage(rows, request.limit, toUserRecord);
    },
  };
}

export function toUserRecord(row: UserRow & { disabledAt: Date | null; createdAt: Date }): UserRecord {
  const { disabledAt, createdAt, ...user } = row;
  return { ...toAuthUser(user), disabledAt, createdAt };
}

export { select as userSelect, toAuthUser };

export type UserRepository = ReturnType<typeof createUserRepository>;
