// Makes sure a Temporal CLI is at hand before the tests start a dev server from it.
import { resolveTemporalCli } from './lib/temporal-cli';

const cli = await resolveTemporalCli((line) => console.log(`› ${line}`));
if (cli) {
  console.log(`› Temporal CLI: ${cli.path} (${cli.source})`);
} else {
  console.log('› no Temporal CLI and no Go toolchain: tests will use TEMPORAL_ADDRESS or the SDK download');
}
