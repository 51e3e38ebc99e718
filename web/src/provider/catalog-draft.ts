import type { ServiceCategory } from '@domain/catalog';
import type { components } from '../api/schema';
import { parseYuan, yuanDigits } from '../ui/money';

type Service = components['schemas']['Service'];
type ServiceInput = components['schemas']['ServiceInput'];

/** A standard as typed, with a key that stays while the standards around it come and go. */
export interface StandardDraft {
  key: string;
  code: string;
}

/** A service as the editor holds it: text as typed, until the catalog is saved. */
export interface ServiceDraft {
  key: string;
  /** an existing service keeps its id, so its bookings and capacity stay with it */
  id?: string;
  name: string;
  category: ServiceCategory;
  standards: StandardDraft[];
  unitPrice: string;
  turnaroundDays: string;
  dailyCapacity: string;
  inScope: boolean;
}

const standardDraft = (code: string): StandardDraft => ({ key: crypto.randomUUID(), code });

export function serviceDraft(service: Service): ServiceDraft {
  return {
    key: service.id,
    id: service.id,
    name: service.name,
    category: service.category,
    standards: service.standards.map(standardDraft),
    unitPrice: yuanDigits(service.unitPriceFen).replaceAll(',', ''),
    turnaroundDays: String(service.turnaroundDays),
    dailyCapacity: String(service.dailyCapacity),
    inScope: service.inScope,
  };
}

export function emptyService(): ServiceDraft {
  return {
    key: crypto.randomUUID(),
    name: '',
    category: 'TESTING',
    standards: [standardDraft('')],
    unitPrice: '',
    turnaroundDays: '',
    dailyCapacity: '',
    inScope: true,
  };
}

export function addStandard(draft: ServiceDraft): ServiceDraft {
  return { ...draft, standards: [...draft.standards, standardDraft('')] };
}

export const WHOLE_NUMBER = /^\d+$/;

/**
 * The service the API receives, or null while a field the page already shows as wrong (an amount,
 * a count) is not a number. Standards go in the order of their fields, so that a refusal naming
 * `services.2.standards.1` points at the field the person typed it in.
 */
export function serviceInput(draft: ServiceDraft): ServiceInput | null {
  const unitPriceFen = parseYuan(draft.unitPrice);
  if (
    unitPriceFen === null ||
    !WHOLE_NUMBER.test(draft.turnaroundDays.trim()) ||
    !WHOLE_NUMBER.test(draft.dailyCapacity.trim())
  ) {
    return null;
  }
  return {
    ...(draft.id ? { id: draft.id } : {}),
    name: draft.name.trim(),
    category: draft.category,
    standards: draft.standards.map((s) => s.code.trim()),
    unitPriceFen,
    turnaroundDays: Number(draft.turnaroundDays.trim()),
    dailyCapacity: Number(draft.dailyCapacity.trim()),
    inScope: draft.inScope,
  };
}

/** The names of a row's fields, as the service names them in a refusal. */
export function serviceFieldNames(draft: ServiceDraft, index: number): string[] {
  const at = (field: string) => `services.${index}.${field}`;
  return [
    at('name'),
    at('category'),
    ...draft.standards.map((_, j) => at(`standards.${j}`)),
    at('unitPriceFen'),
    at('turnaroundDays'),
    at('dailyCapacity'),
  ];
}
