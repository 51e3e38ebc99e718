/**
 * What a report upload must be: a PDF file (its name ends in `.pdf`, its bytes start with `%PDF-`) of at
 * most the service's limit (`REPORT_LIMIT_BYTES`). The API enforces it; the portal checks the same
 * before sending the file, so a wrong file is refused at once rather than after the upload.
 */
export const REPORT_FILE_NAME = /\.pdf$/i;
export const REPORT_MEDIA_TYPE = 'application/pdf';
const PDF_SIGNATURE = '%PDF-';

export type ReportFileProblem =
  | { code: 'NOT_PDF_NAME' }
  | { code: 'TOO_LARGE'; limitBytes: number }
  | { code: 'NOT_PDF_CONTENT' }
  | { code: 'EMPTY' };

/** Why a file cannot be the report, or null when it can; `head` is (at least) its first five bytes. */
export function reportFileProblem(
  file: { name: string; size: number; head: Uint8Array },
  limitBytes: number,
): ReportFileProblem | null {
  if (!REPORT_FILE_NAME.test(file.name)) return { code: 'NOT_PDF_NAME' };
  if (file.size === 0) return { code: 'EMPTY' };
  if (file.size > limitBytes) return { code: 'TOO_LARGE', limitBytes };
  const signature = String.fromCharCode(...file.head.subarray(0, PDF_SIGNATURE.length));
  return signature === PDF_SIGNATURE ? null : { code: 'NOT_PDF_CONTENT' };
}
