import { z } from 'zod';

export const SERVICE_CATEGORIES = [
  'TESTING',
  'INSPECTION',
  'METROLOGY',
  'CERTIFICATION',
  'EXPERIMENTAL_VERIFICATION',
  'STANDARDIZATION_CONSULTING',
] as const;
export const ServiceCategorySchema = z.enum(SERVICE_CATEGORIES).meta({ id: 'ServiceCategory' });
export type ServiceCategory = z.infer<typeof ServiceCategorySchema>;

export const PROVIDER_KINDS = [
  'LAB',
  'INSPECTION_BODY',
  'METROLOGY',
  'CERTIFICATION',
  'PUBLIC_SERVICE_PLATFORM',
] as const;
export const ProviderKindSchema = z.enum(PROVIDER_KINDS).meta({ id: 'ProviderKind' });
export type ProviderKind = z.infer<typeof ProviderKindSchema>;

export const PROVIDER_STATUSES = [
  'PENDING_VERIFICATION',
  'LISTED',
  'SUSPENDED',
  'DELISTED',
  'REJECTED',
] as const;
export const ProviderStatusSchema = z.enum(PROVIDER_STATUSES).meta({ id: 'ProviderStatus' });
export type ProviderStatus = z.infer<typeof ProviderStatusSchema>;
