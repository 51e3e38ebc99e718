import { describe, expect, it } from 'vitest';
import { pdfProblem, PdfReader } from '../api/http/report-pdf';
import { pdfFile, pdfReport, pdfReportObjects } from './support/providers';

const report = () => pdfFile(pdfReportObjects('Test report GB/T 2423.1: PASS'));

/** The same file with its cross-reference entries moved: each points into another object's middle. */
function withWrongXref(file: Buffer): Buffer {
  const text = file.toString('latin1');
  const table = text.indexOf('xref\n');
  const fixed = text
    .slice(table)
    .replace(
      /^(\d{10}) 00000 n /gm,
      (_, offset: string) => `${String(Number(offset) + 9).padStart(10, '0')} 00000 n `,
    );
  return Buffer.from(text.slice(0, table) + fixed, 'latin1');
}

describe('an uploaded report is read as a PDF before it is stored', () => {
  it('takes the fixture every test uploads, and a report of many pages', async () => {
    expect(await pdfProblem(Buffer.from(pdfReport('report 1'), 'base64'))).toBeNull();
    expect(await pdfProblem(report())).toBeNull();
    const pages = Array.from({ length: 30 }, (_, i) => `${5 + i} 0 R`).join(' ');
    const many = pdfFile([
      '<< /Type /Catalog /Pages 2 0 R >>',
      `<< /Type /Pages /Kids [${pages}] /Count 30 >>`,
      '<< >>',
      '<< >>',
      ...Array.from({ length: 30 }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'),
    ]);
    expect(await pdfProblem(many)).toBeNull();
  });

  it('refuses a file cut short, naming why', async () => {
    const file = report();
    for (const cut of [file.length - 20, Math.floor(file.length / 2), 40, 6]) {
      expect(await pdfProblem(file.subarray(0, cut)), String(cut)).toMatch(/cut short/);
    }
  });

  it('refuses a file whose cross-reference is wrong', async () => {
    const file = report().toString('latin1');
    const pointsElsewhere = file.replace(
      /startxref\n(\d+)/,
      (_, at: string) => `startxref\n${Number(at) - 30}`,
    );
    expect(await pdfProblem(Buffer.from(pointsElsewhere, 'latin1'))).toMatch(/wrong cross-reference/);
    const beyond = file.replace(/startxref\n(\d+)/, 'startxref\n99999999');
    expect(await pdfProblem(Buffer.from(beyond, 'latin1'))).toMatch(/wrong cross-reference/);
    // a reader that rebuilds the table would open it; the entries must be right as they stand
    expect(await pdfProblem(withWrongXref(report()))).toMatch(/entry of object 1 does not point to it/);
  });

  it('refuses an encrypted file that opens only with a password', async () => {
    const hex32 = 'ab'.repeat(32);
    const file = pdfFile(
      [
        ...pdfReportObjects('secret'),
        `<< /Filter /Standard /V 1 /R 2 /O <${hex32}> /U <${'cd'.repeat(32)}> /P -4 >>`,
      ],
      `/Encrypt 5 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>] `,
    );
    expect(await pdfProblem(file)).toMatch(/encrypted and opens only with a password/);
  });

  it('refuses a PDF without pages and what is no PDF at all', async () => {
    const empty = pdfFile(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']);
    expect(await pdfProblem(empty)).toBe('has no pages');
    const objects = pdfReportObjects('x');
    objects[0] = '<< /Type /Catalog /Pages 9 0 R >>';
    expect(await pdfProblem(pdfFile(objects))).toMatch(/cannot be read as a PDF|has no pages/);
    const notPdf = Buffer.from('%PDF-1.4\nhello\nstartxref\n0\n%%EOF\n', 'latin1');
    expect(await pdfProblem(notPdf)).toMatch(/wrong cross-reference|cannot be read/);
    const html = Buffer.from('%PDF-\nxref\n<html><body></body></html>\nstartxref\n6\n%%EOF', 'latin1');
    expect(await pdfProblem(html)).toMatch(/cannot be read as a PDF/);
  });

  it('gives up on a file it cannot read within the time allowed', async () => {
    const count = 400;
    const kids = Array.from({ length: count }, (_, i) => `${3 + i} 0 R`).join(' ');
    const long = pdfFile([
      '<< /Type /Catalog /Pages 2 0 R >>',
      `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`,
      ...Array.from({ length: count }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'),
    ]);
    expect(await pdfProblem(long)).toBeNull();
    const started = performance.now();
    expect(await pdfProblem(long, 1)).toBe('could not be read within 0.001 s');
    expect(performance.now() - started).toBeLessThan(2_000);
    // the reader given up on is replaced: the next upload is read as before
    expect(await pdfProblem(report())).toBeNull();
  });

  it('refuses a file whose reading needs more memory than the reader has, and reads the next one', async () => {
    const small = new PdfReader(4);
    try {
      expect(await pdfProblem(report(), 10_000, small)).toBe('needs more than 4 MB to be read');
    } finally {
      await small.close();
    }
    expect(await pdfProblem(report())).toBeNull();
  });
});
