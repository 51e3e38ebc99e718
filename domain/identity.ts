import { z } from 'zod';

export const ROLES = ['SME', 'PROVIDER', 'ADMIN', 'AUDITOR'] as const;
export const RoleSchema = z.enum(ROLES).meta({ id: 'Role' });
export type Role = z.infer<typeof RoleSchema>;

export const LocaleSchema = z
  .enum(['zh-CN', 'en'])
  .meta({ id: 'Locale', description: 'language of e-mails and messages; zh-CN by default' });
export type Locale = z.infer<typeof LocaleSchema>;

export const EmailSchema = z.email({ error: 'must be an e-mail address' }).max(254).toLowerCase();

/**
 * At least 12 characters; length beats composition rules (NIST SP 800-63B). A new password must also
 * be hard to guess: see `judgePassword` (domain/password.ts).
 */
export const PasswordSchema = z
  .string()
  .min(12, { error: 'must be at least 12 characters' })
  .max(256, { error: 'must be at most 256 characters' });

/** A user as the service knows them: one role and, for SME and provider staff, one organisation. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  displayName: string;
  locale: Locale;
  enterpriseId: string | null;
  providerId: string | null;
  /** the user followed the link mailed to their address (or was created by someone who vouches for it) */
  emailVerified: boolean;
}

/** Staff accounts, created by administrators or the command line, never by registration. */
export const STAFF_ROLES = ['ADMIN', 'AUDITOR'] as const;
export const StaffRoleSchema = z.enum(STAFF_ROLES, { error: 'must be ADMIN or AUDITOR' });
