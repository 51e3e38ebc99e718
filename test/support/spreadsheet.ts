import * as XLSX from 'xlsx';

/** A cell as a spreadsheet shows it after opening a CSV file. */
export interface SheetCell {
  /** A1-style address */
  at: string;
  /** the formula the spreadsheet would run, if it read the cell as one */
  formula: string | undefined;
  /** the text the cell shows */
  text: string;
}

/**
 * Opens CSV bytes as a spreadsheet does (SheetJS reading CSV, formulas kept): every cell, row by row.
 * SheetJS marks a cell beginning with `=` as a formula; what it reads as a number shows as the number.
 */
export function openCsv(bytes: Buffer | string): SheetCell[][] {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  // the byte-order mark tells the spreadsheet the file is UTF-8; it is not part of the first cell
  const book = XLSX.read(text.replace(/^\uFEFF/, ''), { type: 'string', cellFormula: true, cellText: true });
  const sheet = book.Sheets[book.SheetNames[0]!]!;
  const range = XLSX.utils.decode_range(sheet['!ref'] ?? 'A1:A1');
  const rows: SheetCell[][] = [];
  for (let r = range.s.r; r <= range.e.r; r += 1) {
    const row: SheetCell[] = [];
    for (let c = range.s.c; c <= range.e.c; c += 1) {
      const at = XLSX.utils.encode_cell({ r, c });
      const cell = sheet[at] as XLSX.CellObject | undefined;
      row.push({
        at,
        formula: cell?.f,
        text: cell ? (cell.w ?? (cell.v === undefined ? '' : String(cell.v))) : '',
      });
    }
    rows.push(row);
  }
  return rows;
}

/**
 * What Excel, LibreOffice and Google Sheets run as a formula, which SheetJS's reader does not model:
 * `=`, `+`, `-`, `@` (or full-width forms) after any blanks or double quotes, or a leading tab or carriage
 * return; `+1` too, which shows as `1`. Written out here independently of the service's rule.
 */
export function wouldRun(text: string): boolean {
  return /^[\t\r]/.test(text) || /^[\s"\u00a0\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]/u.test(text);
}

/** Formula payloads a name may carry (OWASP CSV injection and the variants spreadsheets still run). */
export const FORMULA_PAYLOADS = [
  '=HYPERLINK("http://evil.example","点我")',
  "=1+2+cmd|' /C calc'!A0",
  '+1',
  '-1+1',
  '@SUM(1)',
  '\t=1',
  '\r=1',
  ' =1',
  '" =1"',
  '"=2+3"',
  "'=4+5",
  '\u3000=6+7',
  '＝8+9',
  '=10+11\n=12',
];
