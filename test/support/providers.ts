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

/**
 * A small, real PDF file of the given objects (numbered from 1, the first the catalog) with its cross-reference
 * table and trailer, as a reader expects them; `trailer` adds entries to the trailer dictionary.
 */
export function pdfFile(objects: string[], trailer = ''): Buffer {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailer}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The objects of a one-page report showing `title`. */
export function pdfReportObjects(title: string): string[] {
  const text = `BT /F1 12 Tf 72 770 Td (${title.replace(/[\\()]/g, '\\$&')}) Tj ET`;
  return [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
  ];
}

/** A one-page PDF report, base64, as an upload carries it. */
export function pdfReport(title: string): string {
  return pdfFile(pdfReportObjects(title)).toString('base64');
}
