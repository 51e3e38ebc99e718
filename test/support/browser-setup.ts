import { ensurePortalBuilt } from '../../scripts/lib/portal-build';

/** Once per browser-tier run: the API serves `web/dist`, so it must match the sources under test. */
export default async function setup() {
  await ensurePortalBuilt((line) => console.log(line));
}
