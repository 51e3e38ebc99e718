import { stringify } from 'csv-stringify/browser/esm/sync';
import { saveFile } from './download';

/** A column of an exported table: its header and how a row fills it. */
export type CsvColumn<Row> = { header: string; value: (row: Row) => string | number | null | undefined };

/**
 * The rows as the service's own CSV files are written: UTF-8 with a byte-order mark so that Excel shows
 * Chinese names, a header line, and a cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`,
 * tab, carriage return first) written with a leading `'`, so that it shows as text.
 */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  return (
    '\uFEFF' +
    stringify(
      rows.map((row) => columns.map((column) => column.value(row) ?? '')),
      { header: true, columns: columns.map((column) => column.header), escape_formulas: true },
    )
  );
}

/** The rows as a CSV file the browser downloads. */
export function downloadCsv<Row>(
  name: string,
  columns: readonly CsvColumn<Row>[],
  rows: readonly Row[],
): void {
  saveFile(name, toCsv(columns, rows));
}
