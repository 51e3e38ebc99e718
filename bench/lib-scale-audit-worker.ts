import { parentPort, workerData } from 'node:worker_threads';
import { createAuditRenderer, type AuditWorld } from './lib-scale-audit-content';

/**
 * Renders chunks of the sorted audit events: each entry's row cells and the two texts around its
 * previous hash. The chaining (one hash after the other) stays in the writing thread.
 */
const data = workerData as {
  world: AuditWorld;
  order: Uint32Array;
  at: Float64Array;
  kind: Uint8Array;
  a: Uint32Array;
  b: Uint32Array;
};
const render = createAuditRenderer(data.world);

parentPort!.on('message', ({ id, from, to }: { id: number; from: number; to: number }) => {
  const parts: string[] = [];
  for (let k = from; k < to; k += 1) {
    const event = data.order[k]!;
    const entry = render(k + 1, data.at[event]!, data.kind[event]!, data.a[event]!, data.b[event]!);
    parts.push(`${entry.cells}\u0000${entry.before}\u0000${entry.after}`);
  }
  parentPort!.postMessage({ id, text: parts.join('\n') });
});
