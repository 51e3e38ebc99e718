import { describe, expect, it } from 'vitest';
import { reportFileProblem } from '../domain/report-file';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('a report file', () => {
  it('is a PDF by name and by its first bytes, within the limit', () => {
    expect(reportFileProblem({ name: 'Report.PDF', size: 100, head: bytes('%PDF-1.7') }, 100)).toBeNull();
    expect(reportFileProblem({ name: 'report.docx', size: 100, head: bytes('%PDF-1.7') }, 100)).toEqual({
      code: 'NOT_PDF_NAME',
    });
    expect(reportFileProblem({ name: 'report.pdf', size: 101, head: bytes('%PDF-1.7') }, 100)).toEqual({
      code: 'TOO_LARGE',
      limitBytes: 100,
    });
    expect(reportFileProblem({ name: 'report.pdf', size: 10, head: bytes('PK\u0003\u0004') }, 100)).toEqual({
      code: 'NOT_PDF_CONTENT',
    });
    expect(reportFileProblem({ name: 'report.pdf', size: 0, head: bytes('') }, 100)).toEqual({
      code: 'EMPTY',
    });
  });
});
