import { once } from 'node:events';
import type { Response } from 'express';
import { setServerTiming } from './server-timing';

/**
 * Writes the chunks to the response as fast as the client takes them, and no faster: when the socket's
 * buffer is full (`write` returns false) it waits for `drain` before asking the source for more, so the
 * source reads the next page from the database only when the client has taken the last one. When the
 * client goes away the source is closed (its `finally` runs) and nothing more is read.
 *
 * The first chunk is read before the response starts, so a failure of the first read still answers
 * with a problem; a failure later cuts the response short, which the client sees as an incomplete body.
 */
export async function streamResponse(
  res: Response,
  source: AsyncIterable<string>,
  start: () => void,
): Promise<void> {
  const iterator = source[Symbol.asyncIterator]();
  let closed = false;
  const onClose = () => {
    closed = true;
  };
  res.once('close', onClose);
  try {
    let next = await iterator.next();
    start();
    setServerTiming(res);
    while (!next.done && !closed) {
      if (!res.write(next.value) && !closed) await drained(res);
      if (closed) break;
      next = await iterator.next();
    }
    if (!closed) res.end();
  } catch (error) {
    if (!res.headersSent) throw error;
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  } finally {
    res.off('close', onClose);
    // stops the database reading when the client left or the source failed
    await iterator.return?.();
  }
}

/** Resolves when the client has taken the buffered bytes, or has gone away. */
async function drained(res: Response): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([
      once(res, 'drain', { signal: ac.signal }),
      once(res, 'close', { signal: ac.signal }),
    ]);
  } finally {
    ac.abort();
  }
}
