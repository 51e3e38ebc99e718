import type { Role, Session, User } from '../api/types';

/**
 * The signed-in session: the bearer token, when it expires and the user. Kept in sessionStorage, so it
 * lasts while the tab is open and ends with it. Listeners hear every change; an expiry carries the
 * reason the sign-in page shows.
 */
export interface SessionState {
  token: string;
  expiresAt: string;
  user: User;
}

export type EndReason = 'expired' | 'signedOut';

const KEY = 'vouchers.session';
let current: SessionState | null = read();
let endedBecause: EndReason | null = null;
const listeners = new Set<() => void>();
let expiryTimer: ReturnType<typeof setTimeout> | undefined;

function read(): SessionState | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as SessionState) : null;
  } catch {
    return null;
  }
}

function publish(): void {
  if (current) sessionStorage.setItem(KEY, JSON.stringify(current));
  else sessionStorage.removeItem(KEY);
  scheduleExpiry();
  for (const listener of listeners) listener();
}

/** Ends the session the moment its token expires, not at the next request. */
function scheduleExpiry(): void {
  clearTimeout(expiryTimer);
  if (!current) return;
  const left = new Date(current.expiresAt).getTime() - Date.now();
  // timers longer than ~24 days overflow; a token never lives that long
  expiryTimer = setTimeout(() => endSession('expired'), Math.max(0, Math.min(left, 2 ** 31 - 1)));
}

export const session = {
  get: (): SessionState | null => current,
  /** why the last session ended, without taking it */
  peekEndReason: (): EndReason | null => endedBecause,
  /** why the last session ended, once; the sign-in page reads it */
  takeEndReason(): EndReason | null {
    const reason = endedBecause;
    endedBecause = null;
    return reason;
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  start(answer: Session): void {
    current = { token: answer.token, expiresAt: answer.expiresAt, user: answer.user };
    endedBecause = null;
    publish();
  },
  updateUser(user: User): void {
    if (!current) return;
    current = { ...current, user };
    publish();
  },
};

export function endSession(reason: EndReason): void {
  if (!current) return;
  current = null;
  endedBecause = reason;
  publish();
}

/** Each role's own home page. */
export const HOME_OF: Record<Role, '/sme' | '/provider' | '/admin' | '/auditor'> = {
  SME: '/sme',
  PROVIDER: '/provider',
  ADMIN: '/admin',
  AUDITOR: '/auditor',
};

scheduleExpiry();
