import type { TFunction } from 'i18next';
import type { CsvColumn } from '../ui/csv';
import { formatInstant } from '../ui/dates';

/** The choice that lifts a filter: every status, every programme. */
export const ALL = 'ALL';

/** How a queue is ordered: oldest first, nearest deadline first, or newest first. */
export type Sort = 'OLDEST' | 'DEADLINE' | 'NEWEST';

/** What a queue is filtered and ordered by. */
export interface QueueView<Status extends string> {
  status: Status | typeof ALL;
  programmeId: string;
  text: string;
  sort: Sort;
}

/** A view that filters on nothing but the given status, in the given order. */
export function queueView<Status extends string>(status: Status | typeof ALL, sort: Sort): QueueView<Status> {
  return { status, programmeId: ALL, text: '', sort };
}

/** Reads every page of a list the service gives a page at a time; a queue is filtered and sorted whole. */
export async function allPages<Item>(
  page: (cursor: string | undefined) => Promise<{ items: Item[]; nextCursor: string | null }>,
): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** Whether any of the fields holds what was typed in the search field (case and surrounding spaces ignored). */
export function matchesText(text: string, fields: readonly (string | null | undefined)[]): boolean {
  const wanted = text.trim().toLocaleLowerCase();
  return wanted === '' || fields.some((field) => field?.toLocaleLowerCase().includes(wanted));
}

/**
 * Oldest first by `since`; nearest deadline first (no deadline last, oldest first among equals);
 * or newest first.
 */
export function sortQueue<Item>(
  items: readonly Item[],
  sort: Sort,
  keys: (item: Item) => { since: string; due: string | null },
): Item[] {
  const time = (iso: string | null) => (iso === null ? Number.POSITIVE_INFINITY : Date.parse(iso));
  return [...items].sort((a, b) => {
    const [ka, kb] = [keys(a), keys(b)];
    const bySince = time(ka.since) - time(kb.since);
    if (sort === 'NEWEST') return -bySince;
    const byDeadline = sort === 'DEADLINE' ? time(ka.due) - time(kb.due) : 0;
    // two items without a deadline: Infinity - Infinity is NaN, falsy, so the older goes first
    return byDeadline || bySince;
  });
}

/** Yuan with two decimals and no grouping, as a spreadsheet reads a number: `123456` fen → `1234.56`. */
export function csvYuan(fen: number): string {
  const value = BigInt(fen);
  const abs = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** An instant in the export, on the Shanghai clock as the page shows it. */
export function csvInstant(iso: string | null | undefined, locale: string): string {
  return iso ? formatInstant(iso, locale) : '';
}

/** The id column an export ends with, so that a row can be found again. */
export function idColumn<Row extends { id: string }>(t: TFunction): CsvColumn<Row> {
  return { header: t('admin.queue.id'), value: (row) => row.id };
}
