import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Pages read one by one to check the page tree; past this the count alone is trusted. */
const PAGES_CHECKED = 500;

/**
 * Runs in the reader's thread (see `report-pdf.ts`): opens each file it is sent with pdf.js, without
 * its own worker, font loading or code evaluation, and answers why it is not a readable PDF, or null.
 */
export default async function problem(bytes: Uint8Array): Promise<string | null> {
  // asked for a password (none or a wrong one): there is none to give, so the reading stops here
  let needsPassword = false;
  const task = getDocument({
    // a buffer of its own: pdf.js reads the whole ArrayBuffer behind a view, not the view alone
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    stopAtErrors: true,
    verbosity: VerbosityLevel.ERRORS,
  });
  task.onPassword = () => {
    needsPassword = true;
    void task.destroy();
  };
  try {
    const document = await task.promise;
    if (document.numPages < 1) return 'has no pages';
    for (let number = 1; number <= Math.min(document.numPages, PAGES_CHECKED); number += 1) {
      await document.getPage(number);
    }
    return null;
  } catch (error) {
    if (needsPassword || (error instanceof Error && error.name === 'PasswordException')) {
      return 'is encrypted and opens only with a password: upload it without one';
    }
    return `cannot be read as a PDF (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await task.destroy();
  }
}
