import { Context } from '@temporalio/activity';
import { createAuditRepository } from '../db/repositories/audit';
import { GENESIS_HASH, SYSTEM_ACTOR } from '../domain/audit';
import type { ChainPosition } from '../domain/audit-verification';
import type { ActivityDeps } from './deps';

/** What a verification heartbeats: where it stands, so that a retry on another worker resumes there. */
interface Checkpoint {
  seq: string;
  hash: string;
  checked: number;
}

/** How often the progress the auditor sees is written, at most. */
const PROGRESS_EVERY_MS = 1_000;

/** Whole-chain verification of the audit log, run in the background by the `auditVerification` workflow. */
export function createAuditVerificationActivities({ db, clock }: ActivityDeps, pageSize = 5_000) {
  const audit = createAuditRepository(db);
  return {
    /** The scheduled run's start: recorded by the system, or the one already running. */
    async beginAuditVerification(): Promise<{ verificationId: string; started: boolean }> {
      const { record, started } = await audit.verifications.startFull(SYSTEM_ACTOR, clock.now(), null);
      return { verificationId: record.id, started };
    },

    /**
     * Checks every entry from the first to the head the verification recorded when it began, and records
     * what it found. Heartbeats where it stands after each page and resumes from its last heartbeat.
     */
    async verifyAuditChain(input: { verificationId: string }): Promise<{ state: string }> {
      const record = await audit.verifications.findById(input.verificationId);
      if (!record) throw new Error(`no audit verification ${input.verificationId}`);
      if (record.state !== 'RUNNING') return { state: record.state };
      const context = Context.current();
      const resumed = context.info.heartbeatDetails as Checkpoint | undefined;
      const from: ChainPosition = resumed
        ? { seq: BigInt(resumed.seq), hash: resumed.hash, checked: resumed.checked }
        : { seq: 0n, hash: GENESIS_HASH, checked: 0 };
      const toSeq = BigInt(record.toSeq);
      let written = Date.now();
      const result = await audit.check(from, toSeq, {
        pageSize,
        onPage: async (position) => {
          context.heartbeat({
            seq: position.seq.toString(),
            hash: position.hash,
            checked: position.checked,
          } satisfies Checkpoint);
          if (Date.now() - written >= PROGRESS_EVERY_MS) {
            written = Date.now();
            await audit.verifications.progress(record.id, position.checked, clock.now());
          }
        },
      });
      const finished = await audit.verifications.finishFull(record.id, result, clock.now());
      return { state: finished.state };
    },

    /** A verification whose process gave up concludes nothing; the next one may start. */
    async abandonAuditVerification(input: { verificationId: string }): Promise<void> {
      await audit.verifications.abandon(input.verificationId, clock.now());
    },
  };
}
