import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { VoucherStatus } from '../../domain/application';
import type { BookingStatus } from '../../domain/booking';
import type { ClaimStatus } from '../../domain/claim';

/**
 * The business facts operators find processes by in the Temporal UI and CLI, e.g.
 * `temporal workflow list --query 'BookingStatus="SAMPLE_RECEIVED" AND ProgrammeId="…"'`.
 * Every key is a Keyword: matched exactly, never tokenised. The server must know them before a
 * workflow sets one (`npm start` registers them; see the README for a cluster).
 */
const keyword = (name: string) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);

export const PROCESS_SEARCH_ATTRIBUTES = {
  ProgrammeId: keyword('ProgrammeId'),
  EnterpriseId: keyword('EnterpriseId'),
  ProviderId: keyword('ProviderId'),
  VoucherStatus: keyword('VoucherStatus'),
  BookingStatus: keyword('BookingStatus'),
  ClaimStatus: keyword('ClaimStatus'),
} as const;

/** Who a process is about; set once, at its start or as soon as it knows. */
export interface ProcessFacts {
  programmeId?: string;
  enterpriseId?: string;
  providerId?: string;
}

/** The status each status attribute holds. */
export interface ProcessStatuses {
  VoucherStatus: VoucherStatus;
  BookingStatus: BookingStatus;
  ClaimStatus: ClaimStatus;
}

const FACT_KEYS = {
  programmeId: PROCESS_SEARCH_ATTRIBUTES.ProgrammeId,
  enterpriseId: PROCESS_SEARCH_ATTRIBUTES.EnterpriseId,
  providerId: PROCESS_SEARCH_ATTRIBUTES.ProviderId,
} as const;

/**
 * The attributes to start a process with (`typedSearchAttributes` of a client start, a child
 * workflow or a Schedule's action), so that it is findable before its first step runs.
 */
export function processSearchAttributes(
  facts: ProcessFacts,
  statuses: Partial<ProcessStatuses> = {},
): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [];
  for (const [field, key] of Object.entries(FACT_KEYS) as [
    keyof ProcessFacts,
    (typeof FACT_KEYS)[keyof ProcessFacts],
  ][]) {
    const value = facts[field];
    if (value) pairs.push({ key, value });
  }
  for (const [name, value] of Object.entries(statuses) as [keyof ProcessStatuses, string | undefined][]) {
    if (value) pairs.push({ key: PROCESS_SEARCH_ATTRIBUTES[name], value });
  }
  return pairs;
}

/**
 * Sets the attributes that differ from what the process holds already. Deterministic: it reads
 * the workflow's own attributes, which replay rebuilds from the history, so an unchanged value
 * adds no event to the history.
 */
function upsertChanged(pairs: SearchAttributePair[]): void {
  const current = workflowInfo().typedSearchAttributes;
  const changed = pairs.filter(({ key, value }) => current.get(key) !== value);
  if (changed.length) upsertSearchAttributes(changed);
}

/** In a workflow: records who the process is about (programme, enterprise, provider). */
export function tagProcess(facts: ProcessFacts): void {
  upsertChanged(processSearchAttributes(facts));
}

/** In a workflow: records a status the process has reached, e.g. `tagStatus('BookingStatus', 'CONFIRMED')`. */
export function tagStatus<Name extends keyof ProcessStatuses>(
  name: Name,
  value: ProcessStatuses[Name],
): void {
  upsertChanged([{ key: PROCESS_SEARCH_ATTRIBUTES[name], value }]);
}
