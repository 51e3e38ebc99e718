import { CSV_CELL_OPTIONS } from '@domain/csv-cell';
import { stringify } from 'csv-stringify/browser/esm/sync';

/** A column of an exported table: its header and how a row fills it. */
export type CsvColumn<Row> = { header: string; value: (row: Row) => string | number | null | undefined };

/**
 * The rows as the service's own CSV files are written: UTF-8 with a byte-order mark so that Excel shows
 * Chinese names, a header line, and a cell that a spreadsheet would read as a formula written with a
 * leading `'`, so that it shows as text: the server's rule (domain/csv-cell.ts), shared.
 */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  return (
    '\uFEFF' +
    stringify(
      rows.map((row) => columns.map((column) => column.value(row) ?? '')),
      { header: true, columns: columns.map((column) => column.header), ...CSV_CELL_OPTIONS },
    )
  );
}
