import { kpiTriggersOff } from './lib-kpi-triggers';
import pg from 'pg';
import { hashPassword } from '../api/http/auth';
import { postgresConfig } from '../config/database';
import { ACCOUNTS, MOVEMENTS, type Movement } from '../domain/ledger';
import { applicationWorkflowId } from '../domain/application';
import { bookingWorkflowId, settlementWorkflowId } from '../domain/booking';
import { copyRows, day, iso, textArray, type TableTiming } from './lib-scale-copy';
import { PROGRAMMES, serviceIdOf, type VoucherLife } from './lib-scale-life';
import { ADMINS, batchId, plan, providerUser, smeUser, transferId, type Plan } from './lib-scale-plan';
import { seedAudit } from './lib-scale-audit';
import { DAY, END, idOf, PROFILES, providerOf, T, type Counts } from './lib-scale-world';

export const STAFF = [
  { email: 'admin@scale.vouchers.test', role: 'ADMIN', name: '系统管理员' },
  { email: 'admin2@scale.vouchers.test', role: 'ADMIN', name: '复核管理员' },
  { email: 'auditor@scale.vouchers.test', role: 'AUDITOR', name: '审计员' },
] as const;

export interface SeedResult {
  plan: Plan;
  tables: TableTiming[];
  seconds: number;
  planSeconds: number;
  /** the KPI figures counted from the copied rows by kpi_rebuild() */
  kpiRebuildSeconds: number;
}

const MOVEMENT_CODES = Object.keys(MOVEMENTS) as Movement[];

/**
 * Writes the seeded country into a migrated database with COPY, tables in foreign-key order:
 * reference data, then the life of every voucher, then the ledger, then the hash-chained audit log.
 */
export async function seedScale(options: {
  databaseUrl: string;
  seed: number;
  counts: Counts;
  staffPassword: string;
  say: (line: string) => void;
}): Promise<SeedResult> {
  const { seed, counts, say } = options;
  const started = performance.now();
  const planned = plan(seed, counts, say);
  const planSeconds = (performance.now() - started) / 1000;
  say(`planned in ${planSeconds.toFixed(1)} s: ${planned.events.length} audit events`);
  const { life } = planned;
  const pool = new pg.Pool(postgresConfig(options.databaseUrl, { max: 2 }));
  const client = await pool.connect();
  const tables: TableTiming[] = [];
  const copy = async (table: string, columns: string[], rows: Iterable<readonly unknown[]>) => {
    const timing = await copyRows(client, table, columns, rows);
    tables.push(timing);
    say(`${table}: ${timing.rows} rows in ${timing.seconds} s (${timing.rowsPerSecond}/s)`);
  };
  function* eachVoucher(): Generator<VoucherLife> {
    for (let v = 0; v < counts.vouchers; v += 1) yield life.voucher(v);
  }
  const admin = idOf(T.user, 0);
  let released = false;
  let restoreKpiTriggers: Awaited<ReturnType<typeof kpiTriggersOff>> | undefined;
  let kpiRebuildSeconds: number | undefined;
  try {
    await client.query(`SET synchronous_commit = off`);
    // the figures are counted once from the copied rows at the end
    restoreKpiTriggers = await kpiTriggersOff(client);
    await copy(
      'programmes',
      [
        'id',
        'name',
        'authority',
        'year',
        'region_code',
        'budget_fen',
        'policy',
        'status',
        'created_by',
        'created_at',
      ],
      PROGRAMMES.map((p) => [
        p.id,
        p.name,
        p.authority,
        p.year,
        p.regionCode,
        planned.budgets[p.index],
        p.policy,
        p.year < 2025 ? 'CLOSED' : 'ACTIVE',
        admin,
        iso(Date.UTC(p.year - 1, 11, 1, 2)),
      ]),
    );
    await copy(
      'ledger_accounts',
      ['programme_id', 'account', 'balance_fen'],
      PROGRAMMES.flatMap((p) => ACCOUNTS.map((a) => [p.id, a, planned.balances[p.index]![a]])),
    );

    await copy(
      'enterprises',
      [
        'id',
        'credit_code',
        'name',
        'region_code',
        'industry_code',
        'employees',
        'annual_revenue_fen',
        'legal_representative',
        'contact_phone',
        'address',
        'tags',
        'created_at',
      ],
      (function* () {
        for (let e = 0; e < counts.enterprises; e += 1) {
          const x = life.enterprise(e);
          yield [
            x.id,
            x.creditCode,
            x.name,
            x.regionCode,
            x.industryCode,
            x.employees,
            x.annualRevenueFen,
            x.legalRepresentative,
            x.contactPhone,
            x.address,
            textArray(x.tags),
            iso(life.enterpriseCreatedAt(e)),
          ];
        }
      })(),
    );

    const stats = planned.providerStats;
    await copy(
      'providers',
      [
        'id',
        'credit_code',
        'name',
        'kind',
        'region_code',
        'legal_representative',
        'phone',
        'address',
        'status',
        'status_reason',
        'rating_centis',
        'on_time_count',
        'late_count',
        'dispute_count',
        'completed_count',
        'pending_accreditations',
        'created_at',
        'updated_at',
      ],
      (function* () {
        for (let p = 0; p < counts.providers; p += 1) {
          const x = providerOf(seed, p);
          const done = stats.completed[p]!;
          const rating =
            done === 0
              ? 400
              : Math.max(100, Math.round(500 - (200 * (stats.late[p]! + 2 * stats.disputes[p]!)) / done));
          const pending =
            x.status === 'PENDING_VERIFICATION'
              ? {
                  submissionId: idOf(T.accreditation, 1_000_000 + p),
                  submittedAt: iso(x.createdAt),
                  submittedBy: idOf(T.user, providerUser(counts, p)),
                  accreditations: [accreditation(p, x.createdAt)],
                }
              : null;
          yield [
            x.id,
            x.creditCode,
            x.name,
            x.kind,
            x.regionCode,
            x.legalRepresentative,
            x.phone,
            x.address,
            x.status,
            x.status === 'LISTED' || x.status === 'PENDING_VERIFICATION'
              ? null
              : `${x.status.toLowerCase()} by the programme office`,
            rating,
            stats.onTime[p],
            stats.late[p],
            stats.disputes[p],
            done,
            pending,
            iso(x.createdAt),
            iso(x.createdAt + 5 * DAY),
          ];
        }
      })(),
    );

    const staffHash = await hashPassword(options.staffPassword);
    // users of enterprises and providers share one real hash of a password nobody is told
    const userHash = await hashPassword(`${seed}-${crypto.randomUUID()}`);
    await copy(
      'users',
      [
        'id',
        'email',
        'password_hash',
        'role',
        'display_name',
        'locale',
        'enterprise_id',
        'provider_id',
        'created_at',
        'email_verified_at',
      ],
      (function* () {
        for (let k = 0; k < ADMINS; k += 1) {
          const s = STAFF[k]!;
          yield [
            idOf(T.user, k),
            s.email,
            staffHash,
            s.role,
            s.name,
            'zh-CN',
            null,
            null,
            iso(START_STAFF),
            iso(START_STAFF),
          ];
        }
        for (let e = 0; e < counts.enterprises; e += 1) {
          const at = iso(life.enterpriseCreatedAt(e));
          yield [
            idOf(T.user, smeUser(e)),
            `sme${e}@enterprise.example.cn`,
            userHash,
            'SME',
            life.enterprise(e).legalRepresentative,
            'zh-CN',
            idOf(T.enterprise, e),
            null,
            at,
            at,
          ];
        }
        for (let p = 0; p < counts.providers; p += 1) {
          const x = providerOf(seed, p);
          yield [
            idOf(T.user, providerUser(counts, p)),
            `staff${p}@provider.example.cn`,
            userHash,
            'PROVIDER',
            x.legalRepresentative,
            'zh-CN',
            null,
            x.id,
            iso(x.createdAt),
            iso(x.createdAt),
          ];
        }
      })(),
    );

    await copy(
      'accreditations',
      ['id', 'provider_id', 'kind', 'number', 'scope', 'expires_on', 'expires_at', 'created_at'],
      (function* () {
        for (let p = 0; p < counts.providers; p += 1) {
          const x = providerOf(seed, p);
          if (x.status === 'PENDING_VERIFICATION' || x.status === 'REJECTED') continue;
          const a = accreditation(p, x.createdAt);
          yield [
            idOf(T.accreditation, p),
            x.id,
            a.kind,
            a.number,
            textArray(a.scope),
            a.expiresOn,
            a.expiresAt,
            iso(x.createdAt + 5 * DAY),
          ];
        }
      })(),
    );

    await copy(
      'services',
      [
        'id',
        'provider_id',
        'name',
        'category',
        'standards',
        'unit_price_fen',
        'turnaround_days',
        'daily_capacity',
        'in_scope',
        'active',
        'created_at',
      ],
      (function* () {
        for (let p = 0; p < counts.providers; p += 1) {
          const x = providerOf(seed, p);
          const profile = PROFILES[x.profileIndex]!;
          for (let k = 0; k < profile.services.length; k += 1) {
            const s = profile.services[k]!;
            yield [
              serviceIdOf(p, k),
              x.id,
              s.name,
              s.category,
              textArray(s.standards),
              s.unitPriceFen,
              s.turnaroundDays,
              s.dailyCapacity,
              true,
              true,
              iso(x.createdAt),
            ];
          }
        }
      })(),
    );

    await copy(
      'applications',
      [
        'id',
        'programme_id',
        'enterprise_id',
        'submitted_by',
        'requested_amount_fen',
        'approved_amount_fen',
        'purpose',
        'demand',
        'status',
        'eligibility_issues',
        'decision_reason',
        'info_request',
        'one_open_rule',
        'workflow_id',
        'created_at',
        'updated_at',
        'decided_at',
        'due_at',
      ],
      (function* () {
        for (let i = 0; i < counts.applications; i += 1) {
          const a = life.application(i);
          const profile = PROFILES[i % PROFILES.length]!;
          const service = profile.services[0]!;
          const open = a.status === 'UNDER_REVIEW' || a.status === 'INFO_REQUESTED';
          const updated =
            a.decidedAt ??
            (a.status === 'INFO_REQUESTED' ? Math.min(END, a.submittedAt + 3 * DAY) : a.submittedAt + 60_000);
          yield [
            a.id,
            a.programme.id,
            a.enterpriseId,
            idOf(T.user, smeUser(a.enterprise)),
            a.requestedFen,
            a.approvedFen,
            `${service.name}：产品出厂及型式检验`,
            {
              standards: service.standards,
              category: service.category,
              sampleCount: 1 + (i % 4),
              latestCompletionDate: day(a.submittedAt + 90 * DAY),
            },
            a.status,
            [],
            a.status === 'REJECTED' ? '申请材料不全或不符合资助条件' : null,
            a.status === 'INFO_REQUESTED' ? '请补充近一年的产品检验需求说明' : null,
            true,
            applicationWorkflowId(a.id),
            iso(a.submittedAt),
            iso(updated),
            iso(a.decidedAt),
            open ? iso(a.submittedAt + 10 * DAY) : null,
          ];
        }
      })(),
    );

    await copy(
      'vouchers',
      [
        'id',
        'code',
        'application_id',
        'programme_id',
        'enterprise_id',
        'face_value_fen',
        'balance_fen',
        'released_fen',
        'status',
        'one_open_rule',
        'status_reason',
        'valid_from',
        'valid_until',
        'workflow_id',
        'issued_at',
        'updated_at',
      ],
      (function* () {
        for (const v of eachVoucher()) {
          yield [
            v.id,
            v.code,
            v.application.id,
            v.programme.id,
            v.enterprise.id,
            v.face,
            v.balance,
            v.releasedFen,
            v.status,
            true,
            v.status === 'REVOKED'
              ? '企业违规使用检测券'
              : v.status === 'EXPIRED'
                ? 'validity ended'
                : v.status === 'USED'
                  ? 'face value used in full'
                  : null,
            iso(v.issuedAt),
            iso(v.validUntil),
            applicationWorkflowId(v.application.id),
            iso(v.issuedAt),
            iso(v.closeAt ?? v.issuedAt),
          ];
        }
      })(),
    );

    await copy(
      'bookings',
      [
        'id',
        'voucher_id',
        'programme_id',
        'enterprise_id',
        'provider_id',
        'lines',
        'sample_count',
        'standards',
        'catalog_price_fen',
        'quoted_price_fen',
        'subsidy_fen',
        'copayment_fen',
        'scheduled_date',
        'due_date',
        'confirm_by',
        'report_due_at',
        'reported_late',
        'due_at',
        'status',
        'status_reason',
        'report_sha256',
        'report_conclusion',
        'report_uploaded_at',
        'copayment_reference',
        'copayment_paid_at',
        'copayment_recorded_by',
        'workflow_id',
        'created_by',
        'created_at',
        'updated_at',
        'confirmed_at',
        'sample_received_at',
        'accepted_at',
      ],
      (function* () {
        for (const v of eachVoucher()) for (const b of v.bookings) yield bookingRow(counts, v, b);
      })(),
    );

    await copy(
      'payout_batches',
      ['id', 'programme_id', 'run_key', 'status', 'total_fen', 'created_at', 'completed_at'],
      planned.batches.map((b) => [
        batchId(b.index),
        PROGRAMMES[b.programme]!.id,
        `${PROGRAMMES[b.programme]!.id}/${b.month}`,
        'COMPLETED',
        b.totalFen,
        iso(b.at),
        iso(b.at + 1_200_000),
      ]),
    );
    await copy(
      'payout_transfers',
      [
        'id',
        'batch_id',
        'provider_id',
        'amount_fen',
        'idempotency_key',
        'status',
        'gateway_reference',
        'sent_at',
      ],
      planned.transfers.map((t) => [
        transferId(t.index),
        batchId(t.batch),
        idOf(T.provider, t.provider),
        t.amountFen,
        `payout/${batchId(t.batch)}/${idOf(T.provider, t.provider)}`,
        'SENT',
        `GW${String(t.index).padStart(10, '0')}`,
        iso(planned.batches[t.batch]!.at + 600_000),
      ]),
    );

    await copy(
      'claims',
      [
        'id',
        'booking_id',
        'programme_id',
        'provider_id',
        'amount_fen',
        'contract',
        'report_sha256',
        'payment_reference',
        'risk_flags',
        'auto_approved',
        'status',
        'decision_reason',
        'decided_by',
        'decided_at',
        'transfer_id',
        'paid_at',
        'due_at',
        'workflow_id',
        'created_at',
        'updated_at',
      ],
      (function* () {
        for (const v of eachVoucher()) {
          for (const b of v.bookings) {
            const c = b.claim;
            if (!c) continue;
            const transfer =
              c.status === 'PAID'
                ? planned.transferOf.get(
                    `${batchIndexOf(planned, v.programme.index, c.payoutMonth)}/${b.provider}`,
                  )
                : undefined;
            const provider = life.provider(b.provider);
            yield [
              c.id,
              b.id,
              v.programme.id,
              b.providerId,
              c.amountFen,
              {
                bookingId: b.id,
                voucherCode: v.code,
                enterpriseName: v.enterprise.name,
                enterpriseCreditCode: v.enterprise.creditCode,
                providerName: provider.name,
                providerCreditCode: provider.creditCode,
                lines: lines(b),
                sampleCount: b.sampleCount,
                quotedPriceFen: b.quoted,
                catalogPriceFen: b.catalog,
                subsidyFen: b.subsidy,
                copaymentFen: b.quoted - b.subsidy,
                sampleReceivedAt: iso(b.sampleAt),
                reportedAt: iso(b.reportAt),
                acceptedAt: iso(b.acceptedAt),
              },
              reportHash(b.id),
              `CP${String(b.index).padStart(10, '0')}`,
              [],
              c.automatic && c.status !== 'REJECTED' && c.status !== 'PENDING_REVIEW',
              c.status,
              c.status === 'REJECTED' ? '检测报告与合同约定的项目不一致' : null,
              c.decidedAt === null || c.automatic ? null : idOf(T.user, 1),
              iso(c.decidedAt),
              transfer === undefined ? null : transferId(transfer),
              iso(c.paidAt),
              c.status === 'PENDING_REVIEW' ? iso(c.createdAt + 10 * DAY) : null,
              settlementWorkflowId(b.id),
              iso(c.createdAt),
              iso(c.paidAt ?? c.decidedAt ?? c.createdAt),
            ];
          }
        }
      })(),
    );

    await copy(
      'disputes',
      [
        'id',
        'booking_id',
        'reason',
        'status',
        'resolution',
        'note',
        'raised_by',
        'resolved_by',
        'created_at',
        'resolved_at',
      ],
      planned.disputes.map((d, k) => {
        const e = life.voucher(d.voucher).application.enterprise;
        return [
          idOf(T.dispute, k),
          d.booking,
          '检测结论与我方自检结果不符，申请复核',
          d.resolvedAt === null ? 'OPEN' : 'RESOLVED',
          d.resolvedAt === null ? null : 'UPHOLD',
          d.resolvedAt === null ? null : '复核原始记录，维持检测结论',
          idOf(T.user, smeUser(e)),
          d.resolvedAt === null ? null : idOf(T.user, 0),
          iso(d.at),
          iso(d.resolvedAt),
        ];
      }),
    );

    await copy(
      'approvals',
      [
        'id',
        'kind',
        'programme_id',
        'subject_id',
        'payload',
        'proposed_by',
        'proposed_at',
        'expires_at',
        'status',
        'decided_by',
        'decided_at',
        'reason',
      ],
      planned.approvals.map((a, k) => [
        idOf(T.approval, k),
        'CLAIM_APPROVAL',
        PROGRAMMES[a.programme]!.id,
        a.claim,
        { thresholdFen: PROGRAMMES[a.programme]!.policy.secondApprovalAboveFen },
        idOf(T.user, 0),
        iso(a.proposedAt),
        iso(a.proposedAt + 3 * DAY),
        a.status,
        a.decidedAt === null ? null : idOf(T.user, 1),
        iso(a.decidedAt),
        null,
      ]),
    );

    // the ledger: one entry per movement, then its two postings
    const entryCount = planned.tally.ledgerEntries;
    const entryMovement = new Uint8Array(entryCount);
    const entryAmount = new Float64Array(entryCount);
    let n = 0;
    await copy(
      'ledger_entries',
      [
        'id',
        'programme_id',
        'idempotency_key',
        'movement',
        'amount_fen',
        'voucher_id',
        'booking_id',
        'claim_id',
        'memo',
        'created_at',
      ],
      (function* () {
        for (const v of eachVoucher()) {
          for (const m of v.moves) {
            entryMovement[n] = MOVEMENT_CODES.indexOf(m.movement);
            entryAmount[n] = m.amountFen;
            yield [
              idOf(T.entry, n),
              v.programme.id,
              m.key,
              m.movement,
              m.amountFen,
              m.voucherId,
              m.bookingId,
              m.claimId,
              m.memo,
              iso(m.at),
            ];
            n += 1;
          }
        }
      })(),
    );
    await copy(
      'ledger_postings',
      ['entry_id', 'account', 'amount_fen'],
      (function* () {
        for (let k = 0; k < n; k += 1) {
          const { from, to } = MOVEMENTS[MOVEMENT_CODES[entryMovement[k]!]!];
          const id = idOf(T.entry, k);
          yield [id, from, -entryAmount[k]!];
          yield [id, to, entryAmount[k]!];
        }
      })(),
    );
    const restore = restoreKpiTriggers;
    restoreKpiTriggers = undefined;
    kpiRebuildSeconds = restore ? await restore() : 0;
    say(`KPI figures counted from the rows in ${kpiRebuildSeconds} s`);
    released = true;
    client.release();

    const audit = await seedAudit({ pool, seed, counts, events: planned.events, say, plan: planned });
    tables.push(audit);
  } finally {
    if (!released) {
      await restoreKpiTriggers?.({ rebuild: false }).catch(() => undefined);
      client.release();
    }
    await pool.end();
  }
  return {
    plan: planned,
    tables,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    planSeconds: Math.round(planSeconds * 100) / 100,
    kpiRebuildSeconds: kpiRebuildSeconds ?? 0,
  };

  function accreditation(p: number, createdAt: number) {
    const profile = PROFILES[providerOf(seed, p).profileIndex]!;
    const expires = END + (365 + (p % 900)) * DAY;
    return {
      kind: p % 3 === 0 ? 'CMA' : 'CNAS',
      number:
        p % 3 === 0 ? `${200_000_000_000 + p}` : `CNAS ${profile.cnas}${String(1000 + p).padStart(5, '0')}`,
      scope: [...new Set(profile.services.flatMap((s) => s.standards))],
      expiresOn: day(expires),
      expiresAt: iso(expires)!,
      createdAt,
    };
  }
}

const START_STAFF = Date.UTC(2021, 10, 1, 1);

function batchIndexOf(planned: Plan, programme: number, month: string): number {
  let index = batchIndex.get(planned)?.get(`${programme}/${month}`);
  if (index === undefined) {
    const map = new Map(planned.batches.map((b) => [`${b.programme}/${b.month}`, b.index]));
    batchIndex.set(planned, map);
    index = map.get(`${programme}/${month}`)!;
  }
  return index;
}
const batchIndex = new WeakMap<Plan, Map<string, number>>();

/** The report's SHA-256 as the provider uploaded it: derived from the booking, 64 hex digits. */
export const reportHash = (bookingId: string) =>
  `${bookingId.replace(/-/g, '')}${bookingId.replace(/-/g, '')}`.slice(0, 64);

function lines(b: VoucherLife['bookings'][number]) {
  return b.picked.map((k) => {
    const s = b.profile.services[k]!;
    return {
      serviceId: serviceIdOf(b.provider, k),
      serviceName: s.name,
      category: s.category,
      standards: s.standards,
      unitPriceFen: s.unitPriceFen,
      turnaroundDays: s.turnaroundDays,
      startDate: day(b.sampleAt),
      completionDate: day(b.sampleAt + s.turnaroundDays * DAY),
    };
  });
}

function bookingRow(counts: Counts, v: VoucherLife, b: VoucherLife['bookings'][number]): unknown[] {
  const reached = (status: string[]) => status.includes(b.status);
  const confirmed =
    !['REQUESTED', 'DECLINED', 'CONFIRMATION_EXPIRED'].includes(b.status) && !(b.status === 'CANCELLED');
  const sampled = reached(['SAMPLE_RECEIVED', 'REPORTED', 'DISPUTED', 'ACCEPTED', 'SETTLED']);
  const reported = reached(['REPORTED', 'DISPUTED', 'ACCEPTED', 'SETTLED']);
  const accepted = reached(['ACCEPTED', 'SETTLED']);
  const reportDue = b.sampleAt + b.turnaround * DAY;
  const dueAt =
    b.status === 'REQUESTED'
      ? b.createdAt + 2 * DAY
      : b.status === 'CONFIRMED'
        ? b.confirmedAt + 14 * DAY
        : b.status === 'SAMPLE_RECEIVED'
          ? reportDue
          : b.status === 'REPORTED'
            ? b.reportAt + 7 * DAY
            : b.status === 'DISPUTED'
              ? b.reportAt + 14 * DAY
              : null;
  const ended = b.failure && b.status === b.failure.status ? b.failure.at : null;
  const updated = Math.max(
    b.createdAt,
    ended ?? 0,
    confirmed ? b.confirmedAt : 0,
    sampled ? b.sampleAt : 0,
    reported ? b.reportAt : 0,
    accepted ? b.acceptedAt : 0,
    b.claim?.paidAt ?? 0,
  );
  return [
    b.id,
    v.id,
    v.programme.id,
    v.enterprise.id,
    b.providerId,
    lines(b),
    b.sampleCount,
    textArray([...new Set(b.picked.flatMap((k) => b.profile.services[k]!.standards))]),
    b.catalog,
    b.quoted,
    b.subsidy,
    b.quoted - b.subsidy,
    day(b.sampleAt),
    day(reportDue),
    iso(b.createdAt + 2 * DAY),
    reported || sampled ? iso(reportDue) : null,
    reported ? b.reportAt > reportDue : null,
    iso(dueAt),
    b.status,
    b.failure && b.status === b.failure.status ? b.failure.status.toLowerCase().replace(/_/g, ' ') : null,
    reported ? reportHash(b.id) : null,
    reported ? (b.index % 10 === 0 ? 'FAIL' : 'PASS') : null,
    reported ? iso(b.reportAt) : null,
    accepted ? `CP${String(b.index).padStart(10, '0')}` : null,
    accepted ? iso(b.acceptedAt) : null,
    accepted ? idOf(T.user, providerUser(counts, b.provider)) : null,
    bookingWorkflowId(b.id),
    idOf(T.user, smeUser(v.application.enterprise)),
    iso(b.createdAt),
    iso(updated),
    confirmed ? iso(b.confirmedAt) : null,
    sampled ? iso(b.sampleAt) : null,
    accepted ? iso(b.acceptedAt) : null,
  ];
}
