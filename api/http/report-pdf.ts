import pLimit from 'p-limit';
import { TaskTimedOut, threads, type Threads } from './threads';

/** How long reading one upload may take before it is refused; a 10 MiB report reads in well under it. */
export const PDF_READ_WITHIN_MS = 10_000;

// the cross-reference section the file's end points to: a table (`xref`) or a stream (`12 0 obj`)
const START_XREF = /startxref\s+(\d+)\s+%%EOF\s*$/;
const XREF_AT = /^(?:xref\b|\d+\s+\d+\s+obj\b)/;

/**
 * Why the bytes are not a PDF a reader opens as it stands, or null when they are. pdf.js (the reader
 * of Firefox) parses the document and each page; a reader quietly rebuilds a file whose end is cut
 * off or whose cross-reference is wrong, so those are refused first, as ISO 32000-1 §7.5.5 lays the
 * end out. The reading is given up after `withinMs`; the caller has already bounded the size.
 */
export async function pdfProblem(
  bytes: Uint8Array,
  withinMs = PDF_READ_WITHIN_MS,
  reader: PdfReader = sharedReader,
): Promise<string | null> {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString('latin1');
  const end = START_XREF.exec(tail);
  if (!end) return 'is cut short: it does not end with startxref and %%EOF';
  const at = Number(end[1]);
  const section = Buffer.from(bytes.subarray(at, at + 32)).toString('latin1');
  if (at >= bytes.length || !XREF_AT.test(section)) {
    return 'has a wrong cross-reference: startxref does not point to the xref section';
  }
  const wrongEntry = section.startsWith('xref') ? wrongTableEntry(bytes, at) : null;
  if (wrongEntry !== null) {
    return `has a wrong cross-reference: the entry of object ${wrongEntry} does not point to it`;
  }
  return reader.read(bytes, withinMs);
}

const SUBSECTION = /^(\d+) (\d+)\s*$/;
const ENTRY = /^(\d{10}) (\d{5}) ([nf])\s*$/;

/**
 * The first object whose entry in the last cross-reference table points elsewhere than to the
 * object, or null. (A cross-reference stream is read by pdf.js itself.)
 */
function wrongTableEntry(bytes: Uint8Array, at: number): number | null {
  const text = Buffer.from(bytes);
  const trailer = text.indexOf('trailer', at, 'latin1');
  const lines = text.toString('latin1', at, trailer < 0 ? text.length : trailer).split(/\r\n|\r|\n/);
  let number = 0;
  for (const line of lines.slice(1)) {
    const subsection = SUBSECTION.exec(line);
    if (subsection) {
      number = Number(subsection[1]);
      continue;
    }
    const entry = ENTRY.exec(line);
    if (!entry) continue;
    if (entry[3] === 'n') {
      const offset = Number(entry[1]);
      const head = text.toString('latin1', offset, offset + 24);
      if (!new RegExp(`^${number}\\s+${Number(entry[2])}\\s+obj\\b`).test(head)) return number;
    }
    number += 1;
  }
  return null;
}

const READER_MEMORY_MB = 256;

/**
 * pdf.js parses in one go, without yielding to timers, so the reading runs in a thread of its own,
 * kept warm between uploads (starting one and loading pdf.js takes longer than reading a report),
 * stopped and replaced when the time is up (the pool ends a thread whose task is aborted) or its
 * bounded heap runs out. One upload is read at a time, its time counted from its turn.
 */
export class PdfReader {
  private readonly thread: Threads;
  private readonly turns = pLimit(1);

  constructor(private readonly memoryMb = READER_MEMORY_MB) {
    this.thread = threads(new URL('./report-pdf-reader.ts', import.meta.url), {
      maxThreads: 1,
      maxOldGenerationSizeMb: memoryMb,
    });
  }

  read(bytes: Uint8Array, withinMs: number): Promise<string | null> {
    return this.turns(() => this.readNow(bytes, withinMs));
  }

  close(): Promise<void> {
    return this.thread.close();
  }

  private async readNow(bytes: Uint8Array, withinMs: number): Promise<string | null> {
    try {
      // a copy of the view alone (a Buffer may be a view into a larger shared pool)
      return await this.thread.run<string | null>(new Uint8Array(bytes), withinMs);
    } catch (error) {
      if (error instanceof TaskTimedOut) return `could not be read within ${withinMs / 1000} s`;
      if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        return `needs more than ${this.memoryMb} MB to be read`;
      }
      throw error;
    }
  }
}

const sharedReader = new PdfReader();
