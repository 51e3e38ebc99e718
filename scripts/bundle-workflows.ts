// Bundles the workflow code ahead of time (container images), so workers start without webpack.
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../worker/create-worker';
import { buildIdOf, packageVersion } from '../worker/versioning';

const target = process.argv[2] ?? 'workflow-bundle.js';
const { code } = await bundleWorkflowCode({ workflowsPath });
await writeFile(target, code);
console.log(`workflow bundle written to ${target} (${(code.length / 1024).toFixed(0)} KiB)`);
// the version a worker running this bundle joins, unless WORKER_BUILD_ID names another
console.log(`build id: ${buildIdOf(await packageVersion(), code)}`);
