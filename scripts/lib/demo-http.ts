import { yuanString } from '../../domain/kpis';
import type { Fen } from '../../domain/money';

export interface Problem {
  title?: string;
  detail?: string;
  code?: string;
}

/** A JSON client for the service's API that fails loudly, naming the step and the problem. */
export function apiClient(baseUrl: string) {
  const root = `${baseUrl.replace(/\/+$/, '')}/api/v1`;
  return async function call<T>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; expect?: number } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${root}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (error) {
      throw new Error(
        `cannot reach the service at ${baseUrl} (${String(error)}); is it running? Start it with \`npm start\``,
        { cause: error },
      );
    }
    const text = await res.text();
    const expected = options.expect ?? 200;
    if (res.status !== expected) {
      let problem: Problem;
      try {
        problem = JSON.parse(text) as Problem;
      } catch {
        problem = { detail: text.slice(0, 300) };
      }
      throw new Error(
        `${method} ${path} answered ${res.status} ${problem.code ?? ''}: ${problem.detail ?? problem.title ?? ''}`.trim(),
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

export type ApiCall = ReturnType<typeof apiClient>;

/** 1234567 fen → "12,345.67 CNY". */
export function cny(fen: Fen): string {
  const [whole, cents] = yuanString(fen).split('.');
  return `${Number(whole).toLocaleString('en-US')}.${cents} CNY`;
}

/** Polls until `probe` gives a value, or fails after the timeout naming what did not happen. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A small, real PDF with the given line of text: the lab's report. */
export function pdf(line: string): Buffer {
  const text = line.replace(/[()\\]/g, ' ');
  const stream = `BT /F1 12 Tf 72 770 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
