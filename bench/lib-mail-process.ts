/**
 * The mail catcher in a process of its own, as an SMTP server is: parsing every caught mail would
 * otherwise cost the measured process CPU that no deployment spends. Started by the journeys bench.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startMailCatcher } from '../scripts/lib/mail-catcher';
import { freePort } from '../scripts/lib/ports';
import { stopProcess } from '../scripts/lib/processes';

export async function startMailProcess(): Promise<{ smtpUrl: string; stop: () => Promise<void> }> {
  const [smtpPort, webPort] = [await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), String(smtpPort), String(webPort)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the mail catcher exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('ready')) resolve();
    });
  });
  return { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, stop: () => stopProcess(child) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [smtpPort, webPort] = process.argv.slice(2).map(Number);
  const catcher = await startMailCatcher({ smtpPort: smtpPort!, webPort: webPort! });
  process.stdout.write('ready\n');
  const stop = () => void catcher.stop().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
