import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { addDays, localDate } from '../../domain/calendar';
import type { ProviderKind, ServiceCategory } from '../../domain/catalog';
import { withCheckCharacter } from '../../domain/credit-code';
import { PolicySchema, type PolicyInput } from '../../domain/policy';
import { accreditationLapse } from '../../domain/provider';
import type { Db } from '../../db/client';
import type { TestApi } from './api';
import { creditCodeFor, until, type Caller } from './scenarios';

export { creditCodeFor, until };

const inAYear = () => addDays(localDate(new Date()), 365);

let cmaSerial = 0;
/** A CMA number no other fixture of this run uses. */
export const cmaNumber = () =>
  `${String(Date.now() % 1e6).padStart(6, '0')}${String((cmaSerial += 1) % 1e6).padStart(6, '0')}`;

export function registrationBody(
  overrides: {
    regionCode?: string;
    kind?: ProviderKind;
    scope?: string[];
    expiresOn?: string;
    name?: string;
  } = {},
) {
  const regionCode = overrides.regionCode ?? '310115';
  return {
    // 12…: an institution (事业单位), as most public testing centres are
    creditCode: withCheckCharacter(`12${creditCodeFor(regionCode).slice(2, 17)}`),
    name: overrides.name ?? `上海精科检测技术中心 ${randomUUID().slice(0, 4)}`,
    kind: overrides.kind ?? 'LAB',
    regionCode,
    legalRepresentative: '周敏',
    phone: '021-50801234',
    address: '上海市浦东新区龙东大道 3000 号',
    accreditations: [
      {
        kind: 'CNAS',
        number: `CNAS L${String(1000 + Math.floor(Math.random() * 9000))}`,
        scope: overrides.scope ?? ['GB/T 2423.1', 'GB/T 2423.2', 'IEC 61000-4-2'],
        expiresOn: overrides.expiresOn ?? inAYear(),
      },
      {
        kind: 'CMA',
        number: cmaNumber(),
        scope: ['GB/T 2423.1'],
        expiresOn: overrides.expiresOn ?? inAYear(),
      },
    ],
  };
}

export interface ServiceBody {
  id?: string;
  name: string;
  category: ServiceCategory;
  standards: string[];
  unitPriceFen: number;
  turnaroundDays: number;
  dailyCapacity: number;
  inScope: boolean;
}

export const CLIMATE_SERVICE: ServiceBody = {
  name: '高低温环境试验',
  category: 'TESTING',
  standards: ['GB/T 2423.1', 'GB/T 2423.2'],
  unitPriceFen: 180_000,
  turnaroundDays: 5,
  dailyCapacity: 4,
  inScope: true,
};

export interface ProviderCaller extends Caller {
  email: string;
  providerId: string;
}

/** A provider user who registered a provider through the API (pending verification). */
export async function givenRegisteredProvider(
  api: TestApi,
  body: ReturnType<typeof registrationBody> = registrationBody(),
  locale: 'zh-CN' | 'en' = 'zh-CN',
): Promise<ProviderCaller> {
  const { user, token, email } = await api.givenUser('PROVIDER', { locale });
  const res = await api.call<{ id: string }>('POST', '/api/v1/providers', { token, body });
  expect(res.status, res.text).toBe(201);
  return { token, userId: user.id, email, providerId: res.body.id };
}

export async function verify(
  api: TestApi,
  admin: Caller,
  providerId: string,
  body: object = { decision: 'APPROVE' },
) {
  return api.call<{ status: string; statusReason?: string | null }>(
    'POST',
    `/api/v1/providers/${providerId}/verification`,
    { token: admin.token, body },
  );
}

export async function putServices(api: TestApi, provider: ProviderCaller, services: ServiceBody[]) {
  return api.call<{ services: (ServiceBody & { id: string })[] }>(
    'PUT',
    `/api/v1/providers/${provider.providerId}/services`,
    { token: provider.token, body: { services } },
  );
}

/** A listed provider with a catalog, through registration, verification and the catalog endpoint. */
export async function givenListedProvider(
  api: TestApi,
  admin: Caller,
  options: { body?: ReturnType<typeof registrationBody>; services?: ServiceBody[] } = {},
): Promise<ProviderCaller & { serviceIds: string[] }> {
  const provider = await givenRegisteredProvider(api, options.body);
  const catalog = await putServices(api, provider, options.services ?? [CLIMATE_SERVICE]);
  expect(catalog.status, catalog.text).toBe(200);
  const approved = await verify(api, admin, provider.providerId);
  expect(approved.status, approved.text).toBe(200);
  expect(approved.body.status).toBe('LISTED');
  return { ...provider, serviceIds: catalog.body.services.map((s) => s.id) };
}

/**
 * A listed provider written straight to the database (no process), for tests of capacity and
 * matching that need many providers quickly.
 */
export async function insertListedProvider(
  db: Db,
  options: {
    regionCode?: string;
    name?: string;
    ratingCentis?: number;
    services: Omit<ServiceBody, 'id'>[];
  },
): Promise<{ providerId: string; serviceIds: string[] }> {
  const providerId = randomUUID();
  const regionCode = options.regionCode ?? '310115';
  const scope = [...new Set(options.services.flatMap((s) => s.standards))];
  await db.provider.create({
    data: {
      id: providerId,
      creditCode: withCheckCharacter(`12${creditCodeFor(regionCode).slice(2, 17)}`),
      name: options.name ?? `检测中心 ${providerId.slice(0, 6)}`,
      kind: 'LAB',
      regionCode,
      legalRepresentative: '周敏',
      phone: '021-50801234',
      address: '上海市浦东新区龙东大道 3000 号',
      status: 'LISTED',
      ratingCentis: options.ratingCentis ?? 400,
      accreditations: {
        create: {
          id: randomUUID(),
          kind: 'CNAS',
          number: `CNAS L${String(Math.floor(Math.random() * 90000) + 10000)}`,
          scope,
          expiresOn: new Date(`${inAYear()}T00:00:00Z`),
          expiresAt: new Date(accreditationLapse(inAYear()).expiresAt),
        },
      },
    },
  });
  const serviceIds: string[] = [];
  for (const service of options.services) {
    const id = randomUUID();
    serviceIds.push(id);
    await db.service.create({
      data: { id, providerId, ...service, unitPriceFen: BigInt(service.unitPriceFen) },
    });
  }
  return { providerId, serviceIds };
}

/** An enterprise with an active voucher of a programme, written straight to the database. */
export async function insertVoucher(
  db: Db,
  options: {
    policy?: PolicyInput;
    programmeRegion?: string;
    enterpriseRegion?: string;
    balanceFen?: number;
    validUntil?: Date;
    status?: 'ACTIVE' | 'REVOKED';
  } = {},
): Promise<{ programmeId: string; enterpriseId: string; voucherId: string }> {
  const programmeId = randomUUID();
  const enterpriseId = randomUUID();
  const applicationId = randomUUID();
  const voucherId = randomUUID();
  const enterpriseRegion = options.enterpriseRegion ?? '310115';
  const balanceFen = options.balanceFen ?? 2_000_000;
  await db.programme.create({
    data: {
      id: programmeId,
      name: `上海市中小企业检测券 ${programmeId.slice(0, 4)}`,
      authority: '上海市经济和信息化委员会',
      year: 2026,
      regionCode: options.programmeRegion ?? '310000',
      budgetFen: 100_000_000n,
      policy: PolicySchema.parse(options.policy ?? {}),
      createdBy: randomUUID(),
    },
  });
  await db.enterprise.create({
    data: {
      id: enterpriseId,
      creditCode: creditCodeFor(enterpriseRegion),
      name: `上海精测电子科技有限公司 ${enterpriseId.slice(0, 4)}`,
      regionCode: enterpriseRegion,
      industryCode: 'C3989',
      employees: 85,
      annualRevenueFen: 4_500_000_000n,
      legalRepresentative: '陈立',
      contactPhone: '021-62345678',
      address: '上海市浦东新区张江路 88 号',
      tags: [],
    },
  });
  await db.application.create({
    data: {
      id: applicationId,
      programmeId,
      enterpriseId,
      submittedBy: randomUUID(),
      requestedAmountFen: BigInt(balanceFen),
      approvedAmountFen: BigInt(balanceFen),
      purpose: '产品出口前的型式试验',
      demand: {},
      status: 'APPROVED',
      workflowId: `voucher-application/${applicationId}`,
    },
  });
  await db.voucher.create({
    data: {
      id: voucherId,
      code: `TV2026-${voucherId.slice(0, 5).toUpperCase()}-FIXTR`,
      applicationId,
      programmeId,
      enterpriseId,
      faceValueFen: BigInt(balanceFen),
      balanceFen: BigInt(balanceFen),
      status: options.status ?? 'ACTIVE',
      validFrom: new Date(),
      validUntil: options.validUntil ?? new Date(Date.now() + 180 * 86_400_000),
      workflowId: `voucher-application/${applicationId}`,
    },
  });
  return { programmeId, enterpriseId, voucherId };
}

/** A booking under way at the provider, for the SME of the voucher's enterprise. */
export async function insertBooking(
  db: Db,
  voucher: { programmeId: string; enterpriseId: string; voucherId: string },
  providerId: string,
  status: 'REQUESTED' | 'CONFIRMED' | 'SAMPLE_RECEIVED' | 'SETTLED' = 'CONFIRMED',
): Promise<string> {
  const id = randomUUID();
  await db.booking.create({
    data: {
      id,
      voucherId: voucher.voucherId,
      programmeId: voucher.programmeId,
      enterpriseId: voucher.enterpriseId,
      providerId,
      lines: [],
      sampleCount: 2,
      standards: ['GB/T 2423.1'],
      catalogPriceFen: 360_000n,
      quotedPriceFen: 360_000n,
      subsidyFen: 180_000n,
      copaymentFen: 180_000n,
      scheduledDate: new Date(`${addDays(localDate(new Date()), 3)}T00:00:00Z`),
      status,
      workflowId: `booking/${id}`,
      createdBy: randomUUID(),
    },
  });
  return id;
}
