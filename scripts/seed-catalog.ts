import { createHash } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Env } from '../config/env';
import { providerTimings } from '../config/providers';
import { SYSTEM_ACTOR } from '../domain/audit';
import { addDays, localDate } from '../domain/calendar';
import { withCheckCharacter } from '../domain/credit-code';
import { accreditationLapse, providerWorkflowId } from '../domain/provider';
import { normalizeStandardCode } from '../domain/standards';
import { appendAudit } from '../db/repositories/audit';
import type { Db } from '../db/client';
import { inTransaction } from '../db/tx';
import { providerOnboarding } from '../workflows/provider-onboarding';
import { DISTRICTS, INDUSTRIES, LEGAL_REPRESENTATIVES, type ServiceTemplate } from './demo-catalog-data';

/** The demo provider user is staff of this provider: the first electronics laboratory, in Pudong. */
export const DEMO_LAB_EMAIL = 'lab@demo.vouchers.cn';

/** A UUID derived from a name, so that seeding again finds the rows it made before. */
function stableUuid(name: string): string {
  const h = createHash('sha256').update(`testing-vouchers-demo/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Deterministic variety: the same demo catalog on every machine. */
function variation(seed: string): () => number {
  let state = parseInt(createHash('sha256').update(seed).digest('hex').slice(0, 8), 16);
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const standard = (code: string) => {
  const normalized = normalizeStandardCode(code);
  if (!normalized) throw new Error(`demo catalog names a malformed standard: ${code}`);
  return normalized;
};

export interface DemoProvider {
  id: string;
  creditCode: string;
  name: string;
  kind: (typeof INDUSTRIES)[number]['kind'];
  regionCode: string;
  address: string;
  legalRepresentative: string;
  ratingCentis: number;
  onTimeCount: number;
  lateCount: number;
  completedCount: number;
  cnasNumber: string;
  cmaNumber: string;
  expiresOn: string;
  scope: string[];
  services: (ServiceTemplate & { id: string; inScope: boolean })[];
}

/** Every demo provider, computed (not stored) so the list stays reviewable in one place. */
export function demoCatalog(today: string): DemoProvider[] {
  const providers: DemoProvider[] = [];
  let serial = 0;
  for (const industry of INDUSTRIES) {
    for (let i = 0; i < industry.count; i += 1) {
      serial += 1;
      const random = variation(`${industry.key}/${i}`);
      // spread each industry over the districts of the six provinces
      const district = DISTRICTS[(i * 5 + INDUSTRIES.indexOf(industry) * 3) % DISTRICTS.length]!;
      const suffix = industry.suffixes[i % industry.suffixes.length]!;
      const offered = industry.services.filter(
        (_, k) => k === i % industry.services.length || random() < 0.65,
      );
      // now and then a provider offers a service its accreditation does not cover
      const outOfScope = offered.length > 2 && random() < 0.2 ? offered[offered.length - 1]! : null;
      const services = offered.map((t, k) => ({
        ...t,
        id: stableUuid(`service/${industry.key}/${i}/${k}`),
        standards: t.standards.map(standard),
        unitPriceFen: Math.round((t.unitPriceFen * (0.8 + random() * 0.45)) / 100) * 100,
        turnaroundDays: Math.max(1, t.turnaroundDays + Math.floor(random() * 3) - 1),
        dailyCapacity: Math.max(1, Math.round(t.dailyCapacity * (0.6 + random() * 0.9))),
        inScope: t !== outOfScope,
      }));
      const scope = [...new Set(services.filter((x) => x.inScope).flatMap((x) => x.standards))].sort();
      const jobs = 20 + Math.floor(random() * 180);
      const late = Math.floor(jobs * random() * 0.15);
      const enterprise = industry.kind === 'CERTIFICATION' || industry.kind === 'PUBLIC_SERVICE_PLATFORM';
      const orgCode = `MA${String(serial).padStart(3, '0')}${Math.floor(random() * 1e4)
        .toString()
        .padStart(4, '0')}`;
      providers.push({
        id: stableUuid(`provider/${industry.key}/${i}`),
        creditCode: withCheckCharacter(`${enterprise ? '91' : '12'}${district.code}${orgCode}`),
        name: `${district.city}${suffix}`,
        kind: industry.kind,
        regionCode: district.code,
        address: district.address,
        legalRepresentative: LEGAL_REPRESENTATIVES[serial % LEGAL_REPRESENTATIVES.length]!,
        ratingCentis: 360 + Math.floor(random() * 135),
        onTimeCount: jobs - late,
        lateCount: late,
        completedCount: jobs,
        cnasNumber: `CNAS ${industry.cnas}${String(1000 + serial * 37).padStart(4, '0')}`,
        cmaNumber: `${2015 + (serial % 9)}${district.code.slice(0, 2)}${String(100_000 + serial * 7919).slice(-6)}`,
        expiresOn: addDays(today, 400 + Math.floor(random() * 700)),
        scope,
        services,
      });
    }
  }
  return providers;
}

/**
 * Lists the demo catalog (listed, verified providers with their services) when its providers are
 * missing, and makes the demo provider user staff of the first one. Safe to run on every start:
 * existing providers are left as they are, so whatever the demo did to them stays.
 */
export async function seedDemoCatalog(
  db: Db,
  now: Date = new Date(),
): Promise<{ created: number; providerIds: string[] }> {
  const catalog = demoCatalog(localDate(now));
  const existing = new Set(
    (
      await db.provider.findMany({ where: { id: { in: catalog.map((p) => p.id) } }, select: { id: true } })
    ).map((p) => p.id),
  );
  let created = 0;
  for (const p of catalog) {
    if (existing.has(p.id)) continue;
    const lapse = accreditationLapse(p.expiresOn);
    await inTransaction(db, async (tx) => {
      await tx.provider.create({
        data: {
          id: p.id,
          creditCode: p.creditCode,
          name: p.name,
          kind: p.kind,
          regionCode: p.regionCode,
          legalRepresentative: p.legalRepresentative,
          phone: '021-60000000',
          address: p.address,
          status: 'LISTED',
          ratingCentis: p.ratingCentis,
          onTimeCount: p.onTimeCount,
          lateCount: p.lateCount,
          completedCount: p.completedCount,
        },
      });
      await tx.accreditation.createMany({
        data: [
          { kind: 'CNAS' as const, number: p.cnasNumber },
          { kind: 'CMA' as const, number: p.cmaNumber },
        ].map((a) => ({
          id: stableUuid(`accreditation/${p.id}/${a.kind}`),
          providerId: p.id,
          ...a,
          scope: p.scope,
          expiresOn: new Date(`${lapse.expiresOn}T00:00:00Z`),
          expiresAt: new Date(lapse.expiresAt),
        })),
      });
      await tx.service.createMany({
        data: p.services.map((s) => ({
          id: s.id,
          providerId: p.id,
          name: s.name,
          category: s.category,
          standards: s.standards,
          unitPriceFen: BigInt(s.unitPriceFen),
          turnaroundDays: s.turnaroundDays,
          dailyCapacity: s.dailyCapacity,
          inScope: s.inScope,
        })),
      });
      await appendAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: 'PROVIDER_SEEDED',
        entityType: 'provider',
        entityId: p.id,
        after: { status: 'LISTED', note: 'demo catalog', services: p.services.length },
      });
    });
    created += 1;
  }
  await db.user.updateMany({
    where: { email: DEMO_LAB_EMAIL, providerId: null, enterpriseId: null },
    data: { providerId: catalog[0]!.id },
  });
  return { created, providerIds: catalog.map((p) => p.id) };
}

/**
 * Starts the onboarding process of each demo provider unless it runs, so that their accreditations
 * are watched like any other provider's (the process reads where each provider stands).
 */
export async function watchDemoProviders(env: Env, providerIds: readonly string[]): Promise<void> {
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
    for (const providerId of providerIds) {
      await client.workflow.start(providerOnboarding, {
        workflowId: providerWorkflowId(providerId),
        taskQueue: env.TEMPORAL_TASK_QUEUE,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [{ providerId, timings: providerTimings(env) }],
      });
    }
  } finally {
    await connection.close();
  }
}
