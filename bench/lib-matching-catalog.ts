import { createHash } from 'node:crypto';
import type pg from 'pg';
import { addDays } from '../domain/calendar';
import { withCheckCharacter } from '../domain/credit-code';
import { normalizeStandardCode } from '../domain/standards';
import { DISTRICTS, INDUSTRIES, type ServiceTemplate } from '../scripts/demo-catalog-data';

/** A reproducible pseudo-random stream (the same catalog on every run). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const uuidOf = (name: string) => {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export const TEMPLATES: ServiceTemplate[] = INDUSTRIES.flatMap((i) =>
  i.services.map((s) => ({ ...s, standards: s.standards.map((c) => normalizeStandardCode(c)!) })),
);

/**
 * Standards come in numbered families whose parts are tested by the same laboratories: the parts
 * of GB/T 2423 (environmental testing), IEC 61000-4 (immunity), GB/T 223 (chemical analysis of
 * steel), GB/T 5121 (copper), GB/T 20975 (aluminium), the JJG verification regulations. A
 * laboratory's scope lists many of them; the demo catalog names only a few of each.
 */
const FAMILIES: [RegExp, (part: number) => string, number][] = [
  [/^GB\/T 2423\.\d+$/, (n) => `GB/T 2423.${n}`, 60],
  [/^IEC 61000-4-\d+$/, (n) => `IEC 61000-4-${n}`, 34],
  [/^GB\/T 17626\.\d+$/, (n) => `GB/T 17626.${n}`, 34],
  [/^GB\/T 228\.\d+$/, (n) => `GB/T 223.${n}`, 86],
  [/^GB\/T 4336$/, (n) => `GB/T 223.${n}`, 86],
  [/^GB\/T 5121\.\d+$/, (n) => `GB/T 5121.${n}`, 28],
  [/^GB\/T 20975\.\d+$/, (n) => `GB/T 20975.${n}`, 37],
  [/^FZ\/T 01057$/, (n) => `FZ/T 01057.${n}`, 9],
  [/^GB\/T 4802\.\d+$/, (n) => `GB/T 4802.${n}`, 4],
  [/^GB\/T 230\.\d+$/, (n) => `GB/T 4340.${n}`, 4],
  [/^JJG \d+$/, (n) => `JJG ${n * 7}`, 170],
];

/** The template's standards, and in a broad vocabulary some parts of their families besides. */
export function standardsOf(template: ServiceTemplate, broad: boolean, random: () => number): string[] {
  if (!broad) return template.standards;
  const codes = new Set<string>();
  for (const code of template.standards) {
    const family = FAMILIES.find(([pattern]) => pattern.test(code));
    if (!family) {
      codes.add(code);
      continue;
    }
    const [, part, parts] = family;
    const count = 1 + Math.floor(random() * 3);
    for (let i = 0; i < count; i += 1) codes.add(part(1 + Math.floor(random() * parts)));
  }
  return [...codes];
}

export interface CatalogSize {
  providers: number;
  servicesPerProvider: number;
  usageRows: number;
  /** standards drawn from whole families of parts rather than the demo catalog's few */
  broad: boolean;
}

/**
 * Writes a catalog of listed providers, each with services drawn from the demo catalog's
 * templates (real standards, prices and turnarounds, varied), and capacity already taken on
 * random days. Stamped a day old, as a catalog built over time would be.
 */
export async function writeCatalog(pool: pg.Pool, size: CatalogSize, today: string, random: () => number) {
  const batch = 2_000;
  const dayOld = new Date(Date.now() - 86_400_000);
  const serviceIds: { id: string; capacity: number }[] = [];
  for (let start = 0; start < size.providers; start += batch) {
    const providers = {
      id: [] as string[],
      credit: [] as string[],
      name: [] as string[],
      region: [] as string[],
      rating: [] as number[],
      onTime: [] as number[],
      late: [] as number[],
    };
    const accreditations = {
      id: [] as string[],
      provider: [] as string[],
      number: [] as string[],
      scope: [] as string[],
    };
    const services = {
      id: [] as string[],
      provider: [] as string[],
      name: [] as string[],
      category: [] as string[],
      standards: [] as string[],
      price: [] as string[],
      turnaround: [] as number[],
      capacity: [] as number[],
      inScope: [] as boolean[],
    };
    for (let n = start; n < Math.min(size.providers, start + batch); n += 1) {
      const id = uuidOf(`bench-provider-${n}`);
      const district = DISTRICTS[n % DISTRICTS.length]!;
      providers.id.push(id);
      providers.credit.push(withCheckCharacter(`12${district.code}${String(n).padStart(9, '0')}`));
      providers.name.push(`${district.city}检测中心 ${n}`);
      providers.region.push(district.code);
      providers.rating.push(300 + Math.floor(random() * 200));
      const jobs = Math.floor(random() * 200);
      const late = Math.floor(jobs * random() * 0.2);
      providers.onTime.push(jobs - late);
      providers.late.push(late);
      // a provider specialises: most of its services come from one industry
      const home = INDUSTRIES[n % INDUSTRIES.length]!.services;
      const scope = new Set<string>();
      for (let k = 0; k < size.servicesPerProvider; k += 1) {
        const template =
          random() < 0.7
            ? home[Math.floor(random() * home.length)]!
            : TEMPLATES[Math.floor(random() * TEMPLATES.length)]!;
        const serviceId = uuidOf(`bench-service-${n}-${k}`);
        const inScope = random() < 0.9;
        const standards = standardsOf(template, size.broad, random);
        if (inScope) for (const s of standards) scope.add(s);
        const capacity = Math.max(1, Math.round(template.dailyCapacity * (0.5 + random())));
        services.id.push(serviceId);
        services.provider.push(id);
        services.name.push(template.name);
        services.category.push(template.category);
        services.standards.push(`{${standards.map((s) => `"${s}"`).join(',')}}`);
        services.price.push(String(Math.round((template.unitPriceFen * (0.7 + random() * 0.6)) / 100) * 100));
        services.turnaround.push(Math.max(1, template.turnaroundDays + Math.floor(random() * 5) - 2));
        services.capacity.push(capacity);
        services.inScope.push(inScope);
        serviceIds.push({ id: serviceId, capacity });
      }
      accreditations.id.push(uuidOf(`bench-accreditation-${n}`));
      accreditations.provider.push(id);
      accreditations.number.push(`CNAS L${String(n).padStart(5, '0')}`);
      accreditations.scope.push(`{${[...scope].map((s) => `"${s}"`).join(',')}}`);
    }
    await pool.query(
      `INSERT INTO providers (id, credit_code, name, kind, region_code, legal_representative, phone, address, status,
                              rating_centis, on_time_count, late_count, completed_count, updated_at, created_at)
       SELECT id, credit, name, 'LAB', region, '王建国', '021-60000000', '上海市', 'LISTED', rating, on_time, late,
              on_time + late, $8, $8
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[])
         AS t(id, credit, name, region, rating, on_time, late)`,
      [
        providers.id,
        providers.credit,
        providers.name,
        providers.region,
        providers.rating,
        providers.onTime,
        providers.late,
        dayOld,
      ],
    );
    await pool.query(
      `INSERT INTO accreditations (id, provider_id, kind, number, scope, expires_on, expires_at)
       SELECT id, provider, 'CNAS', number, scope::text[], $5::date, ($5::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS t(id, provider, number, scope)`,
      [
        accreditations.id,
        accreditations.provider,
        accreditations.number,
        accreditations.scope,
        addDays(today, 700),
      ],
    );
    await pool.query(
      `INSERT INTO services (id, provider_id, name, category, standards, unit_price_fen, turnaround_days, daily_capacity, in_scope)
       SELECT id, provider, name, category::"ServiceCategory", standards::text[], price::bigint, turnaround, capacity, in_scope
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::bool[])
         AS t(id, provider, name, category, standards, price, turnaround, capacity, in_scope)`,
      [
        services.id,
        services.provider,
        services.name,
        services.category,
        services.standards,
        services.price,
        services.turnaround,
        services.capacity,
        services.inScope,
      ],
    );
  }

  // capacity taken: a third of the rows full, the rest partly used
  const usage = new Map<string, { service: string; day: string; used: number; capacity: number }>();
  while (usage.size < size.usageRows) {
    const service = serviceIds[Math.floor(random() * serviceIds.length)]!;
    const day = addDays(today, 1 + Math.floor(random() * 60));
    const used = random() < 0.33 ? service.capacity : Math.floor(random() * service.capacity);
    usage.set(`${service.id}/${day}`, { service: service.id, day, used, capacity: service.capacity });
  }
  const rows = [...usage.values()];
  // taken over the past day, as bookings would have, rather than all in the last second
  await pool.query('ALTER TABLE service_day_usage DISABLE TRIGGER service_day_usage_stamp');
  for (let start = 0; start < rows.length; start += 10_000) {
    const chunk = rows.slice(start, start + 10_000);
    await pool.query(
      `INSERT INTO service_day_usage (service_id, day, used, capacity, updated_at)
       SELECT *, $5::timestamptz FROM unnest($1::uuid[], $2::date[], $3::int[], $4::int[])`,
      [
        chunk.map((r) => r.service),
        chunk.map((r) => r.day),
        chunk.map((r) => r.used),
        chunk.map((r) => r.capacity),
        dayOld,
      ],
    );
  }
  await pool.query('ALTER TABLE service_day_usage ENABLE TRIGGER service_day_usage_stamp');
  await pool.query('ANALYZE');
  return { services: serviceIds.length, usageRows: rows.length };
}
