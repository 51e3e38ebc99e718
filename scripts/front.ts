/**
 * The round-robin front on its own (docker-compose.yml's `front`): FRONT_UPSTREAMS is a comma-separated
 * list of host:port, a host name standing for every address it resolves to (`api:3000` = every replica).
 */
import { startFront } from './lib/front';

const upstreams = (process.env.FRONT_UPSTREAMS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
if (!upstreams.length) {
  console.error('FRONT_UPSTREAMS: name at least one API instance as host:port');
  process.exit(1);
}
const front = await startFront({
  upstreams,
  port: Number(process.env.FRONT_PORT ?? 8000),
  host: process.env.FRONT_HOST ?? '0.0.0.0',
  onLine: (line) => console.log(line),
});
console.log(`front listening on port ${front.port}, round-robin over ${upstreams.join(', ')}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void front.close().then(() => process.exit(0)));
}
