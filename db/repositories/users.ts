import type { AuthUser, Role } from '../../domain/identity';
import type { Db } from '../client';

const select = {
  id: true,
  email: true,
  role: true,
  displayName: true,
  locale: true,
  enterpriseId: true,
  providerId: true,
} as const;

function toAuthUser(row: {
  id: string;
  email: string;
  role: Role;
  displayName: string;
  locale: string;
  enterpriseId: string | null;
  providerId: string | null;
}): AuthUser {
  return { ...row, locale: row.locale === 'en' ? 'en' : 'zh-CN' };
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
}

export function createUserRepository(db: Db) {
  return {
    async findById(id: string): Promise<AuthUser | null> {
      const row = await db.user.findUnique({ where: { id }, select });
      return row ? toAuthUser(row) : null;
    },

    async findCredentials(email: string): Promise<(AuthUser & { passwordHash: string }) | null> {
      const row = await db.user.findUnique({
        where: { email: email.toLowerCase() },
        select: { ...select, passwordHash: true },
      });
      return row ? { ...toAuthUser(row), passwordHash: row.passwordHash } : null;
    },

    /** Creates the user; returns null when the e-mail is taken. */
    async create(user: NewUser): Promise<AuthUser | null> {
      const existing = await db.user.findUnique({
        where: { email: user.email.toLowerCase() },
        select: { id: true },
      });
      if (existing) return null;
      const row = await db.user.create({ data: { ...user, email: user.email.toLowerCase() }, select });
      return toAuthUser(row);
    },

    /** Creates or refreshes a user by e-mail (demo seed). */
    async upsert(user: NewUser): Promise<AuthUser> {
      const email = user.email.toLowerCase();
      const row = await db.user.upsert({
        where: { email },
        create: { ...user, email },
        update: { passwordHash: user.passwordHash, role: user.role, displayName: user.displayName },
        select,
      });
      return toAuthUser(row);
    },

    /** Recipients for an organisation's mail: every user of the enterprise or provider. */
    async ofOrganisation(org: { enterpriseId?: string; providerId?: string }): Promise<AuthUser[]> {
      const rows = await db.user.findMany({
        where: org.enterpriseId ? { enterpriseId: org.enterpriseId } : { providerId: org.providerId },
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

    async withRole(role: Role): Promise<AuthUser[]> {
      const rows = await db.user.findMany({ where: { role }, select, orderBy: { createdAt: 'asc' } });
      return rows.map(toAuthUser);
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
