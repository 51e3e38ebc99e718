import { applicationWorkflowId } from '../domain/application';
import { chainedText, type Actor, type AuditContent, type JsonValue } from '../domain/audit';
import { bookingWorkflowId, settlementWorkflowId } from '../domain/booking';
import { providerWorkflowId } from '../domain/provider';
import { voucherCode } from '../domain/voucher';
import { cell } from './lib-scale-copy';
import { createLife, EVENTS, PROGRAMMES } from './lib-scale-life';
import { DAY, idOf, providerOf, T, VALIDITY_DAYS, type Counts } from './lib-scale-world';

/** What the audit entries of the seeded events say, rendered where the hashing needs it. */
export interface AuditWorld {
  seed: number;
  counts: Counts;
  budgets: number[];
  batchProgramme: number[];
  batchMonth: string[];
  batchTotal: number[];
  transferBatch: number[];
  transferProvider: number[];
  transferAmount: number[];
  transferClaims: number[];
}

const STAFF_ROLES = ['ADMIN', 'ADMIN', 'AUDITOR'] as const;
const STAFF_EMAILS = [
  'admin@scale.vouchers.test',
  'admin2@scale.vouchers.test',
  'auditor@scale.vouchers.test',
];

export function createAuditRenderer(world: AuditWorld) {
  const { seed, counts } = world;
  const life = createLife(seed, counts);
  const admin = (k: number): Actor => ({ userId: idOf(T.user, k), role: 'ADMIN', organisationId: null });
  const system: Actor = { userId: null, role: 'SYSTEM', organisationId: null };
  const sme = (e: number): Actor => ({
    userId: idOf(T.user, 10 + e),
    role: 'SME',
    organisationId: idOf(T.enterprise, e),
  });
  const staff = (p: number): Actor => ({
    userId: idOf(T.user, 10 + counts.enterprises + p),
    role: 'PROVIDER',
    organisationId: idOf(T.provider, p),
  });
  const voucherCache = new Map<number, { app: ReturnType<typeof life.application>; province: string }>();
  const voucherFacts = (v: number) => {
    let found = voucherCache.get(v);
    if (!found) {
      if (voucherCache.size > 100_000) voucherCache.clear();
      const app = life.application(life.voucherApplication(v));
      found = { app, province: life.enterprise(app.enterprise).province };
      voucherCache.set(v, found);
    }
    return found;
  };

  function content(kind: number, a: number, b: number): Omit<AuditContent, 'id' | 'at' | 'requestId'> {
    const [action, entityType] = EVENTS[kind]!;
    const entry = (
      actor: Actor,
      entityId: string,
      before: JsonValue | null,
      after: JsonValue | null,
      workflowId: string | null = null,
    ) => ({ actor, action, entityType, entityId, before, after, workflowId, runId: null });
    switch (action) {
      case 'PROGRAMME_CREATED': {
        const p = PROGRAMMES[a]!;
        return entry(admin(0), p.id, null, {
          name: p.name,
          year: p.year,
          regionCode: p.regionCode,
          budgetFen: world.budgets[a]!,
        });
      }
      case 'PROVIDER_REGISTERED': {
        const p = providerOf(seed, a);
        return entry(
          staff(a),
          p.id,
          null,
          { name: p.name, creditCode: p.creditCode, kind: p.kind, status: 'PENDING_VERIFICATION' },
          providerWorkflowId(p.id),
        );
      }
      case 'PROVIDER_LISTED':
        return entry(
          admin(0),
          idOf(T.provider, a),
          { status: 'PENDING_VERIFICATION' },
          { status: 'LISTED' },
          providerWorkflowId(idOf(T.provider, a)),
        );
      case 'ENTERPRISE_REGISTERED': {
        const e = life.enterprise(a);
        return entry(sme(a), e.id, null, {
          creditCode: e.creditCode,
          name: e.name,
          regionCode: e.regionCode,
          industryCode: e.industryCode,
        });
      }
      case 'SIGNED_IN': {
        const actor =
          a < 10
            ? { userId: idOf(T.user, a), role: STAFF_ROLES[a]!, organisationId: null }
            : a < 10 + counts.enterprises
              ? sme(a - 10)
              : staff(a - 10 - counts.enterprises);
        const email =
          a < 10
            ? STAFF_EMAILS[a]!
            : a < 10 + counts.enterprises
              ? `sme${a - 10}@enterprise.example.cn`
              : `staff${a - 10 - counts.enterprises}@provider.example.cn`;
        return entry(actor, email, null, { email, address: '127.0.0.1', userId: actor.userId });
      }
      case 'PAYOUT_BATCH_OPENED':
      case 'PAYOUT_BATCH_COMPLETED': {
        const programme = PROGRAMMES[world.batchProgramme[a]!]!;
        const after: JsonValue =
          action === 'PAYOUT_BATCH_OPENED'
            ? { programmeId: programme.id, runKey: `${programme.id}/${world.batchMonth[a]!}` }
            : { status: 'COMPLETED', totalFen: world.batchTotal[a]! };
        return entry(system, idOf(T.batch, a), null, after);
      }
      case 'TRANSFER_SENT':
        return entry(system, idOf(T.transfer, a), null, {
          providerId: idOf(T.provider, world.transferProvider[a]!),
          amountFen: world.transferAmount[a]!,
          reference: `GW${String(a).padStart(10, '0')}`,
          claims: world.transferClaims[a]!,
        });
    }
    if (entityType === 'application') {
      const app = life.application(a);
      const wf = applicationWorkflowId(app.id);
      switch (action) {
        case 'APPLICATION_SUBMITTED':
          return entry(
            sme(app.enterprise),
            app.id,
            null,
            { status: 'SUBMITTED', programmeId: app.programme.id, requestedAmountFen: app.requestedFen },
            wf,
          );
        case 'APPLICATION_UNDER_REVIEW':
          return entry(
            system,
            app.id,
            { status: 'SUBMITTED' },
            { status: 'UNDER_REVIEW', eligibilityIssues: [] },
            wf,
          );
        case 'APPLICATION_APPROVED':
          return entry(
            admin(0),
            app.id,
            { status: 'UNDER_REVIEW' },
            { status: 'APPROVED', approvedAmountFen: app.approvedFen },
            wf,
          );
        case 'APPLICATION_REJECTED':
          return entry(admin(0), app.id, { status: 'UNDER_REVIEW' }, { status: 'REJECTED' }, wf);
        default:
          return entry(admin(0), app.id, { status: 'UNDER_REVIEW' }, { status: 'INFO_REQUESTED' }, wf);
      }
    }
    const { app, province } = voucherFacts(a);
    if (entityType === 'voucher') {
      const id = idOf(T.voucher, a);
      const wf = applicationWorkflowId(app.id);
      if (action === 'VOUCHER_ISSUED') {
        const issuedAt = app.decidedAt! + 60_000;
        return entry(
          system,
          id,
          null,
          {
            code: voucherCode(id, app.programme.year),
            faceValueFen: app.approvedFen,
            validUntil: new Date(issuedAt + VALIDITY_DAYS * DAY).toISOString(),
          },
          wf,
        );
      }
      const status = action.replace('VOUCHER_', '');
      return entry(
        action === 'VOUCHER_REVOKED' ? admin(0) : system,
        id,
        { status: 'ACTIVE' },
        { status },
        wf,
      );
    }
    const j = life.bookingBase(a) + b;
    const bookingId = idOf(T.booking, j);
    const provider = life.bookingProvider(j, province);
    if (entityType === 'claim') {
      const id = idOf(T.claim, j);
      const wf = settlementWorkflowId(bookingId);
      if (action === 'CLAIM_CREATED')
        return entry(system, id, null, { status: 'PENDING_REVIEW', bookingId }, wf);
      const status = action === 'CLAIM_REJECTED' ? 'REJECTED' : 'APPROVED';
      return entry(
        action === 'CLAIM_AUTO_APPROVED' ? system : admin(1),
        id,
        { status: 'PENDING_REVIEW' },
        { status },
        wf,
      );
    }
    const wf = bookingWorkflowId(bookingId);
    const [actor, before, after]: [Actor, string | null, string] = (
      {
        BOOKING_REQUESTED: [sme(app.enterprise), null, 'REQUESTED'],
        BOOKING_CONFIRMED: [staff(provider), 'REQUESTED', 'CONFIRMED'],
        BOOKING_DECLINED: [staff(provider), 'REQUESTED', 'DECLINED'],
        BOOKING_CONFIRMATION_EXPIRED: [system, 'REQUESTED', 'CONFIRMATION_EXPIRED'],
        BOOKING_CANCELLED: [sme(app.enterprise), 'REQUESTED', 'CANCELLED'],
        BOOKING_LAPSED: [system, 'CONFIRMED', 'LAPSED'],
        SAMPLE_RECEIVED: [staff(provider), 'CONFIRMED', 'SAMPLE_RECEIVED'],
        REPORT_UPLOADED: [staff(provider), 'SAMPLE_RECEIVED', 'REPORTED'],
        REPORT_ACCEPTED: [sme(app.enterprise), 'REPORTED', 'ACCEPTED'],
        REPORT_AUTO_ACCEPTED: [system, 'REPORTED', 'ACCEPTED'],
        REPORT_DISPUTED: [sme(app.enterprise), 'REPORTED', 'DISPUTED'],
        DISPUTE_RESOLVED: [admin(0), 'DISPUTED', 'ACCEPTED'],
      } as Record<string, [Actor, string | null, string]>
    )[action]!;
    return entry(
      actor,
      bookingId,
      before === null ? null : { status: before },
      action === 'BOOKING_REQUESTED'
        ? { status: after, voucherId: idOf(T.voucher, a), providerId: idOf(T.provider, provider) }
        : { status: after },
      wf,
    );
  }

  /**
   * Entry `seq` (1-based) as two texts around its previous hash (what `auditHash` hashes) and the
   * COPY cells of its row from `id` to `request_id`.
   */
  return function render(seq: number, at: number, kind: number, a: number, b: number) {
    const partial = content(kind, a, b);
    const full: AuditContent = {
      id: idOf(T.audit, seq),
      at: new Date(at).toISOString(),
      ...partial,
      requestId: partial.actor.userId === null ? null : idOf(T.audit + 100, seq),
    };
    const text = chainedText(full);
    const cells = [
      full.id,
      full.at,
      full.actor.userId,
      full.actor.role,
      full.actor.organisationId,
      full.action,
      full.entityType,
      full.entityId,
      full.before,
      full.after,
      full.workflowId,
      full.runId,
      full.requestId,
    ];
    return { before: text.before, after: text.after, cells: cells.map(cell).join('\t') };
  };
}
