import { z } from 'zod';

/**
 * Standard codes normalised so that a demand and a catalog entry compare equal whatever the
 * spelling: `gb/t2423.1-2008` and `GB/T 2423.1` are both `GB/T 2423.1`; `iec 61000-4-2:2008` is
 * `IEC 61000-4-2`. The edition year is dropped: accreditation scopes and demands name the standard.
 *
 * Chinese national (GB, GB/T, GB/Z), sector (e.g. JB/T, SJ/T, FZ/T, YB/T, JC/T, YS/T) and metrology
 * (JJG, JJF) codes number parts with dots and append the year with a hyphen; ISO, IEC and EN number
 * parts with hyphens and append the year with a colon.
 */
const CHINESE = /^(GB\/T|GB\/Z|GB|JJG|JJF|[A-Z]{1,2}\/T|[A-Z]{2})\s*(\d+(?:\.\d+)*)(?:\s*[-—–]\s*\d{4})?$/;
const INTERNATIONAL = /^(ISO\/IEC|ISO|IEC|EN|CISPR|UL)\s*(\d+(?:-\d+)*)(?::\s*\d{4}(?:\+A\d+:\d{4})*)?$/;

export function normalizeStandardCode(input: string): string | null {
  const compact = input.trim().toUpperCase().replace(/\s+/g, ' ').replace(/／/g, '/');
  const international = INTERNATIONAL.exec(compact);
  if (international) return `${international[1]} ${international[2]}`;
  const chinese = CHINESE.exec(compact);
  if (chinese) return `${chinese[1]} ${chinese[2]}`;
  return null;
}

// refine, then overwrite: the schema stays a plain string in the OpenAPI document
export const StandardCodeSchema = z
  .string()
  .max(60)
  .refine((value) => normalizeStandardCode(value) !== null, {
    error: 'must be a standard code such as "GB/T 2423.1", "GB 4943.1", "JJG 1036" or "IEC 61000-4-2"',
  })
  .overwrite((value) => normalizeStandardCode(value) ?? value)
  .meta({
    id: 'StandardCode',
    description: 'standard code; normalised, edition year dropped',
    example: 'GB/T 2423.1',
  });
