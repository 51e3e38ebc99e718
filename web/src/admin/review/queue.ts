import type { TFunction } from 'i18next';
import type { CsvColumn } from '../../ui/csv';
import { formatInstant } from '../../ui/dates';

/** How a queue is ordered: the oldest submission first, or the nearest deadline first. */
export type SortOrder = 'oldest' | 'deadline';

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

/** Whether `name` holds what was typed in the search field (case and surrounding spaces ignored). */
export function nameMatches(name: string, search: string): boolean {
  const wanted = search.trim().toLocaleLowerCase();
  return wanted === '' || name.toLocaleLowerCase().includes(wanted);
}

/** Oldest first, or nearest deadline first (items without a deadline last, oldest first among equals). */
export function sortQueue<Item>(
  items: readonly Item[],
  order: SortOrder,
  keys: (item: Item) => { submittedAt: string; dueAt: string | null },
): Item[] {
  const time = (iso: string | null) => (iso === null ? Number.POSITIVE_INFINITY : Date.parse(iso));
  return [...items].sort((a, b) => {
    const [ka, kb] = [keys(a), keys(b)];
    const byDeadline = order === 'deadline' ? time(ka.dueAt) - time(kb.dueAt) : 0;
    return byDeadline || time(ka.submittedAt) - time(kb.submittedAt);
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

/** The id column every export ends with, so that a row can be found again. */
export function idColumn<Row extends { id: string }>(t: TFunction): CsvColumn<Row> {
  return { header: t('admin.review.export.id'), value: (row) => row.id };
}
