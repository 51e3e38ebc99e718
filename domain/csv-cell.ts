/**
 * What every CSV file the service or the portal writes does with a cell a spreadsheet would run as a
 * formula (CSV injection): an enterprise may name itself `=HYPERLINK("http://…","点我")`, and an
 * auditor opening the settlements in Excel must see that name, not follow it.
 *
 * A cell is a formula to some spreadsheet when it begins with `=`, `+`, `-` or `@` (Excel, LibreOffice
 * and Google Sheets; `-`, `+` and `@` start formulas and DDE calls there too), or with their full-width
 * forms (`＝`, `＋`, `－`, `＠`, which some spreadsheets fold to ASCII), also after leading blanks
 * (spaces, no-break and ideographic spaces, tabs, line breaks) or double quotes, which some
 * spreadsheets skip before looking for a formula; and a cell beginning with a tab or a carriage return
 * is one too (a field separator to some importers, after which a formula begins). Such a cell is
 * written with a leading apostrophe: a spreadsheet shows it as text, and the whole value is still there.
 *
 * An apostrophe is the spreadsheets' own mark of text: a cell already beginning with one is safe as it is.
 * A string that looks like a signed number (`+1`, `-1`) is one too: a spreadsheet would show `1` for
 * the name `+1`. Numbers the exports write as numbers are not strings and stay as they are.
 */
const FORMULA = /^[\s"\u00a0\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r]/u;

/** The cell as it is written to a CSV file: a leading `'` if a spreadsheet would run it as a formula. */
export function csvCell(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

/**
 * The `csv-stringify` options that apply {@link csvCell} to every string cell, for the server's
 * stream and the portal's synchronous build alike (`escape_formulas` looks at the first character
 * only, so it is not used).
 */
export const CSV_CELL_OPTIONS = {
  cast: { string: (value: string) => csvCell(value) },
} as const;

const NEEDS_QUOTES = /[",\n\r]/;

/**
 * One record as `csv-stringify` writes it with {@link CSV_CELL_OPTIONS} and its defaults (comma, `\n`
 * after every record, a cell quoted when it holds a comma, a quote or a line break, its quotes doubled),
 * written directly: the server's exports write hundreds of thousands of records, and the library's
 * per-cell option handling cost more than the rest of a record's work. A property test holds the two equal.
 */
export function csvRecord(cells: readonly string[]): string {
  let record = '';
  for (let i = 0; i < cells.length; i += 1) {
    const cell = csvCell(cells[i]!);
    if (i > 0) record += ',';
    record += NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  }
  return `${record}\n`;
}
