import { SYSTEM_ACTOR, type Actor, type JsonValue } from '../domain/audit';
import type { ProviderStatus } from '../domain/catalog';
import {
  describeAccreditation,
  firstLapse,
  lapsedAt,
  type Accreditation,
  type ProviderRecord,
  type ProviderSubmission,
} from '../domain/provider';
import {
  lockProvider,
  openBookingsOf,
  replaceAccreditations,
  updateProvider,
} from '../db/repositories/providers';
import { inTransaction, type Tx } from '../db/tx';
import { recordChange } from './context';
import type { ActivityDeps } from './deps';
import { refused } from './refusal';

/** What the onboarding process knows of its provider after each step. */
export interface ProviderProcessState {
  providerId: string;
  providerName: string;
  status: ProviderStatus;
  /** the submission waiting for verification */
  pending: { submissionId: string; submittedAt: string; renewal: boolean; accreditations: string } | null;
  /** the verified accreditation that lapses first, and when */
  firstLapse: { at: string; accreditation: string; expiresOn: string } | null;
}

export interface Caller {
  actor: Actor;
  requestId: string | null;
}

export type VerificationResult =
  | { ok: true; state: ProviderProcessState; narrowedServices: number }
  | { ok: false; code: 'ACCREDITATION_EXPIRED'; message: string };

export interface Delisting {
  state: ProviderProcessState;
  /** set when the provider is delisted for a lapsed accreditation (now or by an earlier try) */
  delisted: { reason: string; affectedBookings: { bookingId: string; enterpriseId: string }[] } | null;
}

function stateOf(provider: ProviderRecord): ProviderProcessState {
  const at = firstLapse(provider.accreditations);
  const first = at ? provider.accreditations.find((a) => a.expiresAt === at)! : null;
  return {
    providerId: provider.id,
    providerName: provider.name,
    status: provider.status,
    pending: provider.pending
      ? {
          submissionId: provider.pending.submissionId,
          submittedAt: provider.pending.submittedAt,
          // a provider that was listed before asks to renew; any other asks to be listed
          renewal: provider.accreditations.length > 0,
          accreditations: provider.pending.accreditations
            .map((a) => `${describeAccreditation(a)} (${a.expiresOn})`)
            .join(', '),
        }
      : null,
    firstLapse: first
      ? { at: first.expiresAt, accreditation: describeAccreditation(first), expiresOn: first.expiresOn }
      : null,
  };
}

const summary = (accreditations: readonly Accreditation[]): JsonValue =>
  accreditations.map((a) => ({
    kind: a.kind,
    number: a.number,
    expiresOn: a.expiresOn,
    scope: a.scope.length,
  }));

function snapshot(provider: ProviderRecord): JsonValue {
  return {
    status: provider.status,
    statusReason: provider.statusReason,
    accreditations: summary(provider.accreditations),
    pendingSubmission: provider.pending?.submissionId ?? null,
  };
}

async function locked(tx: Tx, providerId: string): Promise<ProviderRecord> {
  const provider = await lockProvider(tx, providerId);
  if (!provider) throw refused('NOT_FOUND', 'PROVIDER_NOT_FOUND', `provider ${providerId} does not exist`);
  return provider;
}

export function createProviderActivities({ db, clock }: ActivityDeps) {
  return {
    async providerProcessState(input: { providerId: string }): Promise<ProviderProcessState> {
      return inTransaction(db, async (tx) => stateOf(await locked(tx, input.providerId)));
    },

    /** Puts submitted accreditations up for verification; a rejected or delisted provider waits again. */
    async recordAccreditationSubmission(
      input: Caller & { providerId: string; submission: ProviderSubmission },
    ): Promise<ProviderProcessState> {
      return inTransaction(db, async (tx) => {
        const provider = await locked(tx, input.providerId);
        if (provider.pending?.submissionId === input.submission.submissionId) return stateOf(provider);
        const reopens = provider.status === 'REJECTED' || provider.status === 'DELISTED';
        await updateProvider(tx, provider.id, {
          pending: input.submission,
          ...(reopens ? { status: 'PENDING_VERIFICATION', statusReason: null } : {}),
        });
        const after = (await lockProvider(tx, provider.id))!;
        await recordChange(tx, {
          actor: input.actor,
          requestId: input.requestId,
          action: 'ACCREDITATIONS_SUBMITTED',
          entityType: 'provider',
          entityId: provider.id,
          before: snapshot(provider),
          after: { ...(snapshot(after) as object), submitted: summary(input.submission.accreditations) },
        });
        return stateOf(after);
      });
    },

    /**
     * Records the administrator's decision on one submission. Approval makes the submitted
     * accreditations the verified ones, lists the provider, and takes the in-scope mark off services
     * the new scope no longer covers. Rejection of a first registration rejects the provider; of a
     * renewal, it leaves the provider on its current accreditations.
     */
    async decideProviderVerification(
      input: Caller & {
        providerId: string;
        submissionId: string;
        decision: 'APPROVE' | 'REJECT';
        reason: string | null;
      },
    ): Promise<VerificationResult> {
      return inTransaction(db, async (tx) => {
        const provider = await locked(tx, input.providerId);
        const pending = provider.pending;
        // the process decides one submission at a time: another here means this step already ran
        if (pending?.submissionId !== input.submissionId)
          return { ok: true, state: stateOf(provider), narrowedServices: 0 };
        const now = clock.now();
        const base = {
          actor: input.actor,
          requestId: input.requestId,
          entityType: 'provider',
          entityId: provider.id,
        };
        if (input.decision === 'APPROVE') {
          const lapsed = lapsedAt(pending.accreditations, now.getTime());
          if (lapsed.length) {
            return {
              ok: false,
              code: 'ACCREDITATION_EXPIRED',
              message: `${lapsed.map(describeAccreditation).join(', ')} lapsed on ${lapsed[0]!.expiresOn}; ask the provider to submit a current certificate`,
            };
          }
          const narrowed = await replaceAccreditations(tx, provider.id, pending.accreditations);
          await updateProvider(tx, provider.id, { status: 'LISTED', statusReason: null, pending: null });
          const after = (await lockProvider(tx, provider.id))!;
          await recordChange(tx, {
            ...base,
            action: provider.status === 'LISTED' ? 'ACCREDITATIONS_RENEWED' : 'PROVIDER_LISTED',
            before: snapshot(provider),
            after: { ...(snapshot(after) as object), servicesTakenOutOfScope: narrowed },
          });
          return { ok: true, state: stateOf(after), narrowedServices: narrowed.length };
        }
        const rejectsProvider = provider.status === 'PENDING_VERIFICATION';
        await updateProvider(tx, provider.id, {
          pending: null,
          ...(rejectsProvider ? { status: 'REJECTED', statusReason: input.reason } : {}),
        });
        const after = (await lockProvider(tx, provider.id))!;
        await recordChange(tx, {
          ...base,
          action: rejectsProvider ? 'PROVIDER_REJECTED' : 'ACCREDITATIONS_REJECTED',
          before: snapshot(provider),
          after: { ...(snapshot(after) as object), reason: input.reason },
        });
        return { ok: true, state: stateOf(after), narrowedServices: 0 };
      });
    },

    /** Delists a listed provider whose accreditation has lapsed; says who must be told. */
    async delistLapsedProvider(input: { providerId: string }): Promise<Delisting> {
      return inTransaction(db, async (tx) => {
        let provider = await locked(tx, input.providerId);
        const lapsed = lapsedAt(provider.accreditations, clock.now().getTime());
        if (!lapsed.length || (provider.status !== 'LISTED' && provider.status !== 'DELISTED')) {
          return { state: stateOf(provider), delisted: null };
        }
        if (provider.status === 'LISTED') {
          const reason = lapsed
            .map((a) => `${a.kind} accreditation ${describeAccreditation(a)} expired on ${a.expiresOn}`)
            .join('; ');
          await updateProvider(tx, provider.id, { status: 'DELISTED', statusReason: reason });
          const before = provider;
          provider = (await lockProvider(tx, provider.id))!;
          await recordChange(tx, {
            actor: SYSTEM_ACTOR,
            action: 'PROVIDER_DELISTED',
            entityType: 'provider',
            entityId: provider.id,
            before: snapshot(before),
            after: snapshot(provider),
          });
        }
        return {
          state: stateOf(provider),
          delisted: {
            reason: provider.statusReason ?? 'accreditation expired',
            affectedBookings: await openBookingsOf(tx, provider.id),
          },
        };
      });
    },

    /** A step of the process that changes no state but belongs in the timeline (reminders sent). */
    async recordProviderEvent(input: { providerId: string; action: string; note: string }): Promise<void> {
      await inTransaction(db, (tx) =>
        recordChange(tx, {
          actor: SYSTEM_ACTOR,
          action: input.action,
          entityType: 'provider',
          entityId: input.providerId,
          after: { note: input.note },
        }),
      );
    },
  };
}
