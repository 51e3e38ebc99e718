import type { AuthUser } from '../../domain/identity';

declare global {
  namespace Express {
    interface Request {
      /** set by the authentication step of every non-public route */
      user?: AuthUser;
    }
  }
}

export {};
