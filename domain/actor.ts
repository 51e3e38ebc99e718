/** Who did something: a user acting through the API, or the system acting on a timer or rule. */
export interface Actor {
  userId: string | null;
  role: 'SME' | 'PROVIDER' | 'ADMIN' | 'AUDITOR' | 'SYSTEM';
  organisationId: string | null;
}

/** The service itself: a deadline passed, a rule applied, a scheduled run. */
export const SYSTEM_ACTOR: Actor = { userId: null, role: 'SYSTEM', organisationId: null };
