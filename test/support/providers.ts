import { randomUUID } from 'node:crypto';
import type { ServiceCategory } from '../../domain/catalog';
import type { TestApi } from './api';
import { creditCodeFor } from './scenarios';

export interface ServiceFixture {
  name?: string;
  category?: ServiceCategory;
  standards: string[];
  unitPriceFen: number;
  turnaroundDays?: number;
  dailyCapacity?: number;
}

export interface ProviderFixture {
  providerId: string;
  token: string;
  email: string;
  name: string;
  serviceIds: string[];
}

/**
 * A listed laboratory with a valid CNAS accreditation covering its services, and a staff user.
 * Onboarding has its own tests; bookings need a provider that is simply there.
 */
export async function givenListedProvider(
  api: TestApi,
  options: {
    name?: string;
    regionCode?: string;
    services: ServiceFixture[];
    legalRepresentative?: string;
    phone?: string;
    address?: string;
  },
): Promise<ProviderFixture> {
  const providerId = randomUUID();
  const name = options.name ?? `上海检测技术服务中心 ${randomUUID().slice(0, 4)}`;
  const regionCode = options.regionCode ?? '310112';
  const standards = [...new Set(options.services.flatMap((s) => s.standards))];
  const serviceIds = options.services.map(() => randomUUID());
  await api.db.$transaction(async (tx) => {
    await tx.provider.create({
      data: {
        id: providerId,
        creditCode: creditCodeFor(regionCode),
        name,
        kind: 'LAB',
        regionCode,
        legalRepresentative: options.legalRepresentative ?? '周明',
        phone: options.phone ?? '021-54321000',
        address: options.address ?? '上海市闵行区检测园路 1 号',
        status: 'LISTED',
        ratingCentis: 450,
      },
    });
    await tx.accreditation.create({
      data: {
        id: randomUUID(),
        providerId,
        kind: 'CNAS',
        number: `CNAS L${Math.floor(10000 + Math.random() * 89999)}`,
        scope: standards,
        expiresOn: new Date('2029-12-31T00:00:00Z'),
        expiresAt: new Date('2029-12-31T16:00:00Z'),
      },
    });
    for (const [i, service] of options.services.entries()) {
      await tx.service.create({
        data: {
          id: serviceIds[i]!,
          providerId,
          name: service.name ?? `${service.standards.join(' / ')} 试验`,
          category: service.category ?? 'TESTING',
          standards: service.standards,
          unitPriceFen: BigInt(service.unitPriceFen),
          turnaroundDays: service.turnaroundDays ?? 2,
          dailyCapacity: service.dailyCapacity ?? 10,
          inScope: true,
        },
      });
    }
  });
  const { token, email } = await api.givenUser('PROVIDER', { providerId });
  return { providerId, token, email, name, serviceIds };
}

/** A small, real PDF: what a lab uploads as its report. */
export function pdfReport(title: string): string {
  const body = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj
4 0 obj << /Length ${title.length + 30} >> stream
BT /F1 12 Tf 72 770 Td (${title}) Tj ET
endstream endobj
trailer << /Root 1 0 R >>
%%EOF
`;
  return Buffer.from(body, 'latin1').toString('base64');
}
