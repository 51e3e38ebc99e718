import { condition } from '@temporalio/workflow';

/**
 * Waits until `fn` holds (true) or the timeout passes (false); without a timeout, until it holds.
 * (`condition` itself resolves to undefined when given no timeout.)
 */
export async function waitUntil(fn: () => boolean, timeoutMs?: number): Promise<boolean> {
  if (timeoutMs === undefined) {
    await condition(fn);
    return true;
  }
  return condition(fn, timeoutMs);
}
