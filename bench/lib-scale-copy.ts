import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A value in PostgreSQL's COPY text format: `\N` for null, backslash, tab and line breaks escaped. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    text = value.toString();
  else text = JSON.stringify(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

/** A text[] literal: every element quoted, so spaces, commas and braces stay inside it. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
export const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

export interface TableTiming {
  table: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

/**
 * Streams rows into one table with `COPY … FROM STDIN`, honouring the stream's back-pressure; the
 * rows come from a generator of already-formatted cells.
 */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>,
): Promise<TableTiming> {
  const started = performance.now();
  let count = 0;
  async function* text() {
    let buffer = '';
    for await (const row of rows) {
      buffer += `${row.map(cell).join('\t')}\n`;
      count += 1;
      if (buffer.length > 1 << 16) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  await pipeline(
    Readable.from(text()),
    client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)),
  );
  const seconds = (performance.now() - started) / 1000;
  return { table, rows: count, seconds: round(seconds), rowsPerSecond: Math.round(count / seconds) };
}

export const round = (x: number) => Math.round(x * 1000) / 1000;
