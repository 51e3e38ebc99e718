/**
 * Prepares a Temporal server for the service: registers the namespace when missing and the process
 * search attributes (docker-compose.yml's one-shot `temporal-setup`; `npm run cluster` does the same
 * in-process). Waits for a server that is still starting. Idempotent.
 */
import { prepareNamespace } from '../infra/temporal-namespace';

const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
const retentionDays = Number(process.env.TEMPORAL_RETENTION_DAYS || 30);
if (!Number.isInteger(retentionDays) || retentionDays < 1) {
  console.error('TEMPORAL_RETENTION_DAYS: must be a whole number of days, at least 1');
  process.exit(1);
}
const { namespaceRegistered, searchAttributesAdded } = await prepareNamespace(address, namespace, {
  retentionDays,
  timeoutMs: 120_000,
});
console.log(
  `temporal ${address}: namespace ${namespace} ${namespaceRegistered ? `registered (retention ${retentionDays} days)` : 'present'}; ` +
    (searchAttributesAdded.length
      ? `search attributes ${searchAttributesAdded.join(', ')} registered`
      : 'search attributes present'),
);
