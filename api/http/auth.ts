import { hash, verify } from '@node-rs/argon2';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../../activities/deps';
import { AppError } from '../errors';
import type { AuthUser } from './route';

const AUDIENCE = 'testing-vouchers-api';

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

export interface TokenService {
  issue(user: Pick<AuthUser, 'id' | 'role'>): Promise<{ token: string; expiresAt: Date }>;
  /** the user id the token was issued to; throws UNAUTHENTICATED */
  verify(token: string): Promise<string>;
}

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
      const token = await new SignJWT({ role: user.role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(user.id)
        .setIssuer(options.issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: options.issuer,
          audience: AUDIENCE,
          algorithms: ['HS256'],
          currentDate: options.clock.now(),
        });
        if (!payload.sub)
          throw new AppError('UNAUTHENTICATED', 'The token names no user', { code: 'TOKEN_INVALID' });
        return payload.sub;
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (error instanceof errors.JWTExpired) {
          throw new AppError('UNAUTHENTICATED', 'The token has expired; log in again', {
            code: 'TOKEN_EXPIRED',
            headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="expired"' },
          });
        }
        throw new AppError('UNAUTHENTICATED', 'The token is not valid', {
          code: 'TOKEN_INVALID',
          headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        });
      }
    },
  };
}
