// Makes sure the production Temporal server, its sql tool and schema are at hand before the cluster
// tier or `npm run cluster` starts it: built once with go install into .tools, reused after.
import { resolveTemporalServer } from './lib/temporal-server';

const tools = await resolveTemporalServer((line) => console.log(`› ${line}`));
if (tools) {
  console.log(`› Temporal server: ${tools.server} (${tools.source}); schema ${tools.schemaDir}`);
} else {
  console.log('› no Temporal server and no Go toolchain: the cluster tier cannot run here');
}
