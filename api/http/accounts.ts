import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { NotificationRequest } from '../../activities/notifications';
import type { LinkPurpose, TokenRefusal } from '../../db/repositories/accounts';
import { durationMs } from '../../domain/duration';
import { LocaleSchema, RoleSchema, type AuthUser } from '../../domain/identity';
import type { TemplateName } from '../../notifications/templates';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import { linkToken } from './auth';
import { passwordJudge } from './password-judge';

export const UserView = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: RoleSchema,
    displayName: z.string(),
    locale: LocaleSchema,
    enterpriseId: z.uuid().nullable(),
    providerId: z.uuid().nullable(),
    emailVerified: z.boolean().meta({
      description:
        'the user followed the link mailed to their address; needed before an organisation’s first application or catalog',
    }),
  })
  .meta({ id: 'User' });

export const Session = z
  .object({
    token: z.string(),
    tokenType: z.literal('Bearer'),
    expiresAt: z.iso.datetime(),
    user: UserView,
  })
  .meta({ id: 'Session' });

export function userView(user: AuthUser): z.infer<typeof UserView> {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    displayName: user.displayName,
    locale: user.locale,
    enterpriseId: user.enterpriseId,
    providerId: user.providerId,
    emailVerified: user.emailVerified,
  };
}

/** A fresh token for the user at their current session version, with the user. */
export async function sessionFor(
  deps: ApiDeps,
  user: AuthUser,
  tokenVersion: number,
): Promise<z.infer<typeof Session>> {
  const { token, expiresAt } = await deps.tokens.issue({ ...user, tokenVersion });
  return { token, tokenType: 'Bearer', expiresAt: expiresAt.toISOString(), user: userView(user) };
}

/** A mailed token as it arrives in a request body. */
export const LinkTokenSchema = z
  .string()
  .trim()
  .min(1, { error: 'is required' })
  .max(200, { error: 'is not a token this service mailed' });

/** 400 PASSWORD_TOO_WEAK naming the field, the reason's key (for the portal's words) and its English sentence. */
export async function refuseGuessablePassword(
  password: string,
  about: { email: string; displayName: string },
  minimumScore: number,
  field = 'password',
): Promise<void> {
  const judgement = await passwordJudge.judge(password, about, minimumScore);
  if (judgement.acceptable) return;
  throw new AppError('INVALID', `The password is too easy to guess: ${judgement.explanation}`, {
    code: 'PASSWORD_TOO_WEAK',
    issues: [{ in: 'body', field, reason: judgement.explanation, code: judgement.reason }],
    details: {
      reason: judgement.reason,
      suggestions: judgement.suggestions,
      score: judgement.score,
      minimumScore: judgement.minimumScore,
    },
  });
}

const REFUSALS: Record<TokenRefusal, { code: string; reason: string }> = {
  UNKNOWN: { code: 'RESET_TOKEN_INVALID', reason: 'is not a link this service mailed, or it was replaced' },
  EXPIRED: { code: 'RESET_TOKEN_EXPIRED', reason: 'has expired; ask for a new link' },
  USED: { code: 'RESET_TOKEN_USED', reason: 'was already used; each link works once' },
};

/** 400 naming `token`, with a code per cause: `RESET_…`, `VERIFICATION_…` or `INVITATION_…`. */
export function refuseToken(kind: 'RESET' | 'VERIFICATION' | 'INVITATION', refusal: TokenRefusal): AppError {
  const { code, reason } = REFUSALS[refusal];
  const specific = code.replace('RESET_', `${kind}_`);
  return new AppError('INVALID', `The link ${reason}`, {
    code: specific,
    issues: [{ in: 'body', field: 'token', reason, code: specific }],
  });
}

export const EMAIL_NOT_VERIFIED_MESSAGE =
  'Confirm your e-mail address first: follow the link mailed to you when you registered, or ask for a new ' +
  'one on your account page. An organisation’s first application or catalog needs a confirmed address.';

/** 403 EMAIL_NOT_VERIFIED unless the caller confirmed their address. */
export function requireVerifiedEmail(user: AuthUser): void {
  if (user.emailVerified) return;
  throw new AppError('FORBIDDEN', EMAIL_NOT_VERIFIED_MESSAGE, { code: 'EMAIL_NOT_VERIFIED' });
}

/** Sends without holding the answer: a slow or failing mail server neither delays nor fails the request. */
export function mailInBackground<Name extends TemplateName>(
  deps: ApiDeps,
  request: NotificationRequest<Name>,
): void {
  deps.notify(request).catch((error: unknown) => {
    deps.logger.warn({ err: error, eventKey: request.eventKey }, 'could not send an account e-mail');
  });
}

const LINK_PAGES: Record<string, string> = {
  passwordReset: '/reset-password',
  accountSetup: '/reset-password',
  emailVerification: '/verify-email',
};

/** Stores a single-use link for the user and mails it; only the token's hash is kept. */
export async function mailAccountLink(
  deps: ApiDeps,
  user: AuthUser,
  purpose: LinkPurpose,
  template: 'passwordReset' | 'accountSetup' | 'emailVerification',
): Promise<void> {
  const ttl = {
    passwordReset: deps.env.PASSWORD_RESET_TTL,
    accountSetup: deps.env.ACCOUNT_SETUP_TTL,
    emailVerification: deps.env.EMAIL_VERIFICATION_TTL,
  }[template];
  const { token, hash } = linkToken();
  const id = randomUUID();
  const expiresAt = new Date(deps.clock.now().getTime() + durationMs(ttl));
  await deps.repos.accounts.createLink({ id, purpose, tokenHash: hash, userId: user.id, expiresAt });
  mailInBackground(deps, {
    eventKey: `account-link/${id}`,
    template,
    data: {
      displayName: user.displayName,
      path: `${LINK_PAGES[template]}?token=${encodeURIComponent(token)}`,
      expiresAt: expiresAt.toISOString(),
    },
    to: [{ recipients: [{ email: user.email, locale: user.locale }] }],
  });
}
