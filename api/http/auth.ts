import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../../activities/deps';
import { AppError } from '../errors';
import type { AuthUser } from './route';

const AUDIENCE = 'testing-vouchers-api';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** argon2id with the library's defaults (19 MiB, 2 passes: OWASP's first recommendation). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// compared against when the e-mail is unknown, so a login takes as long whether or not the user exists
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hash('decoy-password-for-unknown-users');
  return decoyHash;
}

/** What a verified token says: whose it is, its id (for signing it out) and the session version it carries. */
export interface TokenClaims {
  userId: string;
  jti: string;
  version: number;
  expiresAt: Date;
}

export interface TokenService {
  issue(
    user: Pick<AuthUser, 'id' | 'role'> & { tokenVersion: number },
  ): Promise<{ token: string; expiresAt: Date; jti: string }>;
  /** the token's claims; throws UNAUTHENTICATED (TOKEN_INVALID, TOKEN_EXPIRED) */
  verify(token: string): Promise<TokenClaims>;
}

const invalid = (message: string) =>
  new AppError('UNAUTHENTICATED', message, {
    code: 'TOKEN_INVALID',
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });

export function createTokenService(options: {
  secret: string;
  issuer: string;
  ttlSeconds: number;
  clock: Clock;
}): TokenService {
  const key = new TextEncoder().encode(options.secret);
  return {
    async issue(user) {
      const issuedAt = Math.floor(options.clock.now().getTime() / 1000);
      const expiresAt = new Date((issuedAt + options.ttlSeconds) * 1000);
      const jti = randomUUID();
      const token = await new SignJWT({ role: user.role, ver: user.tokenVersion })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(user.id)
        .setJti(jti)
        .setIssuer(options.issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
      return { token, expiresAt, jti };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: options.issuer,
          audience: AUDIENCE,
          algorithms: ['HS256'],
          currentDate: options.clock.now(),
        });
        if (!payload.sub) throw invalid('The token names no user');
        // tokens issued before sessions could be ended carry neither: they cannot be signed out, so they end here
        if (!UUID.test(payload.sub)) throw invalid('The token names no user');
        if (
          typeof payload.jti !== 'string' ||
          !UUID.test(payload.jti) ||
          !Number.isInteger(payload.ver) ||
          payload.exp === undefined
        ) {
          throw invalid('The token is of an older kind; sign in again');
        }
        return {
          userId: payload.sub,
          jti: payload.jti,
          version: payload.ver as number,
          expiresAt: new Date(payload.exp * 1000),
        };
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (error instanceof errors.JWTExpired) {
          throw new AppError('UNAUTHENTICATED', 'The token has expired; log in again', {
            code: 'TOKEN_EXPIRED',
            headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="expired"' },
          });
        }
        throw invalid('The token is not valid');
      }
    },
  };
}

/** A random single-use token for a mailed link, and the SHA-256 that is all the database keeps of it. */
export function linkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
