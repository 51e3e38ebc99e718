// `npm run bench -- <name> [options]`: runs bench/<name>.ts, which prints its result as JSON.
import { readdir } from 'node:fs/promises';

const name = process.argv[2];
const available = (await readdir(import.meta.dirname))
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'machine.ts'].includes(f) && !f.startsWith('lib'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [options]`);
  process.exit(2);
}
await import(`./${name}.ts`);
