import { findChainBreak, type ChainBreak, type ChainedAuditEntry } from './audit';

export type VerificationKind = 'FULL' | 'INCREMENTAL';
export type VerificationState = 'RUNNING' | 'VALID' | 'BROKEN' | 'FAILED';

/** One verification of the chain as recorded: what it covers, how far it got, what it found. */
export interface VerificationRecord {
  id: string;
  kind: VerificationKind;
  state: VerificationState;
  /** the first entry it checks and the head when it began */
  fromSeq: string;
  toSeq: string;
  total: number;
  checked: number;
  break: ChainBreak | null;
  startedBy: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  updatedAt: Date;
}

/** Where a verification stands: the last entry checked and its hash, which the next entry must link to. */
export interface ChainPosition {
  seq: bigint;
  hash: string;
  checked: number;
}

export interface ChainCheck {
  break: ChainBreak | null;
  /** the last entry found intact */
  position: ChainPosition;
}

/**
 * Checks the entries after `from` up to `toSeq`, page by page, in chain order. The next page is read
 * while this one is hashed; `onPage` hears where the check stands after each page (progress,
 * heartbeats) and may pause it.
 */
export async function checkChain(
  pages: (afterSeq: bigint) => AsyncIterable<ChainedAuditEntry[]>,
  from: ChainPosition,
  onPage: (position: ChainPosition) => Promise<void> | void = () => undefined,
): Promise<ChainCheck> {
  const iterator = pages(from.seq)[Symbol.asyncIterator]();
  let position = from;
  let pending = iterator.next();
  try {
    for (;;) {
      const page = await pending;
      if (page.done) return { break: null, position };
      pending = iterator.next();
      // a rejection of the read ahead is seen when it is awaited, or not at all when the check stops
      pending.catch(() => undefined);
      const result = findChainBreak(page.value, position.hash);
      const last = result.checked ? page.value[result.checked - 1]! : null;
      position = {
        seq: last ? BigInt(last.seq) : position.seq,
        hash: result.lastHash,
        checked: position.checked + result.checked,
      };
      if (result.break) return { break: result.break, position };
      await onPage(position);
    }
  } finally {
    await pending.catch(() => undefined);
    await iterator.return?.(undefined);
  }
}
