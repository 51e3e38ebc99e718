import { toCsv, type CsvColumn } from './csv-text';
import { saveFile } from './download';

export { toCsv, type CsvColumn } from './csv-text';

/** The rows as a CSV file the browser downloads. */
export function downloadCsv<Row>(
  name: string,
  columns: readonly CsvColumn<Row>[],
  rows: readonly Row[],
): void {
  saveFile(name, toCsv(columns, rows));
}
