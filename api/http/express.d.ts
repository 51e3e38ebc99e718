import type { AuthUser } from '../../domain/identity';

declare global {
  namespace Express {
    interface Request {
      /** set by the authentication step of every non-public route */
      user?: AuthUser;
      /** the bearer token's id and expiry, for signing it out */
      token?: { jti: string; expiresAt: Date };
    }
  }
}

export {};
