import { refreshAll } from '../reads';
import { settle } from '../settle';
import type { World } from '../world';
import { checkAwaiting } from './awaiting';
import { checkDeadlines } from './deadlines';
import { checkCommitted, checkLedger, checkPaidOnce } from './money';
import { checkProcesses, describeFailures } from './processes';
import { checkRevocations } from './revocations';

/**
 * Lets the processes settle, reads every item again and runs every check: after each passing of
 * time and at the end of a sequence.
 */
export async function inspect(w: World): Promise<void> {
  checkProcesses(w, await settle(w));
  await describeFailures(w);
  const views = await refreshAll(w);
  const ids = w.model.programmes.map((p) => p.id);
  await checkLedger(w, ids);
  await checkCommitted(w, ids);
  await checkPaidOnce(w, ids);
  checkAwaiting(w, views);
  checkDeadlines(w);
  checkRevocations(w);
}
