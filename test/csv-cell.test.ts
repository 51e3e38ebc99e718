import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_CELL_OPTIONS, csvCell, csvRecord } from '../domain/csv-cell';
import { toCsv } from '../web/src/ui/csv-text';
import { FORMULA_PAYLOADS, openCsv, wouldRun } from './support/spreadsheet';

interface Row {
  name: string;
  amountFen: number;
}

const columns = [
  { header: '名称', value: (row: Row) => row.name },
  { header: 'amount_fen', value: (row: Row) => row.amountFen },
];

/** What a CSV cell shows once opened, checked as a spreadsheet would read it. */
function expectShownAsText(cell: { formula: string | undefined; text: string }, name: string) {
  expect(cell.formula, JSON.stringify(cell)).toBeUndefined();
  expect(wouldRun(cell.text), JSON.stringify(cell)).toBe(false);
  // nothing lost: the name is all there, after the apostrophe that marks it as text
  expect([name, `'${name}`], JSON.stringify(cell)).toContain(cell.text);
}

describe('a CSV cell a spreadsheet would run as a formula', () => {
  it('is written with a leading apostrophe, and a plain number or a plain name is left as it is', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(csvCell(' =1')).toBe(`' =1`);
    expect(csvCell('" =1"')).toBe(`'" =1"`);
    expect(csvCell('\t=1')).toBe(`'\t=1`);
    expect(csvCell('\rx')).toBe(`'\rx`);
    expect(csvCell('＠SUM(1)')).toBe(`'＠SUM(1)`);
    expect(csvCell("'=1")).toBe("'=1");
    expect(csvCell('-12')).toBe(`'-12`);
    expect(csvCell('+3.50')).toBe(`'+3.50`);
    expect(csvCell('12')).toBe('12');
    expect(csvCell('上海精测 = 检测')).toBe('上海精测 = 检测');
    expect(csvCell('')).toBe('');
  });

  it("opens as text in a spreadsheet from the portal's export, every payload, nothing lost", () => {
    const rows = FORMULA_PAYLOADS.map((name, i) => ({ name, amountFen: i * 100 }));
    const sheet = openCsv(toCsv(columns, rows));
    expect(sheet[0]!.map((c) => c.text)).toEqual(['名称', 'amount_fen']);
    rows.forEach((row, i) => {
      expectShownAsText(sheet[i + 1]![0]!, row.name);
      // an amount stays a number
      expect(sheet[i + 1]![1]!.text).toBe(String(row.amountFen));
    });
  });

  it('opens as text for any string, in the portal and in the server’s records alike', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '=',
        '+',
        '-',
        '@',
        '\t',
        '\r',
        '\n',
        ' ',
        '"',
        "'",
        '\u3000',
        '＝',
        '＋',
        '－',
        '＠',
        ',',
        ';',
      ),
      fc.string({ maxLength: 6 }),
      fc.constantFrom('SUM(1)', 'HYPERLINK("http://x")', "cmd|' /C calc'!A0", '1+1', '检测'),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('')),
        (name) => {
          const portal = openCsv(toCsv(columns, [{ name, amountFen: 1 }]));
          const server = openCsv(`\uFEFF${csvRecord(['name'])}${csvRecord([name])}`);
          for (const sheet of [portal, server]) {
            const cell = sheet[1]![0]!;
            expect(cell.formula, JSON.stringify(name)).toBeUndefined();
            expect(wouldRun(cell.text), JSON.stringify({ name, cell })).toBe(false);
          }
        },
      ),
      { numRuns: 500, seed: 20261127 },
    );
  });

  it('is written by the server as the portal’s library writes it, quotes, commas and line breaks included', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('=1', '-12', '"', '""', ',', '\n', '\r\n', ' "a,b"', '检测, 上海', ''),
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (cells) => {
        expect(csvRecord(cells)).toBe(stringify([cells], { ...CSV_CELL_OPTIONS }));
      }),
      { numRuns: 1000, seed: 20261127 },
    );
  });
});
